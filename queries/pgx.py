"""Pharmacogenomic lookups: diplotypes → phenotype and activity score → CPIC recommendations.

Works only through the :class:`kg.stores.port.Store` port: the genes' alleles and phenotypes through
:mod:`queries.pgx_graph`, and ``Recommendation -[:ABOUT]-> Phenotype`` and ``-[:FOR_DRUG]-> Drug``
with the full CPIC lookup key on the recommendation.  Calls made elsewhere (PharmCAT's outside
calls: CYP2D6, HLA, MT-RNR1 …) are read by :mod:`queries.pgx_outside`; VCF calling is
:mod:`queries.pgx_calling`; the cautions ``pmkg match`` shows are :mod:`queries.pgx_cautions`.

What a caller can rely on:

* Every input item comes back in :attr:`PgxReport.inputs` with a status (``ok``,
  ``no_phenotype``, ``unrecognized`` …), a reason and, where possible, suggestions; one bad item
  never raises and is never dropped.
* A gene given more than once (:func:`given_results`): a diplotype and a phenotype given apart are
  one call, a repeat of the same CPIC lookup is a ``duplicate``, and calls that disagree are all
  kept as ``ambiguous`` (CPIC's advice for each), never the first one silently.
* Input forms: ``CYP2C19 *2/*17``, ``CYP2C19*2/*17``, ``CYP2C19 2/17``, ``DPYD *2A/*2A``,
  ``DPYD c.1905+1G>A/Reference``, ``VKORC1 rs9923231 C/T``, ``HLA-B *57:01/*08:01`` (HLA genes:
  the CPIC "<allele> positive/negative" phenotypes follow from the alleles), or a phenotype as
  the graph names it: ``CYP2D6 activity score 1.0``, ``G6PD Deficient``.
* Multi-gene guidelines (amitriptyline: CYP2C19 and CYP2D6): as PharmCAT reports it, a gene that
  was not given, or whose phenotype is unknown, counts as CPIC's "No Result", so the
  recommendation shown is CPIC's own one for that partial genotype; the row names the missing
  gene(s) and a warning says so.  Ambiguous calls (tied diplotypes from a VCF) give one gene
  row per diplotype and the recommendations of each.

Nothing here logs or keeps patient data.

>>> parse_diplotype_text("CYP2C19*2/*17")
ParsedText(gene='CYP2C19', rest='*2/*17')
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import NoBuild
from kg.records import Node
from kg.schema import RelType
from kg.stores.port import BuildManifest, Direction, Store
from queries.drug_identity import drug_keys, drugs_named
from queries.models.enums import PgxStatus as Status
from queries.pgx_graph import (
    GeneData,
    PgxGraph,
    activity_score,
    diplotype_name,
    lookup_keys,
    prop_text,
    prop_texts,
    split_diplotype,
)
from queries.pgx_outside import (
    OutsideCall,
    hla_allele,
    mitochondrial_name,
    phenotype_call,
    phenotype_names,
    read_outside_calls,
    split_call,
)

NO_RESULT = "No Result"  # CPIC's lookup value for a gene that was not tested
_GENE_TEXT = re.compile(r"^\s*(?P<gene>[A-Za-z][A-Za-z0-9-]*?)(?:\s*[:=]\s*|\s+|(?=\*))(?P<rest>\S.*?)\s*$")
_SCORED_LABEL = re.compile(r"^(?P<base>.+) \(activity score (?P<score>[^()]+)\)$")
_RSID_PREFIX = re.compile(r"^rs\d+\s+(?=\S+\s*/)", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedText:
    gene: str
    rest: str


@dataclass(frozen=True)
class GeneResult:
    """One gene's diplotype (or phenotype) and what it selects in CPIC's lookup keys."""

    gene: str
    diplotype: str | None
    phenotype: str | None
    activity_score: float | None
    status: Status
    lookup_values: tuple[str, ...] = ()
    phenotype_ids: tuple[str, ...] = ()
    sample: str | None = None
    alleles: tuple[str, ...] = ()  # the diplotype's alleles as the graph names them (for germline evidence)
    source: str | None = None  # "outside call" for calls made elsewhere (PharmCAT's outside calls)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "gene": self.gene,
            "diplotype": self.diplotype,
            "phenotype": self.phenotype,
            "activity_score": self.activity_score,
            "status": str(self.status),
        }
        if self.sample is not None:
            out["sample"] = self.sample
        if self.source is not None:
            out["source"] = self.source
        return out


@dataclass
class InputReport:
    """How one input item (a diplotype text, a drug name, one gene of a VCF sample) was understood."""

    input: str
    status: Status
    gene: str | None = None
    reason: str | None = None
    suggestions: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"input": self.input, "status": str(self.status)}
        if self.gene is not None:
            out["gene"] = self.gene
        if self.reason is not None:
            out["reason"] = self.reason
        if self.suggestions:
            out["suggestions"] = list(self.suggestions)
        return out | self.details


@dataclass(frozen=True)
class RecommendationRow:
    """One CPIC recommendation for one drug, as it applies to the patient's genotype."""

    drug: str
    genes: tuple[str, ...]
    phenotypes: tuple[str, ...]
    action: str
    strength: str | None
    text: str
    source: str
    population: str | None
    lookup_values: tuple[str, ...]
    missing_genes: tuple[str, ...]
    recommendation_id: str
    guideline: str | None
    guideline_url: str | None
    source_version: str | None
    drug_keys: frozenset[str] = field(default=frozenset(), compare=False)  # queries.drug_identity
    drug_id: str = field(default="", compare=False)  # the Drug node (queries.pgx_cautions asks what it is used for)

    def as_dict(self) -> dict[str, Any]:
        single = len(self.genes) == 1
        return {
            "drug": self.drug,
            "gene": self.genes[0] if single else " + ".join(self.genes),
            "phenotype": self.phenotypes[0]
            if single
            else "; ".join(f"{g}: {p}" for g, p in zip(self.genes, self.phenotypes, strict=True)),
            "action": self.action,
            "strength": self.strength,
            "text": self.text,
            "source": self.source,
            "population": self.population,
            "lookup": dict(zip(self.genes, self.lookup_values, strict=True)),
            "missing_genes": list(self.missing_genes),
            "recommendation_id": self.recommendation_id,
            "guideline": self.guideline,
            "guideline_url": self.guideline_url,
            "source_version": self.source_version,
        }


