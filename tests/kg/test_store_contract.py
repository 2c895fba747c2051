"""The contract every Store adapter keeps: the same records give the same answers.

Each test runs once per adapter (embedded, and Neo4j when marked tests run); the
expectations are written once, here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.builds import run_build
from kg.records import Edge, Node, Provenance
from kg.schema import Label, RelType
from kg.stores.port import Direction, Store

P1 = (Provenance("civic", "2021-08-01", "CC0-1.0", "EID1409", line=7),)
P2 = (Provenance("moalmanac", "2026-05-15", "GPL-2.0", "A12", line=None),)


def _records() -> list[Node | Edge]:
    gene = Node("HGNC:1097", Label.GENE, "BRAF", ("BRAF1", "B-raf"), {"symbol": "BRAF", "entrez_id": 673}, P1)
    v600e = Node(
        "PMKG:variant/BRAF:V600E",
        Label.VARIANT,
        "BRAF V600E",
        ("CIVIC.VID:12", "rs113488022", "NM_004333.4:c.1799T>A"),
        {"protein_change": "V600E", "start_grch37": 140453136, "vaf_threshold": 0.05, "somatic": True},
        P1,
    )
    v600 = Node("PMKG:class/BRAF:V600", Label.VARIANT_CLASS, "BRAF V600", (), {"class_type": "codon"}, P1)
    disease = Node("DOID:3910", Label.DISEASE, "lung adenocarcinoma", ("adenocarcinoma of lung",), {}, P1)
    nsclc = Node("DOID:3908", Label.DISEASE, "non-small cell lung carcinoma", ("NSCLC",), {}, P1)
    lung = Node("DOID:1324", Label.DISEASE, "lung cancer", (), {}, P1)
    melanoma = Node("DOID:1909", Label.DISEASE, "melanoma", (), {}, P1)
    therapy = Node("PMKG:therapy/dabrafenib+trametinib", Label.THERAPY, "dabrafenib + trametinib", (), {}, P1)
    drug_a = Node("NCIT:C82386", Label.DRUG, "dabrafenib", ("GSK2118436",), {}, P1)
    drug_b = Node("NCIT:C77908", Label.DRUG, "trametinib", (), {}, P1)
    ev1 = Node(
        "CIVIC.EID:1409",
        Label.EVIDENCE,
        "EID1409",
        (),
        {"evidence_type": "predictive", "significance": "sensitivity", "level": "A", "tier": 1, "pmids": ["22663011"]},
        P1,
    )
    ev2 = Node("CIVIC.EID:3017", Label.EVIDENCE, "EID3017", (), {"evidence_type": "predictive", "level": "B"}, P1)
    return [
        gene, v600e, v600, disease, nsclc, lung, melanoma, therapy, drug_a, drug_b, ev1, ev2,
        Edge(v600e.id, RelType.IN_GENE, gene.id, provenance=P1),
        Edge(v600e.id, RelType.MEMBER_OF, v600.id, {"rule": "same_codon"}, P1),
        Edge(v600.id, RelType.IN_GENE, gene.id, provenance=P1),
        Edge(disease.id, RelType.SUBCLASS_OF, nsclc.id, provenance=P1),
        Edge(nsclc.id, RelType.SUBCLASS_OF, lung.id, provenance=P1),
        Edge(therapy.id, RelType.HAS_COMPONENT, drug_a.id, provenance=P1),
        Edge(therapy.id, RelType.HAS_COMPONENT, drug_b.id, provenance=P1),
        Edge(ev1.id, RelType.ABOUT, v600e.id, provenance=P1),
        Edge(ev1.id, RelType.IN_DISEASE, melanoma.id, provenance=P1),
        Edge(ev1.id, RelType.WITH_THERAPY, therapy.id, provenance=P1),
        Edge(ev2.id, RelType.ABOUT, v600.id, provenance=P1),
        Edge(ev2.id, RelType.IN_DISEASE, disease.id, provenance=P1),
    ]  # fmt: skip


@pytest.fixture
def built(store: Store, list_source: Callable[..., object]) -> Store:
    run_build(store, [list_source("civic", _records())])  # type: ignore[list-item]
    return store


def test_get_node_returns_what_was_loaded(built: Store) -> None:
    node = built.get_node("PMKG:variant/BRAF:V600E")
    assert node is not None
    assert node.label == Label.VARIANT
    assert node.name == "BRAF V600E"
    assert node.synonyms == ("CIVIC.VID:12", "rs113488022", "NM_004333.4:c.1799T>A")
    assert node.props == {"protein_change": "V600E", "start_grch37": 140453136, "vaf_threshold": 0.05, "somatic": True}
    assert node.provenance == P1
    assert built.get_node("HGNC:9999999") is None


def test_find_by_alias_ignores_case(built: Store) -> None:
    assert [n.id for n in built.find("nsclc")] == ["DOID:3908"]
    assert [n.id for n in built.find("b-RAF")] == ["HGNC:1097"]
    assert [n.id for n in built.find("civic.vid:12")] == ["PMKG:variant/BRAF:V600E"]
    assert [n.id for n in built.find("doid:3910")] == ["DOID:3910"]
    assert [n.id for n in built.find("BRAF", Label.GENE)] == ["HGNC:1097"]
    assert built.find("BRAF", Label.DISEASE) == []
    assert built.find("no such thing") == []


def test_nodes_with_label_lists_every_node_of_that_label(built: Store) -> None:
    diseases = built.nodes_with_label(Label.DISEASE)
    assert [(n.id, n.name) for n in diseases] == [
        ("DOID:1324", "lung cancer"), ("DOID:1909", "melanoma"), ("DOID:3908", "non-small cell lung carcinoma"),
        ("DOID:3910", "lung adenocarcinoma"),
    ]  # fmt: skip
    assert diseases[2].synonyms == ("NSCLC",)
    assert built.nodes_with_label(Label.ALLELE) == []


def test_neighbours_by_type_and_direction(built: Store) -> None:
    out = built.neighbours("PMKG:therapy/dabrafenib+trametinib", RelType.HAS_COMPONENT)
    assert [n.name for n in out] == ["trametinib", "dabrafenib"]  # sorted by id: NCIT:C77908 < NCIT:C82386
    incoming = built.neighbours("HGNC:1097", RelType.IN_GENE, Direction.IN)
    assert [n.id for n in incoming] == ["PMKG:class/BRAF:V600", "PMKG:variant/BRAF:V600E"]
    both = built.neighbours("DOID:3908", RelType.SUBCLASS_OF, Direction.BOTH)
    assert [n.id for n in both] == ["DOID:1324", "DOID:3910"]
    assert built.neighbours("DOID:3908", RelType.TARGETS) == []


def test_hierarchy_closure(built: Store) -> None:
    assert built.ancestors(["DOID:3910"]) == {"DOID:3908", "DOID:1324"}
    assert built.descendants(["DOID:1324"]) == {"DOID:3908", "DOID:3910"}
    assert built.ancestors(["PMKG:variant/BRAF:V600E"]) == {"PMKG:class/BRAF:V600"}
    assert built.ancestors(["DOID:3910"], [RelType.MEMBER_OF]) == set()
    assert built.ancestors(["DOID:1909"]) == set()


def test_evidence_for_a_set_of_nodes(built: Store) -> None:
    found = built.evidence_for(["PMKG:variant/BRAF:V600E", "PMKG:class/BRAF:V600", "DOID:3910", "nope:1"])
    assert {k: [e.id for e in v] for k, v in found.items()} == {
        "PMKG:variant/BRAF:V600E": ["CIVIC.EID:1409"],
        "PMKG:class/BRAF:V600": ["CIVIC.EID:3017"],
    }
    assert found["PMKG:variant/BRAF:V600E"][0].props["pmids"] == ["22663011"]


def test_counts_and_manifest(built: Store) -> None:
    counts = built.counts_by_label()
    assert counts["Disease"] == 4
    assert counts["Evidence"] == 2
    assert counts["Gene"] == 1
    assert counts["Build"] == 1
    assert counts["Source"] == 1
    assert counts["Allele"] == 0
    manifest = built.current_build()
    assert manifest is not None
    assert [s.name for s in manifest.sources] == ["civic"]
    assert manifest.sources[0].records == len(_records())
    assert manifest.counts == counts


def test_rebuilding_the_same_records_changes_nothing(built: Store, list_source: Callable[..., object]) -> None:
    before = (built.counts_by_label(), built.get_node("HGNC:1097"), built.ancestors(["DOID:3910"]))
    first_id = built.current_build().build_id  # type: ignore[union-attr]
    run_build(built, [list_source("civic", _records() + _records())])  # type: ignore[list-item]
    after = (built.counts_by_label(), built.get_node("HGNC:1097"), built.ancestors(["DOID:3910"]))
    assert after == before
    assert built.current_build().build_id == first_id  # type: ignore[union-attr]


def test_repeated_nodes_merge_first_name_union_synonyms_later_props(
    store: Store, list_source: Callable[..., object]
) -> None:
    first = Node("HGNC:3430", Label.GENE, "ERBB2", ("HER2",), {"symbol": "ERBB2", "chromosome": "17"}, P1)
    second = Node("HGNC:3430", Label.GENE, "erbb2 (alt)", ("NEU", "HER2"), {"symbol": "ERBB2", "entrez_id": 2064}, P2)
    run_build(store, [list_source("genes", [first, second, first])])  # type: ignore[list-item]
    node = store.get_node("HGNC:3430")
    assert node is not None
    assert node.name == "ERBB2"
    assert node.synonyms == ("HER2", "NEU")
    assert node.props == {"symbol": "ERBB2", "chromosome": "17", "entrez_id": 2064}
    assert node.provenance == P1 + P2
    assert [n.id for n in store.find("neu")] == ["HGNC:3430"]


def test_empty_store_answers_nothing(store: Store) -> None:
    assert store.current_build() is None
    assert store.get_node("HGNC:1097") is None
    assert store.find("BRAF") == []
    assert store.ancestors(["DOID:3910"]) == set()
    assert store.evidence_for(["DOID:3910"]) == {}
    assert set(store.counts_by_label().values()) == {0}
