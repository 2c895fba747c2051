"""Star-allele calling from a VCF: a sample's genotypes at PharmCAT's defining positions → diplotypes.

The allele definitions come from the graph (``Allele`` nodes, GRCh38 positions and bases as
PharmCAT's ``*_translation.json`` has them).  Matching follows PharmCAT's NamedAlleleMatcher:

* A position an allele does not define is taken to be the reference allele's base there
  (PharmCAT's default); IUPAC ambiguity codes (``R`` = A or G) match either base.
* A diplotype is a pair of alleles that together explain the sample's two haplotypes at every
  position present in the VCF.  Phased genotypes (``0|1``, with ``PS`` phase sets when given)
  fix which bases travel together; for unphased heterozygous positions every assignment to the
  two haplotypes is considered (the answer says which it was).
* Each allele scores the positions present in the VCF at which it names one specific base;
  a diplotype scores the sum.  The best-scoring diplotype is the call ("the longest match
  wins": *1/*4 over *4/*17); ties are all reported, never broken silently.
* Positions missing from the VCF are dropped from every definition (an allele left with none of
  its positions is not called); they are listed, and the call names the missing positions whose
  genotype could change it.  Nothing fits → ``no_call`` with the reason (e.g. a base no
  definition has).

Not callable here, and said so in every answer: CYP2D6 (gene deletions, duplications and
CYP2D7 hybrids are copy-number and structural changes a VCF of small variants cannot show),
HLA-A/HLA-B (alleles are typed from full sequence) and any allele without defining positions;
give those with ``--diplotype``.  PharmCAT's gene-specific extras (DPYD's lowest-function pair
for more than two variants, NAT2's unphased priorities, exemptions) are not applied.

Reading the VCF is :mod:`queries.pgx_vcf`: a bad line is reported (status ``unreadable``, with its
line number) and the rest is read; a file that is not a VCF raises :class:`kg.errors.SourceFileError`
naming the file and line.  Genotypes
are never logged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import SourceFileError
from kg.stores.port import Store
from queries.pgx import (
    GeneResult,
    InputReport,
    PgxReport,
    Status,
    assemble_report,
    diplotype_result,
    given_results,
)
from queries.pgx_graph import GeneData, PgxGraph, natural_key
from queries.pgx_vcf import Genotype, VcfGenotypes, normal_chromosome, read_vcf

# Genes whose PharmCAT definitions are SNVs and small indels, called from a VCF.
CALLABLE_GENES = (
    "ABCG2", "CACNA1S", "CFTR", "CYP2B6", "CYP2C19", "CYP2C9", "CYP3A4", "CYP3A5", "CYP4F2", "DPYD",
    "G6PD", "IFNL3", "NAT2", "NUDT15", "RYR1", "SLCO1B1", "TPMT", "UGT1A1", "VKORC1",
)  # fmt: skip
NOT_CALLABLE = {
    "CYP2D6": "CYP2D6 cannot be called from a VCF: its alleles include gene deletions, duplications and "
    "CYP2D7 hybrids (copy number and structural variants); call it with a dedicated tool and give the "
    "result with --diplotype (e.g. 'CYP2D6 *1/*4') or its activity score ('CYP2D6 activity score 1.0')",
    "HLA-A": "HLA-A cannot be called from a VCF: HLA alleles are typed from full sequence; give the typing "
    "with --diplotype (e.g. 'HLA-A *31:01/*02:01')",
    "HLA-B": "HLA-B cannot be called from a VCF: HLA alleles are typed from full sequence; give the typing "
    "with --diplotype (e.g. 'HLA-B *57:01/*08:01')",
    "MT-RNR1": "MT-RNR1 is not called from a VCF here (the graph holds no defining positions for it); give "
    "the variant with --diplotype (e.g. 'MT-RNR1 m.1555A>G')",
}
IUPAC = {
    "A": "A", "C": "C", "G": "G", "T": "T", "R": "AG", "Y": "CT", "S": "CG", "W": "AT", "K": "GT",
    "M": "AC", "B": "CGT", "D": "AGT", "H": "ACT", "V": "ACG", "N": "ACGT",
}  # fmt: skip


_SUBALLELE = re.compile(r"^(?P<core>.+)\.\d{3}$")


def compatible(defined: str, observed: str) -> bool:
    """Whether a sample base fits a definition's base (IUPAC codes match any base they stand for)."""
    if len(defined) == 1 and len(observed) == 1 and defined in IUPAC:
        return observed in IUPAC[defined]
    return defined == observed


