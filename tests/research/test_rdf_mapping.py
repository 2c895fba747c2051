"""The RDF mapping: every label and relationship has a term, nothing a record carries is lost."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.rdf.mapping import edge_lines, node_iri, node_lines
from kg.rdf.vocabulary import PMKG_VOCAB, class_iri, predicate_iri, vocabulary_turtle
from kg.records import Edge, Node, Provenance
from kg.schema import LABELS, RelType

PROV = (Provenance("oncotree", "2025_10_03", "CC-BY-4.0", "OVARY", 12),)


def _graph(lines: list[str]) -> ox.Store:
    store = ox.Store()
    store.load("".join(lines), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_obo_terms_get_their_purls_and_pmkg_ids_stay_valid_iris() -> None:
    assert node_iri("DOID:3910") == "http://purl.obolibrary.org/obo/DOID_3910"
    assert node_iri("NCIT:C4878") == "http://purl.obolibrary.org/obo/NCIT_C4878"
    assert node_iri("SO:0001583") == "http://purl.obolibrary.org/obo/SO_0001583"
    # '>' and spaces cannot stand in an IRI: they are percent-encoded, and the triple still parses.
    iri = node_iri("PMKG:variant/BRAF:c.1799T>A")
    assert ">" not in iri
    assert iri.endswith("c.1799T%3EA")
    node = Node("PMKG:variant/BRAF:c.1799T>A", LABELS_VARIANT, 'BRAF c.1799T>A "x"', ("V600E",))
    store = _graph(list(node_lines(node)))
    assert len(store) == 4


LABELS_VARIANT = next(label for label in LABELS if str(label) == "Variant")


def test_every_label_and_relationship_has_a_term_in_the_published_vocabulary() -> None:
    vocabulary = _graph_turtle(vocabulary_turtle())
    subjects = {str(q.subject.value) for q in vocabulary}
    for label in LABELS:
        assert class_iri(label) in subjects, label
    for rel in RelType:
        assert predicate_iri(rel) in subjects, rel
    comments = list(vocabulary.quads_for_pattern(ox.NamedNode(class_iri(LABELS_VARIANT)), None, None))
    assert any("comment" in q.predicate.value for q in comments)


def _graph_turtle(text: str) -> ox.Store:
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.TURTLE)
    return store


def test_node_properties_lists_numbers_booleans_and_provenance_become_typed_triples() -> None:
    node = Node(
        "CIVIC.EID:1409",
        next(label for label in LABELS if str(label) == "Evidence"),
        "EID1409",
        props={"evidence_type": "predictive", "tier": 1, "rating": 4.5, "regulatory_approval": True,
               "drugs": ["Vemurafenib", "Cobimetinib"]},
        provenance=(Provenance("civic", "01-Aug-2021", "CC0-1.0", "CIVIC.EID:1409", 3),),
    )  # fmt: skip
    store = _graph(list(node_lines(node)))
    rows = {
        (s["p"].value, s["o"].value, s["o"].datatype.value)
        for s in store.query("SELECT ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }")
    }
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert (PMKG_VOCAB + "tier", "1", xsd + "integer") in rows
    assert (PMKG_VOCAB + "rating", "4.5", xsd + "double") in rows
    assert (PMKG_VOCAB + "regulatory_approval", "true", xsd + "boolean") in rows
    assert {o for p, o, _ in rows if p == PMKG_VOCAB + "drugs"} == {"Vemurafenib", "Cobimetinib"}
    derived = store.query("SELECT ?src WHERE { ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?src }")
    assert [s["src"].value for s in derived] == ["https://w3id.org/pmkg/id/source/civic"]


@pytest.mark.parametrize("props", [{"method": "tissue_parts", "via": ["ovarian cancer", "Fallopian Tube cancer"]}])
def test_relationship_properties_survive_as_a_reified_statement(props: dict[str, object]) -> None:
    edge = Edge("ONCOTREE:OVARY", RelType.MAPS_TO, "DOID:1964", props, PROV)  # type: ignore[arg-type]
    store = _graph(list(edge_lines(edge)))
    query = f"""
        SELECT ?method ?via WHERE {{
          <{node_iri("ONCOTREE:OVARY")}> <{predicate_iri(RelType.MAPS_TO)}> <{node_iri("DOID:1964")}> .
          ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{node_iri("ONCOTREE:OVARY")}> ;
              <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <{node_iri("DOID:1964")}> ;
              <{PMKG_VOCAB}method> ?method ; <{PMKG_VOCAB}via> ?via .
        }}"""
    rows = {(r["method"].value, r["via"].value) for r in store.query(query)}
    assert rows == {("tissue_parts", "ovarian cancer"), ("tissue_parts", "Fallopian Tube cancer")}


def test_an_edge_without_properties_is_one_triple() -> None:
    assert len(list(edge_lines(Edge("CIVIC.EID:1", RelType.IN_DISEASE, "DOID:1037")))) == 1
