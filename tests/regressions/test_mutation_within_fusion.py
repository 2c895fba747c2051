"""A kinase mutation reported alone that sources name only within a fusion (queries/profiles.py).

A tumour board list often gives the resistance mutation alone: ``ABL1 T315I`` in chronic myeloid leukaemia,
``ALK G1202R`` after alectinib.  CIViC files every T315I item (ponatinib's sensitivity; imatinib's, nilotinib's and
dasatinib's resistance) under ``BCR::ABL1 Fusion AND ABL1 T315I``: the mutation alone was "of unknown
significance" and the answer held no therapy, where OncoKB answers ponatinib.  The fusion the mutation sits in is
now taken as present, said so in the answer, counted for a therapy only when it is the one fusion the sources know
the mutation in (or the gene's fusion class), and never reaching the fusion's own evidence (imatinib's sensitivity
to BCR::ABL1 is exactly what T315I defeats).  Real starter graph, embedded and Neo4j.
"""

from __future__ import annotations

import pytest

from kg.stores.port import Store
from queries.matching import MatchResult, match_therapies
from tests.queries.matching_stores import STORE_KINDS, store_of_kind

TAKEN = "taken as present"


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def _by_role(result: MatchResult, role: str) -> list[str]:
    return [t.therapy.name for t in result.therapies if t.significance == role]


def _trust_notes(result: MatchResult) -> list[str]:
    return [h.target.name for t in result.therapies for h in t.hits if TAKEN in h.target.name]


@pytest.mark.parametrize("disease", ["chronic myeloid leukemia", "CML", None])
def test_abl1_t315i_alone_answers_ponatinib_and_the_resistance_of_the_earlier_inhibitors(
    store: Store, disease: str | None
) -> None:
    result = match_therapies(store, ["ABL1 T315I"], disease)
    assert _by_role(result, "sensitivity")[0] == "Ponatinib"
    assert {"Imatinib", "Nilotinib", "Dasatinib"} <= set(_by_role(result, "resistance"))
    assert not {"Imatinib", "Nilotinib", "Dasatinib"} & set(_by_role(result, "sensitivity"))
    assert not result.unknown_significance
    notes = _trust_notes(result)
    assert notes
    assert all("BCR::ABL1 taken as present: sources name ABL1 T315I only within it, not confirmed" in n for n in notes)


def test_the_mutation_alone_agrees_with_the_fusion_and_mutation_given_together(store: Store) -> None:
    alone = match_therapies(store, ["ABL1 T315I"], "chronic myeloid leukemia")
    both = match_therapies(store, ["BCR::ABL1", "ABL1 T315I"], "chronic myeloid leukemia")
    assert _by_role(alone, "sensitivity")[0] == _by_role(both, "sensitivity")[0] == "Ponatinib"
    assert set(_by_role(alone, "resistance")) <= set(_by_role(both, "resistance"))
    assert not _trust_notes(both)  # the patient's own fusion: nothing taken on trust


def test_the_explanation_says_which_fusion_was_taken_on_trust(store: Store) -> None:
    result = match_therapies(store, ["ABL1 T315I"], "chronic myeloid leukemia")
    (ponatinib,) = [t for t in result.therapies if (t.therapy.name, t.significance) == ("Ponatinib", "sensitivity")]
    lines = [h.explanation(ponatinib.view) for h in ponatinib.hits]
    assert any("BCR::ABL1 Fusion AND ABL1 T315I" in line and TAKEN in line for line in lines)


def test_alk_g1202r_alone_reaches_the_resistance_of_the_inhibitors_it_defeats(store: Store) -> None:
    result = match_therapies(store, ["ALK G1202R"], "lung adenocarcinoma")
    assert {"Crizotinib", "Alectinib", "Brigatinib", "Ceritinib"} <= set(_by_role(result, "resistance"))
    # Crizotinib's sensitivity to "v::ALK Fusion OR v::ROS1 Fusion" is not the mutation's: never reached through it.
    assert "Crizotinib" not in _by_role(result, "sensitivity")
    # Beside v::ALK Fusion the sources also name EML4::ALK: a named partner among others counts against only.
    assert "Tanespimycin" not in _by_role(result, "sensitivity")


def test_a_mutation_with_evidence_of_its_own_takes_no_fusion_on_trust(store: Store) -> None:
    # ALK F1174L drives neuroblastoma without any fusion; its own evidence answers.
    result = match_therapies(store, ["ALK F1174L"], "neuroblastoma")
    assert result.therapies
    assert not _trust_notes(result)
    assert not any(TAKEN in w for w in result.warnings)


def test_a_fusion_named_with_its_partner_decides_by_itself(store: Store) -> None:
    result = match_therapies(store, ["EML4::ALK", "ALK G1202R"], "lung adenocarcinoma")
    assert not _trust_notes(result)
    assert "Tanespimycin" in _by_role(result, "sensitivity")


def test_the_answer_warns_that_the_fusion_was_assumed(store: Store) -> None:
    # the table shows only "gene_class": the warning is where a tumour board reads what the answer assumed
    result = match_therapies(store, ["ABL1 T315I"], "chronic myeloid leukemia")
    assert "ABL1 T315I: sources name ABL1 T315I only within BCR::ABL1, taken as present here: confirm the fusion" in (
        result.warnings
    )