@dataclass
class PgxReport:
    """The answer for one patient (one sample of a VCF, or the diplotypes given)."""

    genes: list[GeneResult]
    recommendations: list[RecommendationRow]
    inputs: list[InputReport]
    warnings: list[str]
    build: BuildManifest | None
    sample: str | None = None
    general_warnings: list[str] = field(default_factory=list)  # the warnings that concern no one drug

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.sample is not None:
            out["sample"] = self.sample
        out |= {
            "genes": [g.as_dict() for g in self.genes],
            "recommendations": [r.as_dict() for r in self.recommendations],
            "inputs": [i.as_dict() for i in self.inputs],
            "warnings": list(self.warnings),
        }
        if self.build is not None:
            sources = {s.name: s.version for s in self.build.sources if s.name in ("pharmcat", "genes")}
            out["build"] = {"build_id": self.build.build_id, "sources": sources}
        return out


# ------------------------------------------------------------------- understanding input


def parse_diplotype_text(text: str) -> ParsedText | None:
    """Split ``GENE rest`` (``CYP2C19 *2/*2``, ``CYP2C19*2/*2``, ``TPMT: *1/*3A``); None if no gene."""
    match = _GENE_TEXT.match(text)
    return ParsedText(match.group("gene"), match.group("rest")) if match else None


def interpret(graph: PgxGraph, text: str) -> tuple[InputReport, GeneResult | None]:
    """One diplotype (or phenotype, or diplotype with its phenotype) text → how it was understood and,
    if it was, the gene result."""

    def bad(reason: str, gene: str | None = None, suggestions: Iterable[str] = (), **details: Any) -> Any:
        return InputReport(text, Status.UNRECOGNIZED, gene, reason, tuple(suggestions), details), None

    parsed = parse_diplotype_text(text)
    if parsed is None:
        return bad("expected a gene and a diplotype, e.g. 'CYP2C19 *2/*17'")
    gene, problem, candidates = graph.resolve_gene(parsed.gene)
    if gene is None:
        return bad(problem or "unknown gene", suggestions=candidates)
    rest = _RSID_PREFIX.sub("", parsed.rest)
    head, phenotype, score = split_call(rest)
    if phenotype is None and score is None:
        return (
            _interpret_phenotype(gene, text, rest)
            if "/" not in rest
            else _interpret_diplotype(gene, text, rest, parsed.gene)
        )
    base: GeneResult | None = None
    if "/" in head:
        report, base = _interpret_diplotype(gene, text, head, parsed.gene)
        if base is None:
            return report, None
    elif head:
        return bad(f"{head!r} is not a {gene.symbol} diplotype ('*A/*B'); give 'GENE *A/*B phenotype'", gene.symbol)
    return with_phenotype(gene, text, base, phenotype, score)  # fmt: skip


