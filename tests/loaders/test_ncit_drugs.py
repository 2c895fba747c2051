"""The NCIt drug thesaurus loader on the bundled NCIt 23.09d subset (real NCIt OWL)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kg.drug_identity import THESAURUS_PROP
from kg.errors import SourceFileError
from kg.records import Node
from kg.schema import Label
from loaders.ncit_drugs import NcitDrugLoader
from loaders.registry import starter_loaders


@pytest.fixture(scope="module")
def concepts() -> dict[str, Node]:
    nodes = [r for r in NcitDrugLoader.starter().parse() if isinstance(r, Node)]
    assert all(n.label == Label.DRUG for n in nodes)
    return {n.id: n for n in nodes}


def test_substances_become_thesaurus_entries_and_drug_classes_do_not(concepts: dict[str, Node]) -> None:
    assert {"NCIT:C1647", "NCIT:C376", "NCIT:C488", "NCIT:C66724", "NCIT:C739"} <= set(concepts)
    # Drug classes, activities and procedures carry no registry code: not one substance.
    assert not {"NCIT:C155322", "NCIT:C1450", "NCIT:C274", "NCIT:C49236", "NCIT:C1909"} & set(concepts)
    assert all(n.props[THESAURUS_PROP] == "NCIt" for n in concepts.values())


def test_trastuzumab_carries_its_names_brands_and_registry_codes(concepts: dict[str, Node]) -> None:
    trastuzumab = concepts["NCIT:C1647"]
    assert trastuzumab.name == "Trastuzumab"
    assert {"Herceptin", "rhuMAb HER2", "Biceltis"} <= set(trastuzumab.synonyms)
    brands = trastuzumab.props["brand_names"]
    assert isinstance(brands, list)
    assert {"Herceptin", "Biceltis"} <= set(brands)
    assert "ABP 980" not in brands  # a code name (CN)
    assert trastuzumab.props["fda_unii"] == "P188ANX8CK"
    assert trastuzumab.props["ncit_id"] == "C1647"
    assert trastuzumab.provenance[0].source == "ncit_drugs"


def test_salt_forms_ncit_links_are_kept(concepts: dict[str, Node]) -> None:
    assert concepts["NCIT:C739"].props["salt_forms"] == ["NCIT:C76956", "NCIT:C95059"]  # phenobarbital


def test_the_thesaurus_is_in_the_starter_build() -> None:
    assert "ncit_drugs" in [loader.spec.name for loader in starter_loaders()]


def test_a_truncated_release_is_reported_with_the_file(tmp_path: Path) -> None:
    whole = gzip.decompress((Path(NcitDrugLoader.starter().paths["thesaurus"])).read_bytes())
    cut = tmp_path / "Thesaurus.owl"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceFileError, match=r"Thesaurus\.owl.*(truncated|not well-formed)"):
        list(NcitDrugLoader.from_path(cut).parse())


def test_a_concept_without_a_preferred_name_is_a_clear_error(tmp_path: Path) -> None:
    whole = gzip.decompress((Path(NcitDrugLoader.starter().paths["thesaurus"])).read_bytes()).decode()
    broken = whole.replace("<P108>Cisplatin</P108>", "").replace("<rdfs:label>Cisplatin</rdfs:label>", "")
    path = tmp_path / "Thesaurus.owl"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SourceFileError, match="C376 has no code or no preferred name"):
        list(NcitDrugLoader.from_path(path).parse())
    skipping = NcitDrugLoader.from_path(path, skip_bad_rows=True)
    assert "NCIT:C376" not in {r.id for r in skipping.parse() if isinstance(r, Node)}
    assert skipping.skipped_rows == 1
