"""Explanations: the path by which one evidence item reached a patient's therapy, as one line.

``BRAF V600E → BRAF V600E [PMKG:variant/BRAF:V600E] → BRAF V600 [PMKG:class/BRAF:V600] (codon class,
by rule) → civic CIVIC.EID:95 (level A, sensitivity) → melanoma [DOID:1909] (the patient's disease)
→ Vemurafenib``

Every step names the graph node (and so the source record) it went through.  :class:`Explainer`
words one answer's lines.  It reads only graph nodes through a :class:`~queries.graph_view.GraphView`;
it never logs.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.records import Node
from kg.schema import Label
from queries.graph_view import GraphView
from queries.normalize import NodeMatch, NormalizedVariant

_PROXIMITY = {"exact": "the patient's disease", "ancestor": "a broader term of the patient's disease",
              "overlap": "a disease overlapping the patient's, by site and histology",
              "other": "another disease"}  # fmt: skip
_KIND = {"codon": "codon class", "exon": "exon class", "gene_class": "gene-level class", "exact": "", "gene": "gene"}


class Explainer:
    """The explanations of one answer: each step (a path, an evidence item, a disease, a therapy set) worded once.

    An answer explains hundreds of hits that share a few dozen paths, diseases and therapies; wording each
    step once per answer took the explanations from a third of a match answer's CPU to a tenth.  It keeps
    the variants and matches it has worded (so their ``id`` stays theirs) and must live no longer than
    the answer it explains.
    """

    def __init__(self, view: GraphView) -> None:
        self.view = view
        self._paths: dict[tuple[int, int, bool], tuple[NormalizedVariant, NodeMatch, str]] = {}
        self._evidence: dict[tuple[str, str], str] = {}
        self._diseases: dict[tuple[str, str | None], str] = {}
        self._therapies: dict[tuple[str, ...], str] = {}

    def line(
        self,
        variant: NormalizedVariant,
        match: NodeMatch,
        evidence: Node,
        source: str,
        disease_id: str | None,
        proximity: str | None,
        therapy_ids: Sequence[str],
        *,
        fallback: bool = False,
    ) -> str:
        """One line: input → nodes of ``match.path`` → evidence → disease → therapies."""
        key = (id(variant), id(match), fallback)
        path = self._paths.get(key)
        if path is None:
            path = self._paths[key] = (variant, match, self._path(variant, match, fallback))
        steps = [path[2], self._evidence_step(evidence, source)]
        if disease_id is not None:
            step = self._diseases.get((disease_id, proximity))
            if step is None:
                step = self._diseases[(disease_id, proximity)] = self._disease_step(disease_id, proximity)
            steps.append(step)
        therapies = tuple(therapy_ids)
        named = self._therapies.get(therapies)
        if named is None:
            named = self._therapies[therapies] = self._therapy_step(therapies)
        steps.append(named)
        return " → ".join(steps)

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
        key = (evidence.id, source)
        step = self._evidence.get(key)
        if step is None:
            props = evidence.props
            what = str(props.get("significance", ""))
            if props.get("direction") == "does not support":
                what = f"does not support {what}"
            step = self._evidence[key] = f"{source} {evidence.id} (level {props.get('level', '?')}, {what})"
        return step

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
