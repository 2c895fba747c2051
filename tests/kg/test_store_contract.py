"""The contract every Store adapter keeps: the same records give the same answers.

Each test runs once per adapter (embedded, and Neo4j when marked tests run); the
expectations are written once, here: reads, property round-trips, and the life of builds
(staged, promoted, kept, listed, rolled back, read as of a build, interrupted mid-promote).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import StoreError, UnknownBuild
from kg.records import Edge, Node, Provenance, Record
from kg.schema import Label, RelType
from kg.settings import get_settings
from kg.stores.port import BuildManifest, Direction, Store
from tests.kg.stores import open_at_build

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


def test_neighbour_ids_name_the_neighbours_sorted_by_type_and_direction(built: Store) -> None:
    assert built.neighbour_ids("CIVIC.EID:1409", RelType.IN_DISEASE) == ["DOID:1909"]
    assert built.neighbour_ids("CIVIC.EID:1409", RelType.WITH_THERAPY) == ["PMKG:therapy/dabrafenib+trametinib"]
    assert built.neighbour_ids("PMKG:therapy/dabrafenib+trametinib", RelType.HAS_COMPONENT) == [
        "NCIT:C77908", "NCIT:C82386"]  # fmt: skip
    assert built.neighbour_ids("HGNC:1097", RelType.IN_GENE, Direction.IN) == [
        "PMKG:class/BRAF:V600", "PMKG:variant/BRAF:V600E"]  # fmt: skip
    assert built.neighbour_ids("DOID:3908", RelType.SUBCLASS_OF, Direction.BOTH) == ["DOID:1324", "DOID:3910"]
    assert built.neighbour_ids("DOID:1909", RelType.IN_DISEASE, Direction.IN) == ["CIVIC.EID:1409"]
    assert built.neighbour_ids("DOID:3908", RelType.TARGETS) == []
    assert built.neighbour_ids("HGNC:9999999", RelType.IN_GENE, Direction.IN) == []
    assert built.neighbour_ids("", RelType.ABOUT) == []


def test_neighbour_ids_are_the_ids_of_the_neighbours_for_every_node_type_and_direction(built: Store) -> None:
    for record in _records():
        if isinstance(record, Edge):
            continue
        for rel in RelType:
            for direction in Direction:
                assert built.neighbour_ids(record.id, rel, direction) == [
                    n.id for n in built.neighbours(record.id, rel, direction)
                ], (record.id, rel, direction)


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


# -- reads the Neo4j store was first held to, now every store -----------------------------------
P3 = (Provenance("oncotree", "2025-10", "CC-BY-4.0", "LUAD", line=None),)


def _typed_records() -> list[Record]:
    return [
        Node("HGNC:1097", Label.GENE, "BRAF", ("B-RAF1", "BRAF1"), {"symbol": "BRAF", "entrez_id": 673}, P1),
        Node(
            "PMKG:variant/BRAF:V600E",
            Label.VARIANT,
            "BRAF V600E",
            ("rs113488022", "p.Val600Glu"),
            {"start_grch38": 140753336, "vaf": 0.25, "somatic": True, "transcripts": ["NM_004333.6", "ENST00000646891"],
             "scores": [0.5, 1.25], "positions": [140753336, 140453136], "flags": [True, False]},
            P1,
        ),
        Node("PMKG:class/BRAF:V600", Label.VARIANT_CLASS, "BRAF V600", (), {"class_type": "codon"}, P1),
        Node("DOID:3910", Label.DISEASE, "lung adenocarcinoma", ("LUAD",), {"oncotree": "LUAD"}, P3),
        Node("DOID:3908", Label.DISEASE, "non-small cell lung carcinoma", ("NSCLC",), {}, P1),
        Node("CIVIC.EID:1409", Label.EVIDENCE, "EID1409", (), {"evidence_type": "predictive", "level": "A"}, P1),
        Node("CIVIC.EID:95", Label.EVIDENCE, "EID95", (), {"evidence_type": "predictive", "level": "B"}, P1),
        Node("CIVIC.EID:3017", Label.EVIDENCE, "EID3017", (), {"evidence_type": "prognostic", "rating": 3}, P1),
        Edge("PMKG:variant/BRAF:V600E", RelType.MEMBER_OF, "PMKG:class/BRAF:V600", {"rule": "codon"}, P1),
        Edge("DOID:3910", RelType.SUBCLASS_OF, "DOID:3908", provenance=P1),
        Edge("CIVIC.EID:95", RelType.ABOUT, "PMKG:variant/BRAF:V600E", provenance=P1),
        Edge("CIVIC.EID:1409", RelType.ABOUT, "PMKG:variant/BRAF:V600E", provenance=P1),
        Edge("CIVIC.EID:3017", RelType.ABOUT, "PMKG:class/BRAF:V600", provenance=P1),
    ]  # fmt: skip


@pytest.fixture
def typed(store: Store, list_source: Callable[..., object]) -> Store:
    run_build(store, [list_source("civic", _typed_records())])  # type: ignore[list-item]
    return store


def test_property_types_round_trip(typed: Store) -> None:
    variant = typed.get_node("PMKG:variant/BRAF:V600E")
    assert variant is not None
    assert variant.props == {
        "start_grch38": 140753336, "vaf": 0.25, "somatic": True, "transcripts": ["NM_004333.6", "ENST00000646891"],
        "scores": [0.5, 1.25], "positions": [140753336, 140453136], "flags": [True, False],
    }  # fmt: skip
    assert type(variant.props["start_grch38"]) is int
    assert type(variant.props["vaf"]) is float
    assert type(variant.props["somatic"]) is bool
    assert [type(x) for x in variant.props["flags"]] == [bool, bool]  # type: ignore[union-attr]
    assert [type(x) for x in variant.props["positions"]] == [int, int]  # type: ignore[union-attr]
    assert variant.synonyms == ("rs113488022", "p.Val600Glu")
    assert typed.get_node("DOID:3910").provenance == P3  # type: ignore[union-attr]


def test_find_trims_and_ignores_case(typed: Store) -> None:
    assert [n.id for n in typed.find("  luad ")] == ["DOID:3910"]
    assert [n.id for n in typed.find("\tNSCLC\n")] == ["DOID:3908"]
    assert [n.id for n in typed.find("P.VAL600GLU")] == ["PMKG:variant/BRAF:V600E"]
    assert [n.id for n in typed.find(" hgnc:1097", Label.GENE)] == ["HGNC:1097"]
    assert typed.find("   ") == []
    assert typed.find('luad"') == []


def test_find_many_is_find_of_each_text_at_once(typed: Store) -> None:
    texts = ["  luad ", "NSCLC", "P.VAL600GLU", " hgnc:1097", "luad", "   ", 'luad"', "no such thing"]
    assert typed.find_many(texts) == {t: typed.find(t) for t in texts if typed.find(t)}
    assert [n.id for n in typed.find_many(["luad", "BRAF"], Label.GENE)["BRAF"]] == ["HGNC:1097"]
    assert "luad" not in typed.find_many(["luad"], Label.GENE)
    assert typed.find_many([]) == {}


def test_evidence_for_keeps_the_order_asked_and_sorts_evidence_by_id(typed: Store) -> None:
    evidence = typed.evidence_for(
        ["PMKG:class/BRAF:V600", "PMKG:variant/BRAF:V600E", "DOID:3910", "PMKG:class/BRAF:V600"]
    )
    assert list(evidence) == ["PMKG:class/BRAF:V600", "PMKG:variant/BRAF:V600E"]
    assert [e.id for e in evidence["PMKG:variant/BRAF:V600E"]] == ["CIVIC.EID:1409", "CIVIC.EID:95"]
    assert evidence["PMKG:class/BRAF:V600"][0].props == {"evidence_type": "prognostic", "rating": 3}
    reverse = typed.evidence_for(["PMKG:variant/BRAF:V600E", "PMKG:class/BRAF:V600"])
    assert list(reverse) == ["PMKG:variant/BRAF:V600E", "PMKG:class/BRAF:V600"]


def test_empty_inputs_answer_nothing(typed: Store) -> None:
    assert typed.ancestors([]) == set()
    assert typed.descendants([]) == set()
    assert typed.ancestors(["DOID:3910"], []) == set()
    assert typed.evidence_for([]) == {}
    assert typed.find("") == []
    assert typed.get_node("") is None
    assert typed.neighbours("", RelType.ABOUT) == []


# -- the life of builds -------------------------------------------------------------------------
PB = (Provenance("bulk", "1", "CC0-1.0", "row"),)


def _diseases(version: str, count: int) -> list[Record]:
    """A build's worth of diseases, different for each version (so builds differ in id and content)."""
    nodes: list[Record] = [Node(f"DOID:{900000 + i}", Label.DISEASE, f"disease {version}.{i}", provenance=PB)
                           for i in range(count)]  # fmt: skip
    nodes.append(Edge("DOID:900001", RelType.SUBCLASS_OF, "DOID:900000", provenance=PB))
    return nodes


