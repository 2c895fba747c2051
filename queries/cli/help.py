"""Help text made from the answer models: a command's ``--help`` ends with the JSON shape of its answer.

The shape is generated (:func:`queries.models.shape.json_shape`) when the help is shown, so listing the
commands imports no model and the help can never drift from the JSON.
"""

from __future__ import annotations

from typing import Any

import click


class ShapedCommand(click.Command):
    """A command whose help ends with the JSON shape of answer model ``answer`` (a name in :mod:`queries.models`)."""

    def __init__(self, *args: Any, answer: str, what: str = "one object", note: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answer = answer
        self.what = what
        self.note = note

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        formatter.write_paragraph()
        for line in answer_shape(self.answer, self.what).splitlines():
            formatter.write(f"{'':{formatter.current_indent}}{line}\n")
        if self.note:
            formatter.write_paragraph()
            formatter.write_text(self.note)


def answer_shape(answer: str, what: str) -> str:
    import queries.models
    from queries.models.shape import json_shape

    return json_shape(getattr(queries.models, answer), what)
