"""Read-only SPARQL over the RDF view of the current build, with a time limit that holds.

Oxigraph has no query timeout of its own, and an aggregate or ``ORDER BY`` computes its whole
answer inside one native call, so a query cannot be stopped from the thread that runs it.
Queries therefore run in worker processes (:class:`SparqlPool`); a query that overruns its time
limit has its worker killed (nothing is half-written: the view is opened read-only) and the
caller gets :class:`~kg.errors.QueryTimeout`, never a partial answer.  Rows beyond the row limit are cut
and the cut is stated (``truncated``).

When the caller asks for a W3C results format (JSON, XML, CSV, TSV: what ``/sparql`` and
``pmkg sparql --format`` hand to a researcher), Oxigraph writes that document itself, in Rust
(:attr:`SparqlAnswer.document`): turning each row into Python terms first took half the time of a
500-row answer.  It is written once, in the asked format, and cut at the row limit as it is written
(:mod:`queries.gateways.sparql_documents`).

SPARQL UPDATE is refused (:class:`~kg.errors.QueryRefused`): the graph changes only through builds and
curation.  So is ``SERVICE`` (a federated query): Oxigraph would fetch any URL it names, from the
server's network, on behalf of whoever sent the query; answers come from this graph only.  A
malformed query raises :class:`~kg.errors.MalformedQuery` with the parser's message.  The prefixes
of :data:`kg.rdf.vocabulary.PREFIXES` (``pmkg:``, ``biolink:``, ``rdfs:`` …) are declared for every query.

This module never imports click or fastapi; the CLI and the HTTP endpoint render
:class:`SparqlAnswer` with :mod:`queries.gateways.sparql_formats`.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from kg.errors import KGError, MalformedQuery, QueryRefused, QueryTimeout, StoreError
from kg.stores.port import Store as GraphStore

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_ROW_LIMIT = 10_000
STARTUP_S = 120  # a worker opens the view (its copy into memory, if asked, is made after: _Answering)
RESULT_FORMATS = ("json", "xml", "csv", "tsv")  # the W3C results formats Oxigraph writes itself

# A term as the worker sends it: ("uri", iri) | ("bnode", id) | ("literal", text, datatype, language).
Term = tuple[str, ...]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"#[^\n<>\"']*$", re.MULTILINE)
# What hides a keyword from :func:`calls_service`: strings (long ones first), IRIs and comments, in one
# left-to-right scan so that a ``#`` inside an IRI or a string is not taken for a comment.
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*',
)
# SPARQL reads \\uXXXX and \\UXXXXXXXX anywhere in a query as the character they name, before parsing.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# SERVICE the keyword, not a variable (?SERVICE), a prefixed name's part (ex:SERVICE) or a prefix (SERVICE:x).
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:-])", re.IGNORECASE)
UPDATE_REFUSED = "SPARQL UPDATE is not allowed here: the graph changes only through builds and curation"
SERVICE_REFUSED = (
    "SERVICE (a federated query to another endpoint) is not allowed here: queries are answered from this "
    "graph only and never call other servers; run the federated part against that endpoint yourself"
)


@dataclass
class SparqlAnswer:
    """A query's answer: ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: str = ""  # graph answers, as N-Triples
    triples: int = 0
    truncated: bool = False
    row_limit: int = DEFAULT_ROW_LIMIT
    # A SELECT answer already written by Oxigraph in ``document_format`` (one of RESULT_FORMATS),
    # when that was asked; ``rows`` is then empty and ``row_count`` says how many rows it holds.
    document: bytes = b""
    document_format: str = ""
    row_count: int = 0
    # Where a pool's worker answered from: "disk" (the view) or "memory" (its copy, see SparqlPool).
    answered_from: str = ""


def is_update(query: str) -> bool:
    """True when ``query`` is a SPARQL UPDATE (INSERT, DELETE, LOAD, CLEAR, DROP …).

    >>> is_update("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }"), is_update("SELECT * { ?s ?p ?o }")
    (True, False)
    """
    return bool(_UPDATE.match(_COMMENT.sub("", query)))


