"""``/sparql`` (the SPARQL 1.1 Protocol, read-only) and ``/cypher`` (read-only Cypher on Neo4j).

SPARQL: ``GET /sparql?query=…``, ``POST /sparql`` with a form field ``query`` or a body of type
``application/sparql-query``.  Results by ``Accept``: SPARQL JSON (default), XML, CSV, TSV for
SELECT and ASK; Turtle (default), N-Triples, JSON-LD for CONSTRUCT and DESCRIBE.  A malformed
query is 400 with the parser's message; an update (``update=`` or an UPDATE as the query) is 403;
a query past the time limit (``PMKG_SPARQL_TIMEOUT``, default 30 s) is 503 — the worker running
it is killed, never a 200 with partial results; rows past ``PMKG_SPARQL_ROW_LIMIT`` are cut and the
cut is stated in the ``Pmkg-Truncated`` header (and ``head.link`` in SPARQL JSON).

The routes parse, call :mod:`queries.gateways` and render; query text is never logged.
"""

from __future__ import annotations

import os
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kg.errors import QueryRefused
from kg.stores.port import Capability, Store
from queries.api.auth import READ
from queries.api.deps import StoreDep
from queries.api.errors import PROBLEM_RESPONSES, ApiProblem
from queries.gateways.sparql import UPDATE_REFUSED, SparqlAnswer, SparqlPool
from queries.gateways.sparql_formats import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES, render_graph, render_results

_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    415: {**PROBLEM_RESPONSES[400], "description": "Unsupported Media Type"},
}
router = APIRouter(tags=["research"], responses=_RESPONSES, dependencies=[READ])

SPARQL_QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"