def specific(base: str) -> bool:
    return len(base) != 1 or base in "ACGT"


# ---------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Locus:
    chromosome: str
    position: int
    rsid: str
    ref: str  # the GRCh38 base(s) a VCF must have as REF here

    def as_dict(self) -> dict[str, Any]:
        return {"chromosome": self.chromosome, "position": self.position, "rsid": self.rsid or None}

    def describe(self) -> str:
        return f"{self.chromosome}:{self.position}" + (f" ({self.rsid})" if self.rsid else "")


@dataclass(frozen=True)
class AlleleDefinition:
    name: str
    reference: bool
    defined: Mapping[int, str]  # position → base as the definition writes it
    reported: str = ""  # the name a call reports (a sub-allele's core allele: SLCO1B1 *45.002 → *45)


@dataclass(frozen=True)
class GeneDefinition:
    """One gene's callable allele definitions, read from the graph."""

    gene: str
    loci: tuple[Locus, ...]
    alleles: tuple[AlleleDefinition, ...]
    without_positions: tuple[str, ...]  # named alleles that cannot be called from a VCF
    defaults: Mapping[int, str]  # position → the base an allele has where it defines none

    def base(self, allele: AlleleDefinition, position: int) -> str:
        """The allele's base at ``position``: its own, else the reference allele's (PharmCAT's default)."""
        return allele.defined.get(position) or self.defaults[position]

    @property
    def reference(self) -> AlleleDefinition | None:
        return next((a for a in self.alleles if a.reference), None)

    @classmethod
    def from_gene(cls, data: GeneData) -> GeneDefinition | None:
        """The definitions of ``data``'s alleles, or None if no allele has defining positions."""
        loci: dict[int, Locus] = {}
        alleles = []
        without = []
        for name in data.allele_names:
            props = data.alleles[name].props
            positions = [int(str(p)) for p in _list(props.get("positions_grch38"))]
            if not positions or props.get("structural_variant"):
                without.append(name)
                continue
            bases = [str(b).upper() for b in _list(props.get("alt_alleles"))]
            rsids = [str(r) for r in _list(props.get("rsids"))]
            refs = [str(r).upper() for r in _list(props.get("ref_alleles"))]
            chromosome = str(props.get("chromosome") or "")
            for i, position in enumerate(positions):
                loci.setdefault(position, Locus(chromosome, position, rsids[i] if i < len(rsids) else "", refs[i]))
            if props.get("hidden"):
                continue  # a hidden core allele: PharmCAT matches its sub-alleles and reports them by its name
            core = _SUBALLELE.match(name)
            reported = core.group("core") if core and core.group("core") in data.alleles else name
            defined = dict(zip(positions, bases, strict=True))
            alleles.append(AlleleDefinition(name, bool(props.get("reference")), defined, reported))
        if not alleles:
            return None
        reference = next((a.defined for a in alleles if a.reference), {})
        # The reference allele's base (PharmCAT's default); the GRCh38 base where that is ambiguous.
        defaults = {p: b if specific(b := reference.get(p, locus.ref)) else locus.ref for p, locus in loci.items()}
        ordered = tuple(sorted(loci.values(), key=lambda locus: locus.position))
        return cls(data.symbol, ordered, tuple(alleles), tuple(without), defaults)


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


# ---------------------------------------------------------------------------- calling


