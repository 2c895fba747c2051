"""OncoTree release diff: real releases compared, changes found by hand in the files named one by one.

Releases: oncotree_2021_11_02 and latest_stable (tests/data/oncotree/releases/, whole), MOAlmanac's
table of 2023-03-09 (its CNS/Brain rows) and oncotree_2025_10_03 (the starter's).  The mapping
outcomes follow OncoTree's own mapping tool, checked against its tutorial example.
"""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import pytest

from kg.errors import SourceFileError
from kg.oncotree_codes import RemapOutcome, Via, forward_candidates, remap_code
from kg.oncotree_diff import OncoTreeChangeKind
from loaders.oncotree_release import diff_oncotree_releases, read_oncotree_release

RELEASES = Path(__file__).parents[1] / "data" / "oncotree" / "releases"
R2021 = RELEASES / "oncotree_2021_11_02.json.gz"
LATEST = RELEASES / "latest_stable.json.gz"
T2023 = RELEASES / "oncotree.2023-03-09.txt"
R2025 = Path(__file__).parents[2] / "loaders" / "starter" / "oncotree" / "oncotree_2025_10_03.json.gz"


@pytest.fixture(scope="module")
def diff_2021_2025():
    return diff_oncotree_releases(R2021, R2025)


def test_versions_are_read_from_the_file_names(diff_2021_2025) -> None:
    assert (diff_2021_2025.old_version, diff_2021_2025.new_version) == ("oncotree_2021_11_02", "oncotree_2025_10_03")
    assert read_oncotree_release(T2023).version == "oncotree_2023_03_09"


def test_2021_to_2025_counts_by_kind(diff_2021_2025) -> None:
    counts = diff_2021_2025.counts()
    assert counts["added"] == 19
    assert counts["retired"] == 6
    assert counts["code changed"] == 0
    assert counts["renamed"] == 5
    assert counts["re-parented"] == 7
    assert diff_2021_2025.outcomes() == {"unambiguous": 3, "more granular": 3, "ambiguous": 0, "none": 0}


def test_2025_adds_the_who_cns5_glioma_types_under_their_new_parents(diff_2021_2025) -> None:
    added = {c.code: c.after for c in diff_2021_2025.of_kind(OncoTreeChangeKind.ADDED)}
    assert added["DMG"] == "PDIFHG"  # Diffuse Midline Glioma, H3 K27-Altered
    assert added["ADIFG"] == "DIFG"  # Adult-Type Diffuse Gliomas
    assert {"ASTR2", "ASTR3", "ASTR4"} <= set(added)
    assert added["XGA"] == "HDCN"


def test_retired_glioma_codes_map_as_oncotree_mapping_tool_says(diff_2021_2025) -> None:
    retired = {c.code: c.remapping for c in diff_2021_2025.of_kind(OncoTreeChangeKind.RETIRED)}
    assert set(retired) == {"AASTR", "AOAST", "AODG", "DIPG", "GBM", "OAST"}
    # Glioblastoma Multiforme: revoked into GB, which gained GSARC and SCGBM below it.
    gbm = retired["GBM"]
    assert gbm is not None
    assert (gbm.outcome, gbm.choices, gbm.via) == (RemapOutcome.MORE_GRANULAR, ("GB",), Via.REVOCATIONS)
    assert gbm.new_children == ("GSARC", "SCGBM")
    assert gbm.tool_text() == "GBM -> {GB}, more granular choices introduced"
    # Anaplastic Astrocytoma → ASTR, now graded ASTR2/3/4.
    aastr = retired["AASTR"]
    assert aastr is not None
    assert aastr.new_children == ("ASTR2", "ASTR3", "ASTR4")
    # Diffuse Intrinsic Pontine Glioma is a precursor of DMG: unambiguous.
    dipg = retired["DIPG"]
    assert dipg is not None
    assert (dipg.outcome, dipg.choices, dipg.via) == (RemapOutcome.UNAMBIGUOUS, ("DMG",), Via.PRECURSORS)
    assert dipg.tool_text() == "DMG"
    for code in ("AOAST", "OAST"):  # (anaplastic) oligoastrocytoma → Glioma, NOS
        remap = retired[code]
        assert remap is not None
        assert (remap.outcome, remap.choices) == (RemapOutcome.UNAMBIGUOUS, ("GNOS",))


def test_renames_and_reparenting_2021_to_2025(diff_2021_2025) -> None:
    gb = diff_2021_2025.change("GB", OncoTreeChangeKind.RENAMED)
    assert gb is not None
    assert (gb.before, gb.after) == ("Glioblastoma", "Glioblastoma, IDH-Wildtype")
    moved = {c.code: (c.before, c.after) for c in diff_2021_2025.of_kind(OncoTreeChangeKind.REPARENTED)}
    assert moved == {
        "ANGL": ("MNET", "PDIFLG"),
        "ASTR": ("DIFG", "ADIFG"),
        "DASTR": ("DIFG", "PDIFLG"),
        "GB": ("DIFG", "ADIFG"),
        "JXG": ("HDCN", "XGA"),
        "LGNET": ("MBT", "PDIFLG"),
        "ODG": ("DIFG", "ADIFG"),
    }


