"""NCIt loader (optional, fetched at run time): disease concepts from the OWL release."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node
from kg.schema import RelType
from kg.stores.embedded import EmbeddedStore
from loaders.disease_ontology import DiseaseOntologyIndex
from loaders.ncit import NcitLoader

DATA = Path(__file__).parents[1] / "data"
OWL = DATA / "ncit" / "Thesaurus.owl"
DO = DATA / "disease_ontology"


def loader(path: Path = OWL, *, skip_bad_rows: bool = False) -> NcitLoader:
    index = DiseaseOntologyIndex.from_files(DO / "HumanDO.tsv", DO / "allXREFinDO.tsv")
    return NcitLoader({"thesaurus": path}, version="25.08d", skip_bad_rows=skip_bad_rows, do_index=index)


def test_disease_concepts_with_nci_synonyms_only() -> None:
    records = list(loader().parse())
    nodes = {r.id: r for r in records if isinstance(r, Node)}
    nsclc = nodes["NCIT:C2926"]
    assert nsclc.name == "Lung Non-Small Cell Carcinoma"
    assert "NSCLC" in nsclc.synonyms
    assert "Non-Small Cell Lung Cancer" in nsclc.synonyms
    assert nsclc.props["umls"] == ["C0007131"]
    assert nsclc.props["semantic_types"] == ["Neoplastic Process"]
    # "Liposarcoma" is only CTRP's display name for Childhood Liposarcoma: kept apart, not a match key.
    assert "Liposarcoma" not in nodes["NCIT:C8091"].synonyms
    assert nodes["NCIT:C8091"].props["other_source_synonyms"] == ["Liposarcoma"]
    assert "NCIT:C61111" not in nodes
    assert "NCIT:C22187" not in nodes
    edges = {(r.start, r.type, r.end) for r in records if isinstance(r, Edge)}
    assert ("NCIT:C121567", RelType.SUBCLASS_OF, "NCIT:C60681") in edges
    assert ("NCIT:C60681", RelType.SUBCLASS_OF, "NCIT:C61118") in edges
    assert not [e for e in edges if e[2] == "NCIT:C61111"]  # a non-disease parent gets no edge
    assert ("NCIT:C2926", RelType.MAPS_TO, "DOID:3908") in edges


def test_provenance_names_the_concept_code_in_the_file() -> None:
    text = OWL.read_text(encoding="utf-8")
    for record in loader().parse():
        p = record.provenance[0]
        assert f"<NHC0>{p.record_id}</NHC0>" in text


def test_zip_and_gzip_releases_read_the_same(tmp_path: Path) -> None:
    zipped = tmp_path / "Thesaurus.OWL.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(OWL, "Thesaurus.owl")
    gzipped = tmp_path / "Thesaurus.owl.gz"
    gzipped.write_bytes(gzip.compress(OWL.read_bytes()))
    plain = [r.id for r in loader().parse() if isinstance(r, Node)]
    assert [r.id for r in loader(zipped).parse() if isinstance(r, Node)] == plain
    assert [r.id for r in loader(gzipped).parse() if isinstance(r, Node)] == plain


def test_build_answers_ancestors(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    run_build(store, [loader()])
    assert store.ancestors(["NCIT:C121567"]) == {"NCIT:C60681", "NCIT:C61118"}
    assert [n.id for n in store.find("NSCLC")] == ["NCIT:C2926"]


def test_truncated_and_malformed_xml(tmp_path: Path) -> None:
    path = tmp_path / "Thesaurus.owl"
    text = OWL.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SourceFileError, match="truncated") as info:
        list(loader(path).parse())
    assert info.value.path == str(path)
    assert info.value.line is not None
    path.write_text(text.replace("<P108>Childhood Liposarcoma</P108>", "<P108>Childhood Liposarcoma</P107>"),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(SourceFileError, match="not well-formed"):
        list(loader(path).parse())
