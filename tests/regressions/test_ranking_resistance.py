"""Co-occurring resistance decides the order (issue 7): each example was seen ranked wrongly on the starter graph.

Before: clinical resistance moved a therapy down one tier, preclinical resistance never did, and
tier beat everything, so ALK G1202R, ABL1 T315I and EGFR T790M left the very drugs they defeat
at the top.  Expectations are written to hold on any CIViC release: who comes first and who is
demoted, not exact positions.
"""

from __future__ import annotations

from tests.regressions.ranking_checks import ask, drugs, entry, position, sensitivity

ALK_INHIBITORS_DEFEATED_BY_G1202R = ("Alectinib", "Ceritinib", "Crizotinib", "Brigatinib")
ABL1_INHIBITORS_DEFEATED_BY_T315I = ("Imatinib", "Dasatinib", "Nilotinib")
FIRST_GENERATION_EGFR_TKIS = ("Erlotinib", "Gefitinib", "Afatinib")


def test_alk_g1202r_beside_an_alk_fusion_puts_lorlatinib_first() -> None:
    # G1202R defeats first- and second-generation ALK inhibitors; lorlatinib is the drug that overcomes it.
    for fusion in ("EML4::ALK", "ALK fusion"):
        result = ask([fusion, "ALK G1202R"], "LUAD")
        assert sensitivity(result)[0].therapy.name == "Lorlatinib", fusion
        for name in ALK_INHIBITORS_DEFEATED_BY_G1202R:
            defeated = entry(result, name)
            assert defeated.standing in ("demoted", "resistant"), name
            assert "ALK G1202R" in defeated.standing_reason
            assert position(result, name) > position(result, "Lorlatinib")
        # crizotinib's G1202R resistance is clinical (a case report in NSCLC): below every therapy without any
        assert entry(result, "Crizotinib").standing == "resistant"


def test_abl1_t315i_beside_bcr_abl1_puts_ponatinib_first() -> None:
    # T315I is the gatekeeper mutation only ponatinib (and asciminib) overcome in CML.
    result = ask(["BCR::ABL1", "ABL1 T315I"], "CML")
    first = sensitivity(result)[0]
    assert first.therapy.name == "Ponatinib"
    assert first.entry.against_resistance  # its evidence names T315I itself
    assert first.as_json()["active_against_resistance"] is True
    for name in ABL1_INHIBITORS_DEFEATED_BY_T315I:
        assert entry(result, name).standing in ("demoted", "resistant"), name
        assert "ABL1 T315I" in entry(result, name).standing_reason
    assert {entry(result, n).standing for n in ("Imatinib", "Dasatinib")} == {"resistant"}  # clinical evidence


def test_egfr_t790m_beside_l858r_puts_osimertinib_first_and_demotes_first_generation_tkis() -> None:
    result = ask(["EGFR L858R", "EGFR T790M"], "LUAD")
    first = sensitivity(result)[0]
    assert (first.therapy.name, first.tier) == ("Osimertinib", 1)
    assert first.entry.against_resistance
    clear = [t for t in sensitivity(result) if t.standing == "clear"]
    for name in FIRST_GENERATION_EGFR_TKIS:
        tki = entry(result, name)
        assert tki.tier == 1  # still shown with its own tier: the L858R evidence is level A
        assert tki.standing == "resistant"
        assert all(position(result, name) > position(result, t.therapy.name) for t in clear)
        assert any(w.startswith(f"{name}: resistance in this patient (EGFR T790M") for w in result.warnings)
        resistance = result.therapies[result.therapies.index(tki) + 1]
        assert (resistance.therapy.name, resistance.significance) == (name, "resistance")  # listed beside it
        assert "EGFR T790M" in {h.target.name for h in resistance.hits}


def test_braf_v600e_in_colorectal_cancer_does_not_open_with_braf_monotherapy() -> None:
    # BRAF inhibitor monotherapy fails in BRAF V600E colorectal cancer (EGFR feedback); the answer opens with an
    # EGFR-antibody combination, and vemurafenib alone is resistant: its colorectal resistance evidence is about
    # the patient's disease, stronger than its melanoma sensitivity.
    result = ask(["BRAF V600E"], "colorectal cancer")
    first = sensitivity(result)[0]
    assert drugs(first) & {"Cetuximab", "Panitumumab"}
    assert first.disease_match == "exact"
    assert entry(result, "Vemurafenib").standing == "resistant"
    assert position(result, "Vemurafenib") > position(result, "Cetuximab + Encorafenib")


def test_other_disease_case_report_does_not_undo_an_approval_in_the_patients_disease() -> None:
    # Ivosidenib is approved for IDH1-mutant AML; one case report of IDH1 R132H resistance in another cancer is
    # shown beside it, and outweighed because it is about another tumour type.
    result = ask(["IDH1 R132H"], "acute myeloid leukemia")
    first = sensitivity(result)[0]
    assert (first.therapy.name, first.tier, first.standing) == ("Ivosidenib", 1, "clear")
    assert any(w.startswith("Ivosidenib: resistance evidence shown beside it") for w in result.warnings)


def test_more_specific_resistance_about_the_same_alteration_decides_in_another_disease() -> None:
    # KIT D816V in systemic mastocytosis: imatinib's only sensitivity is melanoma evidence about any KIT
    # mutation, while D816V itself carries imatinib resistance.  The more specific evidence decides, and midostaurin
    # (approved in SM) comes first.  CIViC 2021 had only preclinical D816V resistance (imatinib was "demoted");
    # CIViC 2026 has clinical resistance in SM itself (EID 11160, level B; imatinib is approved only for SM without
    # D816V, EID 11158 "NOT KIT D816V"), so imatinib is "resistant": below every therapy without resistance.
    result = ask(["KIT D816V"], "systemic mastocytosis")
    first = sensitivity(result)[0]
    assert (first.therapy.name, first.variant_match, first.disease_match) == ("Midostaurin", "exact", "exact")
    imatinib = entry(result, "Imatinib")
    assert imatinib.standing == "resistant"
    assert "KIT D816V" in imatinib.standing_reason
    assert "CIVIC.EID:11160" in imatinib.standing_reason
    assert "CIVIC.EID:11158" not in {h.evidence.id for h in imatinib.hits}  # "NOT KIT D816V" does not hold
    assert all(position(result, "Imatinib") > position(result, t.therapy.name)
               for t in sensitivity(result) if t.standing in ("clear", "demoted"))  # fmt: skip
