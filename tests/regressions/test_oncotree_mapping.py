"""Regressions: OncoTree codes that reached no Disease Ontology term (468 of 898 before), on the bundled data.

Before, only shared NCIt/UMLS codes mapped, so the whole breast branch (BRCA, IDC, ILC),
HGSOC, DIFG and LGGNOS reached no DO term and their evidence counted as "other disease".
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

from kg.records import Edge, Node
from kg.schema import DiseaseMapping, RelType
from loaders.oncotree import OncoTreeLoader

UNMAPPED_NOTE = Path(__file__).resolve().parents[1] / "data" / "oncotree" / "UNMAPPED.md"


@functools.cache
def _records() -> tuple[dict[str, Node], dict[str, list[Edge]]]:
    nodes: dict[str, Node] = {}
    maps: dict[str, list[Edge]] = {}
    for record in OncoTreeLoader.starter().parse():
        if isinstance(record, Node):
            nodes[record.id] = record
        elif record.type == RelType.MAPS_TO:
            maps.setdefault(record.start, []).append(record)
    return nodes, maps


def _targets(code: str) -> dict[str, str]:
    """DO id → method of each MAPS_TO edge of ``code``."""
    return {e.end: str(e.props["method"]) for e in _records()[1].get(f"ONCOTREE:{code}", [])}


def test_at_least_98_percent_of_oncotree_codes_map_each_with_a_known_method() -> None:
    nodes, maps = _records()
    codes = [n for n in nodes if n.startswith("ONCOTREE:")]
    assert len(codes) == 898
    assert len(maps) / len(codes) >= 0.98
    methods = {str(m) for m in DiseaseMapping}
    for code, edges in maps.items():
        for edge in edges:
            assert edge.props["method"] in methods, code
            assert edge.props["via"], code
            assert edge.end.startswith("DOID:"), code
        assert nodes[code].props["do_mapping"] == edges[0].props["method"]
    used = Counter(str(e.props["method"]) for edges in maps.values() for e in edges[:1])
    assert used["ncit_xref"] > 400
    assert used["name"] > 90
    assert used["oncotree_ancestor"] > 250


def test_the_unmapped_codes_are_the_ones_the_test_data_note_lists() -> None:
    nodes, maps = _records()
    unmapped = {n.removeprefix("ONCOTREE:") for n in nodes if n.startswith("ONCOTREE:") and n not in maps}
    listed = set(re.findall(r"^\| ([A-Z0-9_/-]+) \|", UNMAPPED_NOTE.read_text(encoding="utf-8"), re.MULTILINE))
    assert unmapped == listed - {"code"}


def test_brca_reaches_breast_carcinoma_as_a_broader_term() -> None:
    # NCIt C9245 "Invasive Breast Carcinoma" is in no DO term; without "Invasive" it is DO's breast carcinoma.
    assert _targets("BRCA") == {"DOID:3459": "broader_name"}
    assert _targets("BREAST") == {"DOID:1612": "tissue_name"}  # the tissue is DO's breast cancer


def test_idc_is_dos_invasive_ductal_carcinoma() -> None:
    # "Breast Invasive Ductal Carcinoma" without its tissue's word, checked to lie under breast cancer.
    assert _targets("IDC") == {"DOID:3008": "name"}


def test_ilc_is_dos_invasive_lobular_carcinoma() -> None:
    assert _targets("ILC") == {"DOID:3457": "name"}


def test_hgsoc_reaches_ovarian_serous_carcinoma_as_a_broader_term() -> None:
    assert _targets("HGSOC") == {"DOID:0050933": "broader_name"}
    assert _targets("LGSOC") == {"DOID:0050933": "broader_name"}


def test_difg_diffuse_glioma_maps_through_its_tissue() -> None:
    # OncoTree DIFG is "Diffuse Glioma" (not DIPG); DO has no diffuse glioma, so it borrows CNS/Brain's terms.
    nodes, _ = _records()
    assert nodes["ONCOTREE:DIFG"].name == "Diffuse Glioma"
    assert _targets("DIFG") == {"DOID:1319": "oncotree_ancestor", "DOID:3620": "oncotree_ancestor"}
    assert nodes["ONCOTREE:DIFG"].props["mapped_through"] == "ONCOTREE:BRAIN"


def test_lggnos_is_dos_low_grade_glioma() -> None:
    assert _targets("LGGNOS") == {"DOID:0080829": "name"}


def test_an_abbreviation_shared_by_two_diseases_never_maps_by_name() -> None:
    # "MDS, Unclassifiable" without its qualifier is "MDS", a DO synonym of Miller-Dieker syndrome.
    assert "DOID:0060469" not in _targets("MDSU")


def test_a_tissue_of_two_organs_holds_each_organs_cancer_and_is_neither() -> None:
    assert _targets("STOMACH") == {"DOID:5041": "tissue_parts", "DOID:10534": "tissue_parts"}
    # An ancestor's terms are borrowed for the organ the name mentions.
    assert _targets("HGNEE") == {"DOID:5041": "oncotree_ancestor"}  # "... Carcinoma of the Esophagus"
