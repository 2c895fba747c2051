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

from queries.cli.help import ShapedCommand
from queries.cli.support import STORES, build_option, literal
from queries.cli.support import fail_cleanly as _fail_cleanly
from queries.cli.support import open_store as _open
from queries.models import PgxAnswer
from queries.models.enums import PgxStatus

EPILOG = """\b
Examples:
  pmkg pgx --diplotype "CYP2C19 *2/*2" --drug clopidogrel
  pmkg pgx --diplotype "CYP2C19*2/*17" --diplotype "DPYD *2A/*2A" --format json
  pmkg pgx --diplotype "HLA-B *57:01/*08:01" --diplotype "CYP2D6 activity score 1.0"
  pmkg pgx --vcf patient.vcf.gz --sample NA12878 --diplotype "CYP2D6 *1/*4 intermediate metabolizer"
  pmkg pgx --vcf patient.vcf.gz --outside-calls outside_calls.tsv
  pmkg pgx --diplotype "MT-RNR1 1555A>G" --diplotype "CYP2D6 Poor Metabolizer" --drug tamoxifen

For a VCF with several samples and no --sample, --format json prints {"samples": [one object per
sample]}.  A multi-gene recommendation ("gene": "CYP2C19 + CYP2D6") whose other gene was
not given is CPIC's recommendation for that gene's "No Result", as PharmCAT reports it.
VCF calls (GRCh38, PharmCAT's allele definitions) list missing positions and, in "inputs",
whether the call depends on them; CYP2D6 and HLA genes are never called from a VCF: give them
with --diplotype, which also replaces the VCF's call for that gene.
"""


@click.command(
    "pgx",
    cls=ShapedCommand,
    answer="PgxAnswer",
    what="one object per patient",
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
    from queries.models import PgxQuery, PgxSamplesAnswer
    from queries.services.pgx import pgx as pgx_answer
    from queries.services.pgx import unreadable_lines

    if not diplotypes and vcf is None and outside_calls is None:
        raise click.UsageError('give --diplotype "GENE *A/*B" (repeatable), --outside-calls FILE or --vcf FILE')
    if sample is not None and vcf is None:
        raise click.UsageError("--sample needs --vcf")
    query = PgxQuery.of(diplotypes=list(diplotypes), drugs=list(drugs), sample=sample)
    target = _open(store, build)
    try:
        answer = pgx_answer(target, query, vcf=vcf, outside_calls=outside_calls)
    finally:
        target.close()
    count = unreadable_lines(answer, vcf) if vcf is not None else 0
    if count:
        click.echo(f"warning: {vcf}: {count} line(s) could not be read; each is listed in the answer", err=True)
    if fmt == "json":
        click.echo(json.dumps(answer.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    for report in answer.samples if isinstance(answer, PgxSamplesAnswer) else [answer]:
        print_report(report)


def print_report(report: PgxAnswer) -> None:
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
        genotype = row.phenotype
        population = f"\n({row.population})" if row.population and row.population != "general" else ""
        strength = f"\n({row.strength})" if row.strength else ""
        text = row.text.split(" Other Considerations", 1)[0]
        recs.add_row(*(literal(c) for c in (row.drug + population, genotype, row.action + strength, text)))
    console.print(recs if report.recommendations else "[dim]no CPIC recommendation applies[/dim]")
    skipped = (PgxStatus.OK, PgxStatus.NO_DATA, PgxStatus.NOT_CALLABLE)
    problems = [i for i in report.inputs if i.status not in skipped or (i.status == PgxStatus.OK and i.reason)]
    if problems:
        table = Table("input", "status", "why", title="Inputs not fully used")
        for item in problems:
            why = item.reason or ""
            if item.suggestions:
                why += f" (did you mean: {', '.join(item.suggestions[:5])}?)"
            table.add_row(literal(item.input), literal(item.status), literal(why))
        console.print(table)
    not_callable = [i.gene or i.input for i in report.inputs if i.status == PgxStatus.NOT_CALLABLE]
    if not_callable:
        console.print(Text(f"not called from a VCF: {', '.join(not_callable)} (give them with --diplotype; "
                           "--format json says why)", style="dim"), highlight=False)  # fmt: skip
    for warning in report.warnings:
        console.print(Text.assemble(("warning:", "yellow"), " ", warning), highlight=False)
    if report.build is not None:
        console.print(f"[dim]build {report.build.build_id}; CPIC guideline content (CC0) via PharmCAT[/dim]")
