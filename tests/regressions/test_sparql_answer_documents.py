"""SPARQL answers written by Oxigraph itself (JSON, XML, CSV, TSV) and the view copied into memory.

What broke: ``/sparql`` and ``pmkg sparql --format json`` turned every row into Python terms and wrote the
document in Python, half the time of a 500-row answer.  Oxigraph now writes the document; these tests hold
it to what the Python writer promised: the same rows in every format, the row limit counted in rows (a
literal with a newline or a tab inside is still one row), the cut stated in SPARQL JSON's ``head.link``,
empty answers with their header, and a view copied into memory answering as the one on disk.

The document is written once, in the asked format, and cut as it is written (it was written as TSV, read
back and written again): a cut answer must be exactly the whole answer's first rows, in a valid document,
whatever its literals hold (bytes that look like a row's start, ``{}``, quotes, CRLF) and wherever
Oxigraph's 8 KB pieces split it; an answer that is not cut must be byte for byte what Oxigraph writes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, Store, parse_query_results

from kg.stores.rdf import open_view
from queries.gateways.sparql import RESULT_FORMATS, SparqlAnswer, SparqlPool, execute
from queries.gateways.sparql_documents import write_document
from queries.gateways.sparql_formats import render_results

EX = "http://example.org/"
NOTES = [
    "two\nlines",
    "a\ttab",
    'quote " and back\\slash',
    "plain",
    "comma, and \r\n CRLF",
]
ALL_NOTES = f"SELECT ?s ?note WHERE {{ ?s <{EX}note> ?note }} ORDER BY DESC(?note)"
_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real on-disk Oxigraph store with awkward literals (newlines, tabs, quotes), a language tag and a number."""
    folder = tmp_path_factory.mktemp("view") / "view"
    store = Store(str(folder))
    for n, note in enumerate(NOTES):
        store.add(Quad(NamedNode(f"{EX}s{n}"), NamedNode(f"{EX}note"), Literal(note)))
    store.add(Quad(NamedNode(f"{EX}s0"), NamedNode(f"{EX}name"), Literal("zwei Zeilen", language="de")))
    store.add(Quad(NamedNode(f"{EX}s0"), NamedNode(f"{EX}count"), Literal("7", datatype=NamedNode(_INTEGER))))
    store.flush()
    del store
    return folder


_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _rows(document: str, fmt: str) -> list[tuple[str, ...]]:
    if fmt == "csv":  # plain values (Oxigraph will not read CSV back: it is lossy)
        return [tuple(row) for row in csv.reader(io.StringIO(document, newline=""))][1:]
    parsed = parse_query_results(document.encode(), format=_FORMATS[fmt])
    names = [v.value for v in parsed.variables]
    return [tuple("" if row[n] is None else row[n].value for n in names) for row in parsed]


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_oxigraph_written_answers_carry_the_rows_the_python_writer_wrote(view: Path, fmt: str) -> None:
    store = open_view(view)
    query = f"SELECT ?s ?note ?name ?count WHERE {{ ?s <{EX}note> ?note OPTIONAL {{ ?s <{EX}name> ?name }} "
    query += f"OPTIONAL {{ ?s <{EX}count> ?count }} }} ORDER BY ?note"
    written = execute(store, query, 100, fmt)
    assert written.document_format == fmt
    assert written.rows == []
    assert written.row_count == len(NOTES)
    assert not written.truncated
    by_python = render_results(execute(store, query, 100), fmt)
    assert _rows(render_results(written, fmt), fmt) == _rows(by_python, fmt)
    if fmt == "csv":  # the bytes too: the CLI's CSV is unchanged
        assert render_results(written, fmt) == by_python


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_the_row_limit_counts_rows_even_when_a_literal_holds_a_newline(view: Path, fmt: str) -> None:
    answer = execute(open_view(view), ALL_NOTES, 2, fmt)
    assert answer.truncated
    assert answer.row_count == 2
    rows = _rows(render_results(answer, fmt), fmt)
    assert [row[1] for row in rows] == sorted(NOTES, reverse=True)[:2]  # whole rows, in the query's order


