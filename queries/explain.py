"""Explanations: the path by which one evidence item reached a patient's therapy, as one line.

``BRAF V600E → BRAF V600E [PMKG:variant/BRAF:V600E] → BRAF V600 [PMKG:class/BRAF:V600] (codon class,
by rule) → civic CIVIC.EID:95 (level A, sensitivity) → melanoma [DOID:1909] (the patient's disease)
→ Vemurafenib``

Every step names the graph node (and so the source record) it went through.  It reads only
graph nodes through a :class:`~queries.graph_view.GraphView`; it never logs.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.records import Node
from kg.schema import Label
from queries.graph_view import GraphView
from queries.normalize import NodeMatch, NormalizedVariant

_PROXIMITY = {"exact": "the patient's disease", "ancestor": "a broader term of the patient's disease",
              "other": "another disease"}  # fmt: skip
_KIND = {"codon": "codon class", "exon": "exon class", "gene_class": "gene-level class", "exact": "", "gene": "gene"}


def explain_hit(
    view: GraphView,
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
    steps = [variant.input]
    if variant.variant_id and variant.variant_id not in match.path and not fallback:
        steps.append(f"{variant.variant_name} [{variant.variant_id}] (not in the graph)")
    for position, node_id in enumerate(match.path):
        node = view.node(node_id)
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
    props = evidence.props
    what = str(props.get("significance", ""))
    if props.get("direction") == "does not support":
        what = f"does not support {what}"
    steps.append(f"{source} {evidence.id} (level {props.get('level', '?')}, {what})")
    if disease_id is not None:
        node = view.node(disease_id)
        name = node.name if node is not None else disease_id
        relation = f" ({_PROXIMITY[proximity]})" if proximity else ""
        steps.append(f"{name} [{disease_id}]{relation}")
    names = []
    for therapy_id in therapy_ids:
        info = view.therapy(therapy_id)
        names.append(info.node.name if info is not None else therapy_id)
    steps.append(" / ".join(names))
    return " → ".join(steps)


def _class_kind(node: Node) -> str:
    kind = str(node.props.get("class_type", ""))
    return {"codon": "codon", "allele_set": "codon", "exon": "exon", "protein_region": "exon", "domain": "exon"}.get(
        kind, "gene_class"
    )
