"""Ranking: evidence hits → one entry per therapy and significance, ordered as DESIGN.md says.

Entries (:class:`TherapyResult`) group the hits about one therapy with one role, across sources
(a CIViC item and a MOAlmanac assertion about dabrafenib + trametinib are one entry with both):

``sensitivity``                          sensitivity evidence that supports it;
``resistance`` / ``reduced sensitivity`` resistance, reduced sensitivity, and sensitivity
                                         evidence that does *not* support it;
``adverse response``                     adverse-response evidence.

An entry's ``tier``, ``variant_match`` and ``disease_match`` are those of its best hit (lowest
tier, then most specific match, then closest disease).  Sensitivity entries are ordered by
tier, then specificity (exact > codon > exon > gene_class > gene), then disease proximity
(exact > ancestor > other), then the number of evidence items and their CIViC ratings.

Resistance beside its therapy: a therapy's resistance and adverse-response entries follow its
sensitivity entry.  Resistance **demotes** the therapy by one tier in the ranking (its shown
tier is unchanged) when it applies to this patient: it is in the patient's disease or a
broader one (or no disease was given), and it is clinical (tier 1-3) or at least as strong
as the best sensitivity evidence.  Each such case, and each adverse response, is a warning.
Therapies with only resistance or adverse evidence come after all sensitivity entries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.records import Node, PropValue
from queries.explain import explain_hit
from queries.graph_view import GraphView
from queries.normalize import DiseaseMatch, NodeMatch, NormalizedVariant

SPECIFICITY_ORDER = {"exact": 0, "codon": 1, "exon": 2, "gene_class": 3, "gene": 4}
PROXIMITY_ORDER = {"exact": 0, "ancestor": 1, "other": 2, None: 1}
FOR, AGAINST, ADVERSE = "for", "against", "adverse"


# The ranking rules, once; queries.annotate_ranking applies the same ones to its cohort hits.
def hit_order(tier: int, specificity: str, proximity: str | None, rating: int, evidence_id: str) -> tuple[Any, ...]:
    """Best evidence first: tier, then specificity, disease proximity, rating, id."""
    return (tier, SPECIFICITY_ORDER[specificity], PROXIMITY_ORDER[proximity], -rating, evidence_id)


def entry_order(
    tier: int, demoted: bool, specificity: str, proximity: str | None, evidence: int, rating: int, name: str
) -> tuple[Any, ...]:
    """Therapies in order: tier (one lower if demoted), specificity, proximity, amount and rating of evidence."""
    return (tier + (1 if demoted else 0), SPECIFICITY_ORDER[specificity], PROXIMITY_ORDER[proximity], -evidence,
            -rating, name.lower())  # fmt: skip


def resistance_applies(tier: int, proximity: str | None, sensitivity_tier: int) -> bool:
    """Does one item of resistance evidence demote a therapy whose best sensitivity is ``sensitivity_tier``?

    Yes when it is in the patient's disease or a broader one (or no disease was given) and it is
    clinical (tier 1–3) or no weaker than the sensitivity evidence.
    """
    return proximity in ("exact", "ancestor", None) and tier <= max(sensitivity_tier, 3)


def hit_role(props: Mapping[str, PropValue]) -> str | None:
    """Whether predictive evidence argues for a therapy, against it, warns of harm, or neither."""
    significance, direction = props.get("significance"), props.get("direction", "supports")
    supports = direction != "does not support"
    if significance == "sensitivity":
        return FOR if supports else AGAINST
    if significance in ("resistance", "reduced sensitivity"):
        return AGAINST if supports else None
    if significance == "adverse response":
        return ADVERSE if supports else None
    return None


@dataclass(frozen=True)
class EvidenceHit:
    """One evidence item reaching one therapy set from one input, and how it matched."""

    evidence: Node
    source: str
    input_index: int
    target: NodeMatch
    specificity: str
    disease_id: str | None
    proximity: str | None
    therapy_ids: tuple[str, ...]
    role: str
    tier: int
    rating: int
    variant: NormalizedVariant
    fallback: bool = False

    def explanation(self, view: GraphView) -> str:
        """The path input → variant → class → evidence → disease → therapy (see :mod:`queries.explain`)."""
        return explain_hit(
            view,
            self.variant,
            self.target,
            self.evidence,
            self.source,
            self.disease_id,
            self.proximity,
            self.therapy_ids,
            fallback=self.fallback,
        )

    def key(self) -> tuple[Any, ...]:
        return hit_order(self.tier, self.specificity, self.proximity, self.rating, self.evidence.id)


@dataclass
class TherapyResult:
    """One therapy with one significance: its evidence, best tier and match, and its place in the ranking."""

    therapy: Node
    drugs: tuple[Node, ...]
    significance: str
    hits: list[EvidenceHit]
    view: GraphView
    disease_names: dict[str, str] = field(default_factory=dict)
    demoted: bool = False
    pgx: list[dict[str, Any]] = field(default_factory=list)

    @property
    def best(self) -> EvidenceHit:
        return min(self.hits, key=EvidenceHit.key)

    @property
    def tier(self) -> int:
        return self.best.tier

    @property
    def variant_match(self) -> str:
        return self.best.specificity

    @property
    def disease_match(self) -> str | None:
        return self.best.proximity

    @property
    def input_indexes(self) -> set[int]:
        return {h.input_index for h in self.hits}

    def unique_hits(self) -> list[EvidenceHit]:
        """One hit per evidence item (its best), best first."""
        best: dict[str, EvidenceHit] = {}
        for hit in sorted(self.hits, key=EvidenceHit.key):
            best.setdefault(hit.evidence.id, hit)
        return list(best.values())

    def levels(self) -> dict[str, list[str]]:
        out: dict[str, set[str]] = {}
        for hit in self.hits:
            level = hit.evidence.props.get("level")
            if level is not None:
                out.setdefault(hit.source, set()).add(str(level))
        return {source: sorted(levels) for source, levels in sorted(out.items())}

    def rank_key(self) -> tuple[Any, ...]:
        best = self.best
        unique = self.unique_hits()
        return entry_order(best.tier, self.demoted, best.specificity, best.proximity, len(unique),
                           sum(h.rating for h in unique), self.therapy.name)  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        unique = self.unique_hits()
        return {
            "therapy": self.therapy.name,
            "drugs": [d.name for d in self.drugs],
            "significance": self.significance,
            "tier": self.tier,
            "levels": self.levels(),
            "variant_match": self.variant_match,
            "disease_match": self.disease_match,
            "evidence": [
                {
                    "source": h.source,
                    "id": h.evidence.id,
                    "level": h.evidence.props.get("level"),
                    "disease": {"id": h.disease_id, "name": self.disease_names.get(h.disease_id, h.disease_id)}
                    if h.disease_id
                    else None,
                    "citation": _citation(h.evidence),
                }
                for h in unique
            ],
            "explanation": list(dict.fromkeys(h.explanation(self.view) for h in unique)),
            "pgx": list(self.pgx),
        }


def _citation(evidence: Node) -> str | None:
    props = evidence.props
    for key in ("citation_id", "citation", "url"):
        value = props.get(key)
        if value:
            return str(value)
    return None


def _significance(role: str, hits: Sequence[EvidenceHit]) -> str:
    if role == FOR:
        return "sensitivity"
    if role == ADVERSE:
        return "adverse response"
    kinds = {h.evidence.props.get("significance") for h in hits}
    return "reduced sensitivity" if kinds == {"reduced sensitivity"} else "resistance"


def rank(
    view: GraphView, hits: Sequence[EvidenceHit], disease: DiseaseMatch | None, warnings: list[str]
) -> list[TherapyResult]:
    """Group hits into therapy entries, demote and warn, and order them."""
    groups: dict[tuple[str, str], list[EvidenceHit]] = {}
    for hit in hits:
        for therapy_id in hit.therapy_ids:
            groups.setdefault((therapy_id, hit.role), []).append(hit)
    entries: dict[tuple[str, str], TherapyResult] = {}
    for (therapy_id, role), group in groups.items():
        info = view.therapy(therapy_id)
        if info is None:
            continue
        names = {h.disease_id: _name(view, h.disease_id) for h in group if h.disease_id}
        entries[(therapy_id, role)] = TherapyResult(
            info.node, info.drugs, _significance(role, group), group, view, names
        )
    for (therapy_id, role), entry in entries.items():
        if role != FOR:
            continue
        against = entries.get((therapy_id, AGAINST))
        if against is not None:
            applies = [h for h in against.unique_hits() if resistance_applies(h.tier, h.proximity, entry.tier)]
            if applies:
                entry.demoted = True
                warnings.append(
                    f"{entry.therapy.name}: {against.significance} evidence applies to this patient "
                    f"({_summarise(applies)}); ranked one tier lower"
                )
            else:
                warnings.append(
                    f"{entry.therapy.name}: {against.significance} evidence in other diseases or "
                    f"preclinical models ({_summarise(against.unique_hits())}); shown beside it"
                )
    for (_, role), entry in entries.items():
        if role == ADVERSE:
            warnings.append(f"{entry.therapy.name}: adverse response reported ({_summarise(entry.unique_hits())})")
    ordered: list[TherapyResult] = []
    placed: set[tuple[str, str]] = set()
    for role in (FOR, AGAINST, ADVERSE):
        for key, entry in sorted(((k, e) for k, e in entries.items() if k[1] == role), key=lambda ke: ke[1].rank_key()):
            if key in placed:
                continue
            ordered.append(entry)
            placed.add(key)
            if role == FOR:
                for companion_role in (AGAINST, ADVERSE):
                    companion = (key[0], companion_role)
                    if companion in entries:
                        ordered.append(entries[companion])
                        placed.add(companion)
    return ordered


def _name(view: GraphView, node_id: str | None) -> str:
    if node_id is None:
        return ""
    node = view.node(node_id)
    return node.name if node is not None else node_id


def _summarise(hits: Sequence[EvidenceHit], limit: int = 3) -> str:
    parts = []
    for hit in hits[:limit]:
        level = hit.evidence.props.get("level", "?")
        parts.append(f"{hit.target.name}, {hit.evidence.id} level {level}")
    more = f" and {len(hits) - limit} more" if len(hits) > limit else ""
    return "; ".join(parts) + more
