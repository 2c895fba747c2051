"""A researcher's read-only Cypher that names ``$build`` is planned (``EXPLAIN``) once, not before every run.

What broke: every ``pmkg cypher`` / ``POST /cypher`` query cost two round trips (``EXPLAIN``, then the
query).  Only the verdict "this text only reads" is kept now; these tests hold that nothing else is:
answers follow the build that answers, a write is refused every time it is asked, and a missing
parameter still gets its clear message after the same text once ran with it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.builds import run_build
from kg.errors import MalformedQuery, QueryRefused
from kg.records import Node, Provenance, Record
from kg.schema import Label
from kg.stores.neo4j.store import Neo4jStore
from queries.gateways.cypher import run_cypher
from tests.conftest import wipe_neo4j
from tests.kg.conftest import ListSource

P = (Provenance("civic", "1", "CC0-1.0", "EID1409"),)
GENES = "MATCH (g:Gene {build: $build}) RETURN g.symbol AS symbol ORDER BY symbol"
WRITE = "MATCH (g:Gene {build: $build}) SET g.symbol = 'CHANGED' RETURN g.symbol AS symbol"
BY_SYMBOL = "MATCH (g:Gene {build: $build}) WHERE g.symbol = $symbol RETURN g.id AS id"


def _genes(*symbols: str) -> list[Record]:
    return [Node(f"HGNC:{n}", Label.GENE, symbol, (), {"symbol": symbol}, P) for n, symbol in enumerate(symbols, 1)]


@pytest.fixture
def store(neo4j_uri: str) -> Iterator[Neo4jStore]:
    wipe_neo4j(neo4j_uri)
    graph = Neo4jStore(neo4j_uri)
    run_build(graph, [ListSource("civic", _genes("BRAF"))])
    yield graph
    graph.close()
    wipe_neo4j(neo4j_uri)  # other modules rebuild the starter graph when they find it gone


@pytest.mark.neo4j
def test_a_query_asked_again_answers_from_the_build_that_answers_now(store: Neo4jStore) -> None:
    assert run_cypher(store, GENES).rows == [["BRAF"]]
    assert run_cypher(store, GENES).rows == [["BRAF"]]
    run_build(store, [ListSource("civic", _genes("EGFR", "KRAS"), version="2")])
    assert run_cypher(store, GENES).rows == [["EGFR"], ["KRAS"]]


@pytest.mark.neo4j
def test_a_write_is_refused_every_time_it_is_asked(store: Neo4jStore) -> None:
    for _ in range(2):
        with pytest.raises(QueryRefused, match="only read-only queries are allowed"):
            run_cypher(store, WRITE)
    assert run_cypher(store, GENES).rows == [["BRAF"]]


@pytest.mark.neo4j
def test_a_missing_parameter_is_named_after_the_same_text_ran_with_it(store: Neo4jStore) -> None:
    assert run_cypher(store, BY_SYMBOL, {"symbol": "BRAF"}).rows == [["HGNC:1"]]
    with pytest.raises(MalformedQuery, match=r"symbol.*--param NAME=VALUE"):
        run_cypher(store, BY_SYMBOL)
