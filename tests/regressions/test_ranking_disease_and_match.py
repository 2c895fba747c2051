"""Disease and variant match decide within the evidence level (issue 7): examples seen ranked wrongly.

Before: tier beat disease and variant match outright, so ``KRAS G12C`` in NSCLC opened with
colorectal evidence and ``KIT D816V`` in mastocytosis put imatinib 2nd on melanoma evidence; and
``annotate`` counted any therapy, in any tumour type or reached at gene level, towards a sample's
"highest sensitive tier".
"""

from __future__ import annotations

from pathlib import Path

from queries.annotate import annotate
from queries.inputs import open_patient_file
from tests.queries.matching_stores import embedded_starter
from tests.regressions.ranking_checks import ask, is_clinical_in_disease, sensitivity

ONCOKB = Path(__file__).resolve().parents[1] / "data" / "inputs" / "oncokb"


def test_kras_g12c_in_nsclc_opens_with_nsclc_evidence() -> None:
    result = ask(["KRAS G12C"], "non-small cell lung carcinoma")
    ranked = sensitivity(result)
    assert ranked[0].disease_match in ("exact", "ancestor")
    in_disease = [i for i, t in enumerate(ranked) if t.standing == "clear" and is_clinical_in_disease(t)]
    colorectal = [i for i, t in enumerate(ranked) for h in t.unique_hits()[:1] if h.disease_id == "DOID:9256"]
    assert in_disease
    assert colorectal
    assert max(in_disease) < min(colorectal)  # every clinical NSCLC answer before colorectal evidence


def test_an_exact_match_ranks_above_a_gene_class_match_at_the_same_level() -> None:
    result = ask(["BRAF V600E"], "melanoma")
    tier_one = [t for t in sensitivity(result) if t.tier == 1 and t.disease_match == "exact" and t.standing == "clear"]
    order = [t.variant_match for t in tier_one if not t.entry.standing.outweighed]
    assert order == sorted(order, key=("exact", "codon", "exon", "gene_class").index)
    assert order[0] == "exact"


def test_other_disease_approval_ranks_below_the_patients_own_clinical_evidence_but_above_preclinical() -> None:
    # BRAF V600E thyroid cancer: vemurafenib's thyroid evidence (tier 2) before dabrafenib + trametinib's
    # approvals in other tumour types (OncoKB 3A before 3B), which still rank above preclinical thyroid data.
    result = ask(["BRAF V600E"], "thyroid cancer")
    ranked = sensitivity(result)
    assert ranked[0].disease_match != "other"
    assert ranked[0].tier <= 3
    other_approved = [i for i, t in enumerate(ranked) if t.tier == 1 and t.disease_match == "other"]
    preclinical_here = [i for i, t in enumerate(ranked) if t.tier >= 4 and t.disease_match != "other"
                        and t.standing == "clear"]  # fmt: skip
    assert other_approved
    assert preclinical_here
    assert max(other_approved) < min(preclinical_here)


def test_annotate_highest_sensitive_tier_counts_only_the_samples_disease(tmp_path: Path) -> None:
    # ERBB2 amplification in a lung adenocarcinoma: trastuzumab's tier 1 is breast-cancer evidence.  It is listed
    # under other_disease and does not make the sample "tier 1"; in a breast cancer the same row is tier 1.
    cna = tmp_path / "cna.txt"
    cna.write_text("Gene Symbol\tLocus ID\tCytoband\tS1\nERBB2\t0\t0\t2\n")
    (row,), (summary,) = annotate(embedded_starter(), [open_patient_file(cna, role="cna")], disease="LUAD")
    assert row.sensitive_tier is None
    assert summary.sensitive_tier is None
    assert any(t.startswith("Trastuzumab (tier 1, exact match, other disease") for t in row.other_disease)
    assert summary.other_disease == list(row.other_disease)
    assert not any("other disease" in t for t in row.therapies)
    (breast,), _ = annotate(embedded_starter(), [open_patient_file(cna, role="cna")], disease="breast cancer")
    assert breast.sensitive_tier == 1
    # CIViC's 2026 evidence adds margetuximab's level A breast-cancer item beside trastuzumab's.
    tier_1 = {t.split(" (")[0] for t in breast.therapies if "(tier 1, exact match, exact disease)" in t}
    assert breast.therapies[0].split(" (")[0] in tier_1
    assert {"Trastuzumab", "Margetuximab"} <= tier_1


def test_annotate_gene_level_hints_set_no_tier(tmp_path: Path) -> None:
    # A variant no evidence names reaches other alterations' therapies only as context: since issue 7's
    # "do not over-call", a missense change outside hotspots is a variant of unknown significance, and the
    # gene's therapies are in its own column.
    maf = tmp_path / "one.maf"
    header = "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\tVariant_Classification"
    maf.write_text(f"{header}\nRET\tS1\tp.A50T\tMissense_Mutation\n")
    (row,), (summary,) = annotate(embedded_starter(), [open_patient_file(maf)], disease="thyroid cancer")
    assert row.status == "unknown_significance"
    assert row.unknown_significance
    assert not row.therapies
    assert row.sensitive_tier is None
    assert summary.sensitive_tier is None
    assert not summary.therapies
