"""The Neo4j adapter of the :class:`~kg.stores.port.Store` port: the road to scale and to Cypher.

This is the only pmkg module that imports the ``neo4j`` driver.  It never runs text a
caller supplied: read queries are the ``.cypher`` files of :mod:`kg.stores.neo4j.queries`, write
queries are built here, labels and relationship types come only from :mod:`kg.schema`'s
enums, and every value is a ``$parameter``.

How a build never half-exists
-----------------------------
Every domain node carries its schema label plus ``Entity``, and every node and relationship
of one build carries ``build`` = the build id.  ``(:PmkgState {key: 'current'})`` names the
build that answers (``build``) and holds its manifest (``manifest``, JSON); every read query
resolves that pointer inside the query, so it sees one complete build.  A build:

1. takes the build lock ``(:PmkgState {key: 'lock'})`` for its build id and leaves a marker
   ``(:PmkgState {key: 'build:<id>'})`` naming the build id it writes.  The lock is a lease
   renewed by every write: a build of another id is refused until the holder commits, aborts
   or stays silent for ``lease_seconds`` (its process died); a rerun of the same build id
   may take it over at once;
2. collects the build's records in a :class:`kg.merge.MergedGraph` — the one merge both
   stores share (first name wins, synonyms and provenance united, later properties win);
3. on ``commit`` clears leftovers of an interrupted attempt at the same build id, writes
   every node, alias and relationship once with batched ``UNWIND $rows … CREATE`` in
   managed transactions (transient errors are retried; each batch first checks the lock),
   flips the pointer in one transaction, then deletes, batch by batch, every other build
   that left a marker, and releases the lock.

A build whose id is already current (same sources, same code) writes nothing and only
refreshes the manifest.  ``abort`` releases the lock; anything a failed commit wrote stays
invisible and is cleared by the next attempt or the next commit.

``find`` looks up ``pmkg_lookup`` (the lower-cased id, name and synonyms of each node) in a
full-text index with the keyword analyzer, which indexes every list element whole, then
checks the key exactly.

>>> store = Neo4jStore("bolt://127.0.0.1:7687")       # doctest: +SKIP
>>> store.get_node("HGNC:1097").name                  # doctest: +SKIP
'BRAF'
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import orjson
from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from kg.errors import BuildError, ConfigError, StoreAuthError, StoreError, StoreUnavailable
from kg.merge import MergedGraph, ProvTuple, lookup_keys
from kg.records import Edge, Node, Provenance
from kg.schema import HIERARCHY_TYPES, Label, RelType
from kg.settings import Settings, get_settings
from kg.stores.neo4j.queries import query_text, render
from kg.stores.neo4j.readonly import CypherAnswer, run_read_only
from kg.stores.port import BuildManifest, Capability, Direction

logger = logging.getLogger(__name__)

URI_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
# Rows per UNWIND transaction. Measured on 2 cores with CREATE writes (300k records): 2k rows
# 11.2k records/s, 10k 11.7k, 25k 12.1k (the last two also deleting the previous build): flat.
DEFAULT_BATCH_ROWS = 10_000
DEFAULT_LEASE_SECONDS = 300.0
_DELETE_BATCH = 5_000
_HEARTBEAT_EVERY = 20  # batches between renewals of the build lock's lease
# Node properties the store sets itself; everything else on a node is a record property.
_STORE_KEYS = frozenset({"id", "build", "name", "synonyms", "sources", "provenance", "pmkg_lookup"})
_EDGE_STORE_KEYS = frozenset({"build", "sources", "provenance"})
_LABELS = {str(label): label for label in Label}

T = TypeVar("T")

_SCHEMA_STATEMENTS: tuple[str, ...] = (
    "CREATE CONSTRAINT pmkg_entity_id_build IF NOT EXISTS FOR (n:Entity) REQUIRE (n.id, n.build) IS UNIQUE",
    "CREATE INDEX pmkg_entity_build IF NOT EXISTS FOR (n:Entity) ON (n.build)",
    # find(): exact, lower-cased keys; the keyword analyzer indexes each list element whole.
    "CREATE FULLTEXT INDEX pmkg_entity_lookup IF NOT EXISTS FOR (n:Entity) ON EACH [n.pmkg_lookup] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
    "CREATE CONSTRAINT pmkg_state_key IF NOT EXISTS FOR (s:PmkgState) REQUIRE s.key IS UNIQUE",
    # For researchers' Cypher (MATCH (g:Gene {id: 'HGNC:1097'})): one range index per label.
    *(f"CREATE INDEX pmkg_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) ON (n.id)" for label in Label),
)

# Writes CREATE: the build's records were merged in memory first (kg.merge.MergedGraph, the
# one merge shared with the embedded store), so each node and relationship is written once.
# The hints pin the composite unique index: planned against an empty database's statistics,
# the planner otherwise scans the build index and filters (25M db hits for 5k edges).
_NODE_CREATE = "UNWIND $rows AS row CREATE (n:Entity:{label}) SET n = row"
_EDGE_CREATE = """
UNWIND $rows AS row
MATCH (a:Entity {{id: row.start, build: $build}})
USING INDEX a:Entity(id, build)
MATCH (b:Entity {{id: row.end, build: $build}})
USING INDEX b:Entity(id, build)
CREATE (a)-[r:{rel}]->(b)
SET r = row.props
RETURN count(r) AS written
"""
_DELETE_BATCH_QUERY = """
MATCH (n:Entity {build: $old})
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
"""
_HOLDS_LOCK = "MATCH (l:PmkgState {key: 'lock'}) WHERE l.build = $build RETURN l.build AS build"
_HEARTBEAT = """
MATCH (l:PmkgState {key: 'lock'})
WHERE l.build = $build
SET l.heartbeat = timestamp()
RETURN l.build AS build
"""


def _prov_json(p: ProvTuple) -> str:
    # The embedded store's encoding: [source, version, license, record_id, line].
    return orjson.dumps(p).decode()


def _sources(provenance: Iterable[ProvTuple]) -> list[str]:
    return list(dict.fromkeys(p[0] for p in provenance))


def node_row(
    node_id: str, name: str, synonyms: list[str], props: Mapping[str, Any], provenance: list[ProvTuple], build: str
) -> dict[str, Any]:
    """The properties of one node as Neo4j stores them."""
    row = dict(props)
    row.update(
        id=node_id,
        build=build,
        name=name,
        synonyms=synonyms,
        provenance=[_prov_json(p) for p in provenance],
        sources=_sources(provenance),
        pmkg_lookup=sorted(lookup_keys(node_id, name, synonyms)),
    )
    return row


def edge_row(start: str, end: str, props: Mapping[str, Any], provenance: list[ProvTuple], build: str) -> dict[str, Any]:
    """One relationship to write: its end ids and the properties Neo4j stores on it."""
    stored = dict(props)
    stored.update(build=build, provenance=[_prov_json(p) for p in provenance], sources=_sources(provenance))
    return {"start": start, "end": end, "props": stored}


def node_from(props: Mapping[str, Any], labels: Iterable[str]) -> Node:
    """Rebuild a :class:`~kg.records.Node` from a Neo4j node's properties and labels."""
    label = next(_LABELS[name] for name in labels if name in _LABELS)
    provenance = tuple(Provenance(*orjson.loads(p)) for p in props.get("provenance") or ())
    return Node(
        id=props["id"],
        label=label,
        name=props["name"],
        synonyms=tuple(props.get("synonyms") or ()),
        props={k: v for k, v in props.items() if k not in _STORE_KEYS},
        provenance=provenance,
    )


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Neo4jStore:
    """The graph in a Neo4j 5 database (a single server, a cluster or Aura).

    Arguments left out come from :func:`kg.settings.get_settings` (``PMKG_NEO4J_*``); an
    empty password connects without authentication.  The constructor connects once, so a
    wrong URI or password fails here with :class:`~kg.errors.StoreUnavailable` or
    :class:`~kg.errors.StoreAuthError` rather than on the first query.
    """

    capabilities = frozenset({Capability.CYPHER, Capability.PERSISTENT, Capability.SHARED})

    def __init__(
        self,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        *,
        connection_timeout: float = 5.0,
        batch_rows: int = DEFAULT_BATCH_ROWS,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
    ) -> None:
        if None in (uri, user, password, database):
            settings = get_settings()
            uri = settings.neo4j_uri if uri is None else uri
            user = settings.neo4j_user if user is None else user
            password = settings.neo4j_password if password is None else password
            database = settings.neo4j_database if database is None else database
        self.uri, self.user, self.database = str(uri), str(user), str(database)
        scheme = urlsplit(self.uri).scheme
        if scheme not in URI_SCHEMES:
            raise ConfigError(
                f"Neo4j URI {self.uri!r} (PMKG_NEO4J_URI) has scheme {scheme or 'none'!r}; expected one of "
                f"{', '.join(s + '://' for s in URI_SCHEMES)}, e.g. bolt://127.0.0.1:7687"
            )
        if batch_rows < 1:
            raise ConfigError(f"batch_rows must be at least 1, got {batch_rows}")
        self.batch_rows = batch_rows
        self.lease_seconds = lease_seconds
        self._schema_ready = False
        try:
            self._driver: Driver = GraphDatabase.driver(
                self.uri,
                auth=(self.user, password) if password else None,
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=2 * connection_timeout,
                max_transaction_retry_time=3 * connection_timeout,
                # Hints such as "label does not exist yet" are noise in a library's logs.
                notifications_min_severity="OFF",
            )
        except (ValueError, ConfigurationError) as exc:  # e.g. a port that is not a number
            raise ConfigError(f"Neo4j URI {self.uri!r} (PMKG_NEO4J_URI) is malformed: {exc}") from exc
        try:
            with self._translated("connecting"):
                self._driver.verify_connectivity()
                self._driver.execute_query("RETURN 1", database_=self.database, routing_=RoutingControl.READ)
        except ValueError as exc:  # the host or port does not resolve
            self._driver.close()
            raise ConfigError(f"Neo4j URI {self.uri!r} (PMKG_NEO4J_URI) is malformed: {exc}") from exc
        except BaseException:
            self._driver.close()
            raise

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **options: Any) -> Neo4jStore:
        """A store connected as ``PMKG_NEO4J_*`` say (``settings`` defaults to :func:`get_settings`)."""
        s = settings or get_settings()
        return cls(s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database, **options)

    # -- plumbing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _translated(self, doing: str) -> Iterator[None]:
        """Turn driver errors into pmkg errors that name the URI and what to do."""
        try:
            yield
        except AuthError as exc:
            raise StoreAuthError(
                f"Neo4j at {self.uri} refused the credentials of user {self.user!r} while {doing} "
                f"({exc.message}); set PMKG_NEO4J_USER and PMKG_NEO4J_PASSWORD (an empty password means no auth)"
            ) from exc
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(
                f"cannot reach Neo4j at {self.uri} while {doing} ({exc}); start Neo4j or point "
                f"PMKG_NEO4J_URI at a running server (scripts/neo4j-test-server.sh start runs a local one)"
            ) from exc
        except Neo4jError as exc:
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise ConfigError(
                    f"Neo4j at {self.uri} has no database {self.database!r}; set PMKG_NEO4J_DATABASE "
                    f"to an existing database (Community edition has only 'neo4j')"
                ) from exc
            raise StoreError(f"Neo4j at {self.uri} failed while {doing}: {exc.code}: {exc.message}") from exc
        except DriverError as exc:  # pool exhausted, acquisition timeout, misconfiguration
            raise StoreUnavailable(f"Neo4j at {self.uri} could not serve a connection while {doing}: {exc}") from exc

    def _read(self, query: str, **params: Any) -> list[Any]:
        with self._translated("reading"):
            records, _, _ = self._driver.execute_query(
                query, params, database_=self.database, routing_=RoutingControl.READ
            )
        return records

    def _write(self, doing: str, work: Callable[[ManagedTransaction], T]) -> T:
        with (
            self._translated(doing),
            self._driver.session(
                database=self.database, bookmark_manager=self._driver.execute_query_bookmark_manager
            ) as session,
        ):
            return session.execute_write(work)

    def _ensure_schema(self) -> None:
        """Constraints and indexes from kg.schema, created once per store instance (idempotent)."""
        if self._schema_ready:
            return
        with self._translated("creating constraints and indexes"):
            for statement in _SCHEMA_STATEMENTS:
                try:
                    self._driver.execute_query(statement, database_=self.database)
                except Neo4jError as exc:  # two stores creating the same index at once
                    if "AlreadyExists" not in (exc.code or ""):
                        raise
            self._driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)
        self._schema_ready = True

    # -- builds ---------------------------------------------------------------------------
    def begin_build(self, build_id: str) -> Neo4jBuildTarget:
        self._ensure_schema()
        return Neo4jBuildTarget(self, build_id)

    def current_build(self) -> BuildManifest | None:
        rows = self._read(query_text("current_build"))
        return BuildManifest.from_dict(json.loads(rows[0]["manifest"])) if rows else None

    def _drop_build(self, build_id: str, holder: str) -> bool:
        """Delete one non-current build in batches while ``holder`` keeps the lock; False if it lost it.

        Nodes are found by the ``Entity(build)`` index.
        """

        def delete_batch(tx: ManagedTransaction) -> int | None:
            if tx.run(_HEARTBEAT, build=holder).single() is None:
                return None
            record = tx.run(_DELETE_BATCH_QUERY, old=build_id, limit=_DELETE_BATCH).single(strict=True)
            return int(record["deleted"])

        while True:
            deleted = self._write(f"deleting old build {build_id}", delete_batch)
            if deleted is None:
                return False
            if deleted < _DELETE_BATCH:
                break

        def forget(tx: ManagedTransaction) -> None:
            tx.run("MATCH (m:PmkgState {key: $key}) DELETE m", key=f"build:{build_id}").consume()

        if build_id != holder:  # a build clearing its own leftovers keeps its marker
            self._write(f"deleting old build {build_id}", forget)
        return True

    # -- reads ----------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        rows = self._read(query_text("get_node"), id=node_id)
        return node_from(rows[0]["props"], rows[0]["labels"]) if rows else None

    def find(self, text: str, label: Label | None = None) -> list[Node]:
        key = text.strip().lower()
        # A Lucene phrase query; with the keyword analyzer the phrase is the whole element.
        phrase = 'pmkg_lookup:"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
        rows = self._read(query_text("find"), key=key, phrase=phrase, label=None if label is None else str(label))
        return sorted((node_from(r["props"], r["labels"]) for r in rows), key=lambda n: n.id)

    def neighbours(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[Node]:
        query = render(f"neighbours_{Direction(direction).value}", rel=rel)
        rows = self._read(query, id=node_id)
        return sorted((node_from(r["props"], r["labels"]) for r in rows), key=lambda n: n.id)

    def nodes_with_label(self, label: Label) -> list[Node]:
        rows = self._read(query_text("nodes_with_label"), label=str(Label(label)))
        return sorted((node_from(r["props"], r["labels"]) for r in rows), key=lambda n: n.id)

    def read_only_cypher(
        self, query: str, params: Mapping[str, Any], *, timeout: float, row_limit: int
    ) -> CypherAnswer:
        """A researcher's Cypher, refused unless the planner calls it read-only (:mod:`.readonly`)."""
        with self._translated("running a read-only Cypher query"):
            return run_read_only(self._driver, self.database, query, params, timeout=timeout, row_limit=row_limit)

    def edges(self, rel: RelType) -> Iterator[Edge]:
        for row in self._read(render("edges", rel=rel)):
            stored = row["props"]
            provenance = tuple(Provenance(*orjson.loads(p)) for p in stored.get("provenance") or ())
            props = {k: v for k, v in stored.items() if k not in _EDGE_STORE_KEYS}
            yield Edge(row["start"], RelType(rel), row["end"], props, provenance)

    def _closure(self, name: str, node_ids: Iterable[str], rels: Sequence[RelType]) -> set[str]:
        ids = list(dict.fromkeys(node_ids))
        if not ids or not rels:
            return set()
        return {r["id"] for r in self._read(render(name, rels=rels), ids=ids)}

    def ancestors(self, node_ids: Iterable[str], rels: Sequence[RelType] = HIERARCHY_TYPES) -> set[str]:
        return self._closure("ancestors", node_ids, rels)

    def descendants(self, node_ids: Iterable[str], rels: Sequence[RelType] = HIERARCHY_TYPES) -> set[str]:
        return self._closure("descendants", node_ids, rels)

    def evidence_for(self, node_ids: Iterable[str]) -> dict[str, list[Node]]:
        ids = list(dict.fromkeys(node_ids))
        if not ids:
            return {}
        grouped: dict[str, list[Node]] = {}
        for row in self._read(query_text("evidence_for"), ids=ids):
            grouped.setdefault(row["target"], []).append(node_from(row["props"], row["labels"]))
        # Keys in the order asked, like the embedded store; evidence sorted by id.
        return {i: sorted(grouped[i], key=lambda n: n.id) for i in ids if i in grouped}

    def counts_by_label(self) -> dict[str, int]:
        counts = dict.fromkeys((str(label) for label in Label), 0)
        for row in self._read(query_text("counts_by_label")):
            if row["label"] in counts:
                counts[row["label"]] = int(row["count"])
        return counts

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Neo4jBuildTarget:
    """Writes one build into Neo4j under its build id; see the module docstring for the protocol."""

    def __init__(self, store: Neo4jStore, build_id: str) -> None:
        self._store = store
        self._build_id = build_id
        self._graph = MergedGraph()
        self._released = False
        store._write(f"starting build {build_id}", self._take_lock)
        logger.info("build %s: writing into Neo4j at %s", build_id, store.uri)

    def _take_lock(self, tx: ManagedTransaction) -> None:
        # Write first, so that the read below happens under this transaction's lock on the node.
        tx.run("MERGE (l:PmkgState {key: 'lock'}) SET l.claims = coalesce(l.claims, 0) + 1").consume()
        holder = tx.run(
            "MATCH (l:PmkgState {key: 'lock'}) RETURN l.build AS build, timestamp() - coalesce(l.heartbeat, 0) AS idle"
        ).single(strict=True)
        busy = holder["build"] is not None and holder["idle"] < self._store.lease_seconds * 1000
        if busy and holder["build"] != self._build_id:
            raise BuildError(
                f"another build ({holder['build']}) is writing to Neo4j at {self._store.uri}; wait for it to "
                f"finish (the lock of a build whose process died expires {self._store.lease_seconds:.0f}s after "
                f"its last write)"
            )
        tx.run(
            "MATCH (l:PmkgState {key: 'lock'}) SET l.build = $build, l.heartbeat = timestamp() "
            "MERGE (m:PmkgState {key: 'build:' + $build}) ON CREATE SET m.kind = 'build', m.build = $build, "
            "m.started_at = timestamp()",
            build=self._build_id,
        ).consume()

    def _check_lock(self, tx: ManagedTransaction) -> None:
        if tx.run(_HEARTBEAT, build=self._build_id).single() is None:
            raise BuildError(
                f"build {self._build_id} lost its lock on Neo4j at {self._store.uri} (another build took it "
                f"after {self._store.lease_seconds:.0f}s without writes); run the build again"
            )

    def _write_rows(self, doing: str, query: str, rows: Sequence[dict[str, Any]]) -> None:
        def work(tx: ManagedTransaction) -> None:
            # A read-only check; the lease is renewed every _HEARTBEAT_EVERY batches.
            if tx.run(_HOLDS_LOCK, build=self._build_id).single() is None:
                raise BuildError(f"build {self._build_id} lost its lock on Neo4j at {self._store.uri}; run it again")
            result = tx.run(query, rows=list(rows), build=self._build_id)
            written = result.single()
            if written is not None and written["written"] != len(rows):
                raise BuildError(f"{doing}: {len(rows) - written['written']} relationship(s) lost an end node")

        self._store._write(doing, work)

    def write_nodes(self, label: Label, nodes: Sequence[Node]) -> None:
        self._graph.add_nodes(label, nodes)

    def write_edges(self, rel: RelType, edges: Sequence[Edge]) -> None:
        self._graph.add_edges(rel, edges)

    def _write_graph(self) -> None:
        """Write the merged build: nodes by label, then relationships by type, in batches.

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

        for node_id, label, name, synonyms, props, provenance in self._graph.merged_nodes():
            add("nodes", _NODE_CREATE.format(label=Label(label).value),
                node_row(node_id, name, synonyms, props, provenance, build))  # fmt: skip
        flush("nodes")
        for start, rel, end, props, provenance in self._graph.merged_edges():
            add("relationships", _EDGE_CREATE.format(rel=RelType(rel).value),
                edge_row(start, end, props, provenance, build))  # fmt: skip
        flush("relationships")
        self._store._write(f"renewing the lock of build {build}", self._check_lock)

    def commit(self, manifest: BuildManifest) -> None:
        if manifest.build_id != self._build_id:
            raise BuildError(f"manifest of build {manifest.build_id} cannot commit build {self._build_id}")
        payload = json.dumps(manifest.as_dict())
        current = self._store.current_build()
        if current is None or current.build_id != self._build_id:
            # Leftovers of an interrupted attempt at this same build go first: writes CREATE.
            if not self._store._drop_build(self._build_id, self._build_id):
                raise BuildError(f"build {self._build_id} lost its lock on Neo4j at {self._store.uri}; run it again")
            self._write_graph()
        # else: the same sources and code already built this graph; only the manifest changes.
        self._graph = MergedGraph()

        def flip(tx: ManagedTransaction) -> list[str]:
            self._check_lock(tx)
            tx.run(
                "MERGE (s:PmkgState {key: 'current'}) SET s.build = $build, s.manifest = $manifest, "
                "s.committed_at = timestamp()",
                build=self._build_id,
                manifest=payload,
            ).consume()
            stale = tx.run(
                "MATCH (m:PmkgState {kind: 'build'}) WHERE m.build <> $build RETURN m.build AS build",
                build=self._build_id,
            )
            return [r["build"] for r in stale]

        stale = self._store._write(f"committing build {self._build_id}", flip)
        logger.info("build %s: now current in Neo4j at %s", self._build_id, self._store.uri)
        for old in stale:
            if not self._store._drop_build(old, self._build_id):
                logger.warning("build %s: another build took the lock; left old build %s for it", self._build_id, old)
                break
        self._release()

    def abort(self) -> None:
        """Drop what was collected and release the lock; a partial write (if commit failed) stays
        invisible and is cleared when the same build runs again or any build commits."""
        self._graph = MergedGraph()
        try:
            self._release()
        except StoreError as exc:  # the store may be why the build failed; the lease frees the lock
            logger.warning("build %s: could not release the build lock: %s", self._build_id, exc)

    def _release(self) -> None:
        if self._released:
            return

        def release(tx: ManagedTransaction) -> None:
            tx.run(
                "MATCH (l:PmkgState {key: 'lock'}) WHERE l.build = $build REMOVE l.build, l.heartbeat",
                build=self._build_id,
            ).consume()

        self._store._write(f"releasing the lock of build {self._build_id}", release)
        self._released = True
