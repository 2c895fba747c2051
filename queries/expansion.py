"""Expansion: the nodes an alteration reaches, and how specific each match is.

:func:`expand` walks from an input's first node(s) up the stored ``MEMBER_OF`` edges, then
tests the rule every stored class of the gene carries (:class:`kg.variant_classes.ClassRule`)
against the variant's facts, or, for an input that is itself a class, finds the stored classes
that subsume it; then adds the gene.  Each :class:`NodeMatch` says how specific it is
(:data:`SPECIFICITIES`) and by which path it was reached.  :func:`close_symbols` suggests gene
symbols for a mistyped one.  Reads only through a :class:`~queries.graph_view.GraphView`.

>>> SPECIFICITIES
('exact', 'codon', 'exon', 'gene_class', 'gene')
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kg.errors import SchemaError
from kg.records import Node
from kg.schema import Label
from kg.variant_classes import ClassRule, VariantFacts, subsumes
from kg.variants import ProteinChange, parse_protein_change
from queries.genes import approved_symbol
from queries.graph_view import GraphView

_MAX_SUGGESTIONS = 5


SPECIFICITIES = ("exact", "codon", "exon", "gene_class", "gene")
_SPECIFICITY_RANK = {s: i for i, s in enumerate(SPECIFICITIES)}
_CLASS_SPECIFICITY = {"codon": "codon", "allele_set": "codon", "exon": "exon", "protein_region": "exon",
                      "domain": "exon"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class NodeMatch:
    """One node an input reaches, how specific the match is, and the path that reached it."""

    id: str
    name: str
    label: Label
    specificity: str
    path: tuple[str, ...]  # node ids from the input's first node to this one
    by_rule: bool = False  # reached by testing the class's stored rule, not a stored edge
    taken_on_trust: str = ""  # what the match assumes that the input does not say (queries.profiles)
    trusted_for_therapy: bool = False  # whether that assumption may count for a therapy too (queries.profiles)


def close_symbols(view: GraphView, text: str, limit: int = _MAX_SUGGESTIONS) -> list[str]:
    """Gene symbols one edit away from ``text`` that the graph knows (a few hundred lookups, asked at once)."""
    word = text.strip().upper()
    if not word or len(word) > 12 or not re.fullmatch(r"[A-Z0-9-]+", word):
        return []
    letters = string.ascii_uppercase + string.digits
    candidates: dict[str, None] = {}
    for i in range(len(word)):
        candidates[word[:i] + word[i + 1 :]] = None
        if i + 1 < len(word):
            candidates[word[:i] + word[i + 1] + word[i] + word[i + 2 :]] = None
    for i in range(len(word)):
        for letter in letters:
            candidates[word[:i] + letter + word[i + 1 :]] = None
    if len(word) <= 6:
        for i in range(len(word) + 1):
            for letter in letters:
                candidates[word[:i] + letter + word[i:]] = None
    asked = [c for c in candidates if c != word and len(c) >= 2]
    genes = view.find_many(asked, Label.GENE)  # one store call: ~400 lookups were 0.5 s of round trips on Neo4j
    found: dict[str, None] = {}
    for candidate in asked:
        for gene in genes.get(candidate, ()):
            found[approved_symbol(gene)] = None
        if len(found) >= limit:
            break
    return sorted(found, key=lambda s: (-difflib.SequenceMatcher(None, word, s).ratio(), s))[:limit]


# ----------------------------------------------------------------------------- expansion


def _specificity(node: Node, exact: frozenset[str]) -> str:
    if node.id in exact or node.label in (Label.VARIANT, Label.MOLECULAR_PROFILE):
        return "exact"
    if node.label == Label.GENE:
        return "gene"
    return _CLASS_SPECIFICITY.get(str(node.props.get("class_type", "")), "gene_class")


def expand(
    view: GraphView,
    starts: Sequence[Node],
    genes: Sequence[Node],
    *,
    facts: VariantFacts | None = None,
    rule: ClassRule | None = None,
    exact: Iterable[str] = (),
    change: ProteinChange | None = None,
) -> tuple[NodeMatch, ...]:
    """Every node ``starts`` reach: their stored classes, classes whose rules fit, then the genes.

    ``facts`` (a concrete variant) are tested with each class rule of ``genes``; ``rule`` (an
    input that is itself a class) finds the stored classes that subsume it.
    """
    exact_ids = frozenset(exact) | {s.id for s in starts}
    if facts is not None and genes:  # the gene-level rules need to know whether the gene acts by loss
        by_loss = view.acts_by_loss(genes[0].id) if len(genes) == 1 else any(view.acts_by_loss(g.id) for g in genes)
        facts = facts if facts.acts_by_loss == by_loss else replace(facts, acts_by_loss=by_loss)
    found: dict[str, NodeMatch] = {}
    queue: list[NodeMatch] = []

    def add(node: Node, path: tuple[str, ...], by_rule: bool) -> None:
        if node.id in found or _wild_type(node):
            return
        match = NodeMatch(node.id, node.name, node.label, _specificity(node, exact_ids), path, by_rule)
        found[node.id] = match
        queue.append(match)

    def climb() -> None:
        while queue:
            match = queue.pop()
            for parent_id in view.parents(match.id):
                parent = view.node(parent_id)
                if parent is not None:
                    add(parent, (*match.path, parent_id), match.by_rule)

    for start in starts:
        add(start, (start.id,), False)
    climb()  # stored MEMBER_OF edges first, so a class the loaders linked is not reported as found by rule
    origin = starts[0].id if starts else None
    change = change or _parsed_change(facts)
    for gene in genes:
        for entry in view.classes_of_gene(gene.id):
            if entry.node.id in found or entry.rule.class_type == "wild_type":
                continue
            fits = (facts is not None and entry.rule.matches(facts, change)) or (
                rule is not None and subsumes(entry.rule, rule)
            )
            if fits:
                add(entry.node, (origin, entry.node.id) if origin else (entry.node.id,), True)
    climb()
    for gene in genes:
        if gene.id not in found:
            found[gene.id] = _gene_match(view, gene)
    if len(found) == 1:  # the gene alone: most variants of unknown significance
        return tuple(found.values())
    return tuple(sorted(found.values(), key=lambda m: (_SPECIFICITY_RANK[m.specificity], len(m.path), m.id)))


def _gene_match(view: GraphView, gene: Node) -> NodeMatch:
    """The gene itself as a match (the same for every input of the gene: kept per build)."""
    memo = view.derived("gene as a match")
    match = memo.get(gene.id)
    if match is None:
        match = memo[gene.id] = NodeMatch(gene.id, approved_symbol(gene), Label.GENE, "gene", (gene.id,))
    return match


def _wild_type(node: Node) -> bool:
    return node.label == Label.VARIANT_CLASS and node.props.get("class_type") == "wild_type"


def _parsed_change(facts: VariantFacts | None) -> ProteinChange | None:
    if facts is None or not facts.protein_change:
        return None
    try:
        return parse_protein_change(facts.protein_change)
    except SchemaError:
        return None


def facts_of(node: Node, fallback_gene: str = "") -> VariantFacts:
    """What a stored Variant says about itself, as the class rules read it."""
    props = node.props
    five, three = props.get("five_prime_gene"), props.get("three_prime_gene")
    types = props.get("variant_types")
    consequences = tuple(str(t) for t in types) if isinstance(types, list) else ()
    gene = str(props.get("gene") or five or fallback_gene)
    if five and three:
        return VariantFacts(str(five), fusion=(str(five), str(three)), consequences=consequences)
    return VariantFacts(
        gene,
        protein_change=str(props.get("protein_change") or ""),
        consequences=consequences,
        copy_number=str(props.get("copy_number") or ""),
        pathogenic=is_pathogenic(node),
    )


PATHOGENIC = frozenset({"pathogenic", "likely pathogenic", "pathogenic/likely pathogenic"})


def is_pathogenic(node: Node) -> bool:
    """Whether a stored variant's own record calls it (likely) pathogenic (ClinVar's clinical significance)."""
    return str(node.props.get("clinical_significance", "")).strip().lower().replace("_", " ") in PATHOGENIC


def _summary(matches: Sequence[NodeMatch]) -> str:
    classes = [m.name for m in matches if m.label == Label.VARIANT_CLASS]
    return ", ".join(classes[:6]) + (f" and {len(classes) - 6} more" if len(classes) > 6 else "")
