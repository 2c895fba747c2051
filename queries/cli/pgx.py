"""``pmkg pgx``: a patient's diplotypes or VCF → phenotypes and CPIC dosing recommendations.

Registered in :mod:`queries.cli.main`.  Errors are :class:`kg.errors.KGError` turned into one line
and exit status 2 by :func:`queries.cli.support.fail_cleanly`; an input item that cannot be understood is
reported in the answer, not raised.  Genotypes are never logged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from queries.cli.support import STORES, build_option, literal
from queries.cli.support import fail_cleanly as _fail_cleanly
from queries.cli.support import open_store as _open
from queries.pgx import InputReport, PgxReport, Status

EPILOG = """\b
Examples:
  pmkg pgx --diplotype "CYP2C19 *2/*2" --drug clopidogrel
  pmkg pgx --diplotype "CYP2C19*2/*17" --diplotype "DPYD *2A/*2A" --format json
  pmkg pgx --diplotype "HLA-B *57:01/*08:01" --diplotype "CYP2D6 activity score 1.0"
  pmkg pgx --vcf patient.vcf.gz --sample NA12878 --diplotype "CYP2D6 *1/*4 intermediate metabolizer"
  pmkg pgx --vcf patient.vcf.gz --outside-calls outside_calls.tsv
  pmkg pgx --diplotype "MT-RNR1 1555A>G" --diplotype "CYP2D6 Poor Metabolizer" --drug tamoxifen

\b
--format json prints, for one patient:
  {"genes": [{"gene", "diplotype", "phenotype", "activity_score", "status", "sample"?}],
   "recommendations": [{"drug", "gene", "phenotype", "action", "strength", "text", "source",
                        "population", "lookup", "missing_genes", "recommendation_id",
                        "guideline", "guideline_url", "source_version"}],
   "inputs": [{"input", "status", "gene"?, "reason"?, "suggestions"?, ...}],
   "warnings": ["..."], "build": {"build_id", "sources"}}
and, for a VCF with several samples and no --sample, {"samples": [<that object, with "sample">, ...]}.

