"""``pmkg sparql``, ``pmkg cypher``, ``pmkg export`` and ``pmkg schema`` as a researcher runs them."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, cast

import networkx
import pyoxigraph as ox
import pytest
import rdflib

from kg.export import to_networkx
from kg.schema_docs import render_schema
from tests.pmkg_cli import REPO, pmkg
from tests.queries.matching_stores import embedded_starter, neo4j_starter

BRAF = "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/1097"
HEAVY_SPARQL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


@pytest.fixture(scope="module")
def home(starter_home: tuple[Path, dict[str, object]]) -> Path:
    return starter_home[0]


def test_sparql_answers_in_the_w3c_json_results_format(home: Path) -> None:
    done = pmkg(
        home, "sparql", 'SELECT ?g ?name WHERE { ?g pmkg:symbol "BRAF" ; rdfs:label ?name }', "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["head"]["vars"] == ["g", "name"]
    assert answer["results"]["bindings"] == [
        {"g": {"type": "uri", "value": BRAF}, "name": {"type": "literal", "value": "BRAF"}}
    ]
    # The view belongs to the build that answered: its folder is named after the build id.
    build_id = json.loads(pmkg(home, "status", "--format", "json").stdout)["build_id"]
    assert (home / "rdf" / build_id).is_dir()


def test_sparql_csv_tsv_and_xml_carry_the_same_rows(home: Path) -> None:
    query = 'SELECT ?id WHERE { ?g pmkg:symbol "BRAF" ; pmkg:id ?id }'
    assert pmkg(home, "sparql", query, "--format", "csv").stdout == "id\nHGNC:1097\n"
    assert pmkg(home, "sparql", query, "--format", "tsv").stdout == '?id\n"HGNC:1097"\n'
    assert "<literal>HGNC:1097</literal>" in pmkg(home, "sparql", query, "--format", "xml").stdout


def test_sparql_construct_gives_turtle_that_parses(home: Path) -> None:
    done = pmkg(home, "sparql", 'CONSTRUCT { ?g rdfs:label ?n } WHERE { ?g pmkg:symbol "BRAF" ; rdfs:label ?n }')
    assert done.returncode == 0, done.stderr
    graph = rdflib.Graph().parse(data=done.stdout, format="turtle")
    assert (rdflib.URIRef(BRAF), rdflib.RDFS.label, rdflib.Literal("BRAF")) in graph


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b "c" }', "SPARQL UPDATE is not allowed"),
        ("DELETE WHERE { ?s ?p ?o }", "SPARQL UPDATE is not allowed"),
        ("# a comment\nDROP ALL", "SPARQL UPDATE is not allowed"),
        ("SELEC ?x WHERE { ?x ?y ?z }", "SPARQL syntax error"),
        ("   ", "empty"),
    ],
)
def test_sparql_refuses_updates_and_says_where_a_query_is_malformed(home: Path, query: str, expected: str) -> None:
    done = pmkg(home, "sparql", query)
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    still = pmkg(home, "sparql", "ASK { ?s ?p ?o }")
    assert still.stdout.strip() == "true"


def test_a_sparql_query_past_its_time_limit_is_stopped_not_half_answered(home: Path) -> None:
    started = time.monotonic()
    done = pmkg(home, "sparql", HEAVY_SPARQL, "--timeout", "1")
    assert done.returncode == 2
    assert "1 s limit" in done.stderr
    assert done.stdout == ""
    assert time.monotonic() - started < 60


def test_sparql_states_the_row_limit_when_it_cuts(home: Path) -> None:
    done = pmkg(home, "sparql", "SELECT ?g WHERE { ?g a biolink:Gene }", "--limit", "5", "--format", "csv")
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 6
    assert "cut at 5 rows" in done.stderr


def test_export_nt_writes_every_triple_and_it_parses(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    done = pmkg(home, "export", "--format", "nt", "--out", str(out))
    assert done.returncode == 0, done.stderr
    written = int(done.stderr.split("wrote ")[1].split(" triples")[0].replace(",", ""))
    assert written == len(out.read_text().splitlines())
    parsed = sum(1 for _ in ox.parse(path=str(out), format=ox.RdfFormat.N_TRIPLES))
    assert parsed == written > 100_000


def test_export_of_a_subset_in_turtle_reads_back_in_rdflib(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "drugs.ttl"
    done = pmkg(home, "export", "--format", "ttl", "--label", "drug,therapy", "--out", str(out))
    assert done.returncode == 0, done.stderr
    graph = rdflib.Graph().parse(out, format="turtle")
    drug = rdflib.URIRef("https://w3id.org/biolink/vocab/Drug")
    therapy = rdflib.URIRef("https://w3id.org/pmkg/vocab/Therapy")
    assert len(set(graph.subjects(rdflib.RDF.type, drug))) > 100
    assert len(set(graph.subjects(rdflib.RDF.type, therapy))) > 100
    assert not set(graph.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/biolink/vocab/Gene")))


def test_export_nquads_names_the_build_graph(home: Path) -> None:
    done = pmkg(home, "export", "--format", "nq", "--label", "Build")
    assert done.returncode == 0, done.stderr
    dataset = ox.Dataset(ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in dataset}
    assert any(g.startswith("https://w3id.org/pmkg/id/build/") for g in graphs)
    assert "https://w3id.org/pmkg/vocab/" in graphs


def test_export_graphml_reads_back_in_networkx(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "pgx.graphml"
    done = pmkg(home, "export", "--format", "graphml", "--label", "Recommendation,Drug", "--out", str(out))
    assert done.returncode == 0, done.stderr
    graph = networkx.read_graphml(out)
    assert {data["label"] for _, data in graph.nodes(data=True)} == {"Recommendation", "Drug"}
    assert {data["type"] for _, _, data in graph.edges(data=True)} == {"FOR_DRUG"}


def test_export_names_an_unknown_label() -> None:
    done = pmkg(Path("/nonexistent-home"), "export", "--label", "Dsease")
    assert done.returncode == 2
    assert "unknown label(s) Dsease" in done.stderr


def test_to_networkx_keeps_properties_and_relationship_types() -> None:
    graph = to_networkx(embedded_starter(), labels={"Variant", "VariantClass", "Gene"})  # type: ignore[arg-type]
    assert graph.nodes["PMKG:variant/BRAF:V600E"]["label"] == "Variant"
    assert graph.nodes["HGNC:1097"]["symbol"] == "BRAF"
    assert "civic" in graph.nodes["PMKG:variant/BRAF:V600E"]["sources"]
    assert graph.has_edge("PMKG:variant/BRAF:V600E", "HGNC:1097", key="IN_GENE")
    assert graph.has_edge("PMKG:variant/BRAF:V600E", "PMKG:class/BRAF:V600", key="MEMBER_OF")


def test_schema_docs_are_generated_and_up_to_date(home: Path) -> None:
    done = pmkg(home, "schema", "--format", "json")
    schema = json.loads(done.stdout)
    assert ["Evidence", "WITH_THERAPY", "Therapy"] in schema["triples"]
    assert schema["relationships"]["SUBCLASS_OF"]["rdf_predicate"] == "https://w3id.org/biolink/vocab/subclass_of"
    assert (REPO / "docs" / "schema.md").read_text() == render_schema("md"), "regenerate: pmkg schema > docs/schema.md"
    turtle = pmkg(home, "schema", "--format", "ttl").stdout
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) > 100


def test_cypher_on_the_embedded_store_says_how_to_get_cypher(home: Path) -> None:
    done = pmkg(home, "cypher", "MATCH (n) RETURN count(n)")
    assert done.returncode == 2
    assert "pmkg build --store neo4j" in done.stderr
    assert "copy the embedded build into Neo4j with `pmkg push`" in done.stderr


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("CREATE (n:Gene {id: 'X:1'}) RETURN n", "only read-only queries"),
        ("MATCH (g:Gene {symbol: 'BRAF'}) SET g.symbol = 'X' RETURN g", "only read-only queries"),
        ("MERGE (n:Disease {id: 'DOID:0'}) RETURN n", "only read-only queries"),
        ("MATCH (n) DETACH DELETE n", "only read-only queries"),
        ("CREATE INDEX evil FOR (n:Gene) ON (n.evil)", "only read-only queries"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LOAD CSV is not allowed"),
        ("MATC (n) RETURN n", "Cypher error"),
    ],
)
def test_cypher_refuses_writes_schema_and_file_reads_before_anything_runs(
    tmp_path: Path, neo4j_uri: str, query: str, expected: str
) -> None:
    store = neo4j_starter(neo4j_uri)
    before = store.counts_by_label()
    done = pmkg(tmp_path, "cypher", "--store", "neo4j", query, env={"PMKG_NEO4J_URI": neo4j_uri})
    assert done.returncode == 2
    assert expected in done.stderr
    assert store.counts_by_label() == before
    braf = store.get_node("HGNC:1097")
    assert braf is not None
    assert braf.props["symbol"] == "BRAF"


@pytest.mark.neo4j
def test_cypher_binds_build_and_parameters_and_answers_in_json(tmp_path: Path, neo4j_uri: str) -> None:
    neo4j_starter(neo4j_uri)
    query = "MATCH (g:Gene {build: $build, symbol: $symbol}) RETURN g.id AS id, g AS gene"
    done = pmkg(tmp_path, "cypher", "--store", "neo4j", query, "--param", "symbol=BRAF", "--format", "json",
                env={"PMKG_NEO4J_URI": neo4j_uri})  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["columns"] == ["id", "gene"]
    assert answer["rows"][0]["id"] == "HGNC:1097"
    assert answer["rows"][0]["gene"]["labels"] == ["Entity", "Gene"]
    assert "pmkg_lookup" not in answer["rows"][0]["gene"]["properties"]
    assert answer["truncated"] is False


@pytest.mark.neo4j
def test_a_cypher_query_past_its_time_limit_is_stopped(tmp_path: Path, neo4j_uri: str) -> None:
    neo4j_starter(neo4j_uri)
    heavy = "MATCH (a:Gene {build: $build}), (b:Gene {build: $build}) WHERE a.name < b.name RETURN count(*) AS n"
    done = pmkg(tmp_path, "cypher", "--store", "neo4j", heavy, "--timeout", "1", env={"PMKG_NEO4J_URI": neo4j_uri})
    assert done.returncode == 2
    assert "time limit" in done.stderr
    assert done.stdout == ""


def _sparql_json(home: Path, query: str, *extra: str) -> dict[str, Any]:
    done = pmkg(home, "sparql", query, "--format", "json", *extra)
    assert done.returncode == 0, done.stderr
    return cast(dict[str, Any], json.loads(done.stdout))


BRAF_GENES = 'SELECT ?g WHERE { ?g a biolink:Gene ; pmkg:symbol "BRAF" }'
DO_CUT = REPO / "tests" / "data" / "disease_ontology"


def test_build_writes_the_rdf_view_and_sparql_answers_as_of_any_kept_build(
    home_copy: Path, starter_home: tuple[Path, dict[str, object]]
) -> None:
    starter_id = str(starter_home[1]["build_id"])
    assert not (home_copy / "rdf").exists()  # the copy leaves the cache behind
    built = pmkg(home_copy, "build", "--source", f"disease_ontology={DO_CUT}", "--allow-shrink")
    assert built.returncode == 0, built.stderr
    assert "RDF view for SPARQL written in" in built.stdout
    new_id = json.loads(pmkg(home_copy, "status", "--format", "json").stdout)["build_id"]
    assert [p.name for p in (home_copy / "rdf").iterdir()] == [new_id]

    assert _sparql_json(home_copy, BRAF_GENES)["results"]["bindings"] == []  # the DO cut has no genes
    as_of = _sparql_json(home_copy, BRAF_GENES, "--build", starter_id)["results"]["bindings"]
    assert [b["g"]["value"] for b in as_of] == [BRAF]
    assert sorted(p.name for p in (home_copy / "rdf").iterdir()) == sorted([new_id, starter_id])


def test_views_of_builds_no_longer_kept_are_deleted_and_no_rdf_view_defers_the_write(home_copy: Path) -> None:
    keep_one = {"PMKG_KEEP_BUILDS": "1"}
    first = pmkg(home_copy, "build", "--source", f"disease_ontology={DO_CUT}", "--allow-shrink", env=keep_one)
    assert first.returncode == 0, first.stderr
    first_id = json.loads(pmkg(home_copy, "status", "--format", "json").stdout)["build_id"]
    assert (home_copy / "rdf" / first_id).is_dir()

    second = pmkg(home_copy, "build", "--source", f"oncotree={REPO / 'tests' / 'data' / 'oncotree'}", "--allow-shrink",
                  "--no-rdf-view", env=keep_one)  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert "RDF view" not in second.stdout
    second_id = json.loads(pmkg(home_copy, "status", "--format", "json").stdout)["build_id"]
    assert not (home_copy / "rdf" / second_id).exists()
    assert _sparql_json(home_copy, "ASK { ?d a biolink:Disease }")["boolean"] is True  # written on first use
    assert [p.name for p in (home_copy / "rdf").iterdir()] == [second_id]  # the first build is no longer kept
