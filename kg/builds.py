"""Builds: stream records from sources into a store so that a build never half-exists.

:func:`run_build` validates every record against the schema (once, for every store),
batches nodes by label and edges by type, and hands them to the store's
:class:`~kg.stores.port.BuildTarget`.  Only when every source has been read does it write the
``Build`` and ``Source`` nodes and complete the build (stored, still invisible), then promote it
(the store's current-build pointer flips in one step; ``promote=False`` stages it instead, for
``pmkg promote`` later).  If anything fails or the process is killed first, the current build
keeps answering and running the same build again completes it (the build id is derived from the
sources and the code that reads them, so a rerun resumes the same build, and an upgraded loader
never passes for the build already current).

Before promoting, each source's record count is compared with the current build of that source
(:class:`ShrinkLimits`): a source that lost most of its records or skipped too many rows as bad
stops the build (:class:`~kg.errors.ShrinkingBuild`) unless the loss is declared intended.

It never reads files itself: sources arrive as :class:`RecordSource` objects from
``loaders``, which ``kg`` does not import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from kg.collector import cyclic_gc_paused
from kg.drug_identity import IDENTITY_LABELS, resolve_drugs, resolve_therapies
from kg.errors import SchemaError, ShrinkingBuild
from kg.records import Edge, Node, PropValue, Provenance, Record
from kg.schema import METAEDGES, SCHEMA_VERSION, Label, RelType, validate_edge_fields, validate_node_fields
from kg.settings import get_settings
from kg.stores.port import BuildManifest, BuildTarget, SourceInfo, Store

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5_000
# How many unresolved edges to name in the error before summarising the rest.
_MAX_REPORTED = 5

ProgressCallback = Callable[[str, int], None]


class RecordSource(Protocol):
    """A source release ready to stream records (implemented by ``loaders``)."""

    @property
    def info(self) -> SourceInfo: ...

    @property
    def skipped_rows(self) -> int:
        """Rows skipped as bad (only when the build was asked to skip them)."""

    def records(self) -> Iterator[Record]: ...


def _rows_read(source: RecordSource, records: int) -> int:
    """The rows a source read, for its skip rate: its own count when it keeps one (loaders count the
    lines of their files), else its records and skipped rows (a row gives one record or more)."""
    rows = getattr(source, "rows_read", None)
    return rows if isinstance(rows, int) and rows > 0 else records + source.skipped_rows


def pmkg_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pmkg")
    except PackageNotFoundError:
        return "0+unknown"


def code_fingerprint(sources: Iterable[object]) -> str:
    """SHA-256 of the code that turns records into a graph: ``kg`` and the package of each
    source's class (so a changed loader gives a new build id, even at the same version)."""
    folders = {Path(__file__).parent}
    for source in sources:
        module = sys.modules.get(type(source).__module__)
        if module is not None and getattr(module, "__file__", None):
            folders.add(Path(str(module.__file__)).parent)
    digest = hashlib.sha256()
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def compute_build_id(sources: Iterable[SourceInfo], code: str = "") -> str:
    """A build id that depends only on what goes in: same sources, same code → same id."""
    key = {
        "schema": SCHEMA_VERSION,
        "pmkg": pmkg_version(),
        "code": code,
        "sources": sorted((s.name, s.version, s.checksum) for s in sources),
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    return f"b{digest[:15]}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class BuildSession:
    """Validates records, keeps track of every node's label, and batches writes to a target."""

    def __init__(self, target: BuildTarget, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self._target = target
        self._batch_size = batch_size
        self._labels: dict[str, Label] = {}
        self._pending_nodes: dict[Label, list[Node]] = defaultdict(list)
        self._pending_edges: dict[RelType, list[Edge]] = defaultdict(list)
        self._deferred_edges: list[Edge] = []
        # Drugs, therapies and the relationships that touch them wait for the end of the build:
        # which records are one drug is known only once every source has named its drugs.
        self._held_nodes: list[Node] = []
        self._held_edges: list[Edge] = []
        self.identity_report: dict[str, Any] = {}

    def add(self, record: Record) -> None:
        if isinstance(record, Node):
            self.add_node(record)
        elif isinstance(record, Edge):
            self.add_edge(record)
        else:
            raise SchemaError(f"expected a Node or an Edge record, got {type(record).__name__}")

    def add_node(self, node: Node) -> None:
        try:
            validate_node_fields(node.id, node.label, node.name, node.props)
        except SchemaError as exc:
            raise SchemaError(f"{exc}{_origin(node.provenance)}") from None
        known = self._labels.setdefault(node.id, node.label)
        if known != node.label:
            raise SchemaError(f"{node.describe()}: id {node.id!r} is already a {known}; one id has one label")
        if node.label in IDENTITY_LABELS:
            self._held_nodes.append(node)
            return
        batch = self._pending_nodes[node.label]
        batch.append(node)
        if len(batch) >= self._batch_size:
            self._target.write_nodes(node.label, batch)
            self._pending_nodes[node.label] = []

    def add_edge(self, edge: Edge) -> None:
        start_label, end_label = self._labels.get(edge.start), self._labels.get(edge.end)
        if start_label is None or end_label is None:
            self._deferred_edges.append(edge)
            return
        if start_label in IDENTITY_LABELS or end_label in IDENTITY_LABELS:
            self._held_edges.append(edge)
            return
        self._queue_edge(edge, start_label, end_label)

    def _queue_edge(self, edge: Edge, start_label: Label, end_label: Label) -> None:
        # Most relationships carry no properties and fit the metagraph: one set lookup.
        if edge.props or (start_label, edge.type, end_label) not in METAEDGES:
            try:
                validate_edge_fields(edge.start, edge.type, edge.end, start_label, end_label, edge.props)
            except SchemaError as exc:
                raise SchemaError(f"{exc}{_origin(edge.provenance)}") from None
        batch = self._pending_edges[edge.type]
        batch.append(edge)
        if len(batch) >= self._batch_size:
            self._flush_nodes()
            self._target.write_edges(edge.type, batch)
            self._pending_edges[edge.type] = []

    def _flush_nodes(self) -> None:
        for label, batch in self._pending_nodes.items():
            if batch:
                self._target.write_nodes(label, batch)
        self._pending_nodes.clear()

    def flush(self) -> None:
        """Write everything pending; raise SchemaError for edges whose endpoints never arrived."""
        deferred, self._deferred_edges = self._resolve_identity(), []
        dangling = [e for e in deferred if e.start not in self._labels or e.end not in self._labels]
        if dangling:
            named = "; ".join(
                f"{e.describe()}: no node {e.start if e.start not in self._labels else e.end!r}"
                for e in dangling[:_MAX_REPORTED]
            )
            more = f" (and {len(dangling) - _MAX_REPORTED} more)" if len(dangling) > _MAX_REPORTED else ""
            raise SchemaError(f"{len(dangling)} relationship(s) point at nodes no source defined: {named}{more}")
        for edge in deferred:
            self._queue_edge(edge, self._labels[edge.start], self._labels[edge.end])
        self._flush_nodes()
        for rel, batch in self._pending_edges.items():
            if batch:
                self._target.write_edges(rel, batch)
        self._pending_edges.clear()

    def _resolve_identity(self) -> list[Edge]:
        """Merge held drugs and therapies (:mod:`kg.drug_identity`); the edges still to write, ids rewritten."""
        edges = [*self._held_edges, *self._deferred_edges]
        self._held_edges = []
        if not self._held_nodes:
            return edges
        held, self._held_nodes = self._held_nodes, []
        drugs = resolve_drugs([n for n in held if n.label == Label.DRUG])
        therapy_records = [n for n in held if n.label == Label.THERAPY]
        therapy_ids = {n.id for n in therapy_records}
        components = [e for e in edges if e.type == RelType.HAS_COMPONENT and e.start in therapy_ids]
        therapies, therapy_nodes, therapy_counts = resolve_therapies(therapy_records, components, drugs)
        for node in held:
            self._labels.pop(node.id, None)
        new_ids = {**drugs.drug_ids, **therapies}
        edges = [
            dataclasses.replace(e, start=new_ids.get(e.start, e.start), end=new_ids.get(e.end, e.end))
            if e.start in new_ids or e.end in new_ids
            else e
            for e in edges
        ]
        edges = _regimens_as_components(edges, drugs.regimens)
        referenced = {e.start for e in edges} | {e.end for e in edges}
        drug_nodes = [n for n in drugs.nodes if n.id not in drugs.regimens or n.id in referenced]
        for node in (*drug_nodes, *therapy_nodes):
            try:
                validate_node_fields(node.id, node.label, node.name, node.props)
            except SchemaError as exc:
                raise SchemaError(f"{exc}{_origin(node.provenance)}") from None
            self._labels[node.id] = node.label
            self._pending_nodes[node.label].append(node)
        dropped = len(drugs.nodes) - len(drug_nodes)  # regimens whose drugs now stand in for them
        self.identity_report = {
            **drugs.report,
            "drugs": len(drug_nodes),
            "merged": drugs.report["merged"] + dropped,
            "therapies": therapy_counts,
        }
        return edges

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((str(label) for label in Label), 0)
        for label in self._labels.values():
            counts[label] += 1
        return counts


def _regimens_as_components(edges: list[Edge], regimens: Mapping[str, tuple[str, ...]]) -> list[Edge]:
    """A therapy's component that is a regimen of the build's drugs becomes those drugs (kg.drug_identity)."""
    if not regimens:
        return edges
    is_regimen = [e.type == RelType.HAS_COMPONENT and e.end in regimens for e in edges]
    seen = {
        (e.start, e.end)
        for e, regimen in zip(edges, is_regimen, strict=True)
        if e.type == RelType.HAS_COMPONENT and not regimen
    }
    out: list[Edge] = []
    for edge, regimen in zip(edges, is_regimen, strict=True):
        if not regimen:
            out.append(edge)
            continue
        for drug in regimens[edge.end]:
            if (edge.start, drug) not in seen:
                seen.add((edge.start, drug))
                out.append(dataclasses.replace(edge, end=drug))
    return out


def _origin(provenance: Sequence[Provenance]) -> str:
    if not provenance:
        return ""
    p = provenance[0]
    line = f", line {p.line}" if p.line is not None else ""
    return f" [source {p.source} {p.version}, record {p.record_id}{line}]"


@dataclasses.dataclass(frozen=True)
class ShrinkLimits:
    """How much content a new build may lose, source by source, before it is refused.

    ``max_drop``: the share of a source's records (against the current build of that source) that
    may disappear; ``max_skip_rate``: the share of the rows a source read that were skipped as bad.
    A source that yields no record at all is refused too.  ``allow`` (``--allow-shrink``) says the
    loss is intended.
    """

    max_drop: float = 0.5
    max_skip_rate: float = 0.05
    allow: bool = False

    @classmethod
    def from_settings(cls, allow: bool = False) -> ShrinkLimits:
        """The limits PMKG_MAX_SHRINK and PMKG_MAX_SKIP_RATE set; ``allow`` from ``--allow-shrink``."""
        settings = get_settings()
        return cls(settings.max_shrink, settings.max_skip_rate, allow=allow)


def shrink_problems(
    previous: BuildManifest | None, sources: Sequence[SourceInfo], limits: ShrinkLimits, rows: Sequence[int]
) -> list[str]:
    """What makes ``sources`` lose content beyond ``limits``, one line per source (empty: nothing).

    ``rows``: the rows each source read (for its skip rate).
    """
    before = {s.name: s for s in previous.sources} if previous is not None else {}
    problems = []
    for info, read in zip(sources, rows, strict=True):
        old = before.get(info.name)
        if info.records == 0:
            problems.append(f"{info.name}: no records" + (f" (the current build has {old.records:,})" if old else ""))
        elif old is not None and old.records and 1 - info.records / old.records > limits.max_drop:
            problems.append(
                f"{info.name}: {info.records:,} records, the current build has {old.records:,} "
                f"(-{1 - info.records / old.records:.0%}; at most -{limits.max_drop:.0%} is allowed)"
            )
        if read and info.skipped_rows / read > limits.max_skip_rate:
            problems.append(
                f"{info.name}: {info.skipped_rows:,} of {read:,} rows skipped as bad "
                f"({info.skipped_rows / read:.1%}; at most {limits.max_skip_rate:.0%} is allowed)"
            )
    return problems


def run_build(
    store: Store,
    sources: Sequence[RecordSource],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
    limits: ShrinkLimits | None = None,
    promote: bool = True,
) -> BuildManifest:
    """Build the graph from ``sources`` into ``store`` and make it current, or change nothing.

    Before the new build is completed its sources are held to ``limits`` (default: none): a source
    that lost too many records or skipped too many rows stops the build with :class:`ShrinkingBuild`.
    With ``promote=False`` the build is kept but the current build keeps answering (a staged build).
    """
    infos = [source.info for source in sources]
    names = [info.name for info in infos]
    if len(set(names)) != len(names):
        raise SchemaError(f"each source may appear once in a build; got {names}")
    build_id = compute_build_id(infos, code_fingerprint(sources))
    with cyclic_gc_paused():  # (kg.collector)
        manifest = _run(store, sources, infos, build_id, batch_size, progress, limits)
    if promote:
        store.promote(manifest.build_id)
    return manifest


def _run(
    store: Store,
    sources: Sequence[RecordSource],
    infos: list[SourceInfo],
    build_id: str,
    batch_size: int,
    progress: ProgressCallback | None,
    limits: ShrinkLimits | None,
) -> BuildManifest:
    names = [info.name for info in infos]
    started = _now()
    logger.info("build %s: starting with sources %s", build_id, ", ".join(names))
    target = store.begin_build(build_id)  # first: a store may need to prepare before it is read
    try:
        previous = store.current_build()
        session = BuildSession(target, batch_size=batch_size)
        used: list[SourceInfo] = []
        for source, info in zip(sources, infos, strict=True):
            count = 0
            for record in source.records():
                session.add(record)
                count += 1
                if progress is not None and count % 1000 == 0:
                    progress(info.name, 1000)
            if progress is not None:
                progress(info.name, count % 1000)
            used.append(dataclasses.replace(info, records=count, skipped_rows=source.skipped_rows))
        if limits is not None and not limits.allow:
            rows = [
                _rows_read(s, u.records) if u.skipped_rows else u.records for s, u in zip(sources, used, strict=True)
            ]
            problems = shrink_problems(previous, used, limits, rows)
            if problems:
                raise ShrinkingBuild(
                    "the new build would lose content, so the current build stays: "
                    + "; ".join(problems)
                    + ". Check the source files; if the loss is intended, build again with --allow-shrink"
                )
        _add_build_records(session, build_id, started, used)
        session.flush()
        manifest = BuildManifest(
            build_id=build_id,
            started_at=started,
            finished_at=_now(),
            schema_version=SCHEMA_VERSION,
            pmkg_version=pmkg_version(),
            sources=tuple(used),
            counts=session.counts(),
            drug_identity=session.identity_report,
        )
        target.complete(manifest)
    except BaseException:
        target.abort()
        raise
    logger.info("build %s: complete", build_id)
    return manifest


def _add_build_records(session: BuildSession, build_id: str, started: str, used: list[SourceInfo]) -> None:
    build_node_id = f"PMKG:build/{build_id}"
    prov = (Provenance("pmkg", pmkg_version(), "CC0-1.0", build_id),)
    session.add_node(
        Node(
            build_node_id,
            Label.BUILD,
            f"pmkg build {build_id}",
            props={"status": "complete", "started_at": started},
            provenance=prov,
        )
    )
    for info in used:
        source_id = f"PMKG:source/{info.name}"
        props: dict[str, PropValue] = {
            "version": info.version,
            "license": info.license,
            "url": info.url,
            "checksum": info.checksum,
            "records": info.records,
            "skipped_rows": info.skipped_rows,
        }
        session.add_node(Node(source_id, Label.SOURCE, info.name, props=props, provenance=prov))
        session.add_edge(Edge(build_node_id, RelType.USES_SOURCE, source_id, provenance=prov))
