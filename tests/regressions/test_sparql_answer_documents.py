"""SPARQL answers written by Oxigraph itself (JSON, XML, CSV, TSV) and the view copied into memory.

What broke: ``/sparql`` and ``pmkg sparql --format json`` turned every row into Python terms and wrote the
document in Python, half the time of a 500-row answer.  Oxigraph now writes the document; these tests hold
it to what the Python writer promised: the same rows in every format, the row limit counted in rows (a
literal with a newline or a tab inside is still one row), the cut stated in SPARQL JSON's ``head.link``,
empty answers with their header, and a view copied into memory answering as the one on disk.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, Store, parse_query_results

from kg.stores.rdf import open_view
from queries.gateways.sparql import RESULT_FORMATS, SparqlAnswer, SparqlPool, execute
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
    assert json.loads(render_results(ask, "json")) == {"head": {}, "boolean": True}
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
