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

**A kinase mutation that sources name only within a fusion.**  A report often lists the
resistance mutation alone: ``ABL1 T315I`` in chronic myeloid leukaemia, ``ALK G1202R`` after
alectinib, ``ROS1 G2032R``.  CIViC files all of T315I's evidence (ponatinib's sensitivity, the
resistance of imatinib, nilotinib, dasatinib) under ``BCR::ABL1 Fusion AND ABL1 T315I``, so the
mutation alone had "no significance of its own" and a tumour board saw no therapy.  When an
input's variant has no evidence of its own and a profile holds once the fusions of the variant's
own gene among its parts are taken as present (:func:`profiles_within_implied_fusions`), those fusions
are taken on trust: the mutation sits in the fusion's kinase, where sources found it.  Counted
against therapies always (as above), and for a therapy when the fusion taken is the gene's fusion
class (``v::ALK Fusion``: any partner) or the one fusion the sources name the mutation within
(``BCR::ABL1``: the lesion T315I is known in); a named partner beside others (``EML4::ALK`` beside
``v::ALK Fusion`` for G1202R) counts against only, as for a fusion whose partner is left open.  A
report that names the gene's fusion with its partner decides by itself; one that leaves the
partner open does not stop the rule (it adds what the partner rule cannot: the fusion T315I is
known in).  The name of every such match says what was taken on trust, so the answer asks to
confirm it.

Reads only through a :class:`~queries.graph_view.GraphView`; never logs a patient's inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kg.errors import SchemaError
from kg.records import Node
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


def profiles_within_implied_fusions(
    view: GraphView, variants: Sequence[NormalizedVariant], present: set[str]
) -> tuple[Reached, dict[int, list[str]]]:
    """Profiles that hold once the fusions of its own gene a mutation with no evidence of its own is named within
    are taken as present (see above), by profile id, only profiles that name the mutation itself; and the names of
    the fusions each input had taken as present."""
    named = {g for v in variants if v.ok and v.facts is not None and v.facts.fusion and all(v.facts.fusion)
             for g in v.facts.fusion}  # fmt: skip
    out: Reached = {}
    taken_for: dict[int, dict[str, None]] = {}
    for index, variant in enumerate(variants):
        facts = variant.facts
        if not variant.ok or variant.germline or facts is None or facts.fusion or facts.gene in named:
            continue
        own = [m for m in variant.matches if m.specificity in ("exact", "codon")]
        if not own or view.evidence_ids(m.id for m in own):
            continue
        within: set[str] = set()  # every fusion of the gene the sources name the mutation within
        held: list[tuple[Node, NodeMatch, list[Node]]] = []
        for match in own:
            for profile in view.profiles_with(match.id):
                fusions = [n for n in _components(view, profile) if _fusion_of(n, facts.gene)]
                within.update(n.id for n in fusions)
                fusions = [n for n in fusions if n.id not in present]
                if fusions and _holds(str(profile.props.get("expression", "")), present | {n.id for n in fusions}):
                    held.append((profile, match, fusions))
        for profile, match, fusions in held:
            trust = "; ".join(f"{n.name} taken as present: sources name {variant.variant_name} only within it, "
                              "not confirmed" for n in fusions)  # fmt: skip
            for_therapy = all(n.label == Label.VARIANT_CLASS or within == {n.id} for n in fusions)
            taken = NodeMatch(profile.id, f"{profile.name} ({trust})", Label.MOLECULAR_PROFILE, "gene_class",
                              (*match.path, *(n.id for n in fusions), profile.id), taken_on_trust=trust,
                              trusted_for_therapy=for_therapy)  # fmt: skip
            out.setdefault(profile.id, []).append((index, taken))
            taken_for.setdefault(index, {}).update(dict.fromkeys(n.name for n in fusions))
    return out, {index: list(names) for index, names in taken_for.items()}


def _components(view: GraphView, profile: Node) -> list[Node]:
    ids = [str(c) for c in profile.props.get("components", []) or []]  # type: ignore[union-attr]
    return [n for n in map(view.node, ids) if n is not None]


def _fusion_of(node: Node, gene: str) -> bool:
    """Whether ``node`` is a fusion that keeps ``gene``'s 3' (kinase) side, named or the gene's fusion class."""
    if node.label == Label.VARIANT:
        return node.props.get("three_prime_gene") == gene and node.props.get("five_prime_gene") not in (None, gene)
    return (
        node.label == Label.VARIANT_CLASS
        and node.props.get("class_type") == "fusion"
        and node.props.get("gene") == gene
    )


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