\b
action is one of avoid, alternative, reduce_dose, increase_dose, standard_dose, monitor,
no_recommendation; status is ok, ambiguous, no_phenotype, unrecognized, duplicate, no_call, no_data
or not_callable.  A multi-gene recommendation ("gene": "CYP2C19 + CYP2D6") whose other gene was
not given is CPIC's recommendation for that gene's "No Result", as PharmCAT reports it.
VCF calls (GRCh38, PharmCAT's allele definitions) list missing positions and, in "inputs",
whether the call depends on them; CYP2D6 and HLA genes are never called from a VCF: give them
with --diplotype, which also replaces the VCF's call for that gene.
"""


@click.command("pgx", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--diplotype", "diplotypes", multiple=True, metavar='"GENE *A/*B"',
              help="A diplotype (or phenotype, e.g. 'CYP2D6 activity score 1.0'); repeatable.")  # fmt: skip
@click.option("--outside-calls", "outside_calls", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="PharmCAT's outside-call file: gene<TAB>diplotype<TAB>phenotype<TAB>activity score per line "
              "(CYP2D6, HLA-A/B, MT-RNR1 … called elsewhere).")  # fmt: skip
@click.option("--vcf", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A GRCh38 VCF (.vcf or .vcf.gz) to call star alleles from.")  # fmt: skip
@click.option("--sample", default=None, help="Only this sample of the VCF.")
@click.option("--drug", "drugs", multiple=True, metavar="NAME", help="Only recommendations for this drug; repeatable.")
@click.option("--store", type=STORES, default=None, help="Which store answers (default: PMKG_STORE or embedded).")
@build_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@_fail_cleanly
def pgx(diplotypes: Sequence[str], outside_calls: Path | None, vcf: Path | None, sample: str | None,
        drugs: Sequence[str], store: str | None, build: str | None, fmt: str) -> None:  # fmt: skip
    """A patient's star-allele diplotypes (or a VCF) → phenotypes, activity scores and CPIC recommendations."""
    if not diplotypes and vcf is None and outside_calls is None:
        raise click.UsageError('give --diplotype "GENE *A/*B" (repeatable), --outside-calls FILE or --vcf FILE')
    problems: list[InputReport] = []
    if outside_calls is not None:
        from queries.pgx import outside_call_inputs

        texts, problems = outside_call_inputs(outside_calls)
        diplotypes = [*diplotypes, *texts]
    if sample is not None and vcf is None:
        raise click.UsageError("--sample needs --vcf")
    target = _open(store, build)
    try:
        if vcf is not None:
            from queries.pgx_calling import vcf_reports

            reports = vcf_reports(target, vcf, sample=sample, drugs=drugs, diplotypes=diplotypes, problems=problems)
        else:
            from queries.pgx import lookup_diplotypes

            reports = [lookup_diplotypes(target, diplotypes, drugs, problems)]
    finally:
        target.close()
    unreadable = {i.input for r in reports for i in r.inputs if i.status == Status.UNREADABLE}
    if vcf is not None and any(u.startswith(f"{vcf}:") for u in unreadable):
        count = sum(1 for u in unreadable if u.startswith(f"{vcf}:"))
        click.echo(f"warning: {vcf}: {count} line(s) could not be read; each is listed in the answer", err=True)
    if fmt == "json":
        if len(reports) == 1:
            click.echo(json.dumps(reports[0].as_dict(), indent=2, ensure_ascii=False))
        else:
            click.echo(json.dumps({"samples": [r.as_dict() for r in reports]}, indent=2, ensure_ascii=False))
        return
    for report in reports:
        print_report(report)


def print_report(report: PgxReport) -> None:
    """The report as tables for people (rich): genes, recommendations, what could not be used, warnings."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if report.sample is not None:
        console.rule(Text.assemble(("sample ", "bold"), (report.sample, "bold")))
    genes = Table("gene", "diplotype", "phenotype", "activity score", "status", title="Genes")
    for gene in report.genes:
        score = "" if gene.activity_score is None else f"{gene.activity_score:g}"
        genes.add_row(*(literal(c) for c in (gene.gene, gene.diplotype, gene.phenotype, score, gene.status)))
    console.print(genes)
    recs = Table("drug (population)", "genotype", "action (strength)", "recommendation (CPIC)",
                 title="CPIC recommendations", show_lines=True)  # fmt: skip
    for row in report.recommendations:
        single = len(row.genes) == 1
        genotype = "; ".join(p if single else f"{g} {p}" for g, p in zip(row.genes, row.phenotypes, strict=True))
        population = f"\n({row.population})" if row.population and row.population != "general" else ""
        strength = f"\n({row.strength})" if row.strength else ""
        text = row.text.split(" Other Considerations", 1)[0]
        recs.add_row(*(literal(c) for c in (row.drug + population, genotype, row.action + strength, text)))
    console.print(recs if report.recommendations else "[dim]no CPIC recommendation applies[/dim]")
    skipped = (Status.OK, Status.NO_DATA, Status.NOT_CALLABLE)
    problems = [i for i in report.inputs if i.status not in skipped or (i.status == Status.OK and i.reason)]
    if problems:
        table = Table("input", "status", "why", title="Inputs not fully used")
        for item in problems:
            why = item.reason or ""
            if item.suggestions:
                why += f" (did you mean: {', '.join(item.suggestions[:5])}?)"
            table.add_row(literal(item.input), literal(item.status), literal(why))
        console.print(table)
    not_callable = [i.gene or i.input for i in report.inputs if i.status == Status.NOT_CALLABLE]
    if not_callable:
        console.print(Text(f"not called from a VCF: {', '.join(not_callable)} (give them with --diplotype; "
                           "--format json says why)", style="dim"), highlight=False)  # fmt: skip
    for warning in report.warnings:
        console.print(Text.assemble(("warning:", "yellow"), " ", warning), highlight=False)
    if report.build is not None:
        console.print(f"[dim]build {report.build.build_id}; CPIC guideline content (CC0) via PharmCAT[/dim]")
