"""MONDO loader (optional, fetched at run time): terms, hierarchy and exact matches onto DO."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node
from kg.schema import RelType
from kg.stores.embedded import EmbeddedStore
from loaders.disease_ontology import DiseaseOntologyIndex
from loaders.mondo import MondoLoader

DATA = Path(__file__).parents[1] / "data"
MONDO = DATA / "mondo" / "mondo.obo"
DO = DATA / "disease_ontology"


def loader(path: Path = MONDO, *, skip_bad_rows: bool = False) -> MondoLoader:
    index = DiseaseOntologyIndex.from_files(DO / "HumanDO.tsv", DO / "allXREFinDO.tsv")
    return MondoLoader({"mondo": path}, version="2025-11-04", skip_bad_rows=skip_bad_rows, do_index=index)


def test_mondo_terms_with_xrefs_and_exact_matches() -> None:
    records = list(loader().parse())
    nodes = {r.id: r for r in records if isinstance(r, Node)}
    nsclc = nodes["MONDO:0005233"]
    assert nsclc.name == "non-small cell lung carcinoma"
    assert "NSCLC" in nsclc.synonyms
    assert nsclc.props["doid"] == ["3908"]
    assert nsclc.props["ncit"] == ["C2926"]
    assert nsclc.props["umls"] == ["C0007131"]
    assert nsclc.props["oncotree"] == ["NSCLC"]
    assert not [i for i in nodes if i.startswith("BFO:")]  # other ontologies' terms are skipped
    edges = {(r.start, r.type, r.end) for r in records if isinstance(r, Edge)}
    assert ("MONDO:0005233", RelType.SUBCLASS_OF, "MONDO:0005138") in edges
    assert ("MONDO:0005233", RelType.MAPS_TO, "DOID:3908") in edges
    assert nodes["DOID:3908"].name == "lung non-small cell carcinoma"  # the minimal node is named by DO
    cancer = {end for start, rel, end in edges if start == "MONDO:0004992" and rel == RelType.MAPS_TO}
    assert cancer == {"DOID:0050686", "DOID:0050687", "DOID:162"}  # MONDO's own three exact matches
    # DOID:0050161 is not in the DO at hand (the fixture): that exact match is dropped, not guessed.
    assert not [e for e in edges if e[0] == "MONDO:0000270" and e[1] == RelType.MAPS_TO]


def test_provenance_leads_back_to_the_id_line() -> None:
    lines = MONDO.read_text(encoding="utf-8").splitlines()
    for record in loader().parse():
        p = record.provenance[0]
        assert p.line is not None
        assert lines[p.line - 1] == f"id: {p.record_id}"


def test_build_reaches_disease_from_nsclc(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    run_build(store, [loader()])
    assert {"MONDO:0005138", "MONDO:0004992", "MONDO:0000001"} <= store.ancestors(["MONDO:0005233"])
    assert "MONDO:0005233" in [n.id for n in store.find("NSCLC")]
    assert store.evidence_for(["MONDO:0005233"]) == {}


def test_missing_parent_is_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "mondo.obo"
    path.write_text(MONDO.read_text(encoding="utf-8").replace("is_a: MONDO:0005138", "is_a: MONDO:9999999"),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(SourceFileError, match="MONDO:9999999, which is not in the file") as info:
        list(loader(path).parse())
    assert info.value.path == str(path)
    assert info.value.line is not None
    skipping = loader(path, skip_bad_rows=True)
    assert run_build(EmbeddedStore(tmp_path / "graph"), [skipping]).sources[0].skipped_rows == 1


def test_truncated_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "mondo.obo"
    text = MONDO.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SourceFileError, match="truncated"):
        list(loader(path).parse())
