"""The cookbook's research questions give the same answer in SPARQL, Cypher and the query layer.

Each question in ``docs/cookbook/`` is written twice, ``NN-….cypher`` and ``NN-….rq``; here both
run on the starter graph (SPARQL on the Oxigraph view of the embedded build, Cypher on the same
build in the real Neo4j) and are compared, as answer sets, with the question answered through
the store port (``cookbook_python.py``).  A question whose answer is empty would prove nothing,
so each must find something.
"""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path

import pytest

from kg.stores.rdf import ensure_view
from queries.gateways.cypher import run_cypher
from queries.gateways.sparql import SparqlPool
from tests.queries.matching_stores import embedded_starter, neo4j_starter
from tests.research.cookbook_python import QUESTIONS, answer_set

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "cookbook"
NAMES = sorted(p.stem for p in COOKBOOK.glob("*.rq"))


@functools.cache
def _sparql() -> SparqlPool:
    return SparqlPool(ensure_view(embedded_starter(), Path(tempfile.mkdtemp(prefix="pmkg-rdf-"))))


@functools.cache
def _expected(name: str) -> frozenset[tuple[str, ...]]:
    return frozenset(QUESTIONS[name[:2]](embedded_starter()))


@functools.cache
def _sparql_answer(name: str) -> frozenset[tuple[str, ...]]:
    answer = _sparql().query((COOKBOOK / f"{name}.rq").read_text(), timeout=60)
    assert not answer.truncated
    return frozenset(answer_set([["" if t is None else t[1] for t in row] for row in answer.rows]))


def test_the_cookbook_has_fifteen_questions_each_in_both_languages_and_in_the_docs() -> None:
    assert len(NAMES) >= 15
    readme = (COOKBOOK / "README.md").read_text()
    for name in NAMES:
        assert (COOKBOOK / f"{name}.cypher").is_file(), name
        assert name[:2] in QUESTIONS, name
        assert f"{name}.rq" in readme, name
        assert f"{name}.cypher" in readme, name


@pytest.mark.parametrize("name", NAMES)
def test_sparql_answers_as_the_query_layer_does(name: str) -> None:
    expected = _expected(name)
    assert expected, f"{name}: the question finds nothing on the starter graph, so it proves nothing"
    assert _sparql_answer(name) == expected


@pytest.mark.parametrize("name", NAMES)
def test_the_sparql_json_document_oxigraph_writes_carries_the_same_answer(name: str) -> None:
    """What /sparql and `pmkg sparql --format json` hand over (written by Oxigraph) is the tested answer."""
    answer = _sparql().query((COOKBOOK / f"{name}.rq").read_text(), timeout=60, results_format="json")
    document = json.loads(answer.document)
    names = document["head"]["vars"]
    rows = [[binding.get(n, {}).get("value", "") for n in names] for binding in document["results"]["bindings"]]
    assert frozenset(answer_set(rows)) == _sparql_answer(name)
    assert answer.row_count == len(rows)


@pytest.mark.neo4j
@pytest.mark.parametrize("name", NAMES)
def test_cypher_answers_as_sparql_and_the_query_layer_do(name: str, neo4j_uri: str) -> None:
    store = neo4j_starter(neo4j_uri)  # the same build as the embedded starter
    answer = run_cypher(store, (COOKBOOK / f"{name}.cypher").read_text(), timeout=60)
    assert not answer.truncated
    got = answer_set(answer.rows)
    assert got == _expected(name)
    assert got == _sparql_answer(name)


@pytest.mark.neo4j
def test_the_query_layer_answers_alike_on_neo4j_and_embedded(neo4j_uri: str) -> None:
    """The port gives the same answers on both stores (two questions that walk edges and properties)."""
    store = neo4j_starter(neo4j_uri)
    for name in ("08", "12", "15"):
        assert QUESTIONS[name](store) == QUESTIONS[name](embedded_starter()), name