def _build(
    store: Store, list_source: Callable[..., object], version: str, count: int = 3, **kw: object
) -> BuildManifest:
    return run_build(store, [list_source("bulk", _diseases(version, count), version=version)], **kw)  # type: ignore[arg-type, list-item]


@pytest.fixture
def keep(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int], None]]:
    def set_keep(count: int) -> None:
        monkeypatch.setenv("PMKG_KEEP_BUILDS", str(count))
        get_settings.cache_clear()

    yield set_keep
    monkeypatch.delenv("PMKG_KEEP_BUILDS", raising=False)
    get_settings.cache_clear()


def test_a_staged_build_is_kept_but_unseen_until_promoted(store: Store, list_source: Callable[..., object]) -> None:
    first = _build(store, list_source, "1")
    staged = _build(store, list_source, "2", count=5, promote=False)
    assert store.current_build() == first
    assert store.get_node("DOID:900004") is None
    assert store.find("disease 2.1") == []
    assert [(b.build_id, b.current) for b in store.list_builds()] == [(staged.build_id, False), (first.build_id, True)]

    assert store.promote(staged.build_id) == staged
    assert store.current_build() == staged
    assert store.counts_by_label()["Disease"] == 5
    assert [n.id for n in store.find("disease 2.1")] == ["DOID:900001"]
    assert store.find("disease 1.1") == []
    assert [(b.build_id, b.current) for b in store.list_builds()] == [(staged.build_id, True), (first.build_id, False)]


