"""Cheaper ranking, same answers: every shortcut of :mod:`queries.ranking_rules` held to the long way.

Ranking was ~45% of a warm 50-variant match and the largest per-sample cost of ``pmkg annotate``
(issues 7, 8, 11).  The shortcuts: a drug's inherited resistance grouped by alteration once per ranking
and shared by every combination containing the drug; each alteration's verdict (band, reason, deciding
evidence) weighed and worded once per ranking for the same hits; the best-first sort skipped for an
entry of one hit; the level lookup inlined in the hit order.  The long way here is the rule as the
module docstring states it: a combination's resistance is its own resistance hits followed by the
clinical, non-gene resistance hits of each of its drugs (drugs in order, hits the therapy's own exact
or codon sensitivity evidence does not name), weighed by :func:`queries.ranking_rules.standing`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from queries.ranking_rules import (
    AGAINST,
    CLEAR,
    FOR,
    PROXIMITY_ORDER,
    SPECIFICITY_ORDER,
    Entry,
    InheritedHit,
    RankableHit,
    hit_order,
    level_rank,
    order_entries,
    standing,
)
from tests.regressions.ranking_checks import ask


@dataclass(frozen=True)
class H:
    evidence_id: str
    role: str
    tier: int
    specificity: str
    proximity: str | None
    rating: int
    alteration: Hashable
    distance: int
    target_name: str
    curated: bool = False


DRUGS = {"A": frozenset({"a"}), "B": frozenset({"b"}), "C": frozenset({"c"}),
         "A + B": frozenset({"a", "b"}), "A + C": frozenset({"a", "c"}), "B + C": frozenset({"b", "c"}),
         "A + B + C": frozenset({"a", "b", "c"})}  # fmt: skip

hits = st.builds(
    H,
    evidence_id=st.sampled_from([f"EID{i}" for i in range(8)]),
    role=st.sampled_from([FOR, AGAINST]),
    tier=st.integers(1, 5),
    specificity=st.sampled_from(list(SPECIFICITY_ORDER)),
    proximity=st.sampled_from(["exact", "ancestor", "overlap", "other"]),
    rating=st.integers(0, 5),
    alteration=st.integers(0, 3),
    distance=st.sampled_from([0, 1, 2, 100]),
    target_name=st.sampled_from(["EGFR T790M", "EGFR L858R", "BRAF amplification", "KRAS mutation"]),
)
patients = st.lists(st.tuples(st.sampled_from(sorted(DRUGS)), hits), min_size=1, max_size=40)


def inherited_long_way(entry: Entry[Any], drugs: frozenset[Hashable], single: Mapping[Hashable, Entry[Any]]) -> list:
    """The clinical resistance of a combination's drugs, one flat list, as the module docstring states the rule."""
    if len(drugs) < 2:
        return []
    named = {h.alteration for h in entry.hits if h.specificity in ("exact", "codon")}
    found: list[InheritedHit] = []
    for drug in sorted(drugs, key=str):
        against = single.get(drug)
        if against is None:
            continue
        found.extend(InheritedHit(h.evidence_id, h.role, h.tier, h.specificity, h.proximity, h.rating, h.alteration,
                                  h.distance, f"{h.target_name} (resistance to {against.name}, a drug of this therapy)")
                     for h in against.hits
                     if h.tier <= 3 and h.specificity != "gene" and h.alteration not in named)  # fmt: skip
    return found


def assert_standings_are_the_long_way(entries: Sequence[Entry[Any]], drugs: Mapping[str, frozenset[Hashable]]) -> int:
    """Each sensitivity entry's standing (and activity against resistance) recomputed without any shortcut."""
    by_key = {(e.therapy, e.role): e for e in entries}
    single = {next(iter(d)): by_key[(t, AGAINST)] for t, d in drugs.items() if len(d) == 1 and (t, AGAINST) in by_key}
    resisting: set[Hashable] = set()
    checked = 0
    for entry in entries:
        if entry.role != FOR:
            continue
        against = by_key.get((entry.therapy, AGAINST))
        resistance: list[RankableHit] = list(against.hits) if against is not None else []
        resistance.extend(inherited_long_way(entry, drugs.get(entry.therapy, frozenset()), single))
        assert entry.standing == standing(entry.hits, resistance), entry.name
        checked += entry.standing.band != CLEAR or bool(entry.standing.outweighed)
        own = {h.alteration for h in entry.hits}
        resisting |= {a for a in entry.standing.alterations if own - {a}}
    for entry in entries:
        names_resisting = any(h.alteration in resisting and h.specificity in ("exact", "codon") for h in entry.hits)
        assert entry.against_resistance == (entry.role == FOR and entry.standing.band == CLEAR and names_resisting)
    return checked


@settings(max_examples=300, deadline=None)
@given(patients)
def test_shared_inherited_resistance_and_kept_verdicts_give_the_standing_of_the_long_way(
    pairs: list[tuple[str, H]],
) -> None:
    out = order_entries(((t, t, h) for t, h in pairs), DRUGS)
    assert_standings_are_the_long_way(out.entries, DRUGS)


@settings(max_examples=300, deadline=None)
@given(hits)
def test_the_inlined_level_lookup_orders_hits_as_level_rank_does(hit: H) -> None:
    assert hit_order(hit) == (level_rank(hit.tier, hit.proximity), PROXIMITY_ORDER[hit.proximity], hit.distance,
                              SPECIFICITY_ORDER[hit.specificity], -hit.rating, hit.evidence_id)  # fmt: skip


@given(st.lists(hits, min_size=1, max_size=6))
def test_an_entry_of_one_hit_is_its_own_best_hit_without_a_sort(items: list[H]) -> None:
    entry = Entry("T", "T", FOR, items[:1])
    assert entry.ordered_hits() == items[:1]
    assert entry.best is items[0]
    entry.hits.extend(items[1:])  # hits appended later are sorted in
    assert entry.ordered_hits() == sorted(items, key=hit_order)


def test_real_combinations_inherit_the_resistance_of_their_drugs_as_the_long_way_says() -> None:
    # Tumour-board patients whose combinations inherit clinical resistance from several drugs at once: BRAF
    # amplification and NRAS Q61K beside BRAF V600E in melanoma (vemurafenib, dabrafenib, trametinib combinations);
    # EGFR T790M and MET amplification beside EGFR L858R in lung adenocarcinoma (erlotinib, gefitinib combinations).
    checked = 0
    for variants, disease in [
        (["BRAF V600E", "BRAF amplification", "NRAS Q61K", "MAP2K1 Q56P"], "melanoma"),
        (["EGFR L858R", "EGFR T790M", "MET amplification", "KRAS G12C"], "lung adenocarcinoma"),
        (["BCR::ABL1", "ABL1 T315I", "ABL1 E255K"], "chronic myeloid leukemia"),
    ]:
        result = ask(variants, disease)
        entries = [t.entry for t in result.therapies]
        drugs = {t.entry.therapy: frozenset(d.id for d in t.drugs) for t in result.therapies}
        checked += assert_standings_are_the_long_way(entries, drugs)
    assert checked >= 10  # the real answers do carry demoted, resistant and outweighed therapies