def test_cross_reference_changes_are_listed(diff_2021_2025) -> None:
    # T-lymphoblastic leukemia gained its NCIt code in 2025: what maps it onto the Disease Ontology.
    tll = diff_2021_2025.change("TLL", OncoTreeChangeKind.XREFS_CHANGED)
    assert tll is not None
    assert (tll.before, tll.after) == ("none", "NCIt C8694; UMLS CN294567")


def test_latest_stable_differs_from_2021_only_by_one_umls_code_of_the_root() -> None:
    diff = diff_oncotree_releases(R2021, LATEST)
    assert [c.describe() for c in diff.changes] == [
        "TISSUE cross-references changed: 'NCIt C12801; UMLS C0040300' → 'NCIt C12801; UMLS C0040300 C0346183'"
    ]


def test_a_table_release_says_what_it_cannot_compare() -> None:
    diff = diff_oncotree_releases(T2023, R2025)
    assert diff.of_kind(OncoTreeChangeKind.REPARENTED) == []
    assert any("has no parents: re-parented codes are not compared" in note for note in diff.not_compared)
    renamed = {c.code for c in diff.of_kind(OncoTreeChangeKind.RENAMED)}
    assert renamed == {"ASTR", "DASTR", "GB", "LGNET", "ODG"}
    retired = {c.code for c in diff.of_kind(OncoTreeChangeKind.RETIRED)}
    assert retired == {"AASTR", "AOAST", "AODG", "DIPG", "GBM", "OAST"}


def test_diff_to_an_older_release_finds_no_home_for_new_codes_and_names_their_neighbourhood() -> None:
    diff = diff_oncotree_releases(R2025, R2021)
    astr2 = diff.change("ASTR2", OncoTreeChangeKind.RETIRED)
    assert astr2 is not None
    assert astr2.remapping is not None
    assert astr2.remapping.outcome is RemapOutcome.NONE
    assert astr2.remapping.tool_text() == "ASTR2 -> Neighborhood: ASTR"
    assert diff.outcomes()["none"] == 19


# -- the mapping tool's tutorial example -------------------------------------------------------


def _example_rows() -> list[tuple[str, str, str]]:
    """(source code, mapped code, options text) per sample of the tutorial's input and output."""
    with open(RELEASES / "data_clinical_sample.txt", encoding="utf-8") as source:
        codes = [row["ONCOTREE_CODE"] for row in csv.DictReader(source, delimiter="\t")]
    with open(RELEASES / "data_clinical_sample_remapped.txt", encoding="utf-8") as target:
        rows = list(csv.DictReader(target, delimiter="\t"))
    return [(code, row["ONCOTREE_CODE"], row["ONCOTREE_CODE_OPTIONS"]) for code, row in zip(codes, rows, strict=True)]


def _choices(mapped: str, options: str) -> tuple[str, ...] | None:
    if mapped:
        return (mapped,)
    found = re.search(r"-> \{([^}]*)\}", options)
    return tuple(sorted(found.group(1).split(","))) if found else None


def test_forward_choices_match_the_mapping_tools_tutorial_output() -> None:
    # The tutorial maps oncotree_2017_10_05 → oncotree_2018_06_01; the history fields it used are
    # still on the 2021 release's types, so the choices for each code must be the tool's.
    later = read_oncotree_release(R2021).fields
    checked = 0
    for code, mapped, options in _example_rows():
        expected = _choices(mapped, options)
        if expected is None or code == "NA":
            continue  # blank, "not in source": they depend on the 2017 release, not on these fields
        assert forward_candidates(code, later)[0] == expected, code
        checked += 1
    assert checked == 14
    assert forward_candidates("ALL", later) == (("BLL", "TLL"), Via.REVOCATIONS)
    assert forward_candidates("TNKL", later) == (("MTNN",), Via.HISTORY)
    assert forward_candidates("CLL", later) == (("CLLSLL",), Via.PRECURSORS)


def test_passthrough_and_unknown_codes_read_as_the_tool_writes_them() -> None:
    earlier, later = read_oncotree_release(R2021).fields, read_oncotree_release(R2025).fields
    rows = {code: (mapped, options) for code, mapped, options in _example_rows()}
    assert remap_code("NA", earlier, later).tool_text() == rows["NA"][0] == "NA"
    assert remap_code("", earlier, later).tool_text() == rows[""][1]
    assert remap_code("SpCC", earlier, later).tool_text() == rows["SpCC"][1]


# -- bad files ----------------------------------------------------------------------------------


def test_an_empty_file_is_refused_with_its_name(tmp_path: Path) -> None:
    empty = tmp_path / "oncotree_2030_01_01.json"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"oncotree_2030_01_01\.json.*empty"):
        diff_oncotree_releases(empty, R2025)


def test_a_truncated_release_is_refused_not_diffed(tmp_path: Path) -> None:
    cut = tmp_path / "oncotree_2030_01_01.json"
    cut.write_bytes(gzip.decompress(R2021.read_bytes())[:5000])
    with pytest.raises(SourceFileError, match="not valid JSON"):
        diff_oncotree_releases(R2021, cut)


def test_a_table_without_a_name_column_says_which_columns_it_needs(tmp_path: Path) -> None:
    table = tmp_path / "oncotree.2030-01-01.txt"
    table.write_text("code\tmain_type\nLUAD\tNSCLC\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match="name"):
        diff_oncotree_releases(table, R2025)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="no such file"):
        diff_oncotree_releases(tmp_path / "nope.json", R2025)