def test_list_builds_names_sources_versions_counts_and_the_current_one(
    store: Store, list_source: Callable[..., object]
) -> None:
    assert store.list_builds() == []
    one = _build(store, list_source, "1")
    two = _build(store, list_source, "2", count=4)
    listed = store.list_builds()
    assert [b.manifest for b in listed] == [two, one]
    newest = listed[0].as_dict()
    assert newest["build_id"] == two.build_id
    assert newest["current"] is True
    assert newest["sources"] == [{"name": "bulk", "version": "2", "license": "CC0-1.0", "records": 5}]
    assert newest["counts"] == {"Build": 1, "Disease": 4, "Source": 1}
    assert listed[1].as_dict()["current"] is False


def test_only_the_last_keep_builds_are_kept(
    store: Store, list_source: Callable[..., object], keep: Callable[[int], None]
) -> None:
    keep(2)
    made = [_build(store, list_source, str(v)) for v in range(1, 5)]
    assert [b.build_id for b in store.list_builds()] == [made[3].build_id, made[2].build_id]
    with pytest.raises(UnknownBuild, match=rf"no build {made[0].build_id!r}.*{made[3].build_id} \(current\)"):
        store.rollback(made[0].build_id)
    with pytest.raises(UnknownBuild):
        open_at_build(store, made[1].build_id)


def test_rollback_returns_to_the_previous_build_at_once_and_forward_again(
    store: Store, list_source: Callable[..., object]
) -> None:
    one = _build(store, list_source, "1", count=3)
    two = _build(store, list_source, "2", count=6)
    assert store.rollback() == one
    assert store.current_build() == one
    assert store.counts_by_label()["Disease"] == 3
    assert [n.name for n in store.find("DOID:900001")] == ["disease 1.1"]
    assert store.ancestors(["DOID:900001"]) == {"DOID:900000"}
    assert [(b.build_id, b.current) for b in store.list_builds()] == [(two.build_id, False), (one.build_id, True)]
    with pytest.raises(UnknownBuild, match="no build older than the current one"):
        store.rollback()
    assert store.rollback(two.build_id) == two
    assert store.counts_by_label()["Disease"] == 6
    assert [n.name for n in store.find("DOID:900001")] == ["disease 2.1"]


def test_rollback_to_an_unknown_build_lists_the_kept_ones_and_changes_nothing(
    store: Store, list_source: Callable[..., object]
) -> None:
    one = _build(store, list_source, "1")
    with pytest.raises(UnknownBuild) as caught:
        store.rollback("bffffffffffffff")
    assert one.build_id in str(caught.value)
    assert "(current)" in str(caught.value)
    for bad in ("../../etc/passwd", "", "b1 OR 1=1"):
        with pytest.raises(UnknownBuild):
            store.rollback(bad)
    assert store.current_build() == one


