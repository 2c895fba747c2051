"""A fusion whose partner the report leaves open ("ALK fusion") against evidence that names the partner.

CIViC 2026 files the G1202R resistance of alectinib, brigatinib and ceritinib under "EML4::ALK Fusion AND
ALK G1202R": a patient entered as "ALK fusion" + "ALK G1202R" used to meet no such profile, so alectinib opened
the answer.  Decision (queries/profiles.py): an unknown-partner fusion stands for the gene's named fusions for
evidence against a therapy (and adverse response), saying "partner not confirmed"; never for sensitivity.
"""

from __future__ import annotations

import pytest

from queries.matching import match_therapies
from tests.queries.matching_stores import embedded_starter
from tests.regressions.ranking_checks import ask, entry, position, sensitivity

DEFEATED_BY_G1202R = ("Alectinib", "Brigatinib", "Ceritinib")


@pytest.mark.parametrize("fusion", ["ALK fusion", "ALK rearrangement"])
def test_g1202r_beside_an_unknown_partner_alk_fusion_demotes_second_generation_inhibitors(fusion: str) -> None:
    result = ask([fusion, "ALK G1202R"], "LUAD")
    assert sensitivity(result)[0].therapy.name == "Lorlatinib"
    for name in DEFEATED_BY_G1202R:
        defeated = entry(result, name)
        assert defeated.standing in ("demoted", "resistant"), name
        assert "EML4::ALK Fusion AND ALK G1202R" in defeated.standing_reason
        assert "ALK fusion taken as EML4::ALK, partner not confirmed" in defeated.standing_reason
        assert position(result, name) > position(result, "Lorlatinib")
        assert any(w.startswith(f"{name}:") and "partner not confirmed" in w for w in result.warnings)


def test_a_named_partner_never_gives_an_unknown_partner_fusion_sensitivity() -> None:
    # Tanespimycin's only ALK evidence is EML4::ALK Fusion AND ALK G1202R (EID 1352, sensitivity, preclinical).
    named = {t.therapy.name for t in sensitivity(ask(["EML4::ALK", "ALK G1202R"], "LUAD"))}
    unknown = {t.therapy.name for t in sensitivity(ask(["ALK fusion", "ALK G1202R"], "LUAD"))}
    assert "Tanespimycin" in named
    assert "Tanespimycin" not in unknown


def test_a_confirmed_partner_is_not_said_to_be_unconfirmed() -> None:
    result = ask(["EML4::ALK", "ALK G1202R"], "LUAD")
    assert not any("partner not confirmed" in w for w in result.warnings)
    assert all("partner not confirmed" not in t.standing_reason for t in sensitivity(result))


def test_ros1_g2032r_beside_an_unknown_partner_ros1_fusion_makes_crizotinib_resistant() -> None:
    # CIViC files the lung-cancer case reports under "ROS1 G2032R AND CD74::ROS1 Fusion".
    crizotinib = entry(ask(["ROS1 fusion", "ROS1 G2032R"], "LUAD"), "Crizotinib")
    assert crizotinib.standing == "resistant"
    assert "CD74::ROS1 Fusion (ROS1 fusion taken as CD74::ROS1, partner not confirmed)" in crizotinib.standing_reason


def test_the_explanation_says_which_partner_was_taken_on_trust() -> None:
    result = ask(["ALK fusion", "ALK G1202R"], "LUAD")
    (resistance,) = [t for t in result.therapies if (t.therapy.name, t.significance) == ("Alectinib", "resistance")]
    lines = [h.explanation(resistance.view) for h in resistance.hits]
    assert any("CIVIC.EID:1350" in line and "ALK fusion taken as EML4::ALK, partner not confirmed" in line
               for line in lines)  # fmt: skip


def test_an_unknown_partner_fusion_reaches_resistance_written_against_a_named_fusion_alone() -> None:
    # AGK::BRAF and PAPSS1::BRAF (EIDs 724, 725): vemurafenib resistance of BRAF fusions in melanoma.
    result = match_therapies(embedded_starter(), ["BRAF fusion"], "melanoma")
    against = {h.evidence.id: h for t in result.therapies if t.significance == "resistance" for h in t.hits}
    assert {"CIVIC.EID:724", "CIVIC.EID:725"} <= set(against)
    assert "partner not confirmed" in against["CIVIC.EID:724"].target.name


def test_a_variant_sources_name_only_in_combination_is_not_called_of_unknown_effect() -> None:
    # NTRK1 G667S alone: CIViC names it only beside NTRK1 G595R (a second mutation, not a fusion it could sit in:
    # tests/regressions/test_mutation_within_fusion.py).  It is listed apart (no profile holds), and the reason says
    # so instead of "no evidence names this variant".
    result = ask(["NTRK1 G667S"], None)
    (vus,) = result.unknown_significance
    assert vus.reason.startswith("sources name it only together with other alterations (")
    assert "NTRK1 G595R AND NTRK1 G667S" in vus.reason
    assert not result.therapies


def test_civic_2025s_exon_breakpoint_names_the_eml4_alk_fusion_not_genes_e6_and_e20() -> None:
    # CIViC's 2025 profile table calls variant 503 "EML4::ALK e6::e20" (before: "e6-e20"); its breakpoint was read
    # as a fusion of the "genes" E6 and E20, so its eight evidence items sat on a node no ALK patient reached.
    store = embedded_starter()
    (node,) = store.find("EML4::ALK e6::e20")
    assert node.id == "PMKG:variant/EML4::ALK:e6-e20"
    assert (node.props["five_prime_gene"], node.props["three_prime_gene"]) == ("EML4", "ALK")
    assert store.find("E6::E20") == []
    assert store.evidence_for([node.id])[node.id]
    answer = match_therapies(store, ["EML4::ALK e6-e20"], "LUAD")
    assert answer.variants[0].status == "normalized"
    assert {"Crizotinib", "Alectinib"} & {t.therapy.name for t in sensitivity(answer)}
