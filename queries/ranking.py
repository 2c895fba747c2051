"""Ranking for ``pmkg match``: evidence hits → therapy entries, in the order of :mod:`queries.ranking_rules`.

Entries (:class:`TherapyResult`) group the hits about one therapy with one role, across sources
(a CIViC item and a MOAlmanac assertion about dabrafenib + trametinib are one entry with both):

``sensitivity``                          sensitivity evidence that supports it;
``resistance`` / ``reduced sensitivity`` resistance, reduced sensitivity, and sensitivity
                                         evidence that does *not* support it;
``adverse response``                     adverse-response evidence.

An entry's ``tier``, ``variant_match`` and ``disease_match`` are those of its best hit.  The
order, the resistance standing of each therapy (``clear``, ``demoted``, ``resistant``; gene-level
hints apart) and the warnings that say why come from :func:`queries.ranking_rules.order_entries`,
the one place the ranking order is decided; this module adds the graph: therapy and drug
nodes, disease names, explanations, JSON.  Resistance and adverse-response entries follow the
therapy they concern.  Nothing here logs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.records import Node, PropValue
from queries.explain import Explainer
from queries.graph_view import GraphView, TherapyInfo
from queries.normalize import DiseaseMatch, NodeMatch, NormalizedVariant
from queries.ranking_rules import ADVERSE, FOR, Entry, hit_order, order_entries


@dataclass(slots=True)  # not frozen: a frozen init sets each field through object.__setattr__, 6x slower
class EvidenceHit:
    """One evidence item reaching one therapy set from one input, and how it matched (never changed once made)."""

    evidence: Node
    source: str
    input_index: int
    target: NodeMatch
    specificity: str
    disease_id: str | None
    proximity: str | None
    distance: int  # steps up to the evidence's disease when it is a broader one (queries.diseases)
    therapy_ids: tuple[str, ...]
    role: str
    tier: int
    rating: int
    variant: NormalizedVariant
    # What ranking reads of every hit again and again, as fields (a property is a call apiece: ~1,000 per answer)
    evidence_id: str  # evidence.id
    alteration: int  # input_index
    target_name: str  # target.name
    fallback: bool = False
    curated: bool = False  # a source's curated assertion (queries.ranking_rules.RankableHit)

    def explanation(self, view: GraphView, explainer: Explainer | None = None) -> str:
        """The path input → variant → class → evidence → disease → therapy (see :mod:`queries.explain`);
        ``explainer`` words a whole answer's steps once."""
        return (explainer or Explainer(view)).lines([self])[0]

    def key(self) -> tuple[Any, ...]:
        return hit_order(self)