def test_discarding_a_staged_build_deletes_it_and_never_the_current_one(
    store: Store, list_source: Callable[..., object]
) -> None:
    one = _build(store, list_source, "1")
    staged = _build(store, list_source, "2", promote=False)
    with pytest.raises(StoreError, match=f"build {one.build_id} is the current build"):
        store.discard(one.build_id)
    store.discard(staged.build_id)
    assert [(b.build_id, b.current) for b in store.list_builds()] == [(one.build_id, True)]
    assert [n.name for n in store.find("DOID:900001")] == ["disease 1.1"]
    with pytest.raises(UnknownBuild, match=f"no build {staged.build_id!r}"):
        store.discard(staged.build_id)
    with pytest.raises(UnknownBuild):
        store.promote(staged.build_id)


def test_a_store_opened_on_a_kept_build_answers_as_of_it(store: Store, list_source: Callable[..., object]) -> None:
    one = _build(store, list_source, "1", count=3)
    two = _build(store, list_source, "2", count=6)
    then = open_at_build(store, one.build_id)
    try:
        assert then.current_build() == one
        assert then.counts_by_label()["Disease"] == 3
        assert then.get_node("DOID:900001").name == "disease 1.1"  # type: ignore[union-attr]
        assert then.get_node("DOID:900004") is None
        assert [n.id for n in then.find("disease 1.2", Label.DISEASE)] == ["DOID:900002"]
        assert [n.id for n in then.nodes_with_label(Label.DISEASE)] == ["DOID:900000", "DOID:900001", "DOID:900002"]
        assert then.ancestors(["DOID:900001"]) == {"DOID:900000"}
        assert [n.id for n in then.neighbours("DOID:900000", RelType.SUBCLASS_OF, Direction.IN)] == ["DOID:900001"]
        assert then.neighbour_ids("DOID:900000", RelType.SUBCLASS_OF, Direction.IN) == ["DOID:900001"]
        with pytest.raises(StoreError, match=f"reads build {one.build_id} only"):
            then.begin_build("bnew")
        assert store.current_build() == two  # the store itself still answers from the current build
        assert store.get_node("DOID:900001").name == "disease 2.1"  # type: ignore[union-attr]
    finally:
        then.close()
    with pytest.raises(UnknownBuild, match=rf"no build 'bnothere'.*{two.build_id} \(current\), {one.build_id}"):
        open_at_build(store, "bnothere")


REPO = Path(__file__).resolve().parents[2]


def test_a_promote_killed_at_any_moment_leaves_exactly_one_current_build(
    store: Store, list_source: Callable[..., object], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    neo4j = not hasattr(store, "folder")
    size = 20_000 if neo4j else 2_000  # a Neo4j flip of this size takes a good part of a second
    one = _build(store, list_source, "1", count=size)
    two = _build(store, list_source, "2", count=size // 2)
    folder = getattr(store, "folder", tmp_path)
    for delay in (0.05, 0.4, 1.1):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.kg.interrupt_promote", "neo4j" if neo4j else "embedded", str(folder),
             one.build_id, two.build_id], cwd=REPO, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "FLIPPING"
            time.sleep(delay)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        if neo4j:
            # A COMMIT the killed process sent just before dying may still be landing: wait for the
            # pointer lock, which its transaction holds until it commits or the server rolls it back.
            request.getfixturevalue("cypher")(
                "MERGE (p:PmkgState {key: 'pointer-lock'}) SET p.claims = coalesce(p.claims, 0) + 1"
            )
        current = store.current_build()
        assert current in (one, two)
        assert store.counts_by_label() == dict(current.counts)  # type: ignore[union-attr]
        assert [b.build_id for b in store.list_builds() if b.current] == [current.build_id]  # type: ignore[union-attr]
        expected = "disease 1.1" if current == one else "disease 2.1"
        assert store.get_node("DOID:900001").name == expected  # type: ignore[union-attr]
        if neo4j:
            cypher = request.getfixturevalue("cypher")
            assert cypher("MATCH (n:Entity) RETURN DISTINCT n.build AS b") == [{"b": current.build_id}]  # type: ignore[union-attr]
            assert cypher("MATCH (n:Disease) RETURN count(n) AS n") == [{"n": current.counts["Disease"]}]  # type: ignore[union-attr]