def _interpret_diplotype(gene: GeneData, text: str, rest: str, typed: str) -> tuple[InputReport, GeneResult | None]:
    def bad(reason: str, suggestions: Iterable[str] = (), **details: Any) -> Any:
        return InputReport(text, Status.UNRECOGNIZED, gene.symbol, reason, tuple(suggestions), details), None

    parts = split_diplotype(rest)
    if len(parts) != 2 or not all(parts):
        return bad(f"expected two alleles separated by one '/', got {rest!r}")
    if gene.presence and not gene.alleles:
        return _interpret_presence(gene, text, parts)
    if not gene.alleles:
        return bad(f"the graph defines no {gene.symbol} alleles", phenotypes=gene.phenotype_names())
    names = []
    for part in parts:
        name = gene.resolve_allele(part)
        if name is None:
            return bad(f"{gene.symbol} has no allele {part!r}", gene.allele_suggestions(part),
                       known_alleles=gene.allele_names)  # fmt: skip
        names.append(name)
    result = diplotype_result(gene, names)
    reason = None if result.status == Status.OK else _no_phenotype_reason(gene, result.diplotype or "")
    return InputReport(text, result.status, gene.symbol, reason, details=_read_as(typed, gene)), result


def with_phenotype(gene: GeneData, text: str, base: GeneResult | None, phenotype: str | None,
                   score: str | None) -> tuple[InputReport, GeneResult | None]:  # fmt: skip
    """A call made elsewhere: the phenotype and/or activity score given (with the diplotype, if any) decide
    the CPIC lookup, as PharmCAT's outside calls do; disagreements with the graph's own table are noted."""
    by_score = phenotype_call(gene, f"activity score {score}") if score is not None else None
    by_name = phenotype_call(gene, phenotype) if phenotype is not None else None
    if score is not None and by_score is None:
        known = sorted({v for n in gene.phenotypes for v in lookup_keys(n) if activity_score(v) is not None})
        reason = f"CPIC has no {gene.symbol} activity score {score}" + (
            f" (it has {', '.join(known)})" if known else ""
        )
        return InputReport(text, Status.UNRECOGNIZED, gene.symbol, reason), None
    if phenotype is not None and by_name is None:
        names = phenotype_names(gene)
        return InputReport(text, Status.UNRECOGNIZED, gene.symbol, f"{phenotype!r} is not a {gene.symbol} phenotype "
                           "CPIC names", tuple(difflib.get_close_matches(phenotype, names, n=5, cutoff=0.5)),
                           {"phenotypes": names}), None  # fmt: skip
    chosen = by_score or by_name
    if chosen is None:  # pragma: no cover - split_call gave neither
        return InputReport(text, Status.UNRECOGNIZED, gene.symbol, "no phenotype or activity score given"), None
    notes = [chosen.note] if chosen.note else []
    if by_score and by_name and not set(by_score.lookup_values) <= set(by_name.lookup_values):
        notes.append(f"{gene.symbol} activity score {score} is not {by_name.phenotype} in CPIC's terms; the activity "
                     "score is used")  # fmt: skip
    if base is not None and base.lookup_values and set(base.lookup_values) != set(chosen.lookup_values):
        notes.append(f"PharmCAT's table gives {gene.symbol} {base.diplotype} {base.phenotype or ''} "
                     f"({', '.join(base.lookup_values)}); the call given is used, as PharmCAT uses outside "
                     "calls")  # fmt: skip
    consistent = by_name is not None and (by_score is None or set(by_score.lookup_values) <= set(by_name.lookup_values))
    name = by_name.phenotype if by_name is not None and consistent else chosen.phenotype
    status = Status.OK if chosen.lookup_values else Status.NO_PHENOTYPE
    result = GeneResult(gene.symbol, base.diplotype if base else None, name, chosen.activity_score, status,
                        chosen.lookup_values, chosen.phenotype_ids, alleles=base.alleles if base else (),
                        source="outside call")  # fmt: skip
    details = {"notes": [" ".join(n.split()) for n in notes]} if notes else {}
    return InputReport(text, status, gene.symbol, details=details), result