def test_a_cut_json_answer_states_the_cut_where_sparql_json_readers_look(view: Path) -> None:
    document = json.loads(render_results(execute(open_view(view), ALL_NOTES, 3, "json"), "json"))
    assert document["head"] == {"link": ["urn:pmkg:truncated:3"], "vars": ["s", "note"]}
    assert len(document["results"]["bindings"]) == 3
    whole = json.loads(render_results(execute(open_view(view), ALL_NOTES, len(NOTES), "json"), "json"))
    assert "link" not in whole["head"]
    assert len(whole["results"]["bindings"]) == len(NOTES)


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_an_empty_answer_keeps_its_header(view: Path, fmt: str) -> None:
    answer = execute(open_view(view), f"SELECT ?s WHERE {{ ?s <{EX}missing> ?x }}", 10, fmt)
    document = render_results(answer, fmt)
    assert _rows(document, fmt) == []
    assert {"json": '"vars":["s"]', "xml": '<variable name="s"/>', "csv": "s\n", "tsv": "?s\n"}[fmt] in document
    assert answer.row_count == 0
    assert not answer.truncated


def test_ask_and_construct_answers_are_unchanged_when_a_results_format_is_asked(view: Path) -> None:
    store = open_view(view)
    ask = execute(store, f"ASK {{ ?s <{EX}note> ?o }}", 10, "json")
    assert ask.kind == "ask"
    assert ask.boolean is True
    assert render_results(ask, "json") == '{"head":{},"boolean":true}'  # spaced as the SELECT documents Oxigraph writes
    graph = execute(store, f"CONSTRUCT {{ ?s <{EX}note> ?o }} WHERE {{ ?s <{EX}note> ?o }}", 10, "json")
    assert graph.kind == "graph"
    assert graph.triples == len(NOTES)


def test_an_answer_written_in_one_format_is_not_passed_off_as_another(view: Path) -> None:
    answer: SparqlAnswer = execute(open_view(view), ALL_NOTES, 10, "tsv")
    with pytest.raises(ValueError, match="written as tsv, not json"):
        render_results(answer, "json")


def test_the_view_copied_into_memory_answers_as_the_view_on_disk(view: Path) -> None:
    on_disk, in_memory = open_view(view), open_view(view, in_memory=True)
    for fmt in RESULT_FORMATS:
        assert render_results(execute(in_memory, ALL_NOTES, 10, fmt), fmt) == render_results(
            execute(on_disk, ALL_NOTES, 10, fmt), fmt
        )
    assert len(on_disk) == len(in_memory) == len(NOTES) + 2


def test_a_pool_of_in_memory_workers_answers_as_the_pool_on_disk(view: Path) -> None:
    answers = []
    for in_memory in (False, True):
        pool = SparqlPool(view, in_memory=in_memory)
        try:
            answers.append(render_results(pool.query(ALL_NOTES, results_format="json", row_limit=3), "json"))
        finally:
            pool.close()
    assert answers[0] == answers[1]
    assert len(json.loads(answers[1])["results"]["bindings"]) == 3


# What a literal may hold that looks like the structure of a results document in some format.
_AWKWARD = ["a", " ", ",", '"', "\\", "{", "}", "[", "]", ":", "{}", ",{", "[{", '},{"', "<result>", "<", "&"]
_AWKWARD += ["\n", "\r\n", "\t", "é"]
_NUMBERED = (
    f"SELECT ?s ?note WHERE {{ {{ ?s <{EX}note> ?note ; <{EX}n> ?n }} UNION {{ ?x <{EX}blank> ?y }} }} ORDER BY ?n"
)


def _awkward_store(notes: list[str], blanks: int) -> Store:
    """An in-memory store: note ``n`` on subject ``n``, and ``blanks`` rows of _NUMBERED that bind nothing."""
    store = Store()
    for n, note in enumerate(notes):
        subject = NamedNode(f"{EX}s{n}")
        store.add(Quad(subject, NamedNode(f"{EX}note"), Literal(note)))
        store.add(Quad(subject, NamedNode(f"{EX}n"), Literal(str(n), datatype=NamedNode(_INTEGER))))
    for n in range(blanks):
        store.add(Quad(NamedNode(f"{EX}b{n}"), NamedNode(f"{EX}blank"), Literal("x")))
    return store


