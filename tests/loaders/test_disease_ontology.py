"""Disease Ontology loader: terms, cross-references, the hierarchy, and the bundled release."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node, Record
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from loaders.disease_ontology import DO_VERSION, DiseaseOntologyIndex, DiseaseOntologyLoader

DATA = Path(__file__).parents[1] / "data" / "disease_ontology"
FILES = {
    "terms": "HumanDO.tsv",
    "xrefs": "allXREFinDO.tsv",
    "ncit_subset": "NCIthesaurus.obo",
    "cancer_slim": "DO_cancer_slim.obo",
}


def fixture_paths(folder: Path = DATA) -> dict[str, Path]:
    return {name: folder / file for name, file in FILES.items()}


def loader(folder: Path = DATA, *, skip_bad_rows: bool = False) -> DiseaseOntologyLoader:
    return DiseaseOntologyLoader(fixture_paths(folder), version=DO_VERSION, skip_bad_rows=skip_bad_rows)


def nodes_and_edges(records: list[Record]) -> tuple[dict[str, Node], list[Edge]]:
    nodes = {r.id: r for r in records if isinstance(r, Node)}
    return nodes, [r for r in records if isinstance(r, Edge)]


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    folder = tmp_path / "do"
    shutil.copytree(DATA, folder)
    return folder


def test_lung_adenocarcinoma_has_synonyms_xrefs_and_alt_ids() -> None:
    nodes, _ = nodes_and_edges(list(loader().parse()))
    luad = nodes["DOID:3910"]
    assert luad.label == Label.DISEASE
    assert luad.name == "lung adenocarcinoma"
    assert "bronchogenic lung adenocarcinoma" in luad.synonyms
    assert luad.props["related_synonyms"] == ["adenocarcinoma of lung"]  # not a match key, kept apart
    assert luad.props["ncit"] == ["C27745", "C3512"]
    assert luad.props["umls"] == ["C0152013", "C1335060"]
    assert luad.props["mesh"] == ["D000077192"]
    assert luad.props["alt_ids"] == ["DOID:3909", "DOID:4826"]
    subsets = luad.props["subsets"]
    assert isinstance(subsets, list)
    assert "DO_cancer_slim" in subsets
    assert nodes["DOID:3908"].synonyms == (
        "Non-small cell lung cancer",
        "non-small cell lung carcinoma",
        "NSCLC",
        "NCIT:C2926",
    )


def test_parents_are_resolved_from_labels_including_several_parents_and_the_root() -> None:
    nodes, edges = nodes_and_edges(list(loader().parse()))
    parents = {(e.start, e.end) for e in edges if e.type == RelType.SUBCLASS_OF}
    assert ("DOID:3910", "DOID:3908") in parents
    assert {("DOID:13241", "DOID:417"), ("DOID:13241", "DOID:865")} <= parents  # Behcet's: two parents
    assert nodes["DOID:4"].name == "disease"  # named in HumanDO.tsv only as a parent
    assert ("DOID:14566", "DOID:4") in parents
    assert all(e.start in nodes and e.end in nodes for e in edges)


def test_obsolete_terms_are_left_out() -> None:
    nodes, _ = nodes_and_edges(list(loader().parse()))
    assert "DOID:0080191" not in nodes  # obsolete in DO_cancer_slim.obo


def test_provenance_leads_back_to_the_humando_line() -> None:
    lines = (DATA / "HumanDO.tsv").read_text(encoding="utf-8").splitlines()
    records = list(loader().parse())
    assert records
    for record in records:
        p = record.provenance[0]
        assert (p.source, p.version, p.license) == ("disease_ontology", DO_VERSION, "CC0-1.0")
        if p.line is not None:
            assert f'"{p.record_id}"' in lines[p.line - 1]


def test_build_answers_hierarchy_and_search(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [loader()])
    assert manifest.counts["Disease"] == 27  # 26 terms in HumanDO.tsv and the root
    ancestors = store.ancestors(["DOID:3910"])
    assert {"DOID:3908", "DOID:3905", "DOID:1324", "DOID:162", "DOID:4"} <= ancestors
    assert "DOID:3910" in store.descendants(["DOID:162"])
    assert [n.id for n in store.find("NSCLC")] == ["DOID:3908"]
    assert [n.id for n in store.find("Lung Adenocarcinoma", Label.DISEASE)] == ["DOID:3910"]
    assert [n.id for n in store.find("ncit:c3512")] == ["DOID:3910"]  # an NCIt code DO cross-references
    assert [n.id for n in store.find("DOID:3909")] == ["DOID:3910"]  # an id DO merged into DOID:3910
    assert store.evidence_for(["DOID:3910"]) == {}
    node = store.get_node("DOID:3910")
    assert node is not None
    assert node.provenance[0].line is not None
    row = (DATA / "HumanDO.tsv").read_text(encoding="utf-8").splitlines()[node.provenance[0].line - 1]
    assert row.startswith('"DOID:3910"\t"lung adenocarcinoma"')


def test_wrong_header_names_file_and_line(copied: Path) -> None:
    path = copied / "HumanDO.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("subClassOf", "parent", 1), encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        list(loader(copied).parse())
    assert (info.value.path, info.value.line) == (str(path), 1)
    assert "subClassOf" in str(info.value)


def test_malformed_rows_fail_or_are_counted_when_skipped(copied: Path, tmp_path: Path) -> None:
    path = copied / "HumanDO.tsv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].split("\t")[0] + "\n"  # a row cut short
    lines[5] = '"DOID:X"\t"not a doid"\t"cancer"\n'
    lines[8] = lines[8].replace('"large intestine cancer"', '"no such disease"')
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        list(loader(copied).parse())
    assert (info.value.path, info.value.line) == (str(path), 3)
    skipping = loader(copied, skip_bad_rows=True)
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [skipping])
    assert [(e.line, e.field) for e in skipping.skipped] == [(3, None), (6, "id"), (9, "subClassOf")]
    assert manifest.sources[0].skipped_rows == 3


def test_truncated_obo_subset_is_an_error(copied: Path) -> None:
    path = copied / "NCIthesaurus.obo"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2].rstrip("\n"), encoding="utf-8")
    with pytest.raises(SourceFileError, match="truncated") as info:
        list(loader(copied).parse())
    assert info.value.path == str(path)
    assert info.value.line is not None


def test_index_maps_codes_onto_do_terms() -> None:
    index = DiseaseOntologyIndex.from_files(DATA / "HumanDO.tsv", DATA / "allXREFinDO.tsv")
    assert index.by_xref("NCI", "C3512") == ("DOID:3910",)
    assert index.by_xref("NCIT", "C3512") == ("DOID:3910",)
    assert index.by_xref("UMLS", "C0152013") == ("DOID:3910",)
    assert index.by_xref("NCI", "C0000") == ()
    assert index.name("DOID:1909") == "melanoma"
    assert "DOID:162" in index


def test_starter_is_the_whole_ontology(tmp_path: Path) -> None:
    """The README's first command builds this; it must hold every DO term and answer hierarchy queries."""
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [DiseaseOntologyLoader.starter()])
    assert manifest.sources[0].version == DO_VERSION
    assert manifest.counts["Disease"] > 12_000
    ancestors = store.ancestors([n.id for n in store.find("lung adenocarcinoma")])
    assert {"DOID:3908", "DOID:1324", "DOID:162", "DOID:4"} <= ancestors
    assert store.get_node("DOID:4") is not None


def test_a_release_folder_is_versioned_by_the_release_its_obo_files_name(tmp_path: Path) -> None:
    """A curator's candidate DO release must be named by its date, not the day its files were copied."""
    loader = DiseaseOntologyLoader.from_path(DATA)
    assert loader.version == "2026-07-31"
    assert DiseaseOntologyLoader.from_path(DATA, version="mine").version == "mine"
    older = tmp_path / "do"
    shutil.copytree(DATA, older)
    for name in ("DO_cancer_slim.obo", "NCIthesaurus.obo"):
        obo = older / name
        obo.write_text(obo.read_text().replace("releases/2026-07-31/", "releases/2025-12-23/", 1))
    assert DiseaseOntologyLoader.from_path(older).version == "2025-12-23"
    for name in ("DO_cancer_slim.obo", "NCIthesaurus.obo"):  # no release named: the files' date, as for any source
        obo = older / name
        obo.write_text(obo.read_text().replace("data-version: doid/releases/2025-12-23/", "data-version: x/", 1))
    assert DiseaseOntologyLoader.from_path(older).version.startswith("local-")