def calls_service(query: str) -> bool:
    """True when ``query`` holds a ``SERVICE`` clause (outside its strings, IRIs and comments).

    >>> calls_service("SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }")
    True
    >>> calls_service("SELECT * { ?s ?p 'SERVICE' }")
    False
    """
    unescaped = _CODEPOINT.sub(lambda m: _character(m.group(1) or m.group(2)), query)
    # Both readings: a parser that reads the escapes only inside strings, and one that reads them everywhere.
    return any(_SERVICE.search(_NOT_CODE.sub(" ", text)) for text in {query, unescaped})


def _character(code: str) -> str:
    value = int(code, 16)
    return chr(value) if value <= 0x10FFFF else "\ufffd"


def refuse_unsafe(query: str) -> None:
    """Raise QueryRefused for what ``/sparql`` and ``pmkg sparql`` never run: UPDATE and SERVICE."""
    if is_update(query):
        raise QueryRefused(UPDATE_REFUSED)
    if calls_service(query):
        raise QueryRefused(SERVICE_REFUSED)


def _term(value: Any) -> Term:
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(value, NamedNode):
        return ("uri", value.value)
    if isinstance(value, BlankNode):
        return ("bnode", value.value)
    if isinstance(value, Literal):
        datatype = value.datatype.value
        if value.language:
            return ("literal", value.value, "", value.language)
        return ("literal", value.value, "" if datatype == _XSD_STRING else datatype, "")
    return ("literal", str(value), "", "")


def _document(solutions: Any, fmt: str, row_limit: int) -> SparqlAnswer:
    """A SELECT answer written by Oxigraph in ``fmt`` (JSON, XML, CSV, TSV), cut at ``row_limit`` rows."""
    from queries.gateways.sparql_documents import write_document

    written = write_document(solutions, fmt, row_limit)
    return SparqlAnswer(
        "select",
        [v.value for v in solutions.variables],
        truncated=written.truncated,
        row_limit=row_limit,
        document=written.document,
        document_format=fmt,
        row_count=written.rows,
    )