@dataclass
class GeneCall:
    """One gene's call for one sample, with everything needed to judge it."""

    gene: str
    status: Status
    diplotypes: tuple[tuple[str, ...], ...] = ()
    score: int | None = None
    phasing: str | None = None
    phasing_note: str | None = None
    missing: tuple[Locus, ...] = ()
    depends_on_missing: tuple[Locus, ...] = ()
    reason: str | None = None
    notes: tuple[str, ...] = ()

    def details(self) -> dict[str, Any]:
        return {
            "source": "vcf",
            "diplotypes": ["/".join(d) for d in self.diplotypes],
            "score": self.score,
            "phasing": self.phasing,
            "phasing_note": self.phasing_note,
            "missing_positions": [locus.as_dict() for locus in self.missing],
            "call_depends_on_missing_positions": [locus.as_dict() for locus in self.depends_on_missing],
            "notes": list(self.notes),
        }


def call_gene(definition: GeneDefinition, observed: Mapping[int, Genotype], notes: Sequence[str] = ()) -> GeneCall:
    """The best-scoring diplotype(s) of ``definition`` explaining ``observed`` (position → genotype)."""
    gene = definition.gene
    present = [locus for locus in definition.loci if locus.position in observed]
    missing = tuple(locus for locus in definition.loci if locus.position not in observed)
    extra = (*notes, *_unpositioned(definition))
    if not present:
        reason = f"none of the {len(definition.loci)} positions that define {gene} alleles is in the VCF"
        return GeneCall(gene, Status.NO_DATA, reason=reason, notes=extra)  # (not listed: all of them)
    haploid = all(len(observed[locus.position].bases) == 1 for locus in present)
    sites = {locus.position: _pair(observed[locus.position]) for locus in present}
    if not haploid and any(len(observed[locus.position].bases) == 1 for locus in present):
        extra = (*extra, "haploid genotypes among diploid ones were read as homozygous")
    pattern = {a.name: {p: definition.base(a, p) for p in sites} for a in definition.alleles}
    fits = {a.name for a in definition.alleles if all(
        any(compatible(pattern[a.name][p], b) for b in pair) for p, pair in sites.items()
    )}  # fmt: skip
    score = {a.name: sum(1 for p, b in a.defined.items() if p in sites and specific(b)) for a in definition.alleles}
    # As PharmCAT: an allele none of whose defining positions is in the VCF is not called.
    candidates = [a.name for a in definition.alleles if a.name in fits and (a.reference or sites.keys() & a.defined)]
    pairs: list[tuple[str, ...]]
    if haploid:
        pairs = [(name,) for name in candidates if all(compatible(pattern[name][p], s[0]) for p, s in sites.items())]
        phasing, phasing_note = "haploid", "haploid genotypes: one allele is called"
    else:
        blocks = _blocks(observed, sites)
        pairs = [
            (a, b) for i, a in enumerate(candidates) for b in candidates[i:]
            if all(_block_fits(pattern[a], pattern[b], block) for block in blocks.values())
        ]  # fmt: skip
        phasing, phasing_note = _phasing(blocks)
    if not pairs:
        return GeneCall(gene, Status.NO_CALL, (), None, phasing, phasing_note, missing, missing,
                        _no_call_reason(definition, pattern, sites), extra)  # fmt: skip
    best = max(sum(score[n] for n in pair) for pair in pairs)
    winners = [pair for pair in pairs if sum(score[n] for n in pair) == best]
    called = {name for pair in winners for name in pair}
    depends = _depends_on(definition, missing, fits, called)
    if depends:  # honest: every diplotype some genotype at the missing positions would make the call
        winners = _possible_calls(definition, pairs, depends)
        winners.sort(key=lambda pair: -sum(score[n] for n in pair))
    reported = {a.name: a.reported or a.name for a in definition.alleles}
    top = tuple(dict.fromkeys(tuple(sorted((reported[n] for n in pair), key=natural_key)) for pair in winners))
    status = Status.OK if len(top) == 1 else Status.AMBIGUOUS
    return GeneCall(gene, status, top, best, phasing, phasing_note, missing, depends, None, extra)


