"""The ``Store`` port: the domain operations every graph store offers.

Two adapters implement it: :class:`kg.stores.embedded.EmbeddedStore` (default, in-process) and
:class:`kg.stores.neo4j.store.Neo4jStore`.  The query layer talks only to this protocol, so both
give identical answers; one contract suite (``tests/kg/test_store_contract.py``) holds them
to it.  Writes happen only inside a build (:mod:`kg.builds`): a store exposes a
:class:`BuildTarget` that receives validated batches and, on ``commit``, atomically makes
the new build the one that answers.  Until then the previous build keeps answering.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from kg.records import Edge, Node
from kg.schema import HIERARCHY_TYPES, Label, RelType


class Capability(enum.StrEnum):
    """Abilities only some stores have."""

    CYPHER = "cypher"  # answers read-only Cypher
    PERSISTENT = "persistent"  # survives the process
    SHARED = "shared"  # several processes/machines may read and write it at once


class Direction(enum.StrEnum):
    OUT = "out"
    IN = "in"
    BOTH = "both"


@dataclass(frozen=True)
class SourceInfo:
    """One source release that went into a build."""

    name: str
    version: str
    license: str
    url: str = ""
    checksum: str = ""
    records: int = 0
    skipped_rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "license": self.license,
            "url": self.url,
            "checksum": self.checksum,
            "records": self.records,
            "skipped_rows": self.skipped_rows,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceInfo:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class BuildManifest:
    """What a completed build is made of; every answer can name it."""

    build_id: str
    started_at: str
    finished_at: str
    schema_version: int
    pmkg_version: str
    sources: tuple[SourceInfo, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    # How the build's drug records became Drug nodes (kg.drug_identity): per source and per rule.
    drug_identity: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "build_id": self.build_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "schema_version": self.schema_version,
            "pmkg_version": self.pmkg_version,
            "sources": [s.as_dict() for s in self.sources],
            "counts": dict(sorted(self.counts.items())),
            "drug_identity": dict(self.drug_identity),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BuildManifest:
        return cls(
            build_id=data["build_id"],
            started_at=data["started_at"],
            finished_at=data["finished_at"],
            schema_version=data["schema_version"],
            pmkg_version=data["pmkg_version"],
            sources=tuple(SourceInfo.from_dict(s) for s in data.get("sources", ())),
            counts=dict(data.get("counts", {})),
            drug_identity=dict(data.get("drug_identity", {})),
        )


class BuildTarget(Protocol):
    """Where one build's validated batches go.  Nothing is visible to readers before commit."""

    def write_nodes(self, label: Label, nodes: Sequence[Node]) -> None: ...

    def write_edges(self, rel: RelType, edges: Sequence[Edge]) -> None: ...

    def commit(self, manifest: BuildManifest) -> None:
        """Make this build the one that answers, atomically, and drop older builds."""

    def abort(self) -> None:
        """Discard what this build wrote; the previous build keeps answering."""


@runtime_checkable
class Store(Protocol):
    """Domain operations over the current build.  Results are sorted by id for determinism."""

    capabilities: frozenset[Capability]

    def begin_build(self, build_id: str) -> BuildTarget: ...

    def current_build(self) -> BuildManifest | None: ...

    def get_node(self, node_id: str) -> Node | None: ...

    def find(self, text: str, label: Label | None = None) -> list[Node]:
        """Nodes whose id, name or a synonym equals ``text``, ignoring case."""

    def neighbours(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[Node]: ...

    def nodes_with_label(self, label: Label) -> list[Node]:
        """Every node of ``label`` (for indexes a service builds once per build, such as disease names)."""

    def edges(self, rel: RelType) -> Iterator[Edge]:
        """Every relationship of type ``rel`` with its properties and provenance (exports, RDF, networkx)."""

    def ancestors(self, node_ids: Iterable[str], rels: Sequence[RelType] = HIERARCHY_TYPES) -> set[str]:
        """Ids reachable from ``node_ids`` in one step or more along ``rels`` (transitive closure)."""

    def descendants(self, node_ids: Iterable[str], rels: Sequence[RelType] = HIERARCHY_TYPES) -> set[str]: ...

    def evidence_for(self, node_ids: Iterable[str]) -> dict[str, list[Node]]:
        """Evidence nodes ``-[:ABOUT]->`` each of ``node_ids`` (ids without evidence are left out)."""

    def counts_by_label(self) -> dict[str, int]:
        """Number of nodes of every schema label (zero included)."""

    def close(self) -> None: ...