def _setting(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


class SparqlPools:
    """One pool of SPARQL workers per server process, over the view of the build that answers now."""

    def __init__(self) -> None:
        self._pool: SparqlPool | None = None
        self._lock = threading.Lock()

    def for_store(self, store: Store) -> SparqlPool:
        from kg.settings import get_settings
        from kg.stores.rdf import ensure_view

        folder = ensure_view(store, get_settings().rdf_dir)
        with self._lock:
            if self._pool is None or self._pool.folder != folder:
                if self._pool is not None:
                    self._pool.close()
                self._pool = SparqlPool(
                    folder,
                    size=int(_setting("PMKG_SPARQL_WORKERS", 2)),
                    in_memory=get_settings().sparql_in_memory,
                )
            return self._pool

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


_POOLS_LOCK = threading.Lock()


def _pools(request: Request) -> SparqlPools:
    with _POOLS_LOCK:
        pools: SparqlPools | None = getattr(request.app.state, "sparql_pools", None)
        if pools is None:
            pools = request.app.state.sparql_pools = SparqlPools()
        return pools


def _pick(accept: str, offered: dict[str, str], default: str) -> str:
    """The format whose media type the ``Accept`` header names first (``*/*`` or nothing: ``default``)."""
    by_type = {media: fmt for fmt, media in offered.items()}
    by_type.update({"application/json": "json"} if "json" in offered else {})
    by_type.update({"application/xml": "xml"} if "xml" in offered else {})
    by_type.update({"text/plain": "nt"} if "nt" in offered else {})
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in by_type:
            return by_type[media]
    return default


def _answer(request: Request, store: Store, query: str) -> Response:
    accept = request.headers.get("accept", "")
    results_fmt = _pick(accept, RESULT_MEDIA_TYPES, "json")
    pool = _pools(request).for_store(store)
    answer: SparqlAnswer = pool.query(
        query,
        timeout=_setting("PMKG_SPARQL_TIMEOUT", 30.0),
        row_limit=int(_setting("PMKG_SPARQL_ROW_LIMIT", 10_000)),
        results_format=results_fmt,  # a SELECT answer comes written by Oxigraph in this format
    )
    headers = {"Pmkg-Truncated": str(answer.row_limit)} if answer.truncated else {}
    if answer.kind == "graph":
        fmt = _pick(accept, GRAPH_MEDIA_TYPES, "ttl")
        return Response(render_graph(answer, fmt), media_type=GRAPH_MEDIA_TYPES[fmt], headers=headers)
    if answer.document_format == results_fmt:
        return Response(answer.document, media_type=RESULT_MEDIA_TYPES[results_fmt], headers=headers)
    return Response(render_results(answer, results_fmt), media_type=RESULT_MEDIA_TYPES[results_fmt], headers=headers)


@router.get("/sparql", summary="SPARQL 1.1 query (read-only) over the RDF view of the current build")
def sparql_get(request: Request, store: StoreDep, query: str | None = None, update: str | None = None) -> Response:
    """`?query=…` as the SPARQL 1.1 Protocol says; results by `Accept`."""
    if update is not None:
        raise QueryRefused(UPDATE_REFUSED)
    if query is None:
        raise ApiProblem(400, "give the SPARQL query as ?query=…", slug="missing-query")
    return _answer(request, store, query)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query by POST (form `query=` or an application/sparql-query body)",
    openapi_extra={
        "requestBody": {
            "content": {
                SPARQL_QUERY: {"schema": {"type": "string"}},
                FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
            }
        }
    },
)
async def sparql_post(request: Request, store: StoreDep) -> Response:
    """The query as a form field `query` or as the whole body (`Content-Type: application/sparql-query`)."""
    from starlette.concurrency import run_in_threadpool

    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == SPARQL_QUERY:
        query = (await request.body()).decode("utf-8", errors="replace")
    elif content_type in (FORM, "multipart/form-data"):
        form = await request.form()
        if "update" in form:
            raise QueryRefused(UPDATE_REFUSED)
        if len(form.getlist("query")) > 1:
            raise RequestValidationError(
                [{"type": "repeated", "loc": ("body", "query"), "msg": "given more than once; send one query"}]
            )
        value = form.get("query")
        if not isinstance(value, str):
            raise ApiProblem(400, "give the SPARQL query as the form field `query`", slug="missing-query")
        query = value
    elif content_type == "application/sparql-update":
        raise QueryRefused(UPDATE_REFUSED)
    else:
        raise ApiProblem(
            415 if content_type else 400,
            f"send the query as {SPARQL_QUERY} or as the form field `query` ({FORM}); got {content_type or 'no type'}",
            slug="unsupported-media-type",
        )
    return await run_in_threadpool(_answer, request, store, query)


class CypherQuery(BaseModel):
    query: str = Field(min_length=1, max_length=100_000, description="A read-only Cypher query; `$build` is bound")
    parameters: dict[str, Any] = Field(default_factory=dict, description="Values of its `$parameters`")


class CypherAnswerModel(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]] = Field(description="One object per row, keyed by column")
    truncated: bool = Field(description="True when rows past the row limit were cut")


@router.post("/cypher", summary="Read-only Cypher on Neo4j ($build bound to the current build)")
def cypher(store: StoreDep, body: Annotated[CypherQuery, Body()]) -> CypherAnswerModel:
    """Refused (403) unless the planner calls it read-only; on the embedded store: 400 with how to get Cypher."""
    from queries.gateways.cypher import run_cypher

    if Capability.CYPHER not in store.capabilities:
        raise ApiProblem(
            400,
            "this server's store does not answer Cypher (embedded); copy its build into Neo4j with `pmkg push` "
            "(or build there with `pmkg build --neo4j`) and run the server with PMKG_STORE=neo4j, "
            "or ask the same graph in SPARQL at /sparql",
            slug="cypher-unavailable",
        )
    answer = run_cypher(
        store,
        body.query,
        body.parameters,
        timeout=_setting("PMKG_CYPHER_TIMEOUT", 30.0),
        row_limit=int(_setting("PMKG_CYPHER_ROW_LIMIT", 10_000)),
    )
    rows = [dict(zip(answer.columns, row, strict=True)) for row in answer.rows]
    return CypherAnswerModel(columns=answer.columns, rows=rows, truncated=answer.truncated)