def _possible_calls(definition: GeneDefinition, pairs: Sequence[tuple[str, ...]],
                    missing: Sequence[Locus]) -> list[tuple[str, ...]]:  # fmt: skip
    """The pairs that fit the positions present and would be the call for some genotype at ``missing``.

    Pairs that agree at every missing position fit exactly the same completions of the VCF; among
    them the caller with complete data would pick the one scoring highest over all positions (the
    longest match), so only those (ties included) remain possible.
    """
    by_name = {a.name: a for a in definition.alleles}
    full = {a.name: sum(1 for b in a.defined.values() if specific(b)) for a in definition.alleles}
    groups: dict[tuple[tuple[str, ...], ...], list[tuple[str, ...]]] = {}
    for pair in pairs:
        signature = tuple(tuple(sorted(definition.base(by_name[n], locus.position) for n in pair)) for locus in missing)
        groups.setdefault(signature, []).append(pair)
    possible = []
    for group in groups.values():
        top = max(sum(full[n] for n in pair) for pair in group)
        possible += [pair for pair in group if sum(full[n] for n in pair) == top]
    return possible


def _pair(genotype: Genotype) -> tuple[str, str]:
    return (genotype.bases[0], genotype.bases[-1])


def _unpositioned(definition: GeneDefinition) -> tuple[str, ...]:
    if not definition.without_positions:
        return ()
    names = ", ".join(definition.without_positions)
    return (f"{definition.gene} {names}: no defining positions in the graph, so not callable from a VCF",)


Site = tuple[int, str, str]  # position, base of one haplotype, base of the other
BlockKey = tuple[str, object]  # ("set", phase set) or ("site", position)


def _blocks(observed: Mapping[int, Genotype], sites: Mapping[int, tuple[str, str]]) -> dict[BlockKey, list[Site]]:
    """Positions grouped by what fixes their phase: a phase set, or nothing (a block of one)."""
    blocks: dict[BlockKey, list[Site]] = {}
    for position, (first, second) in sites.items():
        genotype = observed[position]
        het = first != second
        key: BlockKey = ("set", genotype.phase_set or "") if het and genotype.phased else ("site", position)
        blocks.setdefault(key, []).append((position, first, second))
    return blocks


def _block_fits(a: Mapping[int, str], b: Mapping[int, str], block: Sequence[Site]) -> bool:
    """Whether alleles a and b can be the two haplotypes over ``block``, in one of its two orientations."""
    return all(compatible(a[p], x) and compatible(b[p], y) for p, x, y in block) or all(
        compatible(a[p], y) and compatible(b[p], x) for p, x, y in block
    )


def _phasing(blocks: Mapping[BlockKey, Sequence[Site]]) -> tuple[str, str]:
    het = [key for key, block in blocks.items() if any(x != y for _, x, y in block)]
    if not het:
        return "homozygous", "homozygous at every position present: phase does not matter"
    sets = sum(1 for kind, _ in het if kind == "set")
    unphased = len(het) - sets
    if unphased == 0 and sets == 1:
        return "phased", "phased genotypes: the two haplotypes are as the VCF gives them"
    if sets == 0:
        return "unphased", (
            f"unphased: every assignment of the {unphased} heterozygous position(s) to the two haplotypes "
            "was considered and the best-scoring diplotype(s) reported"
        )
    return "partially phased", (
        f"{sets} phase set(s) and {unphased} unphased heterozygous position(s): every assignment between them "
        "was considered"
    )


def _no_call_reason(definition: GeneDefinition, pattern: Mapping[str, Mapping[int, str]],
                    sites: Mapping[int, tuple[str, str]]) -> str:  # fmt: skip
    loci = {locus.position: locus for locus in definition.loci}
    odd = [
        f"{loci[p].describe()} has {base}"
        for p, pair in sites.items() for base in dict.fromkeys(pair)
        if not any(compatible(bases[p], base) for bases in pattern.values())
    ]  # fmt: skip
    if odd:
        return f"no {definition.gene} allele definition has the base(s) seen: {'; '.join(odd)}"
    return (f"no pair of {definition.gene} allele definitions explains the genotypes (e.g. variants of two alleles "
            "on one haplotype, or an allele PharmCAT does not define)")  # fmt: skip


