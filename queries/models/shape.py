"""The JSON shape of an answer in words, for ``--help``: generated from the models, never written by hand.

One line per key, nested keys indented under theirs; ``[]`` marks a list, ``{KEY}`` an object keyed by
name, ``?`` a key present only when it applies, ``| null`` a value that may be null.  Enum values are listed
at the end.

>>> from queries.models.match import DiseaseInput
>>> print(json_shape(DiseaseInput))
--format json prints one object:
  input  The diagnosis as given.
  id     text | null: The disease term's id (DOID, ONCOTREE, MONDO, NCIT …); null if unresolved.
  name   text | null: The disease term's name; null if unresolved.
"""

from __future__ import annotations

import enum
import textwrap
import types
import typing
from typing import Any

from pydantic import BaseModel, RootModel

from queries.models.base import Answer

WIDTH = 100
INLINE_UP_TO = 4  # a part with at most this many plain keys is written on its parent's line: {id, name}


def json_shape(model: type[BaseModel], what: str = "one object", *, width: int = WIDTH) -> str:
    """``--format json prints <what>:``, then every key (top-level ones with their description), then the
    values of every enum the answer uses."""
    if issubclass(model, RootModel):
        item = typing.get_args(model.model_fields["root"].annotation)[0]
        return json_shape(item, what, width=width)
    enums: dict[str, type[enum.Enum]] = {}
    rows: list[tuple[int, str, str]] = []  # (depth, key, text)
    _rows(model, 0, rows, enums, describe=True)
    column = max(2 * depth + len(key) for depth, key, _ in rows) + 2
    lines = [f"--format json prints {what}:"]
    for depth, key, text in rows:
        head = f"  {'  ' * depth}{key}"
        if not text:
            lines.append(head)
            continue
        indent = " " * (column + 2)
        lines += textwrap.wrap(text, width, initial_indent=f"{head:<{column + 2}}", subsequent_indent=indent)
    for name, kind in sorted(enums.items()):
        values = " | ".join(str(m.value) for m in kind)
        lines += textwrap.wrap(f"{name}: {values}", width, initial_indent="  ", subsequent_indent="    ")
    return "\n".join(lines)


def _rows(model: type[BaseModel], depth: int, rows: list[tuple[int, str, str]],
          enums: dict[str, type[enum.Enum]], *, describe: bool) -> None:  # fmt: skip
    given_only = model.given_only if issubclass(model, Answer) else frozenset()
    for name, info in model.model_fields.items():
        key = name + ("?" if name in given_only else "")
        inner, marks, nullable = _unwrap(info.annotation)
        shape = ""
        expand = isinstance(inner, type) and issubclass(inner, BaseModel) and not _small(inner)
        if not expand:
            shape = _plain(inner, enums)
        shape += " | null" if nullable and shape else ""
        text = ": ".join(t for t in (shape if shape != "text" else "", info.description if describe else "") if t)
        rows.append((depth, key + marks, text))
        if expand:
            _rows(inner, depth + 1, rows, enums, describe=False)


def _unwrap(annotation: Any) -> tuple[Any, str, bool]:
    """(the innermost type, its list/dict marks, whether it may be null)."""
    marks, nullable = "", False
    while True:
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin in (typing.Union, types.UnionType):
            nullable = nullable or type(None) in args
            rest = [a for a in args if a is not type(None)]
            annotation = rest[0] if len(rest) == 1 else Any
        elif origin is list:
            marks, annotation = marks + "[]", args[0]
        elif origin is dict:
            marks, annotation = marks + "{KEY}", args[1]
        else:
            return annotation, marks, nullable


def _small(model: type[BaseModel]) -> bool:
    fields = model.model_fields.values()
    return len(fields) <= INLINE_UP_TO and all(_unwrap(f.annotation)[0] in (str, int, float, bool) for f in fields)


def _plain(annotation: Any, enums: dict[str, type[enum.Enum]]) -> str:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        name = "".join("_" + c.lower() if c.isupper() else c for c in annotation.__name__).lstrip("_")
        enums[name] = annotation
        return name
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "{" + ", ".join(annotation.model_fields) + "}"
    if annotation is bool:
        return "true | false"
    if annotation in (int, float):
        return "number"
    return "text"