def _whole(store: Store, query: str, fmt: str) -> str:
    """The whole answer as Oxigraph writes it, uncut (CSV lines ending in LF, as the CLI hands them over)."""
    document = store.query(query).serialize(format=_FORMATS[fmt]) or b""
    return (document.replace(b"\r\n", b"\n") if fmt == "csv" else document).decode()


def _check_cut(store: Store, query: str, fmt: str, row_limit: int) -> None:
    whole = _whole(store, query, fmt)
    every = _rows(whole, fmt)
    answer = execute(store, query, row_limit, fmt)
    document = render_results(answer, fmt)
    assert _rows(document, fmt) == every[:row_limit]  # parses in its format: a valid document
    assert answer.row_count == min(len(every), row_limit)
    assert answer.truncated == (len(every) > row_limit)
    if not answer.truncated:
        assert document == whole
    elif fmt == "json":
        assert json.loads(document)["head"]["link"] == [f"urn:pmkg:truncated:{row_limit}"]


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    notes=st.lists(st.lists(st.sampled_from(_AWKWARD), max_size=6).map("".join), max_size=12),
    blanks=st.integers(0, 3),
    row_limit=st.integers(0, 16),
)
@example(notes=["x,{", "[{", '},{"y":{}', "a"], blanks=2, row_limit=2)  # a literal's end mimics a row's start
def test_a_cut_answer_is_the_whole_answers_first_rows_whatever_its_literals_hold(
    fmt: str, notes: list[str], blanks: int, row_limit: int
) -> None:
    _check_cut(_awkward_store(notes, blanks), _NUMBERED, fmt, row_limit)


class _InPieces:
    """Oxigraph's own document for ``query``, handed to the writer's sink ``size`` bytes at a time.

    Oxigraph hands JSON over in 8 KB pieces that split rows anywhere, and the other formats at a term's or a
    row's end (pyoxigraph 0.5); pieces of every small size put each row's mark across a piece's end.
    """

    def __init__(self, store: Store, query: str, fmt: str, size: int) -> None:
        self.document = store.query(query).serialize(format=_FORMATS[fmt]) or b""
        self.size = size

    def serialize(self, output: Any, format: QueryResultsFormat) -> None:
        for start in range(0, len(self.document), self.size):
            output.write(self.document[start : start + self.size])


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
@pytest.mark.parametrize("blanks", [0, 1])
@pytest.mark.parametrize("braces", ["{}", "no {}"])  # a JSON document without "{}" is counted, not read
def test_an_answer_is_cut_exactly_wherever_the_pieces_it_comes_in_split_it(fmt: str, blanks: int, braces: str) -> None:
    awkward = _AWKWARD if braces == "{}" else [text for text in _AWKWARD if "}" not in text]
    notes = ["".join(awkward[(n + k) % len(awkward)] for k in range(n % 9)) for n in range(40)]
    store = _awkward_store(notes, blanks)
    for row_limit in (0, 1, 17, 39 + blanks, 40 + blanks, 100):
        whole = write_document(store.query(_NUMBERED), fmt, row_limit)
        for size in (*range(1, 10), 64, 8192):
            assert write_document(_InPieces(store, _NUMBERED, fmt, size), fmt, row_limit) == whole, (size, row_limit)


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
@pytest.mark.parametrize("blanks", [0, 1])
def test_an_answer_of_many_pieces_is_cut_exactly_wherever_the_pieces_split_it(fmt: str, blanks: int) -> None:
    """Oxigraph writes 8 KB at a time: padding the first row byte by byte moves every later row's mark across
    each piece's end in turn (a mark is at most 8 bytes: ``<result>``)."""
    notes = ["".join(_AWKWARD[(n + k) % len(_AWKWARD)] for k in range(n % 40)) for n in range(1_500)]
    for padding in range(8):
        store = _awkward_store(["p" * padding, *notes], blanks)
        for row_limit in (0, 1, 777, 1_500 + blanks, 1_501 + blanks, 10_000):
            _check_cut(store, _NUMBERED, fmt, row_limit)
