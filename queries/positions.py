"""Genomic positions → the stored variants they name, on the assembly given or lifted to the other.

Sources record a variant's position on the assembly they curate on (CIViC 2021: GRCh37;
ClinVar's VCF: GRCh38), so a patient's position on the other assembly names no stored key.
:func:`locate` looks the position up as given (the declared assembly, or both when none is
declared); if nothing is there it lifts the position over (:mod:`kg.liftover`) and looks
again.  The answer (:class:`Located`) says which assembly the position was read on, whether
that was declared or inferred, and whether and where it was lifted:

- a region inverted between the assemblies (the chain's ``-`` strand) complements the
  alleles of a substitution; an insertion or deletion there cannot be re-anchored without
  the reference sequence, and says so;
- a position in no aligned block, or on several, is :class:`Unmappable` with the reason;
- the given reference allele is checked against the alleles the graph's variants have at the
  position, as given and after lifting: a mismatch (or alleles swapped between the
  assemblies) is reported, never matched.

This module reads the graph through :class:`~queries.graph_view.GraphView` only, and never
logs or keeps a position (patient data).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kg.liftover import Unmappable, liftover, reverse_complement
from kg.records import Node
from kg.schema import Label
from kg.variants import coordinate_key
from queries.graph_view import GraphView
from queries.notation import genomic_keys
from queries.patient import Alteration

ASSEMBLIES = ("GRCh37", "GRCh38")
_BASES = "ACGT"


def other_assembly(assembly: str) -> str:
    return "GRCh38" if assembly == "GRCh37" else "GRCh37"


@dataclass(frozen=True)
class AssemblyUse:
    """Which assembly a position was read on, how that was decided, and where it was lifted."""

    given: str  # GRCh37 or GRCh38
    declared: bool  # declared by the user or the file (else inferred by pmkg)
    lifted_to: str | None = None
    lifted_position: str | None = None  # "7:140453136", on ``lifted_to``
    strand_flipped: bool = False

    def describe(self) -> str:
        how = "declared" if self.declared else "inferred"
        text = f"{self.given}, {how}"
        if self.lifted_to:
            text += f"; lifted to {self.lifted_to} {self.lifted_position}"
            if self.strand_flipped:
                text += " (inverted between the assemblies: alleles complemented)"
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "given": self.given,
            "how": "declared" if self.declared else "inferred",
            "lifted_to": self.lifted_to,
            "lifted_position": self.lifted_position,
        }


@dataclass(frozen=True)
class Located:
    """The stored variants a position names, and on which assembly; empty ``nodes`` with a ``reason`` if none."""

    nodes: tuple[Node, ...]
    use: AssemblyUse | None
    reason: str = ""
    ambiguous: bool = False


def locate(view: GraphView, alteration: Alteration) -> Located:
    """Stored variants at the alteration's position: as given first, then lifted to the other assembly."""
    declared = alteration.assembly
    assemblies = [declared] if declared else list(ASSEMBLIES)
    direct = {a: found for a in assemblies if (found := _lookup(view, alteration, a))}
    if len(direct) > 1:
        names = "; ".join(f"{a}: {', '.join(n.name for n in nodes)}" for a, nodes in direct.items())
        reason = f"the position names different variants on each assembly ({names}); declare the assembly"
        return Located((), None, reason, ambiguous=True)
    if direct:
        ((assembly, nodes),) = direct.items()
        return Located(tuple(nodes), AssemblyUse(assembly, declared is not None))
    lifted: dict[str, tuple[AssemblyUse, list[Node]]] = {}
    # The alleles the graph has at the position as given (a mismatch there is as telling as after lifting).
    reasons = [problem for a in assemblies if (problem := _allele_check(view, alteration, a))]
    for assembly in assemblies:
        use, nodes, reason = _lifted_lookup(view, alteration, assembly, declared is not None)
        if nodes and use is not None:
            lifted[assembly] = (use, nodes)
        elif reason:
            reasons.append(reason)
    if len(lifted) > 1:
        names = "; ".join(f"as {a}: {', '.join(n.name for n in nodes)}" for a, (_, nodes) in lifted.items())
        reason = f"lifted either way the position names a variant ({names}); declare the assembly"
        return Located((), None, reason, ambiguous=True)
    if lifted:
        ((_, (use, nodes)),) = lifted.items()
        return Located(tuple(nodes), use)
    where = " or ".join(assemblies)
    reason = (
        f"no variant at this position on {where} is in this graph, as given or lifted to the other assembly "
        "(looked up by its HGVS g. expression and coordinates)"
    )
    # What went wrong in lifting (a reference allele mismatch, an unmappable position) comes first.
    reason = "; ".join([*reasons, reason])
    # hg19/hg38 mix-ups are common: for a typed position, say what it is on the other assembly (never match it).
    # Not for file rows: most of a VCF's positions are in no graph, and a file's assembly is judged per file.
    if declared and alteration.typed:
        for other in (a for a in ASSEMBLIES if a != declared):
            if found := _lookup(view, alteration, other) or _lifted_lookup(view, alteration, other, True)[1]:
                names = ", ".join(n.name for n in found)
                reason += (
                    f"; on {other} this position is {names}: if the position is on {other}, declare {other} "
                    f"(the declared {declared} was used)"
                )
    return Located((), AssemblyUse(declared, True) if declared else None, reason)


