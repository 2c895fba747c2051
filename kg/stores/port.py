"""The ``Store`` port: the domain operations every graph store offers.

Two adapters implement it: :class:`kg.stores.embedded.EmbeddedStore` (default, in-process) and
:class:`kg.stores.neo4j.store.Neo4jStore`.  The query layer talks only to this protocol, so both
give identical answers; one contract suite (``tests/kg/test_store_contract.py``) holds them
to it.

A build's life (:mod:`kg.builds` drives it):

1. **write** — :meth:`Store.begin_build` gives a :class:`BuildTarget` that receives validated
   batches; :meth:`BuildTarget.complete` stores the whole build, still invisible to readers;
2. **promote** — :meth:`Store.promote` flips the current-build pointer to it in one atomic step
   (a kill at any moment leaves exactly one current build answering), then reclaims the space of
   builds beyond the last ``PMKG_KEEP_BUILDS`` (the current one always stays);
3. **list / roll back / read as of** — :meth:`Store.list_builds` names the kept builds;
   :meth:`Store.rollback` makes a kept build current again without rebuilding it; and a store
   opened on one build (``open_store(kind, build=ID)``) answers every read from that build;
4. **discard** — :meth:`Store.discard` deletes a kept build that is not current (a staged candidate
   a curator replaced, so that it never pushes an older build out of ``PMKG_KEEP_BUILDS``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from kg.errors import UnknownBuild
from kg.records import Edge, Node
from kg.schema import HIERARCHY_TYPES, Label, RelType


class Capability(enum.StrEnum):
    """Abilities only some stores have."""

    CYPHER = "cypher"  # answers read-only Cypher
    PERSISTENT = "persistent"  # survives the process
    SHARED = "shared"  # several processes/machines may read and write it at once
    IN_PROCESS = "in_process"  # reads are lookups in this process's memory: a question never waits on a network


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
    # Where the release's files were read from, so that a build can be made again from the same
    # inputs (``pmkg curate``): ``starter`` (the bundled files), a path, or "" (not recorded: builds
    # made before pmkg recorded it, read as the starter).  Not part of the build id.
    origin: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "license": self.license,
            "url": self.url,
            "checksum": self.checksum,
            "records": self.records,
            "skipped_rows": self.skipped_rows,
            "origin": self.origin,
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


@dataclass(frozen=True)
class BuildInfo:
    """One kept build as :meth:`Store.list_builds` names it."""

    manifest: BuildManifest
    current: bool
    # When the store finished writing it, in ns since the epoch: orders builds finished within one second.
    written_ns: int = 0

    @property
    def build_id(self) -> str:
        return self.manifest.build_id

    def as_dict(self) -> dict[str, Any]:
        """``{"build_id", "finished_at", "current", "sources": [{name, version, license, records}], "counts"}``."""
        m = self.manifest
        return {
            "build_id": m.build_id,
            "finished_at": m.finished_at,
            "current": self.current,
            "sources": [{"name": s.name, "version": s.version, "license": s.license, "records": s.records}
                        for s in m.sources],
            "counts": {label: count for label, count in sorted(m.counts.items()) if count},
        }  # fmt: skip


def newest_first(builds: Iterable[BuildInfo]) -> list[BuildInfo]:
    """Kept builds, the most recently written first (ties: by id, for a stable order)."""
    return sorted(builds, key=lambda b: (b.manifest.finished_at, b.written_ns, b.build_id), reverse=True)


def builds_to_drop(builds: Iterable[BuildInfo], keep: int, protect: Iterable[str] = ()) -> list[str]:
    """Ids of the builds beyond the ``keep`` most recent; the current build and ``protect`` always stay.

    >>> def b(i, t, cur=False): return BuildInfo(BuildManifest(i, t, t, 1, "0"), cur)
    >>> builds_to_drop([b("b1", "2026-01"), b("b2", "2026-02", True), b("b3", "2026-03"), b("b4", "2026-04")], 2)
    ['b3', 'b1']
    """
    protected = set(protect)
    ordered = newest_first(builds)
    kept = [b.build_id for b in ordered if b.current or b.build_id in protected]
    for info in ordered:
        if len(kept) >= keep:
            break
        if info.build_id not in kept:
            kept.append(info.build_id)
    return [b.build_id for b in ordered if b.build_id not in kept]


def previous_build(builds: Iterable[BuildInfo]) -> BuildInfo | None:
    """The kept build written just before the current one (what ``rollback`` without a build id returns to)."""
    ordered = newest_first(builds)
    current = next((i for i, b in enumerate(ordered) if b.current), None)
    if current is None:
        return ordered[0] if ordered else None
    return ordered[current + 1] if current + 1 < len(ordered) else None


def rollback_build_id(builds: Sequence[BuildInfo], where: str) -> str:
    """The build ``rollback`` without a build id returns to (:func:`previous_build`); :class:`UnknownBuild` naming
    the kept builds and ``where`` they are kept when there is none."""
    before = previous_build(builds)
    if before is None:
        kept = ", ".join(b.build_id for b in builds) or "none"
        raise UnknownBuild(
            f"no build older than the current one is kept in {where} (kept: {kept}); "
            "name one with `pmkg rollback BUILD`, or keep more with PMKG_KEEP_BUILDS"
        )
    return before.build_id


def unknown_build_message(build_id: str, builds: Iterable[BuildInfo], where: str) -> str:
    """The message of :class:`~kg.errors.UnknownBuild`: the id asked for and the ids kept."""
    kept = [f"{b.build_id}{' (current)' if b.current else ''}" for b in newest_first(builds)]
    listed = ", ".join(kept) if kept else "none (run `pmkg build`)"
    return f"{where} keeps no build {build_id!r}; the kept builds are: {listed} (see `pmkg builds`)"


class BuildTarget(Protocol):
    """Where one build's validated batches go.  Nothing is visible to readers, ever: a completed
    build answers only once :meth:`Store.promote` makes it current."""

    def write_nodes(self, label: Label, nodes: Sequence[Node]) -> None: ...

    def write_edges(self, rel: RelType, edges: Sequence[Edge]) -> None: ...

    def complete(self, manifest: BuildManifest) -> None:
        """Store the whole build under its id, invisible to readers, and release the build lock."""

    def abort(self) -> None:
        """Discard what this build wrote; the current build keeps answering."""


@runtime_checkable
class Store(Protocol):
    """Domain operations over the current build.  Results are sorted by id for determinism."""

    capabilities: frozenset[Capability]

    def begin_build(self, build_id: str) -> BuildTarget: ...

    def current_build(self) -> BuildManifest | None:
        """The manifest of the build that answers (the pinned build of a store opened on one)."""

    def list_builds(self) -> list[BuildInfo]:
        """Every kept, completed build, the most recently written first."""

    def promote(self, build_id: str) -> BuildManifest:
        """Make the completed build ``build_id`` current in one atomic step, then reclaim the space of
        builds beyond ``PMKG_KEEP_BUILDS``; :class:`~kg.errors.UnknownBuild` if it is not kept."""

    def rollback(self, build_id: str | None = None) -> BuildManifest:
        """Make a kept build current again (default: the one written before the current one), without
        rebuilding it; :class:`~kg.errors.UnknownBuild` if there is none."""

    def discard(self, build_id: str) -> None:
        """Delete the kept build ``build_id`` (a staged candidate nobody will promote); the current build is
        refused with :class:`~kg.errors.StoreError`, an id not kept is :class:`~kg.errors.UnknownBuild`."""

    def get_node(self, node_id: str) -> Node | None: ...

    def find(self, text: str, label: Label | None = None) -> list[Node]:
        """Nodes whose id, name or a synonym equals ``text``, ignoring case."""

    def find_many(self, texts: Iterable[str], label: Label | None = None) -> dict[str, list[Node]]:
        """:meth:`find` of each of ``texts`` at once (one round trip on Neo4j); texts that find nothing are left
        out."""

    def neighbours(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[Node]: ...

    def neighbour_ids(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[str]:
        """The ids of :meth:`neighbours`, sorted, without reading the nodes: what a walk that needs only where an
        edge leads asks (an evidence item's diseases and therapies; an embedded evidence node is kilobytes to
        decode, a Neo4j one travels over Bolt whole)."""

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
