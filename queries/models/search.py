"""The answers of ``pmkg search`` and ``pmkg ancestors`` (and ``GET /v1/search``): nodes by text, a disease's
broader terms.

The CLI's ``--format json`` prints the list of hits (search) or of rows (ancestors); the API returns the
whole answer.  Must never import click, rich or fastapi.
"""

from __future__ import annotations

from pydantic import Field

from kg.schema import Label
from queries.models.base import Answer
from queries.models.match import DiseaseInput


class SearchHit(Answer):
    """A node whose id, name or synonym is the text (diseases also by abbreviation and partial name)."""

    id: str = Field(description="The node's id (a CURIE).")
    label: Label = Field(description="What kind of node it is.")
    name: str = Field(description="Its name.")
    synonyms: list[str] = Field(description="Its synonyms and cross-references.")


class SearchAnswer(Answer):
    """The nodes found: exact matches first, then diseases whose words begin with the words typed."""

    query: str = Field(description="The text looked for.")
    label: Label | None = Field(description="The label searched within; null for every label.")
    hits: list[SearchHit] = Field(description="The nodes found, best first.")


class AncestorRow(Answer):
    """One broader disease term."""

    of: str = Field(description="The disease asked about (its resolved id).")
    id: str = Field(description="The broader term's id.")
    name: str = Field(description="The broader term's name.")
    terms_above: int = Field(description="How many terms lie above it (a depth: larger is more specific).")


class AncestorsAnswer(Answer):
    """A disease (resolved as ``match --disease`` resolves it) and its broader terms, nearest first."""

    disease: DiseaseInput = Field(description="The text and the disease it resolved to.")
    notes: list[str] = Field(description="How the term reaches the Disease Ontology, when the reader must know.")
    ancestors: list[AncestorRow] = Field(description="Every broader term (and term mapped onto it), nearest first.")