def _read_as(typed: str, gene: GeneData) -> dict[str, Any]:
    """A note when the gene was found by an alias or previous symbol (``CYP2C`` → CYP2C19)."""
    return {} if typed.lower() == gene.symbol.lower() else {"note": f"{typed!r} read as {gene.symbol}"}


def diplotype_result(gene: GeneData, alleles: Sequence[str], *, sample: str | None = None,
                     status: Status = Status.OK) -> GeneResult:  # fmt: skip
    """The phenotype and activity score of one diplotype of allele names (as the graph spells them)."""
    found = gene.phenotype_of(alleles)
    if found is None:
        return GeneResult(gene.symbol, diplotype_name(alleles), None, None, Status.NO_PHENOTYPE, sample=sample,
                          alleles=tuple(alleles))  # fmt: skip
    node, score, name = found
    lookup = score if gene.scored and score is not None else prop_text(node, "phenotype")
    return GeneResult(gene.symbol, name, prop_text(node, "phenotype"), activity_score(score) if gene.scored else None,
                      status, (lookup,) if lookup else (), (node.id,), sample, tuple(alleles))  # fmt: skip


def _no_phenotype_reason(gene: GeneData, diplotype: str) -> str:
    if not gene.diplotype_index:
        names = phenotype_names(gene)
        example = f"'{gene.symbol} {diplotype} {names[0]}'" if names and "/" in diplotype else ""
        if example and (gene.scored or any(prop_texts(n, "activity_scores") for n in gene.phenotypes)):
            example += f" or '{gene.symbol} {diplotype} activity score 1.0'"
        hint = f"; give the phenotype or activity score with it, e.g. {example}" if example else ""
        return (f"{gene.symbol} {diplotype}: the bundled PharmCAT data has no {gene.symbol} diplotype → phenotype "
                f"table, so no phenotype and no CPIC recommendation follow{hint}")  # fmt: skip
    return f"{gene.symbol} {diplotype} is not in the PharmCAT phenotype table, so it has no phenotype"


def _interpret_phenotype(gene: GeneData, text: str, rest: str) -> tuple[InputReport, GeneResult | None]:
    allele = None
    if gene.alleles:
        allele = gene.resolve_allele(rest) or gene.resolve_allele(mitochondrial_name(rest) or rest)
    if allele is not None and gene.phenotype_of([allele]):  # one-allele genes (MT-RNR1)
        result = diplotype_result(gene, [allele])
        return InputReport(text, result.status, gene.symbol), result
    found = phenotype_call(gene, rest)
    if found is None and allele is not None:  # DPYD *2A: one allele of a gene whose dosing reads two
        one = rest.strip()
        reason = (f"{one!r} is one {gene.symbol} allele; dosing follows both: give the diplotype, e.g. "
                  f"'{gene.symbol} *1/{one}' for one copy or '{gene.symbol} {one}/{one}' for two")  # fmt: skip
        return InputReport(text, Status.UNRECOGNIZED, gene.symbol, reason), None
    if found is None:
        reason = f"{rest!r} is neither a {gene.symbol} diplotype ('*A/*B') nor a phenotype the graph names"
        names = phenotype_names(gene)
        return InputReport(text, Status.UNRECOGNIZED, gene.symbol, reason,
                           tuple(difflib.get_close_matches(rest, names, n=5, cutoff=0.5)),
                           {"phenotypes": names}), None  # fmt: skip
    result = GeneResult(gene.symbol, None, found.phenotype, found.activity_score, Status.OK, found.lookup_values,
                        found.phenotype_ids)  # fmt: skip
    return InputReport(text, Status.OK, gene.symbol, details={"notes": [found.note]} if found.note else {}), result


