"""A genomic in-frame insertion or deletion no source names, placed inside a class whose genomic extent a source gives.

``7-55242464-AGGAATTAAGAGAAGC-A`` (GRCh37) is EGFR E746_A750del as a raw VCF line: no gene, no protein
change, and no stored variant at that position.  Some sources give a class with its coordinates (CIViC's
EGFR exon 19 deletion: GRCh37 7:55242415-55242513; KIT exon 11, EGFR exon 20 insertion …), and the class
rule (:meth:`kg.variant_classes.ClassRule.matches`) already takes a position.  :func:`place_in_regions`
finds the classes whose extent holds the changed bases, on the assembly given or, when none is declared,
on whichever of GRCh37/GRCh38 places it (lifted to the class's assembly where they differ).

Only in-frame changes are placed (the length change a multiple of three): a substitution's effect (missense
or silent) and a frameshift's (inside the coding sequence or in a UTR part of the extent) cannot be told
without the reference sequence, so those stay "not in this graph".  Neither the position nor the answer is
logged or kept (patient data).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import SchemaError
from kg.liftover import Unmappable, liftover
from kg.schema import Label
from kg.variant_classes import ClassRule
from kg.variant_effects import Region
from queries.graph_view import GraphView
from queries.patient import Alteration
from queries.positions import ASSEMBLIES, AssemblyUse

_EXTENT_KINDS = ("exon", "protein_region")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an in-frame change lies: the gene of the classes holding it, and how its position was read."""

    gene: str
    consequence: str  # inframe_deletion or inframe_insertion
    position: Region  # the changed bases, on the classes' assembly
    classes: tuple[str, ...]  # the names of the classes whose extent holds it
    use: AssemblyUse


def place_in_regions(view: GraphView, alteration: Alteration) -> Placement | None:
    """The classes with a genomic extent that hold ``alteration``'s in-frame change, if exactly one reading does."""
    change = _inframe_span(alteration)
    if change is None or not alteration.chromosome:
        return None
    consequence, start, stop = change
    chromosome = str(alteration.chromosome).upper().removeprefix("CHR")
    declared = alteration.assembly
    found: list[Placement] = []
    for assembly in [declared] if declared else list(ASSEMBLIES):
        placed = _placed_on(view, assembly, chromosome, start, stop)
        if placed is not None:
            position, use_target, rules = placed
            genes = {rule.gene for rule in rules}
            if len(genes) != 1:
                return None  # two genes' extents overlap here: not ours to choose
            anchor = position.start - (start - int(alteration.position or start))  # the position as written, lifted
            lifted = f"{position.chromosome}:{anchor}" if use_target else None
            use = AssemblyUse(assembly, declared is not None, use_target, lifted)
            found.append(Placement(genes.pop(), consequence, position, tuple(sorted(r.name for r in rules)), use))
    return found[0] if len(found) == 1 else None  # both assemblies place it: the position is ambiguous


def _inframe_span(alteration: Alteration) -> tuple[str, int, int] | None:
    """(consequence, first, last changed base) of a VCF- or MAF-style in-frame insertion or deletion, else None."""
    ref, alt, position = (alteration.ref or "").upper(), (alteration.alt or "").upper(), alteration.position
    if not ref or not alt or position is None:
        return None
    ref, alt = ref.replace("-", ""), alt.replace("-", "")  # MAF: "-" is no base
    if len(ref) == len(alt) or (len(alt) - len(ref)) % 3:
        return None
    anchored = bool(ref) and bool(alt) and ref[0] == alt[0]  # VCF: the base before the change is repeated
    first = position + 1 if anchored else position
    if len(alt) > len(ref):  # an insertion lies between two bases: the span is those two
        return "inframe_insertion", first - 1 if anchored else position, first if anchored else position + 1
    return "inframe_deletion", first, position + len(ref) - 1


def _placed_on(
    view: GraphView, assembly: str, chromosome: str, start: int, stop: int
) -> tuple[Region, str | None, list[ClassRule]] | None:
    """The span read on ``assembly``, on its extents' assembly (lifted if need be), and the extents holding it."""
    by_assembly: dict[str, list[ClassRule]] = {}
    for rule in _extent_rules(view):
        if rule.region is not None and rule.region.chromosome == chromosome:
            by_assembly.setdefault(rule.region.assembly, []).append(rule)
    for target, rules in by_assembly.items():
        position, lifted_to = Region(target, chromosome, start, stop), None
        if target.lower() != assembly.lower():
            landed = liftover(assembly, target).lift(chromosome, start, stop - start + 1)
            if isinstance(landed, Unmappable) or landed.strand == "-":
                continue  # an indel on an inverted stretch cannot be re-anchored without the sequence
            position = Region(target, landed.chromosome, landed.position, landed.position + stop - start)
            lifted_to = target
        holding = [r for r in rules if r.region is not None and r.region.contains(position)]
        if holding:
            return position, lifted_to, holding
    return None


def _extent_rules(view: GraphView) -> tuple[ClassRule, ...]:
    """Every exon or region class a source gives with coordinates, read once per build."""
    memo = view.derived("classes with a genomic extent")
    rules: tuple[ClassRule, ...] | None = memo.get("all")
    if rules is None:
        found = []
        for node in view.store.nodes_with_label(Label.VARIANT_CLASS):
            if node.props.get("class_type") not in _EXTENT_KINDS or "region_start" not in node.props:
                continue
            try:
                found.append(ClassRule.from_props(node.props))
            except SchemaError:
                continue
        rules = memo["all"] = tuple(found)
    return rules
