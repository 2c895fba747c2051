"""The ranking order on hand-made hits: edge cases and invariants real data rarely shows together.

Hits here are the ranking's own input type (:class:`queries.ranking_rules.RankableHit`), not a
stand-in for the graph: the graph-backed answers are in ``tests/regressions/test_ranking_*``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from queries.ranking_rules import AGAINST, BROAD_DISTANCE, FOR, order_entries


@dataclass(frozen=True)
class H:
    evidence_id: str
    role: str
    tier: int
    specificity: str = "exact"
    proximity: str | None = "exact"
    rating: int = 0
    alteration: Hashable = 0
    distance: int = 0
    target_name: str = "X"
    curated: bool = False


def ranked(*items: tuple[str, H]) -> list[tuple[str, str, str]]:
    out = order_entries((t, t, h) for t, h in items)
    return [(e.name, e.role, e.band) for e in out.entries]


def test_co_occurring_clinical_resistance_sinks_a_tier_one_therapy_below_a_tier_four_one() -> None:
    order = ranked(("A", H("1", FOR, 1)), ("A", H("2", AGAINST, 2, alteration=1, target_name="R")),
                   ("B", H("3", FOR, 4)))  # fmt: skip
    assert order == [("B", FOR, "clear"), ("A", FOR, "resistant"), ("A", AGAINST, AGAINST)]


def test_preclinical_co_occurring_resistance_demotes_above_clinical_resistance() -> None:
    order = ranked(("A", H("1", FOR, 1)), ("A", H("2", AGAINST, 4, alteration=1)),
                   ("B", H("3", FOR, 1)), ("B", H("4", AGAINST, 3, alteration=1)), ("C", H("5", FOR, 3)))  # fmt: skip
    assert [(n, b) for n, r, b in order if r == FOR] == [("C", "clear"), ("A", "demoted"), ("B", "resistant")]


def test_other_disease_clinical_resistance_only_demotes() -> None:
    order = ranked(("A", H("1", FOR, 1)), ("A", H("2", AGAINST, 1, alteration=1, proximity="other")))
    assert order[0] == ("A", FOR, "demoted")


def test_without_a_disease_clinical_resistance_applies() -> None:
    order = ranked(("A", H("1", FOR, 1, proximity=None)), ("A", H("2", AGAINST, 2, alteration=1, proximity=None)))
    assert order[0] == ("A", FOR, "resistant")


def test_same_alteration_more_specific_side_decides_and_a_tie_is_a_conflict() -> None:
    specific_sensitivity = ranked(("A", H("1", FOR, 2)), ("A", H("2", AGAINST, 1, specificity="gene_class")))
    assert specific_sensitivity[0] == ("A", FOR, "clear")
    specific_resistance = ranked(("A", H("1", FOR, 1, specificity="gene_class")), ("A", H("2", AGAINST, 3)))
    assert specific_resistance[0] == ("A", FOR, "resistant")
    tie = order_entries([("A", "A", H("1", FOR, 2)), ("A", "A", H("2", AGAINST, 2))])
    assert tie.entries[0].band == "demoted"
    assert "conflicts with sensitivity evidence of equal strength" in tie.warnings[0]


def test_resistance_reached_only_at_gene_level_never_decides() -> None:
    order = ranked(("A", H("1", FOR, 1)), ("A", H("2", AGAINST, 1, specificity="gene", alteration=1)))
    assert order[0] == ("A", FOR, "clear")


def test_gene_level_hints_follow_every_ranked_therapy() -> None:
    order = ranked(("A", H("1", FOR, 1, specificity="gene")), ("B", H("2", FOR, 5)),
                   ("C", H("3", FOR, 1)), ("C", H("4", AGAINST, 1, alteration=1)))  # fmt: skip
    assert [(n, b) for n, r, b in order if r == FOR] == [("B", "clear"), ("C", "resistant"), ("A", "gene_level")]


def test_activity_against_the_resistance_alteration_comes_first_at_the_same_level() -> None:
    out = order_entries([
        ("old", "old", H("1", FOR, 1, alteration=0)), ("old", "old", H("2", AGAINST, 1, alteration=1)),
        ("other", "other", H("3", FOR, 1, alteration=0, rating=5)),
        ("new", "new", H("4", FOR, 1, alteration=1)),
    ])  # fmt: skip
    assert [(e.name, e.against_resistance) for e in out.entries if e.role == FOR] == [
        ("new", True), ("other", False), ("old", False)]  # fmt: skip


hits = st.builds(
    H,
    evidence_id=st.sampled_from("abcdefgh"),
    role=st.sampled_from([FOR, AGAINST, "adverse"]),
    tier=st.integers(1, 5),
    specificity=st.sampled_from(["exact", "codon", "exon", "gene_class", "gene"]),
    proximity=st.sampled_from(["exact", "ancestor", "overlap", "other", None]),
    rating=st.integers(0, 5),
    alteration=st.integers(0, 2),
)


@given(st.lists(st.tuples(st.sampled_from("ABCD"), hits), max_size=25))
def test_any_hits_give_one_entry_per_therapy_and_role_in_band_order(items: list[tuple[str, H]]) -> None:
    out = order_entries((t, t, h) for t, h in items)
    keys = [(e.therapy, e.role) for e in out.entries]
    assert sorted(keys) == sorted({(t, h.role) for t, h in items})
    bands = ["clear", "demoted", "resistant", "gene_level"]
    ranked_bands = [bands.index(e.band) for e in out.entries if e.role == FOR]
    assert ranked_bands == sorted(ranked_bands)
    for index, e in enumerate(out.entries):
        if e.role != FOR and (e.therapy, FOR) in keys:
            assert out.entries[index - 1].therapy == e.therapy
    assert all(e.standing.reason for e in out.entries if e.band in ("demoted", "resistant"))


def test_nearer_ancestor_evidence_ranks_first_at_the_same_level() -> None:
    # "B" is named first alphabetically but its evidence is three terms up (lung cancer), "A"'s one (NSCLC).
    order = ranked(("B", H("1", FOR, 2, proximity="ancestor", distance=3)),
                   ("A", H("2", FOR, 2, proximity="ancestor", distance=1)),
                   ("C", H("3", FOR, 2, proximity="ancestor", distance=BROAD_DISTANCE)),
                   ("D", H("4", FOR, 1, proximity="ancestor", distance=BROAD_DISTANCE)))  # fmt: skip
    assert [n for n, _, _ in order] == ["D", "A", "B", "C"]  # distance orders within a level, never across


def test_clinical_resistance_written_against_a_very_broad_term_only_demotes() -> None:
    broad = ranked(("A", H("1", FOR, 1)),
                   ("A", H("2", AGAINST, 1, alteration=1, proximity="ancestor", distance=BROAD_DISTANCE)))  # fmt: skip
    assert broad[0] == ("A", FOR, "demoted")
    near = ranked(("A", H("1", FOR, 1)), ("A", H("2", AGAINST, 1, alteration=1, proximity="ancestor", distance=4)))
    assert near[0] == ("A", FOR, "resistant")


def test_overlapping_disease_evidence_ranks_with_the_patients_but_its_resistance_only_demotes() -> None:
    # "urinary bladder cancer" and "transitional cell carcinoma" overlap: an approval in the one is read for the other
    # at its tier, after the patient's own and broader terms at that tier, before other tumour types at any tier; but
    # clinical resistance in it may be about tumours the patient's is not.
    order = ranked(("Other", H("1", FOR, 1, proximity="other")), ("Own", H("2", FOR, 2)),
                   ("Overlap", H("3", FOR, 1, proximity="overlap")), ("Own1", H("4", FOR, 1)),
                   ("Broader", H("5", FOR, 1, proximity="ancestor", distance=2)))  # fmt: skip
    assert [n for n, _, _ in order] == ["Own1", "Broader", "Overlap", "Own", "Other"]
    resisted = ranked(("A", H("1", FOR, 1)), ("A", H("2", AGAINST, 1, alteration=1, proximity="overlap")))
    assert resisted[0] == ("A", FOR, "demoted")


def combination(*items: tuple[str, H]) -> list[tuple[str, str, str]]:
    drugs = {"V": frozenset({"vem"}), "C+V": frozenset({"cob", "vem"}), "C": frozenset({"cob"}),
             "X+V": frozenset({"x", "vem"})}  # fmt: skip
    out = order_entries(((t, t, h) for t, h in items), drugs)
    return [(e.name, e.role, e.band) for e in out.entries if e.role == FOR]


def test_a_combination_inherits_only_clinical_resistance_of_its_drugs() -> None:
    clinical = combination(("V", H("1", FOR, 1)), ("V", H("2", AGAINST, 2, alteration=1)), ("C+V", H("3", FOR, 1)))
    assert clinical == [("C+V", FOR, "resistant"), ("V", FOR, "resistant")]
    preclinical = combination(("V", H("1", FOR, 1)), ("V", H("2", AGAINST, 4, alteration=1)), ("C+V", H("3", FOR, 1)))
    assert preclinical == [("C+V", FOR, "clear"), ("V", FOR, "demoted")]


def test_a_combination_naming_the_resistance_alteration_keeps_its_standing() -> None:
    # C+V's own evidence names the resistance alteration by codon (activity despite it); X+V's only by class.
    order = combination(("V", H("1", FOR, 1)), ("V", H("2", AGAINST, 2, alteration=1)),
                        ("C+V", H("3", FOR, 2)), ("C+V", H("4", FOR, 3, alteration=1, specificity="codon")),
                        ("X+V", H("5", FOR, 2)),
                        ("X+V", H("6", FOR, 3, alteration=1, specificity="gene_class")))  # fmt: skip
    assert order == [("C+V", FOR, "clear"), ("V", FOR, "resistant"), ("X+V", FOR, "resistant")]


def test_resistance_to_a_combination_never_reaches_its_drugs_alone() -> None:
    order = combination(("C+V", H("1", FOR, 1)), ("C+V", H("2", AGAINST, 1, alteration=1)),
                        ("C", H("3", FOR, 2)), ("V", H("4", FOR, 2)))  # fmt: skip
    assert order == [("C", FOR, "clear"), ("V", FOR, "clear"), ("C+V", FOR, "resistant")]


def test_a_curated_assertion_in_the_patients_disease_opens_among_therapies_matched_alike() -> None:
    # B: tier 1, and a curator's assertion (CIViC AID, MOAlmanac FDA/guideline); its resistance elsewhere is outweighed
    order = ranked(("A", H("1", FOR, 1)), ("B", H("2", FOR, 1, curated=True)),
                   ("B", H("3", AGAINST, 2, alteration=0, proximity="other")))  # fmt: skip
    assert [n for n, r, _ in order if r == FOR] == ["B", "A"]
    # an assertion about another tumour type lifts nothing: A's two items open, as without any assertion
    elsewhere = ranked(("A", H("1", FOR, 1)), ("A", H("5", FOR, 1)),
                       ("B", H("2", FOR, 1, curated=True, proximity="other")), ("B", H("4", FOR, 1)))  # fmt: skip
    assert [n for n, r, _ in elsewhere if r == FOR] == ["A", "B"]
    in_disease = ranked(("A", H("1", FOR, 1)), ("A", H("5", FOR, 1)),
                        ("B", H("2", FOR, 1, curated=True)), ("B", H("4", FOR, 1)))  # fmt: skip
    assert [n for n, r, _ in in_disease if r == FOR] == ["B", "A"]
    # a better disease or variant match still comes first
    closer = ranked(("A", H("1", FOR, 1)), ("B", H("2", FOR, 1, curated=True, specificity="gene_class")))
    assert [n for n, r, _ in closer if r == FOR] == ["A", "B"]
