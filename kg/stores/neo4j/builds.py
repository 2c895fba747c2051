"""Builds in Neo4j: written unseen, promoted in one transaction, kept, rolled back, reclaimed.

The layout is described in :mod:`kg.stores.neo4j.store`.  A build's life here:

1. **write** (:class:`Neo4jBuildTarget`): the build takes the build lock ``(:PmkgState {key:
   'lock'})`` — a lease renewed by its writes: a build of another id is refused until the holder
   completes, aborts or stays silent for ``lease_seconds`` (its process died); a rerun of the
   same id may take it over at once — and leaves a ``writing`` marker.  Its records are merged in
   memory (:class:`kg.merge.MergedGraph`, the merge both stores share); ``complete`` clears the
   leftovers of an interrupted attempt at the same id, writes every node (label ``PmkgNode``
   only) and relationship once with batched ``UNWIND … CREATE``, marks the build ``complete``
   and releases the lock.  A build whose id is already kept and complete writes nothing.
2. **promote / rollback**: one transaction takes the live labels off the current build's nodes,
   puts them on the new one's and moves the pointer, so a kill at any moment leaves exactly one
   current build, for pmkg's reads and researchers' Cypher alike.  Its cost grows with the two
   builds' node counts (measured in ``bench/rollback.py``).
3. **reclaim**: builds beyond ``keep_builds`` (never the current one), builds that will never
   complete (``writing`` without a live lock) and interrupted deletions are marked ``deleting``
   under the pointer lock, then deleted batch by batch; a marker goes last.

This module never imports the driver: it runs the ``.cypher`` files through the store's
managed transactions.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from kg.errors import BuildError, StoreError, UnknownBuild
from kg.merge import MergedGraph
from kg.records import Edge, Node
from kg.schema import Label, RelType
from kg.stores.neo4j.queries import query_text, render
from kg.stores.neo4j.rows import edge_row, node_row
from kg.stores.port import BuildManifest, builds_to_drop, rollback_build_id, unknown_build_message

if TYPE_CHECKING:
    from kg.stores.neo4j.store import Neo4jStore

logger = logging.getLogger(__name__)

# How builds are stored; the pointer records it so that a database written otherwise is recognised.
LAYOUT = 2
DELETE_BATCH = 5_000
_HEARTBEAT_EVERY = 20  # batches between renewals of the build lock's lease


class Tx(Protocol):
    """What this module needs of a managed transaction (the driver's ``ManagedTransaction``)."""

    def run(self, query: str, parameters: dict[str, Any] | None = None, **params: Any) -> Any: ...


def _one(tx: Tx, name: str, **params: Any) -> Any:
    return tx.run(query_text(name), **params).single()


def _do(tx: Tx, name: str, **params: Any) -> None:
    tx.run(query_text(name), **params).consume()


# -- promote, roll back, reclaim -------------------------------------------------------------
def promote(store: Neo4jStore, build_id: str) -> BuildManifest:
    """Make the kept, completed ``build_id`` current in one transaction, then reclaim old builds."""

    def flip(tx: Tx) -> BuildManifest | None:
        current = _one(tx, "lock_pointer")["current"]
        marker = _one(tx, "build_marker", build=build_id)
        if marker is None or marker["status"] != "complete" or marker["manifest"] is None:
            return None
        if current != build_id:
            if current is not None:
                _do(tx, "hide_build", build=current)
            _do(tx, "show_build", build=build_id)
        _do(tx, "set_current", build=build_id, manifest=marker["manifest"], layout=LAYOUT)
        return BuildManifest.from_dict(json.loads(marker["manifest"]))

    manifest = store._write(f"promoting build {build_id}", flip)
    if manifest is None:
        raise UnknownBuild(unknown_build_message(build_id, store.list_builds(), f"Neo4j at {store.uri}"))
    logger.info("build %s: now current in Neo4j at %s", build_id, store.uri)
    reclaim(store, protect=())
    return manifest


def rollback(store: Neo4jStore, build_id: str | None) -> BuildManifest:
    """Make a kept build current again (default: the one written before the current one)."""
    if build_id is None:
        build_id = rollback_build_id(store.list_builds(), f"Neo4j at {store.uri}")
    return promote(store, build_id)


def reclaim(store: Neo4jStore, protect: Iterable[str]) -> None:
    """Delete builds beyond ``store.keep_builds`` and builds that will never complete (see the module docstring)."""
    doomed = builds_to_drop(store.list_builds(), store.keep_builds, protect)

    def mark(tx: Tx) -> list[str]:
        current = _one(tx, "lock_pointer")["current"]
        marked = [b for b in doomed if b != current and _one(tx, "mark_deleting", build=b) is not None]
        abandoned = tx.run(query_text("mark_abandoned"), lease_ms=int(store.lease_seconds * 1000))
        return list(dict.fromkeys([*marked, *(row["build"] for row in abandoned)]))

    for build_id in store._write("choosing builds to reclaim", mark):
        drop_build(store, build_id, status="deleting")

        def forget(tx: Tx, build_id: str = build_id) -> None:
            _do(tx, "forget_build", build=build_id)

        store._write(f"deleting old build {build_id}", forget)
        logger.info("build %s: reclaimed from Neo4j at %s", build_id, store.uri)


def discard(store: Neo4jStore, build_id: str) -> None:
    """Delete the kept build ``build_id``, never the current one (checked under the pointer lock)."""

    def mark(tx: Tx) -> str:
        current = _one(tx, "lock_pointer")["current"]
        if build_id == current:
            return "current"
        return "marked" if _one(tx, "mark_deleting", build=build_id) is not None else "unknown"

    outcome = store._write(f"discarding build {build_id}", mark)
    if outcome == "current":
        raise StoreError(f"build {build_id} is the current build; roll back to another before discarding it")
    if outcome == "unknown":
        raise UnknownBuild(unknown_build_message(build_id, store.list_builds(), f"Neo4j at {store.uri}"))
    drop_build(store, build_id, status="deleting")

    def forget(tx: Tx) -> None:
        _do(tx, "forget_build", build=build_id)

    store._write(f"deleting build {build_id}", forget)
    logger.info("build %s: discarded from Neo4j at %s", build_id, store.uri)


def drop_build(store: Neo4jStore, build_id: str, status: str) -> None:
    """Delete the nodes of ``build_id`` batch by batch while its marker keeps ``status``."""

    def delete_batch(tx: Tx) -> int:
        row = _one(tx, "delete_build_batch", build=build_id, status=status, limit=DELETE_BATCH)
        return 0 if row is None else int(row["deleted"])

    while store._write(f"deleting build {build_id}", delete_batch) >= DELETE_BATCH:
        pass


def upgrade_old_layout(store: Neo4jStore) -> None:
    """Adopt a database written before builds were kept: its nodes join ``PmkgNode`` (batch by batch),
    its current build becomes a kept, complete build that stays current, and the builds it left
    half-written are reclaimed.  Does nothing on a database already in this layout."""

    def label_batch(tx: Tx) -> int:
        return int(_one(tx, "old_layout_nodes", limit=DELETE_BATCH)["upgraded"])

    upgraded = 0
    while (done := store._write("upgrading the graph's layout", label_batch)) > 0:
        upgraded += done

    def adopt(tx: Tx) -> bool:
        _one(tx, "lock_pointer")
        adopted = _one(tx, "adopt_old_current", layout=LAYOUT) is not None
        abandoned = list(tx.run(query_text("abandon_old_markers")))
        return adopted or bool(abandoned)

    if store._write("upgrading the graph's layout", adopt) or upgraded:
        logger.info("Neo4j at %s: %d nodes of an older layout adopted as a kept build", store.uri, upgraded)
        reclaim(store, protect=())


# -- writing a build ---------------------------------------------------------------------------
class Neo4jBuildTarget:
    """Writes one build into Neo4j under its build id, unseen until promoted."""

    def __init__(self, store: Neo4jStore, build_id: str) -> None:
        self._store = store
        self._build_id = build_id
        self._graph = MergedGraph()
        self._released = False
        self._already_complete = store._write(f"starting build {build_id}", self._take_lock)
        logger.info("build %s: writing into Neo4j at %s", build_id, store.uri)

    def _take_lock(self, tx: Tx) -> bool:
        """Claim the build lock for this build id; True if the same build is already kept, complete."""
        holder = _one(tx, "claim_lock")
        busy = holder["build"] is not None and holder["idle"] < self._store.lease_seconds * 1000
        if busy and holder["build"] != self._build_id:
            raise BuildError(
                f"another build ({holder['build']}) is writing to Neo4j at {self._store.uri}; wait for it to "
                f"finish (the lock of a build whose process died expires {self._store.lease_seconds:.0f}s after "
                f"its last write)"
            )
        return bool(_one(tx, "build_started", build=self._build_id)["status"] == "complete")

    def _check_lock(self, tx: Tx) -> None:
        if _one(tx, "renew_lock", build=self._build_id) is None:
            raise BuildError(
                f"build {self._build_id} lost its lock on Neo4j at {self._store.uri} (another build took it "
                f"after {self._store.lease_seconds:.0f}s without writes); run the build again"
            )

    def _write_rows(self, doing: str, query: str, rows: Sequence[dict[str, Any]]) -> None:
        def work(tx: Tx) -> None:
            # A read-only check; the lease is renewed every _HEARTBEAT_EVERY batches.
            if _one(tx, "holds_lock", build=self._build_id) is None:
                raise BuildError(f"build {self._build_id} lost its lock on Neo4j at {self._store.uri}; run it again")
            written = tx.run(query, rows=list(rows), build=self._build_id).single()
            if written is not None and written["written"] != len(rows):
                raise BuildError(f"{doing}: {len(rows) - written['written']} relationship(s) lost an end node")

        self._store._write(doing, work)

    def write_nodes(self, label: Label, nodes: Sequence[Node]) -> None:
        self._graph.add_nodes(label, nodes)

    def write_edges(self, rel: RelType, edges: Sequence[Edge]) -> None:
        self._graph.add_edges(rel, edges)

    def _write_graph(self) -> None:
        """Write the merged build: nodes, then relationships by type, in batches.

        (Two parallel node writers were measured: no faster on 2 cores, the server is busy.)
        """
        build, size = self._build_id, self._store.batch_rows
        pending: dict[str, list[dict[str, Any]]] = {}
        sent = 0

        def send(kind: str, query: str, rows: list[dict[str, Any]]) -> None:
            nonlocal sent
            sent += 1
            if sent % _HEARTBEAT_EVERY == 0:
                self._store._write(f"renewing the lock of build {build}", self._check_lock)
            self._write_rows(f"writing {kind} of build {build}", query, rows)

        def add(kind: str, query: str, row: dict[str, Any]) -> None:
            rows = pending.setdefault(query, [])
            rows.append(row)
            if len(rows) >= size:
                send(kind, query, rows)
                pending[query] = []

        def flush(kind: str) -> None:
            for query, rows in pending.items():
                if rows:
                    send(kind, query, rows)
            pending.clear()

        create_nodes = query_text("create_nodes")
        for node_id, label, name, synonyms, props, provenance in self._graph.merged_nodes():
            add("nodes", create_nodes, node_row(node_id, label, name, synonyms, props, provenance, build))
        flush("nodes")
        for start, rel, end, props, provenance in self._graph.merged_edges():
            add("relationships", render("create_relationships", rel=rel),
                edge_row(start, end, props, provenance, build))  # fmt: skip
        flush("relationships")
        self._store._write(f"renewing the lock of build {build}", self._check_lock)

    def complete(self, manifest: BuildManifest) -> None:
        if manifest.build_id != self._build_id:
            raise BuildError(f"manifest of build {manifest.build_id} cannot complete build {self._build_id}")

        def still_ours(tx: Tx) -> bool:
            # The marker may have been reclaimed while records were collected (no writes then): renew both.
            self._check_lock(tx)
            return bool(_one(tx, "build_started", build=self._build_id)["status"] == "complete")

        self._already_complete = self._store._write(f"completing build {self._build_id}", still_ours)
        if not self._already_complete:
            # Leftovers of an interrupted attempt at this same build go first: writes CREATE.
            drop_build(self._store, self._build_id, status="writing")
            self._write_graph()
        # else: the same sources and code already built this graph; only the manifest changes.
        self._graph = MergedGraph()
        payload = json.dumps(manifest.as_dict())

        def mark_complete(tx: Tx) -> None:
            self._check_lock(tx)
            _do(tx, "build_completed", build=self._build_id, manifest=payload, finished_at=manifest.finished_at)

        self._store._write(f"completing build {self._build_id}", mark_complete)
        self._release()
        reclaim(self._store, protect=(self._build_id,))

    def abort(self) -> None:
        """Drop what was collected and release the lock; a partial write (if complete failed) stays
        unseen and is cleared when the same build runs again or old builds are reclaimed."""
        self._graph = MergedGraph()
        try:
            self._release()
        except StoreError as exc:  # the store may be why the build failed; the lease frees the lock
            logger.warning("build %s: could not release the build lock: %s", self._build_id, exc)

    def _release(self) -> None:
        if self._released:
            return

        def release(tx: Tx) -> None:
            _do(tx, "release_lock", build=self._build_id)

        self._store._write(f"releasing the lock of build {self._build_id}", release)
        self._released = True
