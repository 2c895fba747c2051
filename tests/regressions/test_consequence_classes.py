"""Issue 7, "Understand variants no source names": a change reaches its classes from its consequence.

c. HGVS that no source names (``BRCA1 c.68_69delAG``, ``TP53 c.97-1G>A``), MAF rows with a
``Variant_Classification`` and no standard protein change (NF1 ``p.X1445_splice``), VCF CSQ
consequences, and FLT3 internal tandem duplications written as in-frame insertions (TCGA LAML)
used to be unrecognised or dropped.  Real starter graph, real files.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.stores.port import Store
from kg.variants import coding_consequence
from queries.annotate import annotate
from queries.inputs import open_patient_file
from queries.matching import match_therapies
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind

INPUTS = Path(__file__).resolve().parents[1] / "data" / "inputs"


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def top(store: Store, variant: str, disease: str) -> tuple[str, int, str]:
    best = match_therapies(store, [variant], disease).therapies[0]
    return best.therapy.name, best.tier, best.variant_match


def test_brca1_c68_69delag_is_a_frameshift_with_the_answer_of_its_protein_form(store: Store) -> None:
    """185delAG (p.E23fs) was unrecognised as c. HGVS although its protein form gave olaparib at tier 1."""
    coding = match_therapies(store, ["BRCA1 c.68_69delAG"], "ovarian cancer")
    assert coding.variants[0].status == "normalized"
    assert "read as frameshift_variant" in coding.variants[0].message
    assert top(store, "BRCA1 c.68_69delAG", "ovarian cancer") == top(store, "BRCA1 p.E23fs", "ovarian cancer")
    # The PARP inhibitors approved in BRCA1-mutant ovarian cancer, at tier 1 from either form.  Which opens is not the
    # point: CIViC 2026 adds level-A rucaparib evidence in ovarian cancer (EIDs 11136, 11138), and olaparib's one
    # breast-cancer resistance item puts it after the tier-1 therapies without any (queries.ranking_rules, rule 3).
    assert top(store, "BRCA1 c.68_69delAG", "ovarian cancer")[1] == 1
    assert clear_tier_1(store, "BRCA1 c.68_69delAG") == clear_tier_1(store, "BRCA1 p.E23fs")
    assert {"Olaparib", "Niraparib", "Rucaparib"} <= clear_tier_1(store, "BRCA1 c.68_69delAG")


def clear_tier_1(store: Store, variant: str) -> set[str]:
    therapies = match_therapies(store, [variant], "ovarian cancer").therapies
    return {t.therapy.name for t in therapies if (t.significance, t.tier, t.standing) == ("sensitivity", 1, "clear")}


@pytest.mark.parametrize("text", ["TP53 c.97-1G>A", "TP53 c.96+2T>C", "TP53 c.97-2A>G"])
def test_canonical_splice_changes_reach_tp53_loss_classes(store: Store, text: str) -> None:
    result = match_therapies(store, [text], "lung adenocarcinoma")
    reached = {m.name for m in result.variants[0].matches}
    assert {"TP53 truncating mutation", "TP53 deleterious mutation", "TP53 mutation"} <= reached
    assert result.therapies


def test_a_deep_intronic_change_reaches_no_class(store: Store) -> None:
    result = match_therapies(store, ["TP53 c.97-11G>A"], "lung adenocarcinoma")
    assert "read as intron_variant" in result.variants[0].message
    assert result.therapies == []
    assert result.unknown_significance == []


def test_an_in_frame_coding_deletion_is_not_a_frameshift(store: Store) -> None:
    result = match_therapies(store, ["BRCA2 c.100_102del"], "breast cancer")
    message = result.variants[0].message
    assert "read as an in-frame deletion of codon 34" in message
    assert "frameshift" not in message
    assert all(t.variant_match != "gene_class" for t in result.therapies)


@given(st.integers(1, 3000), st.integers(1, 60), st.sampled_from(["del", "dup"]))
def test_coding_indel_length_decides_the_frame(start: int, length: int, edit: str) -> None:
    text = f"c.{start}_{start + length - 1}{edit}" if length > 1 else f"c.{start}{edit}"
    expected = "frameshift_variant" if length % 3 else ("inframe_deletion" if edit == "del" else "inframe_insertion")
    assert coding_consequence(text) == expected


@given(st.integers(2, 3000), st.integers(-30, 30).filter(bool), st.sampled_from("ACGT"), st.sampled_from("ACGT"))
def test_intronic_offset_decides_splice_or_intron(base: int, offset: int, ref: str, alt: str) -> None:
    found = coding_consequence(f"c.{base}{offset:+d}{ref}>{alt}")
    if abs(offset) <= 2:
        assert found == ("splice_donor_variant" if offset > 0 else "splice_acceptor_variant")
    else:
        assert found == "intron_variant"


def test_maf_splice_site_rows_without_a_protein_change_are_recognised() -> None:
    """oncokb-annotator's NF1 p.X1445_splice and CivicAnnotator's TP53 c.97-1G>A (both MAF Splice_Site)."""
    oncokb = open_patient_file(INPUTS / "oncokb" / "example_maf.txt")
    rows, _ = annotate(embedded_starter(), [oncokb], disease="LUAD")
    nf1 = next(r for r in rows if r.origin.endswith(":14"))
    assert (nf1.status, nf1.variant) == ("normalized", "NF1 Splice_Site")
    # NF1 MEK-inhibitor evidence is about other tumour types: listed as such, setting no LUAD tier (CIViC 2026: the
    # plexiform neurofibroma approval, level A, demoted by NCI-MATCH's level-B "does not support" in any cancer).
    assert nf1.sensitive_tier is None
    assert any(t.startswith("Selumetinib (tier 1") and "other disease" in t for t in nf1.other_disease)
    civic = open_patient_file(INPUTS / "civicannotator" / "example_maf.tsv")
    rows, _ = annotate(embedded_starter(), [civic], disease="LUAD")
    tp53 = next(r for r in rows if r.input == "TP53 c.97-1G>A")
    assert tp53.status == "normalized"
    assert "splice_acceptor_variant" in tp53.message


def test_vcf_csq_splice_consequences_are_read() -> None:
    vcf = open_patient_file(INPUTS / "vcf2maf" / "TCGA-B5-A0JV-01.ucec.csq.vcf")
    rows, _ = annotate(embedded_starter(), [vcf], disease="UCEC")
    splice = [r for r in rows if "splice_donor_variant" in r.message or "splice_acceptor_variant" in r.message]
    assert splice
    assert {r.status for r in splice} <= {"normalized", "unknown_significance"}


def test_tcga_laml_flt3_itds_are_recognised_and_reach_midostaurin() -> None:
    """All 39 FLT3 In_Frame_Ins rows of TCGA LAML (39 samples) are ITDs; each reaches midostaurin (CIViC A)."""
    laml = open_patient_file(INPUTS / "vcf2maf" / "tcga_laml.slice.maf")
    rows, summaries = annotate(embedded_starter(), [laml], disease="AML")
    itds = [r for r in rows if r.variant == "FLT3 ITD"]
    assert len(itds) == len({r.sample for r in itds}) == 39
    assert all(r.input.startswith("FLT3 13-") for r in itds)  # position-only rows: no protein change to read
    assert all(any(t.startswith("Midostaurin (tier 1") for t in r.therapies) for r in itds)
    with_itd = {r.sample for r in itds}
    assert all(s.sensitive_tier == 1 for s in summaries if s.sample in with_itd)
    flt3 = collections.Counter(r.variant for r in rows if r.input.startswith("FLT3") and r.variant != "FLT3 ITD")
    assert flt3 == {"FLT3 D835Y": 11, "FLT3 D835E": 3, "FLT3 D835H": 2, "FLT3 D839G": 1}


def test_tcga_laml_rows_are_each_accounted_for() -> None:
    """Every row of the LAML slice has a status (README: the whole MAF's counts, by reason)."""
    laml = open_patient_file(INPUTS / "vcf2maf" / "tcga_laml.slice.maf")
    rows, _ = annotate(embedded_starter(), [laml], disease="AML")
    statuses = collections.Counter(r.status for r in rows)
    # CIViC 2026 names SRSF2 P95L/P95H (CTX-712, preclinical): SRSF2 P95_R102del, which no evidence or class names,
    # is now a variant of unknown significance with its gene's therapy as context (with CIViC 2021: 160/36).
    assert statuses == {"normalized": 159, "unknown_significance": 37, "skipped": 6, "unrecognized": 2}
    assert next(r for r in rows if r.input == "SRSF2 P95_R102del").status == "unknown_significance"
    unrecognized = {r.input: r.message for r in rows if r.status == "unrecognized"}
    # In-frame insertions outside FLT3 with neither a protein change nor a position the graph holds.
    assert set(unrecognized) == {"CEBPA 19-33792368---TCA", "KIT 4-55589771---CTTCTT"}
    assert all("no variant at this position on GRCh37" in m for m in unrecognized.values())
    splice = [r for r in rows if "Splice_Site" in r.message or "splice_donor_variant" in r.message]
    assert splice
    assert all(r.status != "unrecognized" for r in splice)


def test_typed_flt3_itd_protein_insertion_is_an_itd(store: Store) -> None:
    result = match_therapies(store, ["FLT3 D600_L601insFREYEYD"], "acute myeloid leukemia")
    assert result.variants[0].variant_name == "FLT3 ITD"
    names = {t.therapy.name: t.tier for t in result.therapies}
    assert names["Midostaurin"] == 1
    assert names["Gilteritinib"] == 1


ONCOKB = INPUTS / "oncokb"
# oncokb-annotator's example inputs: every row not matched, by status and the words of its reason.
ONCOKB_NOT_MATCHED = {
    ("example_maf.txt", "variants"): {("unknown_significance", "not at a recurrent cancer hotspot"): 5,
                                      ("unknown_significance", "no evidence in this graph says loss of AKT3"): 1},
    ("example_atypical_alterations.txt", "variants"): {("unrecognized", "has no variant or class called"): 5},
    ("example_fusions.txt", "fusions"): {("ambiguous", "MLL2 may be any of KMT2B"): 1,
                                         ("unrecognized", "has no variant or class called 'intragenic"): 2},
    ("example_cna.txt", "cna"): {},
}  # fmt: skip


@pytest.mark.parametrize(("name", "role"), list(ONCOKB_NOT_MATCHED))
def test_oncokb_annotator_inputs_list_unmatched_rows_by_reason(name: str, role: str) -> None:
    rows, _ = annotate(embedded_starter(), [open_patient_file(ONCOKB / name, role=role)], disease="LUAD")
    found: collections.Counter[tuple[str, str]] = collections.Counter()
    for row in rows:
        if row.status == "normalized":
            continue
        words = [w for s, w in ONCOKB_NOT_MATCHED[(name, role)] if s == row.status and w in row.message]
        found[(row.status, words[0] if words else row.message)] += 1
    assert found == ONCOKB_NOT_MATCHED[(name, role)]
