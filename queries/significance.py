"""Which inputs may drive therapy matching, and the variants of unknown significance in actionable genes.

Two decisions :func:`queries.matching.match_therapies` takes after collecting evidence, kept here
so they live in one place:

- **Germline rows** (a germline MAF, ``Mutation_Status``/``variant_origin`` germline) drive somatic
  therapy matching only when the variant is known to be pathogenic: ClinVar in the graph calls
  it (likely) pathogenic (:func:`queries.expansion.is_pathogenic`), predictive evidence names that
  exact variant, or it is a null variant (nonsense, frameshift, canonical splice, start lost) in
  a gene whose loss the graph's evidence is about (ACMG/AMP criterion PVS1: a null variant where
  loss of function is the known mechanism; BRCA2 S1982fs).  Otherwise (BRCA2 N372H, BRAF R509*,
  TP53 P72R) the row is listed under ``unknown_significance`` with the reason.
- **Variants of unknown significance.**  A sequence variant that no evidence names and that the
  class rules (:mod:`kg.variant_classes`) put in no class with evidence, in a gene that has
  therapy evidence for other alterations, is not tiered: it is listed in its own section with
  the gene's therapies named as context (what a tumour board would look at), never in the
  ranked therapies.  Fusions, copy-number events and class inputs keep the gene-level fallback
  (MOAlmanac's "investigate actionability"), listed at ``gene`` specificity.

Nothing here logs: the entries hold patient data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kg.variant_effects import variant_effect
from queries.expansion import is_pathogenic
from queries.graph_view import GraphView
from queries.normalize import NormalizedVariant
from queries.ranking import FOR, EvidenceHit

_PROFILES_SHOWN = 3  # profile names a reason quotes before "and N more"
GERMLINE_NOT_PATHOGENIC = (
    "germline, and not known to be pathogenic (no ClinVar call, no evidence about it, not a null variant of a "
    "gene whose loss is actionable): not used for therapy matching"
)


@dataclass(frozen=True)
class UnknownSignificance:
    """One input listed as a variant of unknown significance, with its gene's therapies as context (no tier)."""

    input_index: int
    input: str
    variant: str | None
    genes: tuple[str, ...]
    reason: str
    gene_therapies: tuple[str, ...]  # therapies evidence names for other alterations of the gene(s), best first

    def as_json(self) -> dict[str, Any]:
        return {"input": self.input, "variant": self.variant, "genes": list(self.genes), "reason": self.reason,
                "gene_therapies": list(self.gene_therapies)}  # fmt: skip


def germline_qualifies(view: GraphView, variant: NormalizedVariant, exact_hits: Sequence[EvidenceHit]) -> bool:
    """Whether a germline input may drive therapy matching: ClinVar calls it pathogenic, or evidence names it."""
    if variant.facts is not None and variant.facts.pathogenic:
        return True
    if variant.in_graph and variant.variant_id:
        node = view.node(variant.variant_id)
        if node is not None and is_pathogenic(node):
            return True
    if any(h.specificity == "exact" and h.target.id == variant.variant_id for h in exact_hits):
        return True
    null_variant = variant.facts is not None and variant_effect(variant.facts).loss
    return null_variant and any(view.acts_by_loss(gene.id) for gene in variant.genes)


def is_sequence_variant(variant: NormalizedVariant) -> bool:
    """A point mutation or small indel (not a fusion, copy-number event, biomarker or class typed as text)."""
    facts = variant.facts
    return (
        facts is not None
        and facts.fusion is None
        and not facts.copy_number
        and (bool(facts.protein_change) or bool(facts.consequences))
    )


def vus_reason(variant: NormalizedVariant) -> str:
    """Why the rules put a sequence variant in no class of its gene (what the section says)."""
    facts = variant.facts
    if variant.germline:
        return GERMLINE_NOT_PATHOGENIC
    if facts is None:
        return "no evidence names this alteration or a class it belongs to"
    effect = variant_effect(facts)
    gene = facts.gene
    if effect.loss:
        return (f"a truncating or loss-of-function change, but no evidence in this graph says loss of {gene} "
                "is actionable (its gene-level evidence is about activating changes)")  # fmt: skip
    return (f"no evidence names this variant, and it is not at a recurrent cancer hotspot, truncating, or "
            f"called pathogenic by a source: its effect on {gene} is unknown")  # fmt: skip


def unknown_significance_entry(
    view: GraphView, index: int, variant: NormalizedVariant, gene_evidence: Iterable[tuple[str, tuple[str, ...], int]]
) -> UnknownSignificance:
    """The section's entry for one input, naming the therapies its gene's evidence supports (``gene_evidence``:
    each item's role, therapy ids and tier)."""
    best: dict[str, tuple[int, str]] = {}
    for role, therapy_ids, tier in gene_evidence:
        if role != FOR:
            continue
        for therapy_id in therapy_ids:
            info = view.therapy(therapy_id)
            name = info.node.name if info is not None else therapy_id
            best[name] = min(best.get(name, (tier, name)), (tier, name))
    therapies = tuple(name for _, name in sorted(best.values()))
    reason = _only_in_profiles(view, variant) or vus_reason(variant)
    return UnknownSignificance(index, variant.input, variant.variant_name, tuple(g.name for g in variant.genes),
                               reason, therapies)  # fmt: skip


def _only_in_profiles(view: GraphView, variant: NormalizedVariant) -> str | None:
    """The reason for a variant sources name only beside other alterations (``EML4::ALK Fusion AND ALK G1202R``)."""
    if variant.germline:
        return None
    names = sorted({p.name for m in variant.matches if m.specificity in ("exact", "codon")
                    for p in view.profiles_with(m.id)})  # fmt: skip
    if not names:
        return None
    more = len(names) - _PROFILES_SHOWN
    shown = "; ".join(names[:_PROFILES_SHOWN]) + (f"; and {more} more" if more > 0 else "")
    return (
        f"sources name it only together with other alterations ({shown}), and none of those holds for this "
        "patient: its significance alone is not stated"
    )
