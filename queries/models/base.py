"""The base of every answer model: strict about its keys, and faithful to the JSON users script against.

An answer is a pydantic model whose ``model_dump(mode="json")`` is exactly the JSON ``pmkg … --format
json`` prints (pinned byte for byte by ``tests/queries/test_golden_outputs.py``).  Some keys appear only
when they apply (a genomic input's ``assembly``, a CIViC caution's ``variant``): such a field is listed in
``given_only`` and is written only when it was given, even as ``null``.

Must never import click, rich, fastapi or a store: these models are the HTTP API's response schemas too.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer


class Answer(BaseModel):
    """A typed answer (or a part of one); unknown keys are refused, so the schema and the JSON cannot drift."""

    model_config = ConfigDict(extra="forbid")

    given_only: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _keys_that_apply(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if self.given_only and isinstance(data, dict):
            for name in self.given_only - self.model_fields_set:
                data.pop(name, None)
        return data
