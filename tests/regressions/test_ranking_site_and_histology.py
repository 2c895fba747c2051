"""Site against histology: evidence filed by cell type reaches a diagnosis named by site, and the reverse.

Before: the Disease Ontology files "bladder urothelial carcinoma" under bladder carcinoma (site) and keeps
"transitional cell carcinoma" in its cell-type branch, never linking the two, so erdafitinib's FGFR3 approval (CIViC
files it under transitional cell carcinoma) counted as *another tumour type* for a bladder urothelial carcinoma (BLCA)
and for "bladder cancer", and ranked below tier-2 bladder evidence.  Now a term whose name says it is a kind of a
cell-type term is treated as one (queries/disease_kinds.py); a site and a histology with a site-form that sources
file evidence under "overlap"; rarities (ovarian melanoma) and two histologies (melanoma, sarcoma) do not.
"""

from __future__ import annotations

import pytest

from queries.annotate import annotate
from queries.disease_kinds import kinds_named
from queries.graph_view import view_for
from queries.inputs import open_patient_file
from tests.queries.matching_stores import embedded_starter
from tests.regressions.ranking_checks import ask, entry, position, sensitivity

TCC, SMALL_CELL, CARCINOMA, ADENOCARCINOMA = "DOID:2671", "DOID:0050685", "DOID:305", "DOID:299"


@pytest.mark.parametrize("diagnosis", ["BLCA", "bladder urothelial carcinoma", "upper tract urothelial carcinoma"])
def test_a_urothelial_carcinoma_reads_transitional_cell_carcinoma_evidence_as_its_own_broader_term(
    diagnosis: str,
) -> None:
    result = ask(["FGFR3 S249C"], diagnosis)
    erdafitinib = entry(result, "Erdafitinib")
    assert position(result, "Erdafitinib") == 0, [t.therapy.name for t in sensitivity(result)]
    assert (erdafitinib.tier, erdafitinib.disease_match) == (1, "ancestor")
    assert "a broader term of the patient's disease" in " ".join(erdafitinib.as_json()["explanation"])


def test_bladder_cancer_opens_with_the_urothelial_approval_as_an_overlapping_disease() -> None:
    result = ask(["FGFR3 S249C"], "bladder cancer")
    erdafitinib = entry(result, "Erdafitinib")
    assert position(result, "Erdafitinib") == 0, [t.therapy.name for t in sensitivity(result)]
    assert (erdafitinib.tier, erdafitinib.disease_match) == (1, "overlap")
    assert "overlapping the patient's" in " ".join(erdafitinib.as_json()["explanation"])
    assert entry(result, "Infigratinib").disease_match == "exact"  # bladder carcinoma evidence is still its own


def test_a_histology_diagnosis_reads_its_site_forms_as_itself_and_the_site_as_overlapping() -> None:
    result = ask(["FGFR3 S249C"], "urothelial carcinoma")
    assert entry(result, "Erdafitinib").disease_match == "exact"
    assert entry(result, "Infigratinib").disease_match == "overlap"  # bladder carcinoma: mostly urothelial


@pytest.mark.parametrize(
    ("variant", "diagnosis", "therapy", "filed_under"),
    [
        ("BRCA2 S1982fs", "melanoma", "Rucaparib", "ovarian cancer"),  # ovarian melanoma: nothing is filed under it
        ("KIT D816V", "sarcoma", "Imatinib", "melanoma"),  # clear cell sarcoma ("of soft parts"): two histologies
        ("TP53 R273H", "kidney cancer", "Pazopanib", "sarcoma"),  # "sarcoma" against a site says nothing
    ],
)
def test_rare_or_histology_only_overlaps_stay_other_tumour_types(
    variant: str, diagnosis: str, therapy: str, filed_under: str
) -> None:
    result = ask([variant], diagnosis)
    filed = [t for t in sensitivity(result) if t.therapy.name == therapy
             and {e["disease"]["name"] for e in t.as_json()["evidence"]} == {filed_under}]  # fmt: skip
    assert filed, f"{therapy}: no entry with evidence filed under {filed_under} only"
    assert [t.disease_match for t in filed] == ["other"] * len(filed)


def test_names_are_read_word_for_word() -> None:
    view = view_for(embedded_starter())
    assert SMALL_CELL in kinds_named(view, ["DOID:5409"])  # lung small cell carcinoma
    assert SMALL_CELL not in kinds_named(view, ["DOID:3908"])  # lung non-small cell carcinoma: "non-small" is a word
    assert {ADENOCARCINOMA, CARCINOMA} <= kinds_named(view, ["DOID:3910"])  # lung adenocarcinoma
    assert kinds_named(view, ["DOID:11054"]) == frozenset()  # urinary bladder cancer: a site only
    assert TCC in kinds_named(view, ["ONCOTREE:BLCA"])  # OncoTree's name: "Bladder Urothelial Carcinoma"


def test_annotate_counts_an_overlap_with_other_diseases_not_the_samples_tier(tmp_path) -> None:  # type: ignore[no-untyped-def]
    maf = tmp_path / "bladder.maf"
    maf.write_text(
        "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\tVariant_Classification\n"
        "FGFR3\tS1\tp.S249C\tMissense_Mutation\n"
    )
    rows, _ = annotate(embedded_starter(), [open_patient_file(maf)], disease="bladder cancer")
    (row,) = rows
    assert row.sensitive_tier == 2  # infigratinib and cisplatin + gemcitabine: bladder carcinoma evidence
    assert any(label.startswith("Erdafitinib (tier 1") and "overlap disease" in label for label in row.other_disease)
