"""A researcher's own Cypher on Neo4j, read-only for real.

The READ access mode of a session is only a routing hint: a single server still executes a
write sent in a read session.  So every query is first planned with ``EXPLAIN`` and run only
when the planner calls it read-only (query type ``r``); writes, schema changes, ``LOAD CSV``
(which reads the server's files or fetches URLs; refused from the plan, so comments between its words
do not hide it) and administration commands are refused with a clear message
before anything runs, and so is a query that would read the kept, non-current builds (a pattern
that starts from no live label and never names ``$build``: :mod:`kg.stores.neo4j.scope`).  The
query then runs in a read transaction with a server-side timeout, and rows beyond the row limit
are cut (the cut is stated).  A query that passed and names ``$build`` is not planned again: whether
a text reads or writes is fixed by the text, and ``$build`` keeps it on the current build whatever its
plan (:data:`_PASSED`, a round trip less per query; answers are never kept).

Values are returned as plain data: a node as ``{"id", "labels", "properties"}``, a relationship
as ``{"type", "start", "end", "properties"}``, a path as the list of its nodes and relationships.
The store's bookkeeping (``pmkg_lookup``, ``pmkg_label``, ``provenance`` JSON, the internal label
``PmkgNode`` every kept build's nodes carry) is kept out of the answer; ``build`` stays (it is
what the ``$build`` parameter matches).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, Query, RoutingControl
from neo4j.exceptions import ClientError, Neo4jError
from neo4j.graph import Node, Path, Relationship

from kg.errors import MalformedQuery, QueryRefused, QueryTimeout
from kg.stores.neo4j.scope import loads_files, names_build, out_of_scope

_HIDDEN = frozenset({"pmkg_lookup", "pmkg_label", "provenance"})
_INTERNAL_LABELS = frozenset({"PmkgNode"})
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)  # the quick refusal; the plan is the one that holds
LOAD_CSV_REFUSED = "LOAD CSV is not allowed here: it reads files on the database server or fetches URLs from it"
_KINDS = {"rw": "reads and writes", "w": "writes", "s": "changes the schema or administers the server"}
# (database, query text) of read-only queries that name $build and passed the check; cleared when full.
_PASSED: set[tuple[str, str]] = set()
_PASSED_MAX = 512


@dataclass
class CypherAnswer:
    """Columns and rows of a read-only query; ``truncated`` when rows beyond ``row_limit`` were cut."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False
    row_limit: int = 0


def plain(value: Any) -> Any:
    """A driver value as JSON-ready data (nodes, relationships and paths as dicts and lists)."""
    if isinstance(value, Node):
        props = {k: v for k, v in value.items() if k not in _HIDDEN}
        return {"id": props.get("id"), "labels": sorted(value.labels - _INTERNAL_LABELS), "properties": props}
    if isinstance(value, Relationship):
        props = {k: v for k, v in value.items() if k not in _HIDDEN}
        start = value.start_node.get("id") if value.start_node is not None else None
        end = value.end_node.get("id") if value.end_node is not None else None
        return {"type": value.type, "start": start, "end": end, "properties": props}
    if isinstance(value, Path):
        return [plain(n) for n in value.nodes] + [plain(r) for r in value.relationships]
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value


def _error(exc: Neo4jError) -> Exception:
    code = exc.code or ""
    if "Statement.SyntaxError" in code or "Statement.ArgumentError" in code or "Statement.TypeError" in code:
        return MalformedQuery(f"Cypher error: {exc.message}")
    if "ParameterMissing" in code:
        return MalformedQuery(f"Cypher error: {exc.message} (pass it with --param NAME=VALUE)")
    if "TransactionTimedOut" in code or "Transaction.TransactionTimedOutClientConfiguration" in code:
        return QueryTimeout(
            "the Cypher query ran longer than its time limit and was stopped; narrow it or raise the limit"
        )
    if "Security.Forbidden" in code or "AccessMode" in code or "ForbiddenDueToTransactionType" in code:
        return QueryRefused(f"Cypher query refused by Neo4j: {exc.message}")
    return exc


def check_read_only(driver: Driver, database: str, query: str, params: Mapping[str, Any]) -> None:
    """Raise QueryRefused unless the planner says ``query`` only reads, and only the current build;
    MalformedQuery if it does not parse."""
    if _LOAD_CSV.search(query):
        raise QueryRefused(LOAD_CSV_REFUSED)
    if (database, query) in _PASSED:
        return
    try:
        _, summary, _ = driver.execute_query(
            "EXPLAIN " + query, dict(params), database_=database, routing_=RoutingControl.READ
        )
    except (ClientError, Neo4jError) as exc:
        raise _error(exc) from exc
    kind = summary.query_type
    if kind != "r":
        what = _KINDS.get(kind or "", f"is of type {kind!r}")
        raise QueryRefused(
            f"this Cypher query {what}; only read-only queries are allowed here "
            "(the graph changes only through builds and curation)"
        )
    if loads_files(summary.plan or {}):  # LOAD/* c */CSV, LOAD // c + newline + CSV: what the text check cannot see
        raise QueryRefused(LOAD_CSV_REFUSED)
    leaks = out_of_scope(summary.plan or {}, query)
    if not leaks and names_build(query):
        if len(_PASSED) >= _PASSED_MAX:
            _PASSED.clear()
        _PASSED.add((database, query))
    if leaks:
        raise QueryRefused(
            f"this Cypher query would also read the kept, non-current builds (its plan starts with {leaks[0]}, "
            "which no label limits to the build that answers); start each pattern from a labelled node "
            "(MATCH (n:Entity) …, (g:Gene) …, (:Evidence)-[r:ABOUT]->() …) or filter on the build: {build: $build}"
        )


def run_read_only(
    driver: Driver, database: str, query: str, params: Mapping[str, Any], *, timeout: float, row_limit: int
) -> CypherAnswer:
    """Run ``query`` after :func:`check_read_only`, in a read transaction stopped after ``timeout`` seconds."""
    check_read_only(driver, database, query, params)
    with driver.session(database=database, default_access_mode="READ") as session:
        try:
            result = session.run(Query(query, timeout=timeout), dict(params))
            answer = CypherAnswer(list(result.keys()), row_limit=row_limit)
            for record in result:
                if len(answer.rows) >= row_limit:
                    answer.truncated = True
                    break
                answer.rows.append([plain(v) for v in record.values()])
            result.consume()
        except (ClientError, Neo4jError) as exc:
            raise _error(exc) from exc
    return answer
