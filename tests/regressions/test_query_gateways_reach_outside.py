"""Researchers' query gateways that reached outside the graph.

- ``SERVICE <url>`` in ``/sparql`` or ``pmkg sparql`` made the server fetch any URL from its own network
  (Oxigraph follows SERVICE over HTTP); the answer was a 503 quoting the resolver's error.  It is refused
  (403, exit 2) before anything runs, however the keyword is spelled or escaped; a ``SERVICE`` inside a
  string, an IRI, a comment or a variable name is not the keyword and still runs.
- ``LOAD/* c */CSV FROM 'file:///etc/passwd'`` passed the text check of ``pmkg cypher`` and ``/cypher``
  (the planner calls LOAD CSV a read) and returned the server's files; it is refused from the plan.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.stores.neo4j.scope import loads_files
from queries.gateways.sparql import calls_service
from tests.pmkg_cli import pmkg
from tests.queries.matching_stores import neo4j_starter


@pytest.fixture(scope="module")
def home(starter_home: tuple[Path, dict[str, object]]) -> Path:
    return starter_home[0]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o .SERVICE<http://127.0.0.1:9/>{ ?a ?b ?c } }",
        "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?a ?b ?c } }",
        'SELECT * WHERE { ?s ?p "a#b" SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }',
        'SELECT * WHERE { ?s ?p "\\u0022" SERVICE <http://127.0.0.1:9/> { } "\\u0022" }',
    ],
)
def test_sparql_service_is_refused_before_anything_is_fetched(home: Path, query: str) -> None:
    done = pmkg(home, "sparql", query)
    assert done.returncode == 2
    assert "SERVICE (a federated query to another endpoint) is not allowed here" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    as_json = pmkg(home, "sparql", query, "--format", "json")
    assert as_json.returncode == 2
    assert json.loads(as_json.stdout)["error"]["type"] == "QueryRefused"


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?SERVICE WHERE { ?SERVICE pmkg:symbol "BRAF" }',
        'SELECT ?g WHERE { ?g pmkg:symbol ?s FILTER(?s = "SERVICE <http://e/>") }',
        'SELECT ?g WHERE { ?g pmkg:symbol "BRAF" } # SERVICE <http://e/> { }',
        'PREFIX ex: <http://e/#SERVICE> SELECT ?g WHERE { ?g pmkg:symbol "BRAF" OPTIONAL { ?g ex:SERVICE ?x } }',
    ],
)
def test_the_word_service_elsewhere_in_a_query_still_runs(home: Path, query: str) -> None:
    assert not calls_service(query)
    done = pmkg(home, "sparql", query, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["head"]["vars"]


def test_loads_files_reads_the_plan_not_the_text() -> None:
    plan = {"operatorType": "ProduceResults@neo4j", "children": [{"operatorType": "LoadCSV@neo4j", "children": []}]}
    assert loads_files(plan)
    assert not loads_files({"operatorType": "ProduceResults@neo4j", "children": [{"operatorType": "Argument"}]})


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "query",
    [
        "LOAD/* a comment */CSV FROM 'file:///etc/passwd' AS line RETURN line",
        "LOAD // a comment\nCSV FROM 'file:///etc/passwd' AS line RETURN line, $build",
        "load\n/**/csv FROM 'http://127.0.0.1:9/' AS line RETURN line",
    ],
)
def test_cypher_load_csv_hidden_by_comments_is_refused(tmp_path: Path, neo4j_uri: str, query: str) -> None:
    neo4j_starter(neo4j_uri)
    done = pmkg(tmp_path, "cypher", "--store", "neo4j", query, env={"PMKG_NEO4J_URI": neo4j_uri})
    assert done.returncode == 2
    assert "LOAD CSV is not allowed here" in done.stderr
    assert "root:" not in done.stdout
