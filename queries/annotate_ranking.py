"""Evidence hits of an alteration, matched once, ranked again for each tumour type of a cohort.

Which evidence an alteration reaches does not depend on the disease; only how close each
item's disease is (``exact``/``ancestor``/``other``), and so the order and the resistance
standing, does.  :mod:`queries.annotate` therefore matches each distinct alteration once
without a disease and unranked (:func:`queries.matching.reach_evidence`), keeps its hits as
:class:`Hit` tuples grouped by therapy id and role (:func:`groups_of`), and ranks them here
for each sample's disease with :func:`rank_groups`, which hands them to
:func:`queries.ranking_rules.order_entries` — the same order ``pmkg match`` gives, decided in
one place.  A hit's disease match is the closest of its evidence's diseases to the patient's
(:meth:`queries.normalize.DiseaseMatch.proximity`); evidence with no disease is ``other`` when
the patient has one.

What a row or sample shows (:class:`Ranked`):

- ``sensitive``: therapies whose best evidence is in the sample's disease or a broader one (or
  any, when no disease is given) and names the variant, its codon, exon or class; the
  sample's "highest sensitive tier" is the best tier among them that resistance in the same
  patient does not make ``resistant``;
- ``other_disease``: therapies whose best evidence is about another tumour type;
- ``gene_level``: therapies reached only through other alterations of the gene (hints);
- ``resistant``: resistance and reduced-sensitivity entries;
- ``notes``: why each demoted or resistant therapy is where it is (outweighed resistance is
  in the ``resistance`` column, not in a note).

``tests/queries/test_annotate.py`` holds this to :func:`match_therapies` run per disease.
Nothing here logs; hits hold graph ids only.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from queries.graph_view import GraphView
from queries.normalize import DiseaseMatch
from queries.ranking import EvidenceHit
from queries.ranking_rules import AGAINST, CLEAR, FOR, RESISTANT, Entry, order_entries, warning

_ROLES = frozenset({FOR, AGAINST})
_DISEASE_ORDER = ("exact", "ancestor", "overlap", "other")


@dataclass(slots=True)  # not frozen (here and in _Scored): a frozen init sets each field through object.__setattr__
class Hit:
    """One evidence item reaching one therapy from one alteration, without a patient's disease."""

    evidence: str
    tier: int
    specificity: str
    diseases: tuple[str, ...]
    rating: int
    input: int  # which input of its match it came from (0 for an alteration matched alone)
    target: str  # the variant, class or profile it is about
    curated: bool = False  # a source's curated assertion


Group = tuple[str, str, str, tuple[Hit, ...], frozenset[str]]  # (therapy id, therapy name, role, hits, drug ids)


@dataclass(slots=True)
class _Scored:
    """A :class:`Hit` with its disease match in one patient's disease: a ``RankableHit``."""

    evidence_id: str
    role: str
    tier: int
    specificity: str
    proximity: str | None
    distance: int
    rating: int
    alteration: Hashable
    target_name: str
    curated: bool = False


@dataclass(frozen=True, slots=True)
class Label:
    """One therapy entry as a row shows it, and its tier."""

    therapy: str
    tier: int
    text: str  # "therapy (tier N, variant match, disease match[, demoted|resistant])"
    standing: str


@dataclass(frozen=True, slots=True)
class Ranked:
    """An alteration's (or a sample's) entries for one disease (see the module docstring)."""

    sensitive: tuple[Label, ...]
    other_disease: tuple[Label, ...]
    resistant: tuple[Label, ...]
    gene_level: tuple[str, ...]
    notes: tuple[str, ...]
    evidence: tuple[str, ...]  # every evidence id shown, best first

    @property
    def sensitive_tier(self) -> int | None:
        return min((e.tier for e in self.sensitive if e.standing != RESISTANT), default=None)

    @property
    def resistance_tier(self) -> int | None:
        return min((e.tier for e in self.resistant), default=None)


EMPTY = Ranked((), (), (), (), (), ())


