"""The warm path made cheaper (issues 7, 8, 11) gives the same answers as the work it replaced.

Each shortcut of the hot path is held here to the long way round it replaced:

- a variant id is made from a protein change parsed once (``protein_variant_id``): the normal form
  parses to itself, so it is the id parsing the text again gave (``variant_id``);
- an answer's explanations word each path, evidence item, disease and therapy set once
  (:class:`queries.explain.Explainer`): every line is the line worded for that hit alone, even when
  hits share their path, disease or therapies;
- a cohort's whole-patient match reuses each row's normalised alteration: matching those is matching
  the alterations afresh.
"""

from __future__ import annotations

import pytest

from kg.variants import parse_protein_change, protein_variant_id, variant_id
from queries.matching import match_therapies
from queries.normalize import normalize_text
from tests.queries.matching_stores import embedded_starter

SPELLINGS = ["V600E", "p.Val600Glu", "p.(V600E)", "R248X", "R248*", "S1436S", "p.Ser1436=", "E746_A750del",
             "V769_770insASV", "L747_P753delinsS", "W288fs", "p.Trp288fs*12", "V600", "A767_V769dup", "M1?",
             "D770_N771insNPG", "Q61*", "p.Gly12_Gly13insAla", "K601?"]  # fmt: skip
PATIENTS = [
    (["EGFR L858R", "EGFR T790M"], "lung adenocarcinoma"),
    (["EML4::ALK", "ALK G1202R"], "lung adenocarcinoma"),
    (["ALK fusion", "ALK G1202R"], "NSCLC"),
    (["BCR::ABL1", "ABL1 T315I"], "chronic myeloid leukemia"),
    (["BRAF V600E", "BRAF V600K", "NRAS Q61K", "MAP2K1 K57N", "PTEN loss", "CDKN2A deletion"], "melanoma"),
    (["KRAS G12C", "STK11 Q37*", "TP53 R273H", "ERBB2 amplification"], None),
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_parsed_protein_change_gives_the_id_parsing_its_text_again_gives(spelling: str) -> None:
    change = parse_protein_change(spelling)
    assert parse_protein_change(change.text).text == change.text
    assert protein_variant_id("braf", change) == variant_id("braf", spelling) == variant_id("BRAF", change.text)


@pytest.mark.parametrize(("variants", "disease"), PATIENTS)
def test_explanations_worded_once_per_answer_are_each_hits_own(variants: list[str], disease: str | None) -> None:
    result = match_therapies(embedded_starter(), variants, disease)
    answer = result.as_json()
    assert answer["therapies"], "the patient must reach therapies for the check to mean anything"
    for therapy, shown in zip(result.therapies, answer["therapies"], strict=True):
        alone = list(dict.fromkeys(h.explanation(therapy.view) for h in therapy.unique_hits()))
        assert shown["explanation"] == alone, therapy.therapy.name


@pytest.mark.parametrize(("variants", "disease"), PATIENTS)
def test_matching_normalised_alterations_is_matching_the_alterations(variants: list[str],
                                                                      disease: str | None) -> None:  # fmt: skip
    store = embedded_starter()
    read = [normalize_text(store, text) for text in variants]
    fresh = match_therapies(store, variants, disease).as_json()
    reused = match_therapies(store, read, disease).as_json()
    assert fresh["therapies"]
    assert reused == fresh