def _interpret_presence(gene: GeneData, text: str, parts: Sequence[str]) -> tuple[InputReport, GeneResult | None]:
    """HLA typing → CPIC's "<allele> positive/negative" phenotypes (positive: at least one copy)."""
    alleles = []
    for part in parts:
        allele, problem = hla_allele(gene.symbol, part)
        if allele is None:
            return InputReport(text, Status.UNRECOGNIZED, gene.symbol, problem), None
        alleles.append(allele)
    nodes = [states[state] for allele, states in sorted(gene.presence.items())
             if (state := "positive" if allele in alleles else "negative") in states]  # fmt: skip
    phenotype = "; ".join(prop_text(n, "phenotype") or n.name for n in nodes)
    lookups = tuple(v for n in nodes for v in lookup_keys(n))
    result = GeneResult(gene.symbol, "/".join(alleles), phenotype, None, Status.OK, lookups, tuple(n.id for n in nodes),
                        alleles=tuple(alleles))  # fmt: skip
    note = (f"{gene.symbol} typing: the allele groups were checked against IMGT/HLA; the protein fields were not "
            "checked (no HLA allele list is bundled)")  # fmt: skip
    return InputReport(text, Status.OK, gene.symbol, details={"notes": [note]}), result


# ------------------------------------------------------------------------ the answer


def lookup_diplotypes(store: Store, texts: Sequence[str], drugs: Sequence[str] = (),
                      problems: Sequence[InputReport] = ()) -> PgxReport:  # fmt: skip
    """Diplotype (or phenotype) texts → phenotypes and CPIC recommendations, optionally for ``drugs`` only.

    ``problems`` are input items already found unusable (bad lines of an outside-call file), reported
    with the rest.  Raises :class:`kg.errors.NoBuild` when the store holds no graph; nothing else about
    the input raises.
    """
    graph = PgxGraph(store)
    inputs, results = given_results(graph, texts)
    return assemble_report(graph, results, [*inputs, *problems], drugs)


def outside_call_inputs(path: Path) -> tuple[list[str], list[InputReport]]:
    """PharmCAT's outside-call file → the call texts to interpret, and a report for each unusable line."""
    texts: list[str] = []
    problems: list[InputReport] = []
    for item in read_outside_calls(path):
        if isinstance(item, OutsideCall):
            texts.append(item.text)
        else:
            line, problem = item
            problems.append(InputReport(f"{path}:{line}", Status.UNREADABLE, None, problem, details={"line": line}))
    return texts, problems


def given_results(graph: PgxGraph, texts: Sequence[str]) -> tuple[list[InputReport], list[GeneResult]]:
    """Interpret each text, and settle a gene given more than once so that no call is dropped unsaid.

    A call without a phenotype and one with are one call (``CYP2D6 *4/*4`` then ``CYP2D6 poor metabolizer``: the
    phenotype given decides, with the diplotype); a call selecting the same CPIC lookup as an earlier one is a
    duplicate; calls that disagree (``DPYD *1/*2A`` and ``DPYD poor metabolizer``) are all kept, as ambiguous, so
    CPIC's advice for each is shown and the reader decides which call is right, never the order they came in.
    """
    inputs: list[InputReport] = []
    kept: dict[str, list[tuple[int, GeneResult]]] = {}  # gene → (its input's index, result) of each call used
    for text in texts:
        report, result = interpret(graph, text)
        if result is not None:
            report, result = _settle_repeat(inputs, kept.setdefault(result.gene, []), report, result)
        if result is not None:
            kept[result.gene].append((len(inputs), result))
        inputs.append(report)
    results: list[tuple[int, GeneResult]] = []
    for gene, calls in kept.items():
        if len(calls) > 1:
            given = "; ".join(f"{inputs[i].input!r} ({r.phenotype or 'no phenotype'})" for i, r in calls)
            reason = f"the {gene} calls given disagree: {given}; CPIC's advice for each is shown: confirm which is " \
                "right"  # fmt: skip
            for i, _ in calls:
                inputs[i] = InputReport(inputs[i].input, Status.AMBIGUOUS, gene, reason)
            calls = [(i, dataclasses.replace(r, status=Status.AMBIGUOUS)) for i, r in calls]
        results += calls
    return inputs, [r for _, r in sorted(results, key=lambda call: call[0])]


