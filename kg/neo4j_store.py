"""The Neo4j adapter of the :class:`~kg.store.Store` port: the road to scale and to Cypher.

This is the only pmkg module that imports the ``neo4j`` driver.  It never runs text a
caller supplied: read queries are the ``.cypher`` files of :mod:`kg.neo4j_queries`, write
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
   may take it over at once, since its writes are the same idempotent merges;
2. writes batches with ``UNWIND $rows … MERGE`` in managed transactions (transient errors are
   retried); each batch first checks that this build still holds the lock;
3. on ``commit`` flips the pointer in one transaction, then deletes, batch by batch, the
   nodes of every other build that left a marker (older builds and stale partial ones),
   and releases the lock.

``abort`` only releases the lock: what the build wrote stays, invisible to readers, and
running the same build id again resumes it (every write is an idempotent ``MERGE``); a
later commit of any build deletes it.  Writing into the build id that is already current
is harmless too, since re-merging the same records changes nothing.

Merging repeats of one id works exactly as :class:`kg.embedded.graph.GraphBuilder`: the
first name wins, synonyms are united keeping order, properties are overwritten by later
records, provenance is united.  ``find`` uses alias nodes
``(:PmkgAlias {key, build})-[:ALIAS_OF]->(n)``, one per lower-cased id, name and synonym,
behind a uniqueness constraint on ``(key, build)``.

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
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from kg.errors import BuildError, ConfigError, StoreAuthError, StoreError, StoreUnavailable
from kg.neo4j_queries import query_text, render
from kg.records import Edge, Node, Provenance
from kg.schema import HIERARCHY_TYPES, Label, RelType
from kg.settings import Settings, get_settings
from kg.store import BuildManifest, Capability, Direction

logger = logging.getLogger(__name__)

URI_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
DEFAULT_BATCH_ROWS = 5_000
DEFAULT_LEASE_SECONDS = 300.0
_DELETE_BATCH = 5_000
# Node properties the store sets itself; everything else on a node is a record property.
_STORE_KEYS = frozenset({"id", "build", "name", "synonyms", "sources", "provenance"})
_LABELS = {str(label): label for label in Label}

T = TypeVar("T")

_SCHEMA_STATEMENTS: tuple[str, ...] = (
    "CREATE CONSTRAINT pmkg_entity_id_build IF NOT EXISTS FOR (n:Entity) REQUIRE (n.id, n.build) IS UNIQUE",
    "CREATE INDEX pmkg_entity_build IF NOT EXISTS FOR (n:Entity) ON (n.build)",
    "CREATE CONSTRAINT pmkg_alias_key_build IF NOT EXISTS FOR (a:PmkgAlias) REQUIRE (a.key, a.build) IS UNIQUE",
    "CREATE INDEX pmkg_alias_build IF NOT EXISTS FOR (a:PmkgAlias) ON (a.build)",
    "CREATE CONSTRAINT pmkg_state_key IF NOT EXISTS FOR (s:PmkgState) REQUIRE s.key IS UNIQUE",
    # For researchers' Cypher (MATCH (g:Gene {id: 'HGNC:1097'})): one range index per label.
    *(f"CREATE INDEX pmkg_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) ON (n.id)" for label in Label),
)

# Unions that keep order, so that repeats merge exactly as in the embedded store.
_UNION = "coalesce({x}, []) + [v IN {new} WHERE NOT v IN coalesce({x}, [])]"
_NODE_WRITE = """
UNWIND $rows AS row
MERGE (n:Entity {{id: row.id, build: $build}})
SET n:{label},
    n.name = coalesce(n.name, row.name),
    n += row.props,
    n.synonyms = {synonyms},
    n.provenance = {provenance},
    n.sources = {sources}
WITH n, row, CASE WHEN n.name = row.name THEN row.keys + [row.name_key] ELSE row.keys END AS keys
UNWIND keys AS key
MERGE (a:PmkgAlias {{key: key, build: $build}})
MERGE (a)-[:ALIAS_OF]->(n)
"""
_EDGE_WRITE = """
UNWIND $rows AS row
MATCH (a:Entity {{id: row.start, build: $build}})
MATCH (b:Entity {{id: row.end, build: $build}})
MERGE (a)-[r:{rel}]->(b)
ON CREATE SET r.build = $build
SET r += row.props,
    r.provenance = {provenance},
    r.sources = {sources}
