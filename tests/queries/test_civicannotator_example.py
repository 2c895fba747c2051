"""CivicAnnotator's own examples: pmkg finds the CIViC evidence they found, compared by evidence id.

Their outputs derive from CIViC 01-Jan-2022; pmkg bundles CIViC's 2026-05-29 evidence, whose
curators have re-filed some items since.  Each evidence item
they found and pmkg does not report is listed in :data:`NOT_REPORTED` with its reason, and
``tests/data/inputs/README.md`` ("CivicAnnotator's examples") explains each.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.stores.port import Store
from queries.annotate import VariantRow, annotate, matching_forms
from queries.inputs import open_patient_file, read_clinical
from queries.normalize import normalize
from queries.notation import Unparsed
from queries.patient import Alteration
from tests.queries.matching_stores import STORE_KINDS, store_of_kind

DATA = Path(__file__).resolve().parents[1] / "data" / "inputs" / "civicannotator"
EXON_19_DELETION = {
    "1666", "2519", "273", "2995", "2996", "413", "4766", "4859", "6184", "880", "881", "882", "884", "969", "981",
    "983",
}  # fmt: skip
# (file, line) → evidence ids CivicAnnotator found that pmkg deliberately does not report (README, "Differences").
NOT_REPORTED: dict[tuple[str, int], set[str]] = {
    ("example_maf", 2): EXON_19_DELETION,  # 1. a frameshift is not an in-frame exon 19 deletion
    ("example_maf", 3): EXON_19_DELETION,
    ("example_maf", 4): {"1397"},  # 4. CIViC now files it under EGFR T790M AND EGFR Exon 19 Deletion
    ("example_maf_egfr", 4): {"1397"},
    ("example_maf", 5): {"1396"},
    ("example_maf_egfr", 5): {"1396"},  # 4. ... and 1396 under EGFR T790M AND Exon 19 Deletion AND C797S
    ("example_maf", 6): {"1146"},  # 6. CIViC now files 1146 under TP53 Loss (copy number): not a sequence variant
    ("example_maf", 7): {"1146"},
}
PROGNOSTIC = {"369", "370", "354", "684", "685"}
CASES = [("example_maf", "variants"), ("example_maf_egfr", "variants"), ("example_cna", "cna"),
         ("example_fus", "fusions")]  # fmt: skip


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def expected_rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}_annotated.tsv").open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def theirs(row: dict[str, str]) -> set[str]:
    return {eid for eid in row["CIViC_Matching_Evidence_Id"].split(";") if eid}


def eid(evidence_id: str) -> str | None:
    return evidence_id.removeprefix("CIVIC.EID:") if evidence_id.startswith("CIVIC.EID:") else None


def annotated(store: Store, name: str, role: str) -> tuple[list[VariantRow], list[Alteration]]:
    path = DATA / f"{name}.tsv"
    rows, _ = annotate(store, [open_patient_file(path, role=role)], clinical=read_clinical(path))
    alterations = [a for a in open_patient_file(path, role=role) if isinstance(a, Alteration)]
    return rows, alterations


def graph_evidence(store: Store, alteration: Alteration) -> set[str]:
    """CIViC evidence ids about any node (not the bare gene) the alteration normalises to."""
    forms = matching_forms(alteration)
    if isinstance(forms, Unparsed):
        return set()
    reached = [m.id for m in normalize(store, forms[0]).matches if m.specificity != "gene"]
    return {e for items in store.evidence_for(reached).values() for n in items if (e := eid(n.id))}


@pytest.mark.parametrize(("name", "role"), CASES)
def test_pmkg_finds_the_evidence_civicannotator_found(store: Store, name: str, role: str) -> None:
    rows, alterations = annotated(store, name, role)
    expected = expected_rows(name)
    assert len(rows) == len(expected) == len(alterations)
    compared = 0
    for line, (row, alteration, their_row) in enumerate(zip(rows, alterations, expected, strict=True), start=2):
        wanted = theirs(their_row)
        if not wanted:
            continue
        compared += 1
        # The breast sample's most specific listed type is "Estrogen-receptor Positive Breast Cancer", which DO
        # spells "estrogen receptor-positive breast cancer": found since names match up to punctuation.
        assert row.disease in (
            "lung adenocarcinoma (DOID:3910)",
            "estrogen receptor-positive breast cancer (DOID:0060075)",
        ), row.disease
        reported = {e for evidence_id in row.evidence if (e := eid(evidence_id))}
        prognostic = wanted & PROGNOSTIC
        assert prognostic <= graph_evidence(store, alteration), (name, line)
        missing = wanted - prognostic - reported
        assert missing == NOT_REPORTED.get((name, line), set()), (name, line, row.input, sorted(missing))
    assert compared > 0


def test_every_difference_is_a_row_they_annotated(store: Store) -> None:
    for (name, line), ids in NOT_REPORTED.items():
        assert ids <= theirs(expected_rows(name)[line - 2]), (name, line)


def test_frameshifts_in_exon_19_are_variants_of_unknown_significance(store: Store) -> None:
    """An EGFR frameshift is not a TKI-sensitising exon 19 deletion, nor an activating EGFR mutation (issue 7).

    It used to join "EGFR mutation" and take its tier; EGFR's evidence is about activating changes, so a
    truncating change is listed apart, with EGFR's therapies as context only.
    """
    rows, _ = annotated(store, "example_maf", "variants")
    frameshift = rows[0]
    assert (frameshift.status, frameshift.variant) == ("unknown_significance", "EGFR L747fs")
    assert frameshift.therapies == ()
    assert frameshift.sensitive_tier is None
    assert "Erlotinib" in frameshift.unknown_significance


def test_combination_evidence_of_example_alt_is_in_each_sample_summary(store: Store) -> None:
    path = DATA / "example_alt.tsv"
    rows, summaries = annotate(store, [open_patient_file(path)], clinical=read_clinical(path))
    by_sample = {s.sample: s for s in summaries}
    assert set(by_sample) == {"A-Patient", "B-Patient", "C-Patient", "D-Patient"}
    for their_row in expected_rows("example_alt"):
        summary = by_sample[their_row["Subject_Id"]]
        found = {e for evidence_id in summary.evidence if (e := eid(evidence_id))}
        assert theirs(their_row) <= found, (summary.sample, sorted(theirs(their_row) - found))
        assert summary.disease == "lung adenocarcinoma (DOID:3910)"
    statuses = {(r.sample, r.input): r.status for r in rows}
    assert statuses[("A-Patient", "EML4::ALK")] == "normalized"
    assert statuses[("D-Patient", "CIC p.Pro1055=")] == "skipped"
