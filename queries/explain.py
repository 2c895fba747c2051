"""Explanations: the path by which one evidence item reached a patient's therapy, as one line.

``BRAF V600E → BRAF V600E [PMKG:variant/BRAF:V600E] → BRAF V600 [PMKG:class/BRAF:V600] (codon class,
by rule) → civic CIVIC.EID:95 (level A, sensitivity) → melanoma [DOID:1909] (the patient's disease)
→ Vemurafenib``

Every step names the graph node (and so the source record) it went through.  :class:`Explainer`
words one answer's lines.  It reads only graph nodes through a :class:`~queries.graph_view.GraphView`;
it never logs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from kg.records import Node
from kg.schema import Label
from queries.graph_view import GraphView
from queries.normalize import NodeMatch, NormalizedVariant

_PROXIMITY = {"exact": "the patient's disease", "ancestor": "a broader term of the patient's disease",
              "overlap": "a disease overlapping the patient's, by site and histology",
              "other": "another disease"}  # fmt: skip
_KIND = {"codon": "codon class", "exon": "exon class", "gene_class": "gene-level class", "exact": "", "gene": "gene"}


class ExplainedHit(Protocol):
    """What :meth:`Explainer.lines` reads of an evidence hit (:class:`queries.ranking.EvidenceHit`)."""

    @property
    def variant(self) -> NormalizedVariant: ...
    @property
    def target(self) -> NodeMatch: ...
    @property
    def evidence(self) -> Node: ...
    @property
    def source(self) -> str: ...
    @property
    def disease_id(self) -> str | None: ...
    @property
    def proximity(self) -> str | None: ...
    @property
    def therapy_ids(self) -> tuple[str, ...]: ...
    @property
    def fallback(self) -> bool: ...


class Explainer:
    """The explanations of one answer: each step (a path, an evidence item, a disease, a therapy set) worded once.

    An answer explains hundreds of hits that share a few dozen paths, diseases and therapies; wording each
    step once per answer took the explanations from a third of a match answer's CPU to a tenth.  The path
    (which starts with the patient's input) is worded once per answer: the explainer keeps the variants and
    matches it has worded (so their ``id`` stays theirs) and must live no longer than the answer it explains.
    The rest of a line (evidence → disease → therapies) is graph content and a proximity word, the same for
    every patient, so it is kept per build (:meth:`GraphView.derived <queries.graph_view.GraphView.derived>`):
    a warm server words only the paths.  :meth:`lines` words a therapy's hits in one call (a call per hit was a
    measurable share of an answer); :meth:`path` and :meth:`tail` word their steps afresh (what the kept lines are
    held to, ``tests/regressions/test_answer_cost_same_bytes.py``).
    """

    def __init__(self, view: GraphView) -> None:
        self.view = view
        # each path worded once, with the arrow to its tail: (variant, match, "input → … → ")
        self._paths: dict[tuple[int, int, bool], tuple[NormalizedVariant, NodeMatch, str]] = {}
        # The rest of a line (evidence → disease → therapies) is graph content and the proximity word: kept per build
        self._tails: dict[tuple[str, str, str | None, str | None, tuple[str, ...]], str] = view.derived(
            "explanation tails"
        )

    def lines(self, hits: Iterable[ExplainedHit]) -> list[str]:
        """One line per hit, in order: input → nodes of its match's path → evidence → disease → therapies."""
        paths, tails = self._paths, self._tails
        out = []
        for hit in hits:
            variant, match, fallback = hit.variant, hit.target, hit.fallback
            key_of_path = (id(variant), id(match), fallback)
            path = paths.get(key_of_path)
            if path is None:
                path = paths[key_of_path] = (variant, match, f"{self._path(variant, match, fallback)} → ")
            evidence, therapies = hit.evidence, hit.therapy_ids
            key = (evidence.id, hit.source, hit.disease_id, hit.proximity, therapies)
            tail = tails.get(key)
            if tail is None:
                tail = tails[key] = self.tail(evidence, hit.source, hit.disease_id, hit.proximity, therapies)
            out.append(path[2] + tail)
        return out

    def tail(
        self, evidence: Node, source: str, disease_id: str | None, proximity: str | None, therapy_ids: Sequence[str]
    ) -> str:
        """The steps after the path, worded afresh: evidence → disease (when named) → therapies."""
        steps = [self._evidence_step(evidence, source)]
        if disease_id is not None:
            steps.append(self._disease_step(disease_id, proximity))
        steps.append(self._therapy_step(tuple(therapy_ids)))
        return " → ".join(steps)

    def path(self, variant: NormalizedVariant, match: NodeMatch, *, fallback: bool = False) -> str:
        """The steps input → nodes of ``match.path``, worded afresh."""
        return self._path(variant, match, fallback)

    def _path(self, variant: NormalizedVariant, match: NodeMatch, fallback: bool) -> str:
        steps = [variant.input]
        if variant.variant_id and variant.variant_id not in match.path and not fallback:
            steps.append(f"{variant.variant_name} [{variant.variant_id}] (not in the graph)")
        for position, node_id in enumerate(match.path):
            node = self.view.node(node_id)
            name = node.name if node is not None else node_id
            step = f"{name} [{node_id}]"
            notes = []
            if fallback and position == len(match.path) - 1:
                notes.append("another alteration of the same gene")
            elif node is not None and node.label == Label.VARIANT_CLASS:
                kind = _KIND.get(_class_kind(node), "class")
                if kind:
                    notes.append(kind)
                if match.by_rule and position == len(match.path) - 1:
                    notes.append("by rule")
            elif node is not None and node.label == Label.MOLECULAR_PROFILE:
                notes.append(f"profile {node.props.get('expression', '')!s} holds for this patient")
            if match.taken_on_trust and position == len(match.path) - 1:
                notes.append(match.taken_on_trust)  # "ALK fusion taken as EML4::ALK, partner not confirmed"
            if notes:
                step += f" ({', '.join(notes)})"
            steps.append(step)
        return " → ".join(steps)

    def _evidence_step(self, evidence: Node, source: str) -> str:
        props = evidence.props
        what = str(props.get("significance", ""))
        if props.get("direction") == "does not support":
            what = f"does not support {what}"
        return f"{source} {evidence.id} (level {props.get('level', '?')}, {what})"

    def _disease_step(self, disease_id: str, proximity: str | None) -> str:
        node = self.view.node(disease_id)
        name = node.name if node is not None else disease_id
        relation = f" ({_PROXIMITY[proximity]})" if proximity else ""
        return f"{name} [{disease_id}]{relation}"

    def _therapy_step(self, therapy_ids: tuple[str, ...]) -> str:
        names = []
        for therapy_id in therapy_ids:
            info = self.view.therapy(therapy_id)
            names.append(info.node.name if info is not None else therapy_id)
        return " / ".join(names)


def _class_kind(node: Node) -> str:
    kind = str(node.props.get("class_type", ""))
    return {"codon": "codon", "allele_set": "codon", "exon": "exon", "protein_region": "exon", "domain": "exon"}.get(
        kind, "gene_class"
    )
