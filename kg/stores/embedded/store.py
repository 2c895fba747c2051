"""The embedded store: the default, in-process :class:`~kg.stores.port.Store`.

A store is a folder::

    graph.pmkg          the current build: a symbolic link to builds/<id>.pmkg
    builds/<id>.pmkg    every kept build (see kg.stores.embedded.fileformat), never changed once written
    build.lock          held by the one build writing at a time
    promote.lock        held for the instant of a promote or rollback and while old builds are reclaimed

A build collects records in a :class:`~kg.merge.MergedGraph`, freezes them and writes
``builds/<id>.pmkg`` atomically (temporary file, fsync, rename); nobody reads it until a promote
replaces the link ``graph.pmkg`` by one naming it — a rename, so a kill at any moment leaves the
old link or the new one, never none.  Readers ``stat`` the link on every call (about a
microsecond) and reopen when it names another file; a reader still mapping a build that was
reclaimed keeps answering from it until it notices the flip.  A store opened on one build
(``EmbeddedStore(folder, build=ID)``) reads that file and never follows the link.

A folder written by an older pmkg holds ``graph.pmkg`` as a plain file: it answers as the current
build, and the next build or promote moves it into ``builds/`` (a hard link, then the rename).
This module never deletes the build the link names.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from kg.errors import BuildError, CorruptGraphFile, StoreError, UnknownBuild, os_error_reason
from kg.locks import exclusive_lock
from kg.merge import LABELS, MergedGraph
from kg.records import Edge, Node
from kg.schema import HIERARCHY_TYPES, Label, RelType
from kg.settings import get_settings
from kg.stores.embedded.fileformat import fsync_dir, map_graph_file, write_graph_file
from kg.stores.embedded.graph import FrozenGraph
from kg.stores.port import (
    BuildInfo,
    BuildManifest,
    Capability,
    Direction,
    builds_to_drop,
    newest_first,
    rollback_build_id,
    unknown_build_message,
)

logger = logging.getLogger(__name__)

GRAPH_FILE = "graph.pmkg"
BUILDS_DIR = "builds"
LOCK_FILE = "build.lock"
PROMOTE_LOCK_FILE = "promote.lock"
# What a build id may look like: it names a file, so no path separators, dots or control characters.
_BUILD_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class EmbeddedStore:
    """In-process graph store over memory-mapped graph files (see the module docstring)."""

    capabilities = frozenset({Capability.PERSISTENT, Capability.IN_PROCESS})

    def __init__(
        self, folder: Path, *, verify: bool = True, build: str | None = None, keep_builds: int | None = None
    ) -> None:
        self.folder = Path(folder)
        self.pinned = build
        self._verify = verify
        self._keep = keep_builds
        self._graph: FrozenGraph | None = None
        self._manifest: BuildManifest | None = None
        self._stamp: tuple[int, int] | None = None
        if build is not None:
            path = self._build_path(build)
            if not path.is_file():
                raise UnknownBuild(unknown_build_message(build, self.list_builds(), f"the graph folder {self.folder}"))
            self._graph_file = str(path)
        else:
            self._graph_file = str(self.folder / GRAPH_FILE)  # a str: stat() on every read stays ~1 µs

    @property
    def graph_path(self) -> Path:
        """The file reads come from: ``graph.pmkg`` (the current build), or the pinned build's file."""
        return Path(self._graph_file)

    @property
    def builds_dir(self) -> Path:
        return self.folder / BUILDS_DIR

    @property
    def keep_builds(self) -> int:
        return self._keep if self._keep is not None else get_settings().keep_builds

    def _build_path(self, build_id: str) -> Path:
        if not _BUILD_ID.fullmatch(build_id):
            raise UnknownBuild(
                f"{build_id!r} is not a build id (build ids look like b59d58cfef77a585; see `pmkg builds`)"
            )
        return self.builds_dir / f"{build_id}.pmkg"

    def _current(self) -> FrozenGraph | None:
        try:
            stat = os.stat(self._graph_file)
        except FileNotFoundError:
            if os.path.islink(self._graph_file):
                raise CorruptGraphFile(
                    f"{self._graph_file} names {os.readlink(self._graph_file)}, which is missing; "
                    "roll back to a kept build (`pmkg builds`, `pmkg rollback BUILD`) or rebuild with `pmkg build`"
                ) from None
            self._graph, self._manifest, self._stamp = None, None, None
            return None
        except OSError as exc:
            why = os_error_reason(exc)
            raise StoreError(f"cannot use the graph folder {self.folder}: {why} (check PMKG_HOME)") from None
        stamp = (stat.st_ino, stat.st_mtime_ns)
        if stamp != self._stamp:
            self._graph, self._manifest = _open_graph(self.graph_path, self._verify)
            self._stamp = stamp
        return self._graph

    # -- builds ---------------------------------------------------------------------------
    def begin_build(self, build_id: str) -> EmbeddedBuildTarget:
        if self.pinned is not None:
            raise StoreError(f"this store reads build {self.pinned} only; open it without a build to write one")
        self._build_path(build_id)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = os_error_reason(exc)
            raise StoreError(f"cannot create the graph folder {self.folder}: {why} (check PMKG_HOME)") from None
        return EmbeddedBuildTarget(self, build_id)

    def current_build(self) -> BuildManifest | None:
        self._current()
        return self._manifest

    def _current_id(self) -> str | None:
        """The id of the build ``graph.pmkg`` names (not of a pinned build), without opening it."""
        link = self.folder / GRAPH_FILE
        if link.is_symlink():
            return Path(os.readlink(link)).stem
        if link.is_file():
            manifest = _read_manifest(link)
            return manifest.build_id if manifest is not None else None
        return None

    def list_builds(self) -> list[BuildInfo]:
        current = self._current_id()
        found: dict[str, BuildInfo] = {}
        legacy = self.folder / GRAPH_FILE
        if legacy.is_file() and not legacy.is_symlink():
            manifest = _read_manifest(legacy)
            if manifest is not None:
                found[manifest.build_id] = BuildInfo(manifest, True, legacy.stat().st_mtime_ns)
        if self.builds_dir.is_dir():
            for path in self.builds_dir.glob("*.pmkg"):
                manifest = _read_manifest(path)
                if manifest is not None and manifest.build_id not in found:
                    is_current = manifest.build_id == current
                    found[manifest.build_id] = BuildInfo(manifest, is_current, path.stat().st_mtime_ns)
        return newest_first(found.values())

    def promote(self, build_id: str) -> BuildManifest:
        with self._promote_lock():
            self._adopt_legacy_graph()
            path = self._build_path(build_id)
            manifest = _read_manifest(path) if path.is_file() else None
            if manifest is None:
                raise UnknownBuild(
                    unknown_build_message(build_id, self.list_builds(), f"the graph folder {self.folder}")
                )
            self._point_at(build_id)
            self._reclaim(protect=())
        logger.info("build %s: now current in %s", build_id, self.folder)
        return manifest

    def rollback(self, build_id: str | None = None) -> BuildManifest:
        if build_id is None:
            build_id = rollback_build_id(self.list_builds(), str(self.folder))
        return self.promote(build_id)

    def discard(self, build_id: str) -> None:
        with self._promote_lock():
            path = self._build_path(build_id)
            if not path.is_file() or _read_manifest(path) is None:
                raise UnknownBuild(
                    unknown_build_message(build_id, self.list_builds(), f"the graph folder {self.folder}")
                )
            if build_id == self._current_id():
                raise StoreError(f"build {build_id} is the current build; roll back to another before discarding it")
            path.unlink(missing_ok=True)
        logger.info("build %s: discarded from %s", build_id, self.folder)

    def _point_at(self, build_id: str) -> None:
        """Replace the link ``graph.pmkg`` by one naming ``builds/<build_id>.pmkg``: one rename."""
        link = self.folder / GRAPH_FILE
        staged = self.folder / f".{GRAPH_FILE}.{os.getpid()}.link"
        staged.unlink(missing_ok=True)
        try:
            os.symlink(f"{BUILDS_DIR}/{build_id}.pmkg", staged)
            os.replace(staged, link)
            fsync_dir(self.folder)
        except OSError as exc:
            staged.unlink(missing_ok=True)
            raise StoreError(f"cannot point {link} at build {build_id}: {os_error_reason(exc)}") from None

    def _adopt_legacy_graph(self) -> None:
        """Move a ``graph.pmkg`` written as a plain file (an older pmkg) into ``builds/``, still current."""
        legacy = self.folder / GRAPH_FILE
        if legacy.is_symlink() or not legacy.is_file():
            return
        manifest = _read_manifest(legacy)
        if manifest is None:
            return  # a damaged file: reads report it; a promote replaces it
        self.builds_dir.mkdir(exist_ok=True)
        kept = self._build_path(manifest.build_id)
        if not kept.exists():
            os.link(legacy, kept)
        self._point_at(manifest.build_id)

    def _reclaim(self, protect: Iterable[str]) -> None:
        """Delete the files of builds beyond ``keep_builds`` (never the current one nor ``protect``)."""
        for build_id in builds_to_drop(self.list_builds(), self.keep_builds, protect):
            self._build_path(build_id).unlink(missing_ok=True)
            logger.info("build %s: reclaimed (PMKG_KEEP_BUILDS=%d)", build_id, self.keep_builds)

    def _promote_lock(self) -> contextlib.AbstractContextManager[None]:
        """A short exclusive lock: promotes, rollbacks and reclaiming happen one at a time."""
        path = self.folder / PROMOTE_LOCK_FILE
        return exclusive_lock(path, f"take the promote lock {path}")

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

    def find_many(self, texts: Iterable[str], label: Label | None = None) -> dict[str, list[Node]]:
        graph = self._current()
        if graph is None:
            return {}
        return {text: found for text in dict.fromkeys(texts) if (found := graph.find(text, label))}

    def neighbours(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[Node]:
        graph, found = self._neighbour_positions(node_id, rel, direction)
        return sorted((graph.node_at(p) for p in found), key=lambda n: n.id) if graph is not None else []

    def neighbour_ids(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[str]:
        graph, found = self._neighbour_positions(node_id, rel, direction)
        return sorted(graph.node_id_at(p) for p in found) if graph is not None else []

    def _neighbour_positions(
        self, node_id: str, rel: RelType, direction: Direction
    ) -> tuple[FrozenGraph | None, Iterable[int]]:
        """The current build's graph and the positions of ``node_id``'s neighbours over ``rel`` (none if unknown)."""
        graph = self._current()
        position = None if graph is None else graph.position(node_id)
        if graph is None or position is None:
            return None, ()
        found = graph.neighbour_positions(
            position, (rel,), outgoing=direction != Direction.IN, incoming=direction != Direction.OUT
        )
        return graph, found

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


def _open_graph(path: Path, verify: bool) -> tuple[FrozenGraph, BuildManifest]:
    meta, arrays = map_graph_file(path, verify=verify)
    try:
        return FrozenGraph(arrays), BuildManifest.from_dict(meta["manifest"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problem = f"lacks {exc}" if isinstance(exc, KeyError) else str(exc)
        raise CorruptGraphFile(f"{path}: the graph file is incomplete ({problem}); rebuild with `pmkg build`") from None


def _read_manifest(path: Path) -> BuildManifest | None:
    """The manifest in a build file's header (sections are not checked), None if it has none readable."""
    try:
        meta, _ = map_graph_file(path, verify=False)
        return BuildManifest.from_dict(meta["manifest"])
    except (CorruptGraphFile, KeyError, TypeError, ValueError, AttributeError):
        logger.warning("%s: not a readable build file; left out of the kept builds", path)
        return None


class EmbeddedBuildTarget:
    """Collects one build in memory; ``complete`` writes ``builds/<id>.pmkg`` atomically, unseen until promoted."""

    def __init__(self, store: EmbeddedStore, build_id: str) -> None:
        self._store = store
        self._build_id = build_id
        self._graph_in_progress = MergedGraph()
        lock_path = store.folder / LOCK_FILE
        self._lock = contextlib.ExitStack()  # held until complete or abort
        self._lock.enter_context(
            exclusive_lock(
                lock_path,
                f"take the build lock {lock_path}",
                error=BuildError,
                busy=f"another build is running in {store.folder}; wait for it to finish",
            )
        )
        for folder in (store.folder, store.builds_dir):
            for stale in folder.glob(".*.tmp") if folder.is_dir() else ():
                stale.unlink(missing_ok=True)

    def write_nodes(self, label: Label, nodes: Sequence[Node]) -> None:
        self._graph_in_progress.add_nodes(label, nodes)

    def write_edges(self, rel: RelType, edges: Sequence[Edge]) -> None:
        self._graph_in_progress.add_edges(rel, edges)

    def complete(self, manifest: BuildManifest) -> None:
        if manifest.build_id != self._build_id:
            raise BuildError(f"manifest of build {manifest.build_id} cannot complete build {self._build_id}")
        from kg.stores.embedded.freeze import freeze  # imports numpy: only a process that writes a build pays it

        arrays = freeze(self._graph_in_progress)
        self._graph_in_progress = MergedGraph()
        builds = self._store.builds_dir
        path = self._store._build_path(self._build_id)
        made_folder = not builds.exists()
        try:
            builds.mkdir(exist_ok=True)
            write_graph_file(path, {"manifest": manifest.as_dict()}, arrays)
        except OSError as exc:
            if made_folder:
                with contextlib.suppress(OSError):
                    builds.rmdir()
            raise BuildError(
                f"cannot write the graph file {path}: {os_error_reason(exc)}; the previous build keeps answering"
            ) from None
        self._release()
        with self._store._promote_lock():  # a staged build counts among the kept ones
            self._store._reclaim(protect=(self._build_id,))

    def abort(self) -> None:
        self._graph_in_progress = MergedGraph()
        self._release()

    def _release(self) -> None:
        self._lock.close()