def _depends_on(
    definition: GeneDefinition, missing: Sequence[Locus], fits: set[str], called: set[str]
) -> tuple[Locus, ...]:
    """Missing positions whose genotype could change the call: where alleles that fit the data differ,
    or where a called allele's own definition could not be checked."""
    reference = definition.reference
    out = []
    for locus in missing:
        bases = {definition.base(a, locus.position) for a in definition.alleles if a.name in fits}
        ref_base = definition.base(reference, locus.position) if reference else locus.ref
        unchecked = any(
            a.name in called and a.defined.get(locus.position, ref_base) != ref_base for a in definition.alleles
        )
        if len(bases) > 1 or unchecked:
            out.append(locus)
    return tuple(out)


# ------------------------------------------------------------------------ the answer


def gene_definitions(graph: PgxGraph) -> tuple[list[tuple[GeneData, GeneDefinition]], dict[str, str]]:
    """The callable genes' definitions, and every PGx gene that cannot be called with the reason."""
    callable_genes = []
    not_callable = {}
    for symbol in CALLABLE_GENES:
        data = graph.gene_by_symbol(symbol)
        definition = GeneDefinition.from_gene(data) if data is not None else None
        if data is not None and definition is not None:
            callable_genes.append((data, definition))
        elif data is not None:
            not_callable[data.symbol] = f"{data.symbol}: the graph holds no defining positions for its alleles"
    for symbol, reason in NOT_CALLABLE.items():
        if graph.gene_by_symbol(symbol) is not None:
            not_callable[symbol] = reason
    return callable_genes, not_callable


def vcf_reports(store: Store, path: Path, *, sample: str | None = None, drugs: Sequence[str] = (),
                diplotypes: Sequence[str] = (), problems: Sequence[InputReport] = ()) -> list[PgxReport]:  # fmt: skip
    """One report per sample of ``path`` (or for ``sample`` only).

    ``diplotypes`` are calls made elsewhere (CYP2D6 from a dedicated caller, HLA typing); a gene
    given there replaces the VCF's call for it, as PharmCAT's outside calls do.
    """
    graph = PgxGraph(store)
    genes, not_callable = gene_definitions(graph)
    wanted = {(normal_chromosome(locus.chromosome), locus.position): locus.ref for _, d in genes for locus in d.loci}
    vcf = read_vcf(path, wanted)
    if not vcf.samples:
        raise SourceFileError(str(path), None, "the VCF has no sample columns (FORMAT and at least one sample)")
    if sample is not None and sample not in vcf.samples:
        raise SourceFileError(str(path), None, f"no sample {sample!r}; the file has {', '.join(vcf.samples)}")
    warnings = _file_warnings(vcf, genes)
    unreadable = [InputReport(f"{p.path}:{p.line}", Status.UNREADABLE, None, p.problem,
                              details={"line": p.line} | ({"field": p.field} if p.field else {}))
                  for p in vcf.problems]  # fmt: skip
    reports = []
    for name in vcf.samples if sample is None else (sample,):
        inputs, results = given_results(graph, diplotypes)
        inputs += [*problems, *unreadable]
        given = {r.gene for r in results}
        no_data = []
        for data, definition in genes:
            if data.symbol in given:
                inputs.append(InputReport(f"{data.symbol} in sample {name}", Status.OK, data.symbol,
                                          "given with --diplotype; the VCF is not used for it"))  # fmt: skip
                continue
            observed, notes = _observed(vcf, name, definition)
            call = call_gene(definition, observed, notes)
            if call.status == Status.NO_DATA:
                no_data.append(data.symbol)
            report, gene_results = _call_answer(data, call, name)
            inputs.append(report)
            results += gene_results
        for symbol, reason in not_callable.items():
            if symbol not in given:
                inputs.append(InputReport(f"{symbol} in sample {name}", Status.NOT_CALLABLE, symbol, reason))
        notes = list(warnings)
        if no_data and len(no_data) < len(genes):
            notes.append(f"sample {name}: no data in the VCF for {', '.join(no_data)} (none of their defining "
                         "positions is present), so they are not called")  # fmt: skip
        reports.append(assemble_report(graph, results, inputs, drugs, sample=name, warnings=notes))
    return reports


