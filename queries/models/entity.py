"""The answer of an entity lookup (``GET /v1/genes/{id}`` …): one node, its neighbours, its evidence by level.

Must never import click, rich or fastapi.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from kg.schema import Label, RelType
from kg.stores.port import Direction
from queries.models.base import Answer
from queries.models.common import BuildStamp
from queries.models.search import AncestorRow


class EntityRef(Answer):
    """A node named by its id, label and name."""

    id: str = Field(description="The node's id (a CURIE).")
    label: Label = Field(description="What kind of node it is.")
    name: str = Field(description="Its name.")


class SourceRecord(Answer):
    """Where a node came from: enough to find the source record again."""

    given_only = frozenset({"line"})

    source: str = Field(description="The source.")
    version: str = Field(description="The source release.")
    license: str = Field(description="The source's licence.")
    record_id: str = Field(description="The source's own id of the record.")
    line: int | None = Field(default=None, description="The line of a tabular source file.")


class NeighbourGroup(Answer):
    """The nodes one relationship type links to the entity, in one direction."""

    relation: RelType = Field(description="The relationship type.")
    direction: Direction = Field(description="'out' (entity -[relation]-> node) or 'in' (node -[relation]-> entity).")
    count: int = Field(description="How many nodes the relationship links (all of them, not only those listed).")
    nodes: list[EntityRef] = Field(description="The first of them (at most ``neighbours``), by id.")


class EvidenceCounts(Answer):
    """How much evidence concerns the entity: about it (for a gene, also its variants and classes; for a variant
    or class, also the molecular profiles naming it), in it (a disease, or a term mapped as the same disease:
    ONCOTREE:LUAD and DOID:3910), with it (a therapy, or a drug's therapies)."""

    total: int = Field(description="Evidence items.")
    by_level: dict[str, int] = Field(description="Evidence items per source level ('A', 'FDA-Approved' …).")
    by_source: dict[str, int] = Field(description="Evidence items per source.")


class SourceLink(Answer):
    """A page of a source record about the entity (CIViC, PubMed, CPIC, DOID, OncoTree, NCIt …)."""

    title: str = Field(description="What the page is: 'CIViC evidence item', 'PubMed', 'Disease Ontology' …")
    id: str = Field(description="The source's id of the record ('CIVIC.EID:1409', 'PMID:21639808', 'DOID:3910').")
    url: str = Field(description="The page.")


class EntityAnswer(Answer):
    """One gene, variant, disease, drug, evidence item … with its neighbours and evidence counts."""

    id: str = Field(description="The node's id (a CURIE).")
    label: Label = Field(description="What kind of node it is.")
    name: str = Field(description="Its name.")
    synonyms: list[str] = Field(description="Its synonyms and cross-references.")
    properties: dict[str, Any] = Field(description="Its other properties, as the graph holds them.")
    provenance: list[SourceRecord] = Field(description="The source records it was made from.")
    neighbours: list[NeighbourGroup] = Field(description="Its neighbours per relationship type and direction.")
    evidence: EvidenceCounts = Field(description="The evidence that concerns it.")
    links: list[SourceLink] = Field(description="Pages of the source records it was made from, its own first.")
    ancestors: list[AncestorRow] = Field(
        description="A disease's broader terms (and terms mapped onto it), nearest first, as `pmkg ancestors` "
        "lists them; empty for other kinds."
    )
    children: list[EntityRef] = Field(description="A disease's narrower terms, one step down, by id (at most "
                                      "`neighbours` of them); empty for other kinds.")  # fmt: skip
    children_count: int = Field(description="How many narrower terms a disease has (all, not only those listed).")
    build: BuildStamp = Field(description="The build that answered.")