def execute(store: Any, query: str, row_limit: int, results_format: str | None = None) -> SparqlAnswer:
    """Run ``query`` on an open Oxigraph ``store`` (in the worker); cut at ``row_limit`` rows or triples.

    With ``results_format`` (one of :data:`RESULT_FORMATS`), a SELECT answer comes written in that
    format (:attr:`SparqlAnswer.document`) rather than as rows of terms.
    """
    from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, serialize

    from kg.rdf.vocabulary import PREFIXES

    try:
        result = store.query(query, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise MalformedQuery(f"SPARQL syntax error: {exc}") from exc
    if isinstance(result, QueryBoolean):
        return SparqlAnswer("ask", boolean=bool(result), row_limit=row_limit)
    if isinstance(result, QuerySolutions) and results_format in RESULT_FORMATS:
        return _document(result, results_format, row_limit)
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        rows: list[list[Term | None]] = []
        truncated = False
        for solution in result:
            if len(rows) >= row_limit:
                truncated = True
                break
            rows.append([None if solution[v] is None else _term(solution[v]) for v in variables])
        return SparqlAnswer("select", variables, rows, truncated=truncated, row_limit=row_limit, row_count=len(rows))
    triples: list[Any] = []
    truncated = False
    for triple in result:
        if len(triples) >= row_limit:
            truncated = True
            break
        triples.append(triple)
    text = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode() if triples else ""
    return SparqlAnswer("graph", ntriples=text, triples=len(triples), truncated=truncated, row_limit=row_limit)


class _Answering:
    """The store a worker answers from: the view on disk, then its copy in memory once that is made.

    The copy is made in a thread while the disk answers (:func:`kg.stores.rdf.memory_copy`: seconds of
    work), so a worker is ready as soon as it has opened the view and no query waits for the copy.
    """

    def __init__(self, disk: Any, folder: Path) -> None:
        self.disk, self.folder = disk, folder
        self.now: tuple[Any, str] = (disk, "disk")  # (store, where it is): replaced whole, read whole

    def copy_into_memory(self) -> None:
        from kg.stores.rdf import memory_copy

        try:
            memory = memory_copy(self.disk, self.folder)
        except Exception:  # noqa: BLE001 - no copy (out of memory, a broken view): the disk goes on answering
            return
        self.now = (memory, "memory")


def _worker(folder: str, in_memory: bool, connection: Connection) -> None:  # pragma: no cover - in the child
    from kg.stores.rdf import open_view

    try:
        answering = _Answering(open_view(Path(folder)), Path(folder))
    except KGError as exc:
        connection.send(("error", "store", str(exc)))
        return
    if in_memory:
        threading.Thread(target=answering.copy_into_memory, name="sparql-memory-copy", daemon=True).start()
    connection.send(("ready",))
    while True:
        try:
            query, row_limit, results_format = connection.recv()
        except EOFError:
            return
        try:
            store, source = answering.now
            answer = execute(store, query, row_limit, results_format)
            answer.answered_from = source
            connection.send(("ok", answer))
        except MalformedQuery as exc:
            connection.send(("error", "malformed", str(exc)))
        except Exception as exc:  # noqa: BLE001 - the store's own errors, reported to the caller as one line
            connection.send(("error", "store", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, folder: Path, in_memory: bool) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=_worker, args=(str(folder), in_memory, child), daemon=True)
        self.process.start()
        child.close()
        if not self.connection.poll(STARTUP_S):
            self.kill()
            raise StoreError(f"the SPARQL worker did not start within {STARTUP_S} s")
        message = self.connection.recv()
        if message[0] == "error":
            self.kill()
            raise StoreError(message[2])

    def run(self, query: str, row_limit: int, timeout: float, results_format: str | None) -> SparqlAnswer:
        self.connection.send((query, row_limit, results_format))
        if not self.connection.poll(timeout):
            self.kill()
            raise QueryTimeout(
                f"the query ran longer than the {timeout:g} s limit and was stopped; "
                "narrow it (a more specific pattern, LIMIT) or raise the limit"
            )
        message = self.connection.recv()
        if message[0] == "ok":
            answer: SparqlAnswer = message[1]
            return answer
        if message[1] == "malformed":
            raise MalformedQuery(message[2])
        raise StoreError(message[2])

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class SparqlPool:
    """Worker processes that answer SPARQL over one view folder; at most ``size`` queries at once.

    ``in_memory``: each worker also copies the view into its memory (:func:`kg.stores.rdf.memory_copy`,
    about 420 MB and 5 s of one core for the starter graph) in the background, answering from the disk
    until the copy is made and from memory after (:attr:`SparqlAnswer.answered_from` says which): for
    long-lived pools (``pmkg serve``, ``PMKG_SPARQL_IN_MEMORY``).  A worker killed for overrunning its
    time limit takes its copy with it; the next worker makes a new one, the disk answering meanwhile.
    """

    def __init__(self, folder: Path, size: int = 1, *, in_memory: bool = False) -> None:
        self.folder = folder
        self.in_memory = in_memory
        self._idle: list[_Worker] = []
        self._slots = threading.Semaphore(size)
        self._lock = threading.Lock()

    @contextmanager
    def _worker(self) -> Iterator[_Worker]:
        with self._slots:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            if worker is None or not worker.alive:
                worker = _Worker(self.folder, self.in_memory)
            try:
                yield worker
            finally:
                if worker.alive:
                    with self._lock:
                        self._idle.append(worker)

    def query(
        self,
        query: str,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        row_limit: int = DEFAULT_ROW_LIMIT,
        results_format: str | None = None,
    ) -> SparqlAnswer:
        """Answer ``query``; raise QueryRefused, MalformedQuery or QueryTimeout as the case is.

        ``results_format`` (json, xml, csv, tsv): a SELECT answer comes already written in it.
        """
        if not query.strip():
            raise MalformedQuery("the query is empty")
        refuse_unsafe(query)
        with self._worker() as worker:
            return worker.run(query, row_limit, timeout, results_format)

    def close(self) -> None:
        with self._lock:
            for worker in self._idle:
                worker.kill()
            self._idle.clear()


def open_sparql(store: GraphStore, size: int = 1) -> SparqlPool:
    """A pool over the RDF view of ``store``'s current build (written first if this build has none)."""
    from kg.settings import get_settings
    from kg.stores.rdf import ensure_view

    return SparqlPool(ensure_view(store, get_settings().rdf_dir), size)
