"""``/sparql`` (SPARQL 1.1 Protocol) and ``/cypher`` on a real ``pmkg serve``, with a real SPARQL client."""

from __future__ import annotations

import httpx
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from tests.api.server import ApiServer

BRAF_QUERY = 'SELECT ?id ?name WHERE { ?g pmkg:symbol "BRAF" ; pmkg:id ?id ; rdfs:label ?name }'


def _client(api: ApiServer) -> SPARQLWrapper:
    client = SPARQLWrapper(api.url + "/sparql")
    client.setTimeout(120)
    return client


def test_sparqlwrapper_gets_w3c_json_results_by_get_and_by_post(api: ApiServer) -> None:
    for method in ("GET", POST):
        client = _client(api)
        client.setMethod(method)
        client.setQuery(BRAF_QUERY)
        client.setReturnFormat(JSON)
        result = client.query().convert()
        assert result["head"]["vars"] == ["id", "name"]  # type: ignore[index,call-overload]
        rows = result["results"]["bindings"]  # type: ignore[index,call-overload]
        assert rows == [{"id": {"type": "literal", "value": "HGNC:1097"}, "name": {"type": "literal", "value": "BRAF"}}]


def test_results_follow_the_accept_header(api: ApiServer) -> None:
    client = _client(api)
    client.setQuery(BRAF_QUERY)
    client.setReturnFormat(CSV)
    assert client.query().convert() == b"id,name\nHGNC:1097,BRAF\n"
    construct = 'CONSTRUCT { ?g rdfs:label ?n } WHERE { ?g pmkg:symbol "BRAF" ; rdfs:label ?n }'
    turtle = httpx.get(api.url + "/sparql", params={"query": construct}, headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert set(graph.objects(None, rdflib.RDFS.label)) == {rdflib.Literal("BRAF")}
    xml = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"}
    body = httpx.post(api.url + "/sparql", content="ASK { ?s ?p ?o }", headers=xml)
    assert body.status_code == 200
    assert "<boolean>true</boolean>" in body.text


def test_a_malformed_query_is_400_with_the_parsers_message(api: ApiServer) -> None:
    client = _client(api)
    client.setQuery("SELEC ?x WHERE { ?x ?y ?z }")
    with pytest.raises(QueryBadFormed):
        client.query()
    answer = httpx.get(api.url + "/sparql", params={"query": "SELEC ?x WHERE { ?x ?y ?z }"})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "SPARQL syntax error" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-update", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"),
        ("application/x-www-form-urlencoded", "update=DROP+ALL"),
        ("application/sparql-query", "DELETE WHERE { ?s ?p ?o }"),
    ],
)
def test_sparql_update_is_refused_with_403_and_changes_nothing(api: ApiServer, content_type: str, body: str) -> None:
    answer = httpx.post(api.url + "/sparql", content=body, headers={"Content-Type": content_type})
    assert answer.status_code == 403
    assert "not allowed" in answer.json()["detail"]
    still = httpx.get(api.url + "/sparql", params={"query": BRAF_QUERY}, headers={"Accept": "text/csv"})
    assert still.text == "id,name\nHGNC:1097,BRAF\n"


def test_cypher_on_the_embedded_server_says_how_to_get_it(api: ApiServer) -> None:
    answer = httpx.post(api.url + "/cypher", json={"query": "MATCH (n) RETURN count(n)"})
    assert answer.status_code == 400
    assert "PMKG_STORE=neo4j" in answer.json()["detail"]
    assert "copy its build into Neo4j with `pmkg push`" in answer.json()["detail"]


def test_a_cut_answer_says_so_in_the_header_and_in_sparql_json(api: ApiServer) -> None:
    """The starter's ~19,000 genes pass the default row limit (10,000): the cut is stated, never silent."""
    done = httpx.get(
        api.url + "/sparql",
        params={"query": "SELECT ?g WHERE { ?g a biolink:Gene }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    )
    assert done.status_code == 200
    assert done.headers["pmkg-truncated"] == "10000"
    answer = done.json()
    assert answer["head"] == {"link": ["urn:pmkg:truncated:10000"], "vars": ["g"]}
    assert len(answer["results"]["bindings"]) == 10_000
    tsv = httpx.get(
        api.url + "/sparql",
        params={"query": "SELECT ?g WHERE { ?g a biolink:Gene }"},
        headers={"Accept": "text/tab-separated-values"},
        timeout=120,
    )
    assert tsv.headers["pmkg-truncated"] == "10000"
    assert len(tsv.text.splitlines()) == 10_001  # the header and 10,000 rows
