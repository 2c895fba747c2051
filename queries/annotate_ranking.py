"""Evidence hits of an alteration, matched once, ranked again for each tumour type of a cohort.

Which evidence an alteration reaches does not depend on the disease; only how close each
item's disease is (``exact``/``ancestor``/``other``), and so the order and the resistance
demotion, does.  :mod:`queries.annotate` therefore matches each distinct alteration once
without a disease (:func:`queries.matching.match_therapies`), keeps its hits as
:class:`Hit` tuples (:func:`groups_of`), and ranks them here for each sample's disease with
:func:`rank_groups` — with the rules of :mod:`queries.ranking` (:func:`~queries.ranking.hit_order`,
:func:`~queries.ranking.entry_order`, :func:`~queries.ranking.resistance_applies`), applied to those hits:

- an entry is one therapy with one significance; its tier, variant match and disease match are
  those of its best hit (lowest tier, most specific match, closest disease, highest rating);
- a hit's disease match is the closest of its evidence's diseases to the patient's
  (:meth:`queries.normalize.DiseaseMatch.proximity`); evidence with no disease is ``other``
  when the patient has one;
- sensitivity is demoted one tier in the order when resistance to the same therapy applies
  (in the patient's disease or a broader one, or no disease given; tier 1-3 or no weaker than
  the sensitivity), and a note says so;
- entries are ordered by tier (+ demotion), specificity, disease proximity, amount of evidence,
  total rating, name.

``tests/queries/test_annotate.py`` holds this to :func:`match_therapies` run per disease.
Nothing here logs; hits hold graph ids only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from queries.graph_view import GraphView
from queries.matching import MatchResult
from queries.normalize import DiseaseMatch
from queries.ranking import entry_order, hit_order, resistance_applies

SENSITIVITY = "sensitivity"
RESISTANCE = frozenset({"resistance", "reduced sensitivity"})
_DISEASE_ORDER = ("exact", "ancestor", "other")


@dataclass(frozen=True, slots=True)
class Hit:
    """One evidence item reaching one therapy from one alteration, without a patient's disease."""

    evidence: str
    tier: int
    specificity: str
    diseases: tuple[str, ...]
    rating: int


Group = tuple[str, str, tuple[Hit, ...]]  # (therapy name, significance, hits)


@dataclass(frozen=True, slots=True)
class Entry:
    """One therapy with one significance, ranked for one disease."""

    therapy: str
    significance: str
    tier: int
    variant_match: str
    disease_match: str | None
    evidence: tuple[str, ...]  # evidence ids, best first
    hits: tuple[tuple[int, str | None], ...]  # (tier, disease match) of each evidence item
    rating: int

    def label(self) -> str:
        disease = f", {self.disease_match} disease" if self.disease_match else ""
        return f"{self.therapy} (tier {self.tier}, {self.variant_match} match{disease})"

    def rank_key(self, demoted: bool) -> tuple[Any, ...]:
        return entry_order(self.tier, demoted, self.variant_match, self.disease_match, len(self.evidence),
                           self.rating, self.therapy)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Ranked:
    """An alteration's (or a sample's) entries for one disease."""

    sensitive: tuple[Entry, ...]
    resistant: tuple[Entry, ...]
    gene_level: tuple[str, ...]  # sensitivity therapies reached only at gene level
    notes: tuple[str, ...]  # resistance that demotes a therapy

    @property
    def evidence(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i for e in (*self.sensitive, *self.resistant) for i in e.evidence))


def groups_of(view: GraphView, result: MatchResult) -> tuple[Group, ...]:
    """The sensitivity and resistance hits of a match, by therapy and significance."""
    groups = []
    for therapy in result.therapies:
        if therapy.significance != SENSITIVITY and therapy.significance not in RESISTANCE:
            continue  # adverse responses are not a row's therapies
        hits = tuple(
            Hit(h.evidence.id, h.tier, h.specificity, view.evidence_links(h.evidence.id).diseases, h.rating)
            for h in therapy.hits
        )
        groups.append((therapy.therapy.name, therapy.significance, hits))
    return tuple(groups)


def _proximity(view: GraphView, hit: Hit, disease: DiseaseMatch | None) -> str | None:
    if disease is None:
        return None
    if len(hit.diseases) == 1:
        return disease.proximity(view, hit.diseases[0])
    if not hit.diseases:
        return "other"
    return min((disease.proximity(view, d) for d in hit.diseases), key=_DISEASE_ORDER.index)


def rank_groups(view: GraphView, groups: Iterable[Group], disease: DiseaseMatch | None) -> Ranked:
    """Entries of ``groups`` (hits of one alteration, or of a sample's alterations together) in ``disease``."""
    hits_by_key: dict[tuple[str, str], list[Hit]] = {}
    for therapy, significance, hits in groups:
        hits_by_key.setdefault((therapy, significance), []).extend(hits)
    entries: dict[tuple[str, str], Entry] = {}
    for (therapy, significance), found in hits_by_key.items():
        scored = sorted(
            ((hit, _proximity(view, hit, disease)) for hit in found),
            key=lambda hp: hit_order(hp[0].tier, hp[0].specificity, hp[1], hp[0].rating, hp[0].evidence),
        )  # fmt: skip
        unique: dict[str, tuple[Hit, str | None]] = {}
        for hit, proximity in scored:
            unique.setdefault(hit.evidence, (hit, proximity))
        best, best_proximity = scored[0]
        entries[(therapy, significance)] = Entry(
            therapy, significance, best.tier, best.specificity, best_proximity, tuple(unique),
            tuple((h.tier, p) for h, p in unique.values()), sum(h.rating for h, _ in unique.values()),
        )  # fmt: skip
    against = {therapy: e for (therapy, significance), e in entries.items() if significance in RESISTANCE}
    sensitive: list[tuple[Entry, bool]] = []
    resistant: list[Entry] = []
    gene_level: list[str] = []
    notes: list[str] = []
    for entry in entries.values():
        if entry.variant_match == "gene":
            if entry.significance == SENSITIVITY:
                gene_level.append(entry.therapy)
            continue
        if entry.significance in RESISTANCE:
            resistant.append(entry)
            continue
        counter = against.get(entry.therapy)
        demoted = counter is not None and any(
            resistance_applies(tier, proximity, entry.tier) for tier, proximity in counter.hits
        )
        if demoted and counter is not None:
            notes.append(f"{entry.therapy}: {counter.significance} evidence applies to this patient "
                         f"({', '.join(counter.evidence[:3])}); ranked one tier lower")  # fmt: skip
        sensitive.append((entry, demoted))
    sensitive.sort(key=lambda ed: ed[0].rank_key(ed[1]))
    resistant.sort(key=lambda e: e.rank_key(False))
    return Ranked(tuple(e for e, _ in sensitive), tuple(resistant), tuple(sorted(gene_level)), tuple(notes))