def _settle_repeat(inputs: list[InputReport], calls: list[tuple[int, GeneResult]], report: InputReport,
                   result: GeneResult) -> tuple[InputReport, GeneResult | None]:  # fmt: skip
    """A call of a gene already given (``calls``): its report and the result to keep (None: it adds nothing)."""
    gene = result.gene
    if not calls:
        return report, result
    same = next((i for i, earlier in calls if _same_call(earlier, result)), None)
    if same is not None:
        reason = f"{gene} was already given as {inputs[same].input!r}, which selects the same CPIC advice; only that " \
            "is used"  # fmt: skip
        return InputReport(report.input, Status.DUPLICATE, gene, reason), None
    phenotyped = [(i, r) for i, r in calls if r.lookup_values]
    if not result.lookup_values and phenotyped:  # the phenotype given earlier completes this diplotype
        index, earlier = phenotyped[0]
        if earlier.diplotype is None and len(calls) == 1:
            calls[0] = (index, dataclasses.replace(earlier, diplotype=result.diplotype, alleles=result.alleles))
        note = f"its phenotype is the one {inputs[index].input!r} gives"
        return InputReport(report.input, Status.OK, gene, details={"notes": [note]}), None
    for index, earlier in [(i, r) for i, r in calls if not r.lookup_values and result.lookup_values]:
        # a diplotype without a phenotype, which this call's phenotype completes
        calls.remove((index, earlier))
        note = f"its phenotype is the one {report.input!r} gives"
        inputs[index] = InputReport(inputs[index].input, Status.OK, gene, details={"notes": [note]})
        if result.diplotype is None:
            result = dataclasses.replace(result, diplotype=earlier.diplotype, alleles=earlier.alleles)
    return report, result


def _same_call(earlier: GeneResult, later: GeneResult) -> bool:
    """Whether two calls of one gene select the same CPIC lookup (or are one diplotype that has no phenotype)."""
    if earlier.lookup_values or later.lookup_values:
        return set(earlier.lookup_values) == set(later.lookup_values)
    return earlier.diplotype == later.diplotype


def assemble_report(graph: PgxGraph, results: Sequence[GeneResult], inputs: list[InputReport],
                    drugs: Sequence[str] = (), *, sample: str | None = None,
                    warnings: Sequence[str] = ()) -> PgxReport:  # fmt: skip
    """Recommendations for ``results`` (filtered to ``drugs``), with every warning a reader needs."""
    build = graph.store.current_build()
    if build is None:
        raise NoBuild("the store holds no graph yet: run `pmkg build`")
    general = list(warnings)
    for gene in dict.fromkeys(r.gene for r in results if r.status == Status.AMBIGUOUS):
        general.append(f"{gene}: the call is ambiguous; recommendations are shown for each possible call")
    drug_ids: set[str] | None = None
    if drugs:
        drug_ids = set()
        for name in drugs:
            found = drugs_named(graph.store, name)
            if not found:
                inputs.append(InputReport(f"drug {name}", Status.UNRECOGNIZED, None, f"no drug is called {name!r}"))
            drug_ids |= {n.id for n in found}
    rows = recommendation_rows(graph, results, drug_ids)
    notes = general + missing_gene_warnings(rows)
    if drug_ids:
        notes += _unmatched_drug_warnings(graph, drug_ids, rows)
    return PgxReport(list(results), rows, inputs, list(dict.fromkeys(notes)), build, sample,
                     list(dict.fromkeys(general)))  # fmt: skip


def recommendation_rows(
    graph: PgxGraph, results: Sequence[GeneResult], drug_ids: set[str] | None
) -> list[RecommendationRow]:
    """CPIC recommendations whose whole lookup key fits the patient (absent genes = "No Result")."""
    known: dict[str, set[str]] = {}
    for result in results:
        if result.lookup_values:
            known.setdefault(result.gene, set()).update(result.lookup_values)
    phenotype_of = {(r.gene, v): _label(r, v) for r in results for v in r.lookup_values}
    candidates: dict[str, Node] = {}
    for phenotype_id in sorted({p for r in results for p in r.phenotype_ids}):
        for rec in graph.store.neighbours(phenotype_id, RelType.ABOUT, Direction.IN):
            candidates[rec.id] = rec
    rows: list[RecommendationRow] = []
    for rec in candidates.values():
        genes, values = prop_texts(rec, "lookup_genes"), prop_texts(rec, "lookup_values")
        if len(genes) != len(values) or not all(
            (v in known[g]) if g in known else v == NO_RESULT for g, v in zip(genes, values, strict=True)
        ):
            continue
        labels = tuple(phenotype_of.get((g, v), v) for g, v in zip(genes, values, strict=True))
        missing = tuple(g for g in genes if g not in known)
        for drug in graph.store.neighbours(rec.id, RelType.FOR_DRUG, Direction.OUT):
            if drug_ids is None or drug.id in drug_ids:
                rows.append(_row(rec, drug, genes, labels, values, missing))
    rows.sort(key=lambda r: (r.drug.lower(), r.population or "", r.lookup_values, r.recommendation_id))
    return _merge_same_advice(rows)