"""
_HEARTBEAT = """
MATCH (l:PmkgState {key: 'lock'})
WHERE l.build = $build
SET l.heartbeat = timestamp()
RETURN l.build AS build
"""


def _union(x: str, new: str) -> str:
    return _UNION.format(x=x, new=new)


def _node_write(label: Label) -> str:
    return _NODE_WRITE.format(
        label=Label(label).value,
        synonyms=_union("n.synonyms", "row.synonyms"),
        provenance=_union("n.provenance", "row.provenance"),
        sources=_union("n.sources", "row.sources"),
    )


def _edge_write(rel: RelType) -> str:
    return _EDGE_WRITE.format(
        rel=RelType(rel).value,
        provenance=_union("r.provenance", "row.provenance"),
        sources=_union("r.sources", "row.sources"),
    )


def _prov_json(p: Provenance) -> str:
    # The embedded store's encoding: [source, version, license, record_id, line].
    return orjson.dumps([p.source, p.version, p.license, p.record_id, p.line]).decode()


def _merge_unique(existing: list[Any], new: Iterable[Any]) -> None:
    for item in new:
        if item not in existing:
            existing.append(item)


def _sources(provenance: Iterable[Provenance]) -> list[str]:
    return list(dict.fromkeys(p.source for p in provenance))


def node_rows(nodes: Sequence[Node]) -> list[dict[str, Any]]:
    """One UNWIND row per distinct id, repeats within the batch merged as the store merges them."""
    rows: dict[str, dict[str, Any]] = {}
    for node in nodes:
        provenance = [_prov_json(p) for p in node.provenance]
        row = rows.get(node.id)
        if row is None:
            rows[node.id] = {
                "id": node.id,
                "name": node.name,
                "name_key": node.name.lower(),
                "synonyms": list(dict.fromkeys(node.synonyms)),
                "props": dict(node.props),
                "provenance": list(dict.fromkeys(provenance)),
                "sources": _sources(node.provenance),
            }
            continue
        _merge_unique(row["synonyms"], node.synonyms)
        row["props"].update(node.props)
        _merge_unique(row["provenance"], provenance)
        _merge_unique(row["sources"], _sources(node.provenance))
    for row in rows.values():
        row["keys"] = list(dict.fromkeys([row["id"].lower(), *(s.lower() for s in row["synonyms"])]))
    return list(rows.values())


def edge_rows(edges: Sequence[Edge]) -> list[dict[str, Any]]:
    """One UNWIND row per distinct (start, end), repeats merged."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for edge in edges:
        provenance = [_prov_json(p) for p in edge.provenance]
        row = rows.get((edge.start, edge.end))
        if row is None:
            rows[(edge.start, edge.end)] = {
                "start": edge.start,
                "end": edge.end,
                "props": dict(edge.props),
                "provenance": list(dict.fromkeys(provenance)),
                "sources": _sources(edge.provenance),
            }
            continue
        row["props"].update(edge.props)
        _merge_unique(row["provenance"], provenance)
        _merge_unique(row["sources"], _sources(edge.provenance))
    return list(rows.values())


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
        secret = password
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
        with self._translated("connecting"):
            self._driver: Driver = GraphDatabase.driver(
                self.uri,
                auth=(self.user, secret) if secret else None,
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=2 * connection_timeout,
                max_transaction_retry_time=3 * connection_timeout,
            )
        try:
            with self._translated("connecting"):
                self._driver.verify_connectivity()
                self._driver.execute_query("RETURN 1", database_=self.database, routing_=RoutingControl.READ)
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
        """Delete one non-current build in batches while holding the lock; False if the lock was lost."""
        for label in ("Entity", "PmkgAlias"):
            delete = f"MATCH (n:{label} {{build: $old}}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"

            def work(tx: ManagedTransaction, delete: str = delete) -> int | None:
                if tx.run(_HEARTBEAT, build=holder).single() is None:
                    return None
                record = tx.run(delete, old=build_id, limit=_DELETE_BATCH).single()
                return 0 if record is None else int(record["deleted"])

            while True:
                deleted = self._write(f"deleting old build {build_id}", work)
                if deleted is None:
                    return False
                if deleted < _DELETE_BATCH:
                    break

        def forget(tx: ManagedTransaction) -> None:
            tx.run("MATCH (m:PmkgState {key: $key}) DELETE m", key=f"build:{build_id}").consume()

        self._write(f"deleting old build {build_id}", forget)
        return True

    # -- reads ----------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        rows = self._read(query_text("get_node"), id=node_id)
        return node_from(rows[0]["props"], rows[0]["labels"]) if rows else None

    def find(self, text: str, label: Label | None = None) -> list[Node]:
        rows = self._read(query_text("find"), key=text.strip().lower(), label=None if label is None else str(label))
        return sorted((node_from(r["props"], r["labels"]) for r in rows), key=lambda n: n.id)

    def neighbours(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[Node]:
        query = render(f"neighbours_{Direction(direction).value}", rel=rel)
        rows = self._read(query, id=node_id)
        return sorted((node_from(r["props"], r["labels"]) for r in rows), key=lambda n: n.id)

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
        self._node_queries: dict[Label, str] = {}
        self._edge_queries: dict[RelType, str] = {}
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

    def _write_rows(self, doing: str, query: str, rows: list[dict[str, Any]]) -> None:
        for chunk in _chunks(rows, self._store.batch_rows):

            def work(tx: ManagedTransaction, chunk: Sequence[dict[str, Any]] = chunk) -> None:
                self._check_lock(tx)
                tx.run(query, rows=list(chunk), build=self._build_id).consume()

            self._store._write(doing, work)

    def write_nodes(self, label: Label, nodes: Sequence[Node]) -> None:
        query = self._node_queries.get(label)
        if query is None:
            query = self._node_queries[label] = _node_write(label)
        self._write_rows(f"writing {label} nodes of build {self._build_id}", query, node_rows(nodes))

    def write_edges(self, rel: RelType, edges: Sequence[Edge]) -> None:
        query = self._edge_queries.get(rel)
        if query is None:
            query = self._edge_queries[rel] = _edge_write(rel)
        self._write_rows(f"writing {rel} relationships of build {self._build_id}", query, edge_rows(edges))

    def commit(self, manifest: BuildManifest) -> None:
        if manifest.build_id != self._build_id:
            raise BuildError(f"manifest of build {manifest.build_id} cannot commit build {self._build_id}")
        payload = json.dumps(manifest.as_dict())

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
        """Release the lock; the partial build stays (invisible) so a rerun of the same id resumes it."""
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