def groups_of(view: GraphView, hits: Iterable[EvidenceHit]) -> tuple[Group, ...]:
    """The sensitivity and resistance hits of one match (:func:`queries.matching.reach_evidence`), by therapy id and
    role, in the order they were found: the one ranking of a cohort is :func:`rank_groups`'s."""
    found: dict[tuple[str, str], list[Hit]] = {}
    for h in hits:
        if h.role not in _ROLES:
            continue  # adverse responses are not a row's therapies
        hit = Hit(h.evidence.id, h.tier, h.specificity, view.evidence_links(h.evidence.id).diseases, h.rating,
                  h.input_index, h.target.name, h.curated)  # fmt: skip
        for therapy_id in h.therapy_ids:
            found.setdefault((therapy_id, h.role), []).append(hit)
    groups = []
    for (therapy_id, role), items in found.items():
        info = view.therapy(therapy_id)
        if info is not None:
            groups.append((therapy_id, info.node.name, role, tuple(items), info.drug_ids))
    return tuple(groups)


def _proximity(view: GraphView, hit: Hit, disease: DiseaseMatch | None) -> tuple[str | None, int]:
    """The closest of a hit's diseases to the patient's, and its distance up (see queries.diseases)."""
    if disease is None:
        return None, 0
    if not hit.diseases:
        return "other", 0
    memo = view.disease_memo(disease.same)  # the same for every hit naming these diseases: kept per build
    key = ("annotate", hit.diseases)
    known: tuple[str | None, int] | None = memo.get(key)
    if known is None:
        closest = min(
            hit.diseases, key=lambda d: (_DISEASE_ORDER.index(disease.proximity(view, d)), disease.distance(view, d))
        )
        known = memo[key] = (disease.proximity(view, closest), disease.distance(view, closest))
    return known


def label(entry: Entry[_Scored]) -> str:
    """``therapy (tier N, variant match, disease match[, standing])``: what a row writes for an entry."""
    best = entry.best
    disease = f", {best.proximity} disease" if best.proximity else ""
    standing = f", {entry.standing.band}" if entry.role == FOR and entry.standing.band != "clear" else ""
    return f"{entry.name} (tier {best.tier}, {best.specificity} match{disease}{standing})"


def rank_groups(view: GraphView, alterations: Iterable[Sequence[Group]], disease: DiseaseMatch | None) -> Ranked:
    """Entries of one patient in ``disease``; ``alterations`` holds each alteration's groups (or one match's)."""
    pairs = []
    drugs: dict[str, frozenset[str]] = {}
    memo = view.disease_memo(disease.same) if disease is not None else None  # _proximity's, read here first
    for index, groups in enumerate(alterations):
        for therapy_id, name, role, hits, therapy_drugs in groups:
            drugs[therapy_id] = therapy_drugs
            for hit in hits:
                known = memo.get(("annotate", hit.diseases)) if memo is not None and hit.diseases else None
                proximity, distance = known if known is not None else _proximity(view, hit, disease)
                scored = _Scored(hit.evidence, role, hit.tier, hit.specificity, proximity, distance, hit.rating,
                                 (index, hit.input), hit.target, hit.curated)  # fmt: skip
                pairs.append((therapy_id, name, scored))
    ordered = order_entries(pairs, drugs)
    sensitive: list[Label] = []
    other: list[Label] = []
    resistant: list[Label] = []
    gene_level: list[str] = []
    shown: list[str] = []
    for entry in ordered.entries:
        best = entry.best
        if best.specificity == "gene":  # a hint (band GENE_LEVEL), or resistance reached only at gene level
            if entry.role == FOR:
                gene_level.append(entry.name)
            continue
        item = Label(entry.name, best.tier, label(entry), entry.standing.band)
        if entry.role != FOR:
            resistant.append(item)
        elif best.proximity in ("overlap", "other"):  # the sample's disease means exact or a broader term
            other.append(item)
        else:
            sensitive.append(item)
        shown.extend(h.evidence_id for h in entry.unique_hits())
    notes = [warning(e) or "" for e in ordered.entries if e.role == FOR and e.standing.band != CLEAR]
    return Ranked(tuple(sensitive), tuple(other), tuple(resistant), tuple(sorted(gene_level)), tuple(notes),
                  tuple(dict.fromkeys(shown)))  # fmt: skip
