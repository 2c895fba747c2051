"""Regressions: disease ids and codes a release retired were silently read, read as nothing, or guessed.

On the starter graph (Disease Ontology 2026-07-31, OncoTree oncotree_2025_10_03) before this fix:
``AASTR``, ``AODG``, ``OAST``, ``GMUCM`` (OncoTree codes revoked into a current type) reached no
disease; ``TNKL`` and ``DOID:5709`` (an earlier code, a merged DOID) were read as their replacement
without a word; ``DOID:0080191`` (obsolete, replaced by DOID:0050657) was read as CIViC's stray node
"Obsolete PTEN Hamartoma Tumor Syndrome", apart from its replacement; ``DOID:625`` (obsolete, three
``consider`` candidates) said only "not in this graph".  Each case below names the real term.
"""

from __future__ import annotations

import pytest

from kg.errors import AmbiguousName
from kg.stores.port import Store
from queries.diseases import resolve_disease
from queries.graph_view import view_for
from queries.matching import match_therapies
from queries.models import SearchQuery
from queries.services.search import ancestors, search
from tests.queries.matching_stores import embedded_starter


@pytest.fixture(scope="module")
def starter() -> Store:
    return embedded_starter()


def _read(store: Store, text: str) -> tuple[str, str, tuple[str, ...]]:
    found = resolve_disease(store, text, view=view_for(store))
    assert found is not None, text
    return found.id, found.name, found.notes


def test_a_merged_doid_is_read_as_its_replacement_with_a_warning_naming_the_do_release(starter: Store) -> None:
    assert _read(starter, "DOID:267") == (
        "DOID:0001816",
        "angiosarcoma",
        ("DOID:267 is obsolete in Disease Ontology 2026-07-31, merged into DOID:0001816 (angiosarcoma)",),
    )


def test_an_obsolete_doid_with_replaced_by_is_read_as_the_replacement(starter: Store) -> None:
    # The cancer slim's stanza: "obsolete mixed-type liposarcoma", replaced_by DOID:5363.
    disease_id, name, notes = _read(starter, "doid:5709")
    assert (disease_id, name) == ("DOID:5363", "myxoid liposarcoma")
    assert (
        notes[0] == "DOID:5709 is obsolete in Disease Ontology 2026-07-31, replaced by DOID:5363 (myxoid liposarcoma)"
    )


def test_evidence_a_source_files_under_an_obsolete_doid_counts_as_its_replacements(starter: Store) -> None:
    # CIViC still files EID:1935 (PTEN R173C, predisposing) under DOID:0080191, which DO replaced by DOID:0050657.
    found = resolve_disease(starter, "DOID:0080191", view=view_for(starter))
    assert found is not None
    assert found.id == "DOID:0050657"
    assert "DOID:0080191" in found.same
    assert found.notes[0].startswith(
        "DOID:0080191 is obsolete in Disease Ontology 2026-07-31, replaced by DOID:0050657"
    )
    by_name = resolve_disease(starter, "PTEN hamartoma tumor syndrome", view=view_for(starter))
    assert by_name is not None
    assert "DOID:0080191" in by_name.same


def test_an_obsolete_doid_with_only_consider_candidates_is_an_error_listing_them(starter: Store) -> None:
    with pytest.raises(AmbiguousName) as raised:
        resolve_disease(starter, "DOID:625", view=view_for(starter))
    assert str(raised.value) == (
        "DOID:625 is obsolete in Disease Ontology 2026-07-31 without a replacement; DO suggests considering "
        "DOID:2583 (agammaglobulinemia), DOID:2914 (immune system disease), DOID:624 (transient "
        "hypogammaglobulinemia of infancy): give one of them"
    )
    assert [c[0] for c in raised.value.candidates] == ["DOID:2583", "DOID:2914", "DOID:624"]


@pytest.mark.parametrize(
    ("code", "now", "how"),
    [
        ("AASTR", "ASTR", "the type OncoTree moved its cases to: check that the diagnosis fits"),  # revocations
        ("OAST", "GNOS", "the type OncoTree moved its cases to: check that the diagnosis fits"),
        ("GMUCM", "URMM", "the type OncoTree moved its cases to: check that the diagnosis fits"),
        ("SLL", "CLLSLL", "the type that took over its cases"),  # precursors
        ("TNKL", "MTNN", "the same tumour type under its new code"),  # history
        ("ptclnos", "PTCL", "the same tumour type under its new code"),
    ],
)
def test_a_retired_oncotree_code_is_read_as_its_type_with_a_warning_naming_the_release(
    starter: Store, code: str, now: str, how: str
) -> None:
    disease_id, name, notes = _read(starter, code)
    assert disease_id == f"ONCOTREE:{now}"
    assert notes[0].startswith(
        f"{code} is a retired OncoTree code, not in OncoTree oncotree_2025_10_03: read as {now} ({name}), {how}"
    )


def test_a_revoked_code_whose_type_gained_subtypes_says_a_more_specific_code_may_fit(starter: Store) -> None:
    _, _, notes = _read(starter, "AASTR")
    assert notes[0].endswith(
        "more specific types now exist below it (ASTR2, ASTR3, ASTR4): a more specific code may fit"
    )


def test_a_code_oncotree_split_in_two_is_an_error_listing_both(starter: Store) -> None:
    # "ALL" alone is DO's acute lymphoblastic leukemia (an exact synonym); as an OncoTree code it was revoked.
    assert _read(starter, "ALL")[0] == "DOID:9952"
    with pytest.raises(AmbiguousName, match=r"BLL \(B-Lymphoblastic Leukemia/Lymphoma\), TLL \(T-Lymphoblastic"):
        resolve_disease(starter, "ONCOTREE:ALL", view=view_for(starter))


def test_current_codes_are_not_read_as_retired_ones(starter: Store) -> None:
    # OncoTree lists PTCL among its own revocations, and SpCC as an earlier spelling of SPCC.
    assert _read(starter, "PTCL")[2] == ()
    assert not any("retired" in note for note in _read(starter, "SpCC")[2])


def test_match_on_a_retired_code_answers_as_on_its_replacement_and_warns(starter: Store) -> None:
    retired = match_therapies(starter, ["IDH1 R132H"], "AASTR")
    current = match_therapies(starter, ["IDH1 R132H"], "ASTR")
    assert [t.therapy.id for t in retired.therapies] == [t.therapy.id for t in current.therapies]
    assert retired.disease is not None
    assert retired.disease.id == "ONCOTREE:ASTR"
    assert retired.warnings[0].startswith("AASTR is a retired OncoTree code, not in OncoTree oncotree_2025_10_03")


def test_match_on_an_ambiguous_retired_id_is_an_error_not_a_guess(starter: Store) -> None:
    with pytest.raises(AmbiguousName, match=r"DOID:2583 \(agammaglobulinemia\)"):
        match_therapies(starter, ["BRAF V600E"], "DOID:625")


def test_search_lists_every_candidate_of_an_ambiguous_retired_id(starter: Store) -> None:
    answer = search(starter, SearchQuery(text="DOID:625", label=None, limit=10))
    assert [h.id for h in answer.hits][:3] == ["DOID:2583", "DOID:2914", "DOID:624"]
    replaced = search(starter, SearchQuery(text="AASTR", label=None, limit=10))
    assert replaced.hits[0].id == "ONCOTREE:ASTR"


def test_ancestors_of_a_retired_code_are_its_replacements(starter: Store) -> None:
    answer = ancestors(starter, "TNKL")
    assert answer.disease.id == "ONCOTREE:MTNN"
    assert answer.notes[0].startswith("TNKL is a retired OncoTree code")
