"""OncoTree loader: tumour types, their tree, and their mapping onto the Disease Ontology."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Direction
from loaders.disease_ontology import DO_VERSION, DiseaseOntologyIndex, DiseaseOntologyLoader
from loaders.oncotree import ONCOTREE_VERSION, OncoTreeLoader

DATA = Path(__file__).parents[1] / "data"
TREE = DATA / "oncotree" / "oncotree_2025_10_03.json"
DO = DATA / "disease_ontology"


def do_index() -> DiseaseOntologyIndex:
    return DiseaseOntologyIndex.from_files(DO / "HumanDO.tsv", DO / "allXREFinDO.tsv")


def loader(
    path: Path = TREE, *, skip_bad_rows: bool = False, index: DiseaseOntologyIndex | None = None
) -> OncoTreeLoader:
    """OncoTree over the fixture, mapped onto the DO fixture (so a DO + OncoTree build is closed)."""
    return OncoTreeLoader(
        {"tree": path}, version=ONCOTREE_VERSION, skip_bad_rows=skip_bad_rows, do_index=index or do_index()
    )


def do_loader() -> DiseaseOntologyLoader:
    files = {"terms": "HumanDO.tsv", "xrefs": "allXREFinDO.tsv", "ncit_subset": "NCIthesaurus.obo",
             "cancer_slim": "DO_cancer_slim.obo"}  # fmt: skip
    return DiseaseOntologyLoader({k: DO / v for k, v in files.items()}, version=DO_VERSION)


def test_luad_node_carries_code_tissue_level_and_references() -> None:
    nodes = {r.id: r for r in loader().parse() if isinstance(r, Node)}
    luad = nodes["ONCOTREE:LUAD"]
    assert luad.label == Label.DISEASE
    assert luad.name == "Lung Adenocarcinoma"
    assert luad.synonyms == ("LUAD",)
    assert luad.props == {
        "main_type": "Non-Small Cell Lung Cancer", "tissue": "Lung", "color": "Gainsboro", "level": 3,
        "ncit": ["C3512"], "umls": ["C0152013"], "do_mapping": "ncit_xref",
    }  # fmt: skip
    assert nodes["ONCOTREE:FT"].synonyms == ("FT", "MFT")  # its code before a renaming
    assert nodes["ONCOTREE:FT"].props["previous_codes"] == ["MFT"]
    assert nodes["ONCOTREE:TISSUE"].props["level"] == 0


def test_tree_edges_and_do_mappings() -> None:
    records = list(loader(index=DiseaseOntologyIndex.bundled()).parse())  # the whole DO, as in a real build
    edges = {(r.start, r.type, r.end): r for r in records if isinstance(r, Edge)}
    assert ("ONCOTREE:LUAD", RelType.SUBCLASS_OF, "ONCOTREE:NSCLC") in edges
    assert edges["ONCOTREE:LUAD", RelType.MAPS_TO, "DOID:3910"].props == {"method": "ncit_xref", "via": ["NCIT:C3512"]}
    assert ("ONCOTREE:SKCM", RelType.MAPS_TO, "DOID:8923") in edges
    # NCI wins over UMLS when they disagree; both DO terms that share an NCI code are targets.
    fgfr1 = {end for start, rel, end in edges if start == "ONCOTREE:MLNFGFR1" and rel == RelType.MAPS_TO}
    assert fgfr1 == {"DOID:0080167"}
    acyc = {end for start, rel, end in edges if start == "ONCOTREE:ACYC" and rel == RelType.MAPS_TO}
    assert acyc == {"DOID:0080202", "DOID:4866"}
    # No codes: "Ovarian Cancer, Other" is a kind of DO's ovarian cancer, found by its name without "Other".
    oovc = [r for k, r in edges.items() if k[0] == "ONCOTREE:OOVC" and k[1] == RelType.MAPS_TO]
    assert [(r.end, r.props["method"]) for r in oovc] == [("DOID:2394", "broader_name")]
    # Every MAPS_TO target has a node (named by DO) in the same stream.
    nodes = {r.id: r for r in records if isinstance(r, Node)}
    assert nodes["DOID:3910"].name == "lung adenocarcinoma"
    assert all(end in nodes for (_, _, end) in edges)


def test_provenance_names_the_code_found_in_the_file() -> None:
    text = TREE.read_text(encoding="utf-8")
    for record in loader().parse():
        p = record.provenance[0]
        assert (p.source, p.version, p.license) == ("oncotree", ONCOTREE_VERSION, "CC-BY-4.0")
        assert f'"code":"{p.record_id}"' in text


def test_oncotree_alone_builds_and_reaches_do(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    run_build(store, [loader()])
    for query in ("LUAD", "Lung Adenocarcinoma"):
        found = [n for n in store.find(query) if n.id.startswith("ONCOTREE:")]
        assert [n.id for n in found] == ["ONCOTREE:LUAD"]
        assert [n.id for n in store.neighbours("ONCOTREE:LUAD", RelType.MAPS_TO)] == ["DOID:3910"]
    assert {"ONCOTREE:NSCLC", "ONCOTREE:LUNG", "ONCOTREE:TISSUE"} <= store.ancestors(["ONCOTREE:LUAD"])
    assert store.evidence_for(["ONCOTREE:LUAD"]) == {}


def test_with_do_luad_reaches_cancer_and_skcm_reaches_melanoma(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    run_build(store, [do_loader(), loader()])
    luad = store.find("LUAD")[0].id
    targets = [n.id for n in store.neighbours(luad, RelType.MAPS_TO)]
    assert targets == ["DOID:3910"]
    assert {"DOID:3908", "DOID:1324", "DOID:162", "DOID:4"} <= store.ancestors(targets)
    # SKCM → MEL in OncoTree; MEL maps to DO's melanoma (DO files skin melanoma under skin cancer only).
    skcm = store.find("SKCM")[0].id
    lineage = [skcm, *store.ancestors([skcm])]
    reached = {n.id: n.name for node in lineage for n in store.neighbours(node, RelType.MAPS_TO)}
    assert reached["DOID:1909"] == "melanoma"
    assert reached["DOID:8923"] == "skin melanoma"
    assert "ONCOTREE:LUAD" in [n.id for n in store.neighbours("DOID:3910", RelType.MAPS_TO, Direction.IN)]
    node = store.get_node("DOID:3910")
    assert node is not None
    assert node.name == "lung adenocarcinoma"
    assert "ncit" in node.props


def test_malformed_json_and_truncation_name_the_file(tmp_path: Path) -> None:
    truncated = tmp_path / "tree.json"
    text = TREE.read_text(encoding="utf-8")
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SourceFileError, match="truncated") as info:
        list(loader(truncated).parse())
    assert info.value.path == str(truncated)
    assert info.value.line == 1
    wrong = tmp_path / "wrong.json"
    wrong.write_text('"not a tree"', encoding="utf-8")
    with pytest.raises(SourceFileError, match="expected an OncoTree tree"):
        list(loader(wrong).parse())


def test_bad_tumour_types_fail_or_are_skipped(tmp_path: Path) -> None:
    tree = json.loads(TREE.read_text(encoding="utf-8"))
    lung = tree["TISSUE"]["children"]["LUNG"]
    lung["children"]["NSCLC"]["children"]["LUAD"]["name"] = ""
    lung["children"]["NSCLC"]["children"]["LUAD"]["children"] = {}
    path = tmp_path / "tree.json"
    path.write_text(json.dumps(tree), encoding="utf-8")
    with pytest.raises(SourceFileError, match="LUAD has no name") as info:
        list(loader(path).parse())
    assert info.value.field == "name"
    assert "TISSUE > LUNG > NSCLC > LUAD" in str(info.value)
    skipping = loader(path, skip_bad_rows=True)
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [skipping])
    assert manifest.sources[0].skipped_rows == 1
    assert manifest.counts["Disease"] > 30


def test_flat_api_list_reads_the_same_types(tmp_path: Path) -> None:
    tree = json.loads(TREE.read_text(encoding="utf-8"))
    flat, todo = [], [tree["TISSUE"]]
    while todo:
        node = todo.pop()
        todo.extend(node["children"].values())
        flat.append({**node, "children": {}})
    path = tmp_path / "tumorTypes.json"
    path.write_text(json.dumps(flat), encoding="utf-8")
    from_tree = {(r.start, r.end) for r in loader().parse() if isinstance(r, Edge)}
    from_list = {(r.start, r.end) for r in loader(path).parse() if isinstance(r, Edge)}
    assert from_tree == from_list


def test_starter_maps_most_coded_types(tmp_path: Path) -> None:
    records = list(OncoTreeLoader.starter().parse())
    types = [r for r in records if isinstance(r, Node) and r.id.startswith("ONCOTREE:")]
    mapped = {r.start for r in records if isinstance(r, Edge) and r.type == RelType.MAPS_TO}
    assert len(types) == 898
    assert len(mapped) > 400
