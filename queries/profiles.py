"""Molecular profiles that hold for a whole patient, and fusions whose partner the patient's report leaves open.

A profile (CIViC's ``EML4::ALK Fusion AND ALK G1202R``) is a boolean expression over graph ids
(:func:`kg.variants.evaluate_profile`); :func:`profiles_that_hold` evaluates every profile one of
the patient's nodes is a component of against everything the patient's alterations reach, and
returns a match per input that takes part in it, at the loosest specificity of its parts.

**A fusion whose partner is not confirmed.**  Panels and reports often say only "ALK fusion" or
"ALK rearrangement" (FISH break-apart, IHC, a DNA panel that sees one breakpoint).  Sources write
much evidence against a named fusion: CIViC files the G1202R resistance of alectinib, brigatinib
and ceritinib under ``EML4::ALK Fusion AND ALK G1202R``, ROS1 G2032R under ``CD74::ROS1``, the
vemurafenib resistance of BRAF fusions under ``AGK::BRAF``.  The decision, per role of the evidence:

- **Against a therapy (resistance, reduced sensitivity) and adverse response: counted.**  A
  fusion of the gene with an unknown partner (:func:`unconfirmed_partner_matches`) stands for each
  named fusion the graph files under that gene's fusion class (the class a fusion is a member of
  only when the gene keeps its kinase side: ``EML4::ALK`` is an ``ALK fusion``, not an ``EML4
  fusion``), both for evidence about the named fusion itself and as a component of a profile.
  Resistance of a kinase-domain mutation does not depend on the 5' partner (OncoKB lists
  ``G1202R`` against ALK inhibitors whatever the fusion), and a tumour board would rather see a
  warning it can discount than miss one.  Every such match is at ``gene_class`` specificity and
  its name says "partner not confirmed", so the standing reasons and warnings show it.
- **For a therapy (sensitivity): not counted.**  Evidence for a therapy that names the partner is
  reached only by a fusion with that partner; an unknown-partner fusion reaches the gene's
  fusion class and its evidence (CIViC's ``v::ALK Fusion``; OncoKB's gene-level "Fusions"), as
  OncoKB matches from the specific to the general and never the reverse.

Reads only through a :class:`~queries.graph_view.GraphView`; never logs a patient's inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kg.errors import SchemaError
from kg.schema import Label
from kg.variants import evaluate_profile
from queries.expansion import SPECIFICITIES, NodeMatch
from queries.graph_view import GraphView
from queries.normalize import NormalizedVariant

PARTNER_NOT_CONFIRMED = "partner not confirmed"

Reached = dict[str, list[tuple[int, NodeMatch]]]  # node id → (input index, how that input reaches it)
Reaching = Mapping[str, Sequence[tuple[int, NodeMatch]]]


def unconfirmed_partner_matches(view: GraphView, variants: Sequence[NormalizedVariant]) -> Reached:
    """Named fusions each unknown-partner fusion input stands for, by fusion id: counted against therapies only."""
    out: Reached = {}
    for index, variant in enumerate(variants):
        facts = variant.facts
        if not variant.ok or facts is None or facts.fusion is None or all(facts.fusion):
            continue
        for match in variant.matches:
            if match.label != Label.VARIANT_CLASS or match.specificity == "gene":
                continue
            fusion_class = view.node(match.id)
            if fusion_class is None or fusion_class.props.get("class_type") != "fusion":
                continue
            for member in view.class_members(match.id):
                five, three = member.props.get("five_prime_gene"), member.props.get("three_prime_gene")
                if member.label != Label.VARIANT or not five or not three or five == three:
                    continue
                trust = f"{variant.variant_name} taken as {member.name}, {PARTNER_NOT_CONFIRMED}"
                taken = NodeMatch(member.id, f"{member.name} ({trust})", Label.VARIANT, "gene_class",
                                  (*match.path, member.id), taken_on_trust=trust)  # fmt: skip
                out.setdefault(member.id, []).append((index, taken))
    return out


def profiles_that_hold(view: GraphView, reached: Reaching, present: set[str], assumed: Reaching) -> Reached:
    """Profiles that hold for the whole patient, each reached from every input in it.

    ``reached``/``present``: what the patient's alterations reach and the ids they have; ``assumed``: the named
    fusions unknown-partner fusions stand for (:func:`unconfirmed_partner_matches`).  A profile that holds only
    with them is reached under a name that says which partner it takes on trust.
    """
    out: Reached = {}
    with_assumed = present | set(assumed)
    for node_id in dict.fromkeys([*reached, *assumed]):
        for profile in view.profiles_with(node_id):
            if profile.id in out:
                continue
            expression = str(profile.props.get("expression", ""))
            confirmed = _holds(expression, present)
            if not confirmed and not (assumed and _holds(expression, with_assumed)):
                continue
            components = [str(c) for c in profile.props.get("components", []) or []]  # type: ignore[union-attr]
            parts = [(i, m) for c in components for i, m in reached.get(c, ()) if not m.taken_on_trust]
            if not confirmed:
                parts += [(i, m) for c in components if c not in present for i, m in assumed.get(c, ())]
            if not parts:
                continue
            loosest = max((m.specificity for _, m in parts), key=SPECIFICITIES.index)
            trust = "; ".join(dict.fromkeys(m.taken_on_trust for _, m in parts if m.taken_on_trust))
            name = f"{profile.name} ({trust})" if trust else profile.name
            for index in sorted({i for i, _ in parts}):
                path = tuple(dict.fromkeys(step for i, m in parts if i == index for step in m.path))
                match = NodeMatch(profile.id, name, Label.MOLECULAR_PROFILE, loosest, (*path, profile.id),
                                  taken_on_trust=trust)  # fmt: skip
                out.setdefault(profile.id, []).append((index, match))
    return out


def _holds(expression: str, present: set[str]) -> bool:
    try:
        return bool(expression) and evaluate_profile(expression, present)
    except SchemaError:  # a malformed stored expression cannot hold
        return False
