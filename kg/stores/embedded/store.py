"""The embedded store: the default, in-process :class:`~kg.stores.port.Store`.

A store is a folder holding ``graph.pmkg`` (see :mod:`kg.stores.embedded.fileformat`).  A build
collects records in a :class:`~kg.merge.MergedGraph`, freezes them and replaces
``graph.pmkg`` atomically on commit; a reader that opened the old file keeps answering
from it and picks up the new one on its next call.  A lock file keeps two builds of the
same folder from running at once.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from kg.errors import BuildError, CorruptGraphFile, StoreError
from kg.merge import LABELS, MergedGraph
from kg.records import Edge, Node
from kg.schema import HIERARCHY_TYPES, Label, RelType
from kg.stores.embedded.fileformat import read_graph_file, write_graph_file
from kg.stores.embedded.graph import FrozenGraph, freeze
from kg.stores.port import BuildManifest, Capability, Direction

GRAPH_FILE = "graph.pmkg"
LOCK_FILE = "build.lock"


class EmbeddedStore:
    """In-process graph store over a memory-mapped graph file."""

    capabilities = frozenset({Capability.PERSISTENT})

    def __init__(self, folder: Path, *, verify: bool = True) -> None:
        self.folder = Path(folder)
        self._verify = verify
        self._graph: FrozenGraph | None = None
        self._manifest: BuildManifest | None = None
        self._stamp: tuple[int, int] | None = None
        self._graph_file = str(self.folder / GRAPH_FILE)  # a str: stat() on every read stays ~1 µs

    @property
    def graph_path(self) -> Path:
        return self.folder / GRAPH_FILE

    def _current(self) -> FrozenGraph | None:
        try:
            stat = os.stat(self._graph_file)
        except FileNotFoundError:
            self._graph, self._manifest, self._stamp = None, None, None
            return None
        except OSError as exc:
            raise StoreError(f"cannot use the graph folder {self.folder}: {_why(exc)} (check PMKG_HOME)") from None
        stamp = (stat.st_ino, stat.st_mtime_ns)
        if stamp != self._stamp:
            meta, arrays = read_graph_file(self.graph_path, verify=self._verify)
            try:
                graph = FrozenGraph(arrays)
                manifest = BuildManifest.from_dict(meta["manifest"])
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                problem = f"lacks {exc}" if isinstance(exc, KeyError) else str(exc)
                raise CorruptGraphFile(
                    f"{self.graph_path}: the graph file is incomplete ({problem}); rebuild with `pmkg build`"
                ) from None
            self._graph, self._manifest, self._stamp = graph, manifest, stamp
        return self._graph

    # -- builds ---------------------------------------------------------------------------
    def begin_build(self, build_id: str) -> EmbeddedBuildTarget:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the graph folder {self.folder}: {_why(exc)} (check PMKG_HOME)") from None
        return EmbeddedBuildTarget(self, build_id)

    def current_build(self) -> BuildManifest | None:
        self._current()
        return self._manifest

    # -- reads ----------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        graph = self._current()
        if graph is None:
            return None
        position = graph.position(node_id)
        return None if position is None else graph.node_at(position)

    def find(self, text: str, label: Label | None = None) -> list[Node]:
        graph = self._current()
        return [] if graph is None else graph.find(text, label)

    def neighbours(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[Node]:
        graph = self._current()
        position = None if graph is None else graph.position(node_id)
        if graph is None or position is None:
            return []
        found = graph.neighbour_positions(
            position, (rel,), outgoing=direction != Direction.IN, incoming=direction != Direction.OUT
        )
        return sorted((graph.node_at(p) for p in found), key=lambda n: n.id)

    def nodes_with_label(self, label: Label) -> list[Node]:
        graph = self._current()
        return [] if graph is None else graph.nodes_with_label(label)

    def edges(self, rel: RelType) -> Iterator[Edge]:
        graph = self._current()
        return iter(()) if graph is None else graph.edges(rel)

    def _closure(self, node_ids: Iterable[str], rels: Sequence[RelType], upward: bool) -> set[str]:
        graph = self._current()
        if graph is None:
            return set()
        reached = graph.closure(graph.positions(node_ids), rels, upward)
        return {graph.node_id_at(p) for p in reached}

    def ancestors(self, node_ids: Iterable[str], rels: Sequence[RelType] = HIERARCHY_TYPES) -> set[str]:
        return self._closure(node_ids, rels, upward=True)

    def descendants(self, node_ids: Iterable[str], rels: Sequence[RelType] = HIERARCHY_TYPES) -> set[str]:
        return self._closure(node_ids, rels, upward=False)

    def evidence_for(self, node_ids: Iterable[str]) -> dict[str, list[Node]]:
        graph = self._current()
        if graph is None:
            return {}
        evidence_code = LABELS.index(Label.EVIDENCE)
        found: dict[str, list[Node]] = {}
        for node_id in dict.fromkeys(node_ids):
            position = graph.position(node_id)
            if position is None:
                continue
            starts = graph.neighbour_positions(position, (RelType.ABOUT,), outgoing=False, incoming=True)
            items = [graph.node_at(s) for s in starts if graph.node_label[s] == evidence_code]
            if items:
                found[node_id] = sorted(items, key=lambda n: n.id)
        return found

    def counts_by_label(self) -> dict[str, int]:
        graph = self._current()
        return dict.fromkeys((str(label) for label in Label), 0) if graph is None else graph.label_counts()

    def close(self) -> None:
        self._graph, self._manifest, self._stamp = None, None, None


def _why(exc: OSError) -> str:
    """An OS error in words, naming the file when it is not the one the message already names."""
    what = exc.strerror or str(exc)
    if exc.errno == errno.ENOTDIR:
        what = "a regular file is in the way of a folder"
    elif exc.errno == errno.EISDIR:
        what = f"{exc.filename} is a folder, not a file"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        what = "the disk is full or the file is too large"
    return what


class EmbeddedBuildTarget:
    """Collects one build in memory; ``commit`` writes and swaps the graph file atomically."""

    def __init__(self, store: EmbeddedStore, build_id: str) -> None:
        self._store = store
        self._build_id = build_id
        self._graph_in_progress = MergedGraph()
        lock_path = store.folder / LOCK_FILE
        try:
            self._lock: IO[str] | None = open(lock_path, "w")  # noqa: SIM115 - held until commit/abort
        except OSError as exc:
            raise BuildError(f"cannot take the build lock {lock_path}: {_why(exc)}") from None
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            self._lock = None
            raise BuildError(f"another build is running in {store.folder}; wait for it to finish") from None
        for stale in store.folder.glob(f".{GRAPH_FILE}.*.tmp"):
            stale.unlink(missing_ok=True)

    def write_nodes(self, label: Label, nodes: Sequence[Node]) -> None:
        self._graph_in_progress.add_nodes(label, nodes)

    def write_edges(self, rel: RelType, edges: Sequence[Edge]) -> None:
        self._graph_in_progress.add_edges(rel, edges)

    def commit(self, manifest: BuildManifest) -> None:
        arrays = freeze(self._graph_in_progress)
        self._graph_in_progress = MergedGraph()
        try:
            write_graph_file(self._store.graph_path, {"manifest": manifest.as_dict()}, arrays)
        except OSError as exc:
            raise BuildError(
                f"cannot write the graph file {self._store.graph_path}: {_why(exc)}; the previous build keeps answering"
            ) from None
        self._release()

    def abort(self) -> None:
        self._graph_in_progress = MergedGraph()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None
