"""The Neo4j adapter of the :class:`~kg.stores.port.Store` port: the road to scale and to Cypher.

This is the only pmkg module that imports the ``neo4j`` driver.  It never runs text a
caller supplied: every query is a ``.cypher`` file of :mod:`kg.stores.neo4j.queries`,
relationship types come only from :mod:`kg.schema`'s enums, and every value is a ``$parameter``.

How builds live side by side
----------------------------
Every node of every kept build carries the internal label ``PmkgNode`` and the properties
``build`` (its build id) and ``pmkg_label`` (its schema label); every relationship carries
``build``.  Only the nodes of the **current** build also carry ``Entity`` and their schema label,
so a researcher's ``MATCH (g:Gene {symbol: 'BRAF'})`` sees one graph, the current one, without a
build filter.  ``(:PmkgState {key: 'current'})`` names the current build and holds its manifest;
pmkg's own reads name their build in the query (``$build``, or the pointer when it is null), so a
store opened on a kept build (``Neo4jStore(build=ID)``) answers as of that build.
``(:PmkgState {key: 'build:<id>'})`` markers record each build's status (``writing``, ``complete``,
``deleting``) and manifest.  Writing, promoting and reclaiming are in :mod:`kg.stores.neo4j.builds`.

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

from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from kg.errors import ConfigError, StoreAuthError, StoreError, StoreUnavailable, UnknownBuild
from kg.records import Edge, Node
from kg.schema import HIERARCHY_TYPES, Label, RelType
from kg.settings import Settings, get_settings
from kg.stores.neo4j import builds
from kg.stores.neo4j.queries import query_text, render
from kg.stores.neo4j.readonly import CypherAnswer, run_read_only
from kg.stores.neo4j.rows import edge_from, node_from
from kg.stores.port import BuildInfo, BuildManifest, Capability, Direction, newest_first, unknown_build_message

logger = logging.getLogger(__name__)

URI_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
# Rows per UNWIND transaction. Measured on 2 cores with CREATE writes (300k records): 2k rows
# 11.2k records/s, 10k 11.7k, 25k 12.1k (the last two also deleting the previous build): flat.
DEFAULT_BATCH_ROWS = 10_000
DEFAULT_LEASE_SECONDS = 300.0

T = TypeVar("T")

_SCHEMA_STATEMENTS: tuple[str, ...] = (
    # A database written before builds were kept indexed Entity, which now marks the current build only.
    "DROP CONSTRAINT pmkg_entity_id_build IF EXISTS",
    "DROP INDEX pmkg_entity_build IF EXISTS",
    "DROP INDEX pmkg_entity_lookup IF EXISTS",
    "CREATE CONSTRAINT pmkg_node_id_build IF NOT EXISTS FOR (n:PmkgNode) REQUIRE (n.id, n.build) IS UNIQUE",
    "CREATE INDEX pmkg_node_build IF NOT EXISTS FOR (n:PmkgNode) ON (n.build)",
    # find(): exact, lower-cased keys; the keyword analyzer indexes each list element whole.
    "CREATE FULLTEXT INDEX pmkg_node_lookup IF NOT EXISTS FOR (n:PmkgNode) ON EACH [n.pmkg_lookup] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
    "CREATE CONSTRAINT pmkg_state_key IF NOT EXISTS FOR (s:PmkgState) REQUIRE s.key IS UNIQUE",
    # For researchers' Cypher (MATCH (g:Gene {id: 'HGNC:1097'})): one range index per label.
    *(f"CREATE INDEX pmkg_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) ON (n.id)" for label in Label),
)


def _phrase(key: str) -> str:
    """``key`` as a Lucene phrase query on ``pmkg_lookup``; with the keyword analyzer the phrase is the whole
    element."""
    return 'pmkg_lookup:"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Neo4jStore:
    """The graph in a Neo4j 5 database (a single server, a cluster or Aura).

    Arguments left out come from :func:`kg.settings.get_settings` (``PMKG_NEO4J_*``); an
    empty password connects without authentication.  The constructor connects once, so a
    wrong URI or password fails here with :class:`~kg.errors.StoreUnavailable` or
    :class:`~kg.errors.StoreAuthError` rather than on the first query.  With ``build``, every
    read answers from that kept build (:class:`~kg.errors.UnknownBuild` if it is not kept).
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
        build: str | None = None,
        keep_builds: int | None = None,
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
        self.pinned = build
        self._keep = keep_builds
        self._pinned_manifest: BuildManifest | None = None
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
            if build is not None:
                self._pinned_manifest = self._kept_manifest(build)
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

    @property
    def keep_builds(self) -> int:
        return self._keep if self._keep is not None else get_settings().keep_builds

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

    def _read_build(self, query: str, **params: Any) -> list[Any]:
        """A read query over this store's build: the pinned one, else the current one (resolved in the query)."""
        return self._read(query, build=self.pinned, **params)

    def _write(self, doing: str, work: Callable[[ManagedTransaction], T]) -> T:
        with (
            self._translated(doing),
            self._driver.session(
                database=self.database, bookmark_manager=self._driver.execute_query_bookmark_manager
            ) as session,
        ):
            return session.execute_write(work)

    @contextlib.contextmanager
    def holding_lock(self, key: str) -> Iterator[None]:
        """Hold the lock ``key`` (one holder at a time, across processes) for the block: a transaction left
        open on ``(:PmkgState {key})``; a killed holder's connection drops and the server frees the lock."""
        with self._translated(f"taking the {key} lock"):
            session = self._driver.session(database=self.database)
            try:
                tx = session.begin_transaction()
                tx.run(query_text("hold_lock"), key=key).consume()
            except BaseException:
                session.close()
                raise
        try:
            yield
        finally:
            with self._translated(f"releasing the {key} lock"):
                try:
                    tx.commit()
                finally:
                    session.close()

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
        builds.upgrade_old_layout(self)

    def _refuse_writes_when_pinned(self) -> None:
        if self.pinned is not None:
            raise StoreError(f"this store reads build {self.pinned} only; open it without a build to change builds")

    # -- builds ---------------------------------------------------------------------------
    def begin_build(self, build_id: str) -> builds.Neo4jBuildTarget:
        self._refuse_writes_when_pinned()
        self._ensure_schema()
        return builds.Neo4jBuildTarget(self, build_id)

    def current_build(self) -> BuildManifest | None:
        if self._pinned_manifest is not None:
            return self._pinned_manifest
        rows = self._read(query_text("current_build"))
        if not rows:
            return None
        if rows[0]["layout"] is None:
            raise StoreError(
                f"the graph in Neo4j at {self.uri} was written by an older pmkg, before builds were kept; "
                "build again with `pmkg build --neo4j` (the older graph is then kept for `pmkg rollback`)"
            )
        return BuildManifest.from_dict(json.loads(rows[0]["manifest"]))

    def _kept_manifest(self, build_id: str) -> BuildManifest:
        rows = self._read(query_text("build_marker"), build=build_id)
        if not rows or rows[0]["status"] != "complete" or rows[0]["manifest"] is None:
            raise UnknownBuild(unknown_build_message(build_id, self.list_builds(), f"Neo4j at {self.uri}"))
        return BuildManifest.from_dict(json.loads(rows[0]["manifest"]))

    def list_builds(self) -> list[BuildInfo]:
        return newest_first(
            BuildInfo(BuildManifest.from_dict(json.loads(r["manifest"])), bool(r["current"]), r["completed_ms"] * 10**6)
            for r in self._read(query_text("list_builds"))
        )

    def promote(self, build_id: str) -> BuildManifest:
        self._refuse_writes_when_pinned()
        self._ensure_schema()
        return builds.promote(self, build_id)

    def discard(self, build_id: str) -> None:
        builds.discard(self, build_id)

    def rollback(self, build_id: str | None = None) -> BuildManifest:
        self._refuse_writes_when_pinned()
        self._ensure_schema()
        return builds.rollback(self, build_id)

    # -- reads ----------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        rows = self._read_build(query_text("get_node"), id=node_id)
        return node_from(rows[0]["props"]) if rows else None

    def find(self, text: str, label: Label | None = None) -> list[Node]:
        key = text.strip().lower()
        rows = self._read_build(query_text("find"), key=key, phrase=_phrase(key),
                                label=None if label is None else str(label))  # fmt: skip
        return sorted((node_from(r["props"]) for r in rows), key=lambda n: n.id)

    def find_many(self, texts: Iterable[str], label: Label | None = None) -> dict[str, list[Node]]:
        by_key: dict[str, list[str]] = {}
        for text in dict.fromkeys(texts):
            key = text.strip().lower()
            if key:
                by_key.setdefault(key, []).append(text)
        if not by_key:
            return {}
        items = [{"key": key, "phrase": _phrase(key)} for key in by_key]
        rows = self._read_build(query_text("find_many"), items=items, label=None if label is None else str(label))
        found: dict[str, list[Node]] = {}
        for row in rows:
            nodes = sorted((node_from(props) for props in row["found"]), key=lambda n: n.id)
            for text in by_key[row["key"]]:
                found[text] = nodes
        return found

    def neighbours(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[Node]:
        query = render(f"neighbours_{Direction(direction).value}", rel=rel)
        rows = self._read_build(query, id=node_id)
        return sorted((node_from(r["props"]) for r in rows), key=lambda n: n.id)

    def neighbour_ids(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[str]:
        query = render(f"neighbour_ids_{Direction(direction).value}", rel=rel)
        return sorted(str(r["id"]) for r in self._read_build(query, id=node_id))

    def nodes_with_label(self, label: Label) -> list[Node]:
        rows = self._read_build(query_text("nodes_with_label"), label=str(Label(label)))
        return sorted((node_from(r["props"]) for r in rows), key=lambda n: n.id)

    def read_only_cypher(
        self, query: str, params: Mapping[str, Any], *, timeout: float, row_limit: int
    ) -> CypherAnswer:
        """A researcher's Cypher, refused unless the planner calls it read-only (:mod:`.readonly`)."""
        with self._translated("running a read-only Cypher query"):
            return run_read_only(self._driver, self.database, query, params, timeout=timeout, row_limit=row_limit)

    def edges(self, rel: RelType) -> Iterator[Edge]:
        for row in self._read_build(render("edges", rel=rel)):
            yield edge_from(row["start"], rel, row["end"], row["props"])

    def _closure(self, name: str, node_ids: Iterable[str], rels: Sequence[RelType]) -> set[str]:
        ids = list(dict.fromkeys(node_ids))
        if not ids or not rels:
            return set()
        return {r["id"] for r in self._read_build(render(name, rels=rels), ids=ids)}

    def ancestors(self, node_ids: Iterable[str], rels: Sequence[RelType] = HIERARCHY_TYPES) -> set[str]:
        return self._closure("ancestors", node_ids, rels)

    def descendants(self, node_ids: Iterable[str], rels: Sequence[RelType] = HIERARCHY_TYPES) -> set[str]:
        return self._closure("descendants", node_ids, rels)

    def evidence_for(self, node_ids: Iterable[str]) -> dict[str, list[Node]]:
        ids = list(dict.fromkeys(node_ids))
        if not ids:
            return {}
        grouped: dict[str, list[Node]] = {}
        for row in self._read_build(query_text("evidence_for"), ids=ids):
            grouped.setdefault(row["target"], []).append(node_from(row["props"]))
        # Keys in the order asked, like the embedded store; evidence sorted by id.
        return {i: sorted(grouped[i], key=lambda n: n.id) for i in ids if i in grouped}

    def counts_by_label(self) -> dict[str, int]:
        counts = dict.fromkeys((str(label) for label in Label), 0)
        for row in self._read_build(query_text("counts_by_label")):
            if row["label"] in counts:
                counts[row["label"]] = int(row["count"])
        return counts

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
