"""The typed questions the pgx, search and entity services take (``…Query``): what the CLI parses its options
into and the HTTP API its request bodies.  Files (a VCF, an outside-call file) are passed to the services beside
these, as paths.  The match and annotate questions are plain dataclasses (:mod:`queries.models.questions`), so
that those commands do not import pydantic.

Must never import click, rich or fastapi.
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from kg.errors import InputError
from kg.schema import Label
from queries.models.enums import EntityKind


def _not_blank(text: str) -> str:
    if not text.strip():
        raise PydanticCustomError(
            "empty_text", "the search text is empty: type a gene, variant, disease, drug or therapy (or an id)"
        )
    return text


SearchText = Annotated[str, AfterValidator(_not_blank)]
"""Text to search for: blank or whitespace-only text is refused (it would answer nothing, as if nothing were found)."""


class Query(BaseModel):
    """A question: unknown keys are refused, so a misspelt option is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def of(cls, **values: Any) -> Self:
        """The question, or :class:`kg.errors.InputError` saying which value is wrong and why (for the CLI: the
        HTTP API lets its framework turn the validation error into a 422 naming the field)."""
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = [f"{'.'.join(str(p) for p in e['loc']) or 'question'}: {e['msg'][:1].lower()}{e['msg'][1:]}"
                        for e in exc.errors()]  # fmt: skip
            raise InputError("; ".join(problems)) from None


class PgxQuery(Query):
    """Phenotypes and CPIC recommendations for a patient's diplotypes (and/or a VCF given beside)."""

    diplotypes: list[str] = Field(
        default_factory=list,
        description="Diplotypes or phenotypes: 'CYP2C19 *2/*17', 'DPYD *2A/*2A', 'CYP2D6 activity score 1.0' …",
    )
    drugs: list[str] = Field(default_factory=list, description="Only recommendations for these drugs.")
    sample: str | None = Field(default=None, description="Only this sample of the VCF.")


class SearchQuery(Query):
    """Nodes whose id, name or a synonym is the text; diseases also by abbreviation and partial name."""

    text: SearchText = Field(description="What to look for.")
    label: Label | None = Field(default=None, description="Only nodes of this label.")
    limit: int = Field(default=25, ge=1, description="At most this many disease matches.")


class EntityQuery(Query):
    """One node by id or name, with its neighbours and the evidence that concerns it."""

    text: str = Field(min_length=1, description="An id (HGNC:1097, DOID:3910, CIVIC:EID1409 …) or a name or synonym.")
    label: Label | None = Field(
        default=None, description="What kind of node is meant (resolves names within that label)."
    )
    kind: EntityKind | None = Field(
        default=None, description="What kind of page is asked for (its labels are tried in order); else ``label``."
    )
    neighbours: int = Field(default=50, ge=0, description="At most this many nodes listed per relationship.")