def _merge_same_advice(rows: list[RecommendationRow]) -> list[RecommendationRow]:
    """One row where several lookup values (a phenotype range, the candidates of an ambiguous call) get
    the same advice; rows whose advice differs stay apart, so the reader sees where the range matters."""
    groups: dict[tuple[Any, ...], list[RecommendationRow]] = {}
    for row in rows:
        key = (row.drug, row.population, row.action, row.strength, row.text, row.genes, row.missing_genes)
        groups.setdefault(key, []).append(row)
    merged = []
    for same in groups.values():
        first = same[0]
        if len(same) == 1:
            merged.append(first)
            continue
        columns = range(len(first.genes))
        merged.append(dataclasses.replace(
            first,
            phenotypes=tuple(_joined_labels([r.phenotypes[i] for r in same]) for i in columns),
            lookup_values=tuple(", ".join(dict.fromkeys(r.lookup_values[i] for r in same)) for i in columns),
            recommendation_id=", ".join(dict.fromkeys(r.recommendation_id for r in same)),
        ))  # fmt: skip
    return merged


def _joined_labels(labels: Sequence[str]) -> str:
    """``Intermediate Metabolizer (activity score 0.25, 0.5)`` from the labels of merged rows."""
    distinct = list(dict.fromkeys(labels))
    scored = [_SCORED_LABEL.match(label) for label in distinct]
    if len(distinct) > 1 and all(scored) and len({m.group("base") for m in scored if m}) == 1:
        base = scored[0].group("base") if scored[0] else ""
        return f"{base} (activity score {', '.join(m.group('score') for m in scored if m)})"
    return " or ".join(distinct)


def _label(result: GeneResult, value: str) -> str:
    """How a row names the patient's phenotype for one lookup value."""
    if result.phenotype and len(result.lookup_values) == 1:
        return result.phenotype
    if result.phenotype and activity_score(value) is not None:  # a phenotype covering several scores
        return f"{result.phenotype} (activity score {value})"
    return f"activity score {value}" if result.activity_score is not None else value


def _row(rec: Node, drug: Node, genes: list[str], labels: tuple[str, ...], values: list[str],
         missing: tuple[str, ...]) -> RecommendationRow:  # fmt: skip
    version = rec.provenance[0].version if rec.provenance else None
    return RecommendationRow(
        drug=drug.name,
        genes=tuple(genes),
        phenotypes=labels,
        action=prop_text(rec, "action") or "",
        strength=prop_text(rec, "strength"),
        text=prop_text(rec, "text") or "",
        source=prop_text(rec, "guideline_source") or "CPIC",
        population=prop_text(rec, "population"),
        lookup_values=tuple(values),
        missing_genes=missing,
        recommendation_id=prop_text(rec, "pharmgkb_id") or rec.id,
        guideline=prop_text(rec, "guideline"),
        guideline_url=prop_text(rec, "guideline_url"),
        source_version=version,
        drug_keys=drug_keys(drug),
        drug_id=drug.id,
    )


def missing_gene_warnings(rows: Sequence[RecommendationRow]) -> list[str]:
    by_drug: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for row in rows:
        if row.missing_genes:
            by_drug.setdefault(row.drug, (row.genes, row.missing_genes))
    return [
        f"{drug}: CPIC's recommendation depends on {' and '.join(genes)}; {', '.join(missing)} not given or "
        f"without a phenotype, so CPIC's recommendation for '{NO_RESULT}' is shown (as PharmCAT does)"
        for drug, (genes, missing) in sorted(by_drug.items())
    ]


def _unmatched_drug_warnings(graph: PgxGraph, drug_ids: set[str], rows: Sequence[RecommendationRow]) -> list[str]:
    matched = {r.drug for r in rows}
    notes = []
    for drug_id in sorted(drug_ids):
        drug = graph.store.get_node(drug_id)
        if drug is None or drug.name in matched:
            continue
        recs = graph.store.neighbours(drug_id, RelType.FOR_DRUG, Direction.IN)
        genes = sorted({g for r in recs for g in prop_texts(r, "lookup_genes")})
        if genes:
            notes.append(f"{drug.name}: CPIC recommendations concern {', '.join(genes)}; none fits the genes given")
        else:
            notes.append(f"{drug.name}: the graph holds no CPIC recommendation for it")
    return notes