@dataclass(slots=True)  # a hundred per answer: slots make each smaller and quicker to make and free
class TherapyResult:
    """One therapy with one significance: its evidence, best tier and match, and its standing in the ranking."""

    therapy: Node
    drugs: tuple[Node, ...]
    significance: str
    entry: Entry[EvidenceHit]
    view: GraphView
    pgx: list[dict[str, Any]] = field(default_factory=list)

    @property
    def hits(self) -> list[EvidenceHit]:
        return self.entry.hits

    @property
    def best(self) -> EvidenceHit:
        return self.entry.best

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
    def standing(self) -> str:
        """``clear``, ``demoted``, ``resistant`` or ``gene_level`` for sensitivity; the role otherwise."""
        return self.entry.band

    @property
    def demoted(self) -> bool:
        """Whether resistance in this patient ranks it below the therapies without any."""
        return self.significance == "sensitivity" and self.entry.standing.band != "clear"

    @property
    def standing_reason(self) -> str:
        return self.entry.standing.reason

    @property
    def input_indexes(self) -> set[int]:
        return {h.input_index for h in self.hits}

    def unique_hits(self) -> list[EvidenceHit]:
        """One hit per evidence item (its best), best first."""
        return self.entry.unique_hits()

    def levels(self) -> dict[str, list[str]]:
        """Each source's levels among this entry's evidence, sorted (every hit of an item has its source and level)."""
        return _levels([(h.source, h.evidence.props.get("level")) for h in self.unique_hits()])

    def rank_key(self) -> tuple[Any, ...]:
        return self.entry.rank_key()

    def as_json(self, explainer: Explainer | None = None) -> dict[str, Any]:
        """This entry as JSON; ``explainer`` words the explanations of a whole answer once (:mod:`queries.explain`)."""
        explainer = explainer or Explainer(self.view)
        rows = self.view.derived("evidence rows")  # graph content: each item as answers show it (_evidence_row)
        evidence: list[dict[str, Any]] = []
        levels: list[tuple[str, PropValue | None]] = []
        unique = self.entry.unique_hits()
        for h in unique:
            key = (h.source, h.evidence_id, h.disease_id)
            row = rows.get(key)
            if row is None:
                row = rows[key] = _evidence_row(self.view, h.source, h.evidence, h.disease_id)
            evidence.append(row)
            levels.append((h.source, row["level"]))
        therapies = self.view.derived("therapy drug rows")  # graph content: a therapy's drugs, names and ids
        drugs = therapies.get(self.therapy.id)
        if drugs is None:
            drugs = therapies[self.therapy.id] = ([d.name for d in self.drugs], [d.id for d in self.drugs])
        lines = explainer.lines(unique)
        sensitivity = self.significance == "sensitivity"
        entry = self.entry
        best = entry.best
        return {
            "therapy": self.therapy.name,
            "therapy_id": self.therapy.id,
            "drugs": drugs[0],
            "drug_ids": drugs[1],
            "significance": self.significance,
            "tier": best.tier,
            "levels": _levels(levels),
            "variant_match": best.specificity,
            "disease_match": best.proximity,
            "standing": entry.band if sensitivity else None,
            "standing_reason": (entry.standing.reason or None) if sensitivity else None,
            "active_against_resistance": entry.against_resistance if sensitivity else None,
            "evidence": evidence,
            "explanation": lines if len(lines) == 1 else list(dict.fromkeys(lines)),
            "pgx": list(self.pgx),
        }


def _levels(levels: Sequence[tuple[str, PropValue | None]]) -> dict[str, list[str]]:
    if len(levels) == 1:  # most entries: one evidence item
        source, level = levels[0]
        return {} if level is None else {source: [str(level)]}
    out: dict[str, set[str]] = {}
    for source, level in levels:
        if level is not None:
            out.setdefault(source, set()).add(str(level))
    return {source: sorted(found) for source, found in sorted(out.items())}


def _evidence_row(view: GraphView, source: str, evidence: Node, disease_id: str | None) -> dict[str, Any]:
    """An evidence item as an answer shows it: source, id, level, its disease ``disease_id`` (id and name), citation.

    Graph content, kept per build and shared by every answer that shows the item (making each row afresh, and
    freeing it, was a tenth of a warm answer's JSON), as a therapy's lists of drug names and ids are: an answer's
    evidence rows and drug lists are read, never changed.
    """
    disease = {"id": disease_id, "name": _name(view, disease_id)} if disease_id else None
    return {"source": source, "id": evidence.id, "level": evidence.props.get("level"), "disease": disease,
            "citation": _citation(evidence)}  # fmt: skip


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
    """Therapy entries in the order of :func:`queries.ranking_rules.order_entries`; its warnings join ``warnings``."""
    therapies: dict[str, TherapyInfo] = {}
    unknown: set[str] = set()
    pairs: list[tuple[str, str, EvidenceHit]] = []
    for hit in hits:
        for therapy_id in hit.therapy_ids:
            info = therapies.get(therapy_id)
            if info is None:
                if therapy_id in unknown:
                    continue
                found = view.therapy(therapy_id)
                if found is None:
                    unknown.add(therapy_id)
                    continue
                info = therapies[therapy_id] = found
            pairs.append((therapy_id, info.node.name, hit))
    ordered = order_entries(pairs, {therapy_id: info.drug_ids for therapy_id, info in therapies.items()})
    warnings.extend(ordered.warnings)
    results = []
    for entry in ordered.entries:
        info = therapies[entry.therapy]
        results.append(TherapyResult(info.node, info.drugs, _significance(entry.role, entry.hits), entry, view))
    for result in results:
        if result.significance == "adverse response":
            warnings.append(f"{result.therapy.name}: adverse response reported ({_summarise(result.unique_hits())})")
    return results


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