def _observed(vcf: VcfGenotypes, sample: str, definition: GeneDefinition) -> tuple[dict[int, Genotype], list[str]]:
    calls, notes = vcf.calls[sample], vcf.notes[sample]
    observed: dict[int, Genotype] = {}
    problems = []
    for locus in definition.loci:
        key = (normal_chromosome(locus.chromosome), locus.position)
        if key in calls:
            observed[locus.position] = calls[key]
        elif key in notes:
            problems.append(f"{locus.describe()}: {notes[key]} (read as missing)")
        elif key in vcf.ref_mismatches:
            problems.append(f"{locus.describe()}: {vcf.ref_mismatches[key]} (read as missing)")
    return observed, problems


def _call_answer(data: GeneData, call: GeneCall, sample: str) -> tuple[InputReport, list[GeneResult]]:
    label = f"{data.symbol} in sample {sample}"
    if call.status not in (Status.OK, Status.AMBIGUOUS):
        return InputReport(label, call.status, data.symbol, call.reason, details=call.details()), []
    results = [diplotype_result(data, d, sample=sample, status=call.status) for d in call.diplotypes]
    details = call.details() | {"diplotypes": [r.diplotype for r in results]}
    status: Status = call.status
    reason = call.reason
    if all(r.status == Status.NO_PHENOTYPE for r in results):
        status = Status.NO_PHENOTYPE
        reason = f"{data.symbol} {' or '.join(r.diplotype or '' for r in results)}: the graph states no phenotype"
    elif call.status == Status.AMBIGUOUS and call.depends_on_missing:
        reason = (f"{len(results)} diplotypes are possible, depending on the genotypes at positions missing from the "
                  "VCF; each is reported with its phenotype")  # fmt: skip
    elif call.status == Status.AMBIGUOUS:
        reason = f"{len(results)} diplotypes fit equally well (score {call.score}); each is reported"
    phenotypes = list(dict.fromkeys(r.phenotype or "no phenotype" for r in results))
    details["phenotypes"] = phenotypes
    if len(phenotypes) > 1:
        reason = f"{reason}; phenotype range: {', '.join(phenotypes)}"
    if call.depends_on_missing:
        where = ", ".join(locus.describe() for locus in call.depends_on_missing)
        reason = f"{reason + '; ' if reason else ''}the call depends on positions missing from the VCF: {where}"
    return InputReport(label, status, data.symbol, reason, details=details), results


def _file_warnings(vcf: VcfGenotypes, genes: Sequence[tuple[GeneData, GeneDefinition]]) -> list[str]:
    notes = [f"{vcf.path}: {vcf.fileformat_note}"] if vcf.fileformat_note else []
    if vcf.problems:
        first = vcf.problems[0]
        notes.append(f"{len(vcf.problems)} VCF line(s) or genotype(s) could not be read and were skipped (the first: "
                     f"line {first.line}); positions on them are read as missing (see inputs)")  # fmt: skip
    if vcf.ref_mismatches:
        examples = "; ".join(f"{c}:{p} {text}" for (c, p), text in sorted(vcf.ref_mismatches.items())[:3])
        notes.append(f"{len(vcf.ref_mismatches)} PGx position(s) have a REF that differs from GRCh38 ({examples}); "
                     "they are read as missing. Is the VCF aligned to GRCh38?")  # fmt: skip
    if not any(calls for calls in vcf.calls.values()):
        notes.append(
            "none of PharmCAT's defining positions has a genotype in this VCF; is it GRCh38, and does it cover "
            "the PGx genes (PharmCAT recommends calling every position, reference ones too)?"
        )
    return notes