def _lookup(view: GraphView, alteration: Alteration, assembly: str) -> list[Node]:
    keys = genomic_keys(alteration, assembly)
    return view.find_any(keys, (Label.VARIANT,)) if keys else []


def _lifted_lookup(
    view: GraphView, alteration: Alteration, source: str, declared: bool
) -> tuple[AssemblyUse | None, list[Node], str]:
    """Lift the position from ``source`` to the other assembly and look it up there."""
    target = other_assembly(source)
    ref, alt = (alteration.ref or "").upper(), (alteration.alt or "").upper()
    chrom, position = str(alteration.chromosome), int(alteration.position or 0)
    shown = f"{source} {chrom.upper().removeprefix('CHR')}:{position}"
    if not ref or not alt:
        return None, [], f"{shown} was not lifted: give its alleles (e.g. 7-140753336-A-T) to lift a position"
    landed = liftover(source, target).lift(chrom, position, len(ref))
    if isinstance(landed, Unmappable):
        return None, [], f"{shown} cannot be lifted to {target}: {landed.reason.removeprefix(shown + ' ')}"
    flipped = landed.strand == "-"
    if flipped:
        if len(ref) != len(alt):
            return (
                None,
                [],
                f"{shown} lies in a region inverted on {target}: an insertion or deletion there cannot be "
                "re-anchored without the reference sequence",
            )
        ref, alt = reverse_complement(ref), reverse_complement(alt)
    moved = replace(
        alteration,
        text=coordinate_key(target, landed.chromosome, landed.position, ref, alt),
        assembly=target,
        chromosome=landed.chromosome,
        position=landed.position,
        ref=ref,
        alt=alt,
    )
    use = AssemblyUse(source, declared, target, f"{landed.chromosome}:{landed.position}", flipped)
    found = _lookup(view, moved, target)
    if found:
        return use, found, ""
    return None, [], _allele_check(view, moved, target, lifted_from=shown)


def _allele_check(view: GraphView, at: Alteration, assembly: str, lifted_from: str | None = None) -> str:
    """Why a substitution names nothing: the alleles the graph's variants have at its position, if any.

    ``lifted_from`` names the position the input gave when ``at`` is where it was lifted to.
    """
    ref, alt = str(at.ref or "").upper(), str(at.alt or "").upper()
    chrom, position = str(at.chromosome).upper().removeprefix("CHR"), int(at.position or 0)
    if len(ref) != 1 or len(alt) != 1:
        return ""
    keys = [coordinate_key(assembly, chrom, position, r, a) for r in _BASES for a in _BASES if r != a]
    there = view.find_any(keys, (Label.VARIANT,))
    if not there:
        return ""
    prefix = assembly.lower()
    stored = sorted({(str(n.props.get(f"{prefix}_ref", "")), str(n.props.get(f"{prefix}_alt", "")), n.name)
                     for n in there})  # fmt: skip
    known = ", ".join(f"{name} ({r}>{a})" for r, a, name in stored)
    refs = {r for r, _, _ in stored if r}
    where = f"{assembly} {chrom}:{position}"
    context = f"after lifting {lifted_from} to {where}" if lifted_from else f"at {where}"
    if refs and ref not in refs:
        swapped = any(r == alt and a == ref for r, a, _ in stored)
        detail = " (the reverse of the input's change"
        detail += ": the reference base differs between the assemblies)" if lifted_from else ")"
        return (
            f"reference allele mismatch {context}: the input's reference is {ref}, this graph's is "
            f"{'/'.join(sorted(refs))} ({known})" + (detail if swapped else "")
        )
    return f"{context} this graph knows {known}, not {ref}>{alt}"
