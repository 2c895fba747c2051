"""``pmkg match``: ranked therapies for a patient's variants typed on the command line.

Registered in :mod:`queries.cli.main`.  Output goes to stdout; the inputs are never logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from queries.models import MatchAnswer, PgxCaution

from queries.cli.help import ShapedCommand
from queries.cli.support import STORES, build_option, indented_json, literal, require_text, tsv_cell
from queries.cli.support import console as _console
from queries.cli.support import fail_cleanly as _fail_cleanly
from queries.cli.support import open_store as _open

RANKING_NOTE = (
    'Entries are ranked (README, "How therapies are ranked"); a therapy\'s resistance and adverse-response '
    "entries follow its sensitivity entry."
)


@click.command("match", cls=ShapedCommand, answer="MatchAnswer", note=RANKING_NOTE)
@click.option(
    "--variant",
    "variants",
    multiple=True,
    required=True,
    metavar="TEXT",
    help="A variant in any usual notation (repeatable): BRAF V600E, NM_004333.4:c.1799T>A, "
    "7-140753336-A-T, EML4::ALK, ERBB2 amplification, EGFR exon 19 deletion, MSI-H, "
    "CYP2C19 *2/*2 …",
)
@click.option(
    "--disease",
    default=None,
    metavar="TEXT",
    help="The diagnosis: a name, synonym, DOID, OncoTree code or name (LUAD), or NCIt id.",
)
@click.option(
    "--assembly",
    type=click.Choice(["GRCh37", "GRCh38"], case_sensitive=False),
    default=None,
    help="Assembly of genomic positions (default: look both up and say which matched).",
)
@click.option("--outside-calls", "outside_calls", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="PharmCAT's outside-call file (gene<TAB>diplotype<TAB>phenotype<TAB>activity score): PGx calls "
              "made elsewhere, e.g. CYP2D6.")  # fmt: skip
@click.option("--store", type=STORES, default=None, help="Which store answers (default: PMKG_STORE or embedded).")
@build_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="table")
@_fail_cleanly
def match(variants: Sequence[str], disease: str | None, assembly: str | None, outside_calls: Path | None,
          store: str | None, build: str | None, fmt: str) -> None:  # fmt: skip
    """Therapies for a patient's variants (and diagnosis), ranked, with evidence and warnings.

    \b
    Examples:
      pmkg match --variant "BRAF V600E" --disease melanoma
      pmkg match --variant "EGFR T790M" --variant "EGFR L858R" --disease LUAD --format json
      pmkg match --variant "KRAS G12D" --variant "DPYD *2A/*2A" --disease "colorectal cancer"
      pmkg match --variant "PIK3CA H1047R" --disease "breast cancer" --outside-calls calls.tsv
    """
    from queries.models.questions import MatchQuery
    from queries.services.match import match as match_patient
    from queries.services.match import match_json

    query = MatchQuery(variants=list(variants), disease=require_text(disease, "--disease"), assembly=assembly)
    target = _open(store, build)
    try:
        if fmt == "json":  # the answer's JSON as the HTTP API sends it: no pydantic in this process (issue 8)
            click.echo(indented_json(match_json(target, query, outside_calls=outside_calls)))
            return
        answer = match_patient(target, query, outside_calls=outside_calls)
    finally:
        target.close()
    if fmt == "tsv":
        _tsv(answer)
    else:
        _table(answer)


_TSV_COLUMNS = (
    "rank",
    "therapy",
    "drugs",
    "significance",
    "tier",
    "levels",
    "variant_match",
    "disease_match",
    "standing",
    "evidence",
    "pgx",
)


_CAUTION_COLUMNS = ("drug", "on_therapy_list", "therapies", "cancer_care", "source", "action", "strength", "gene",
                    "genotype", "population", "id", "text")  # fmt: skip


def _tsv(answer: MatchAnswer) -> None:
    """One ranked row per therapy entry; with PGx cautions, a blank line and their own table, in the answer's order."""
    click.echo("\t".join(_TSV_COLUMNS))
    for rank, row in enumerate(answer.therapies, 1):
        levels = "; ".join(f"{source}: {', '.join(values)}" for source, values in row.levels.items())
        cells = [str(rank), row.therapy, "|".join(row.drugs), row.significance, str(int(row.tier)), levels,
                 row.variant_match, row.disease_match or "", row.standing or "", "|".join(e.id for e in row.evidence),
                 "|".join(f"{p.drug}: {p.action}" for p in row.pgx)]  # fmt: skip
        click.echo("\t".join(tsv_cell(c) for c in cells))
    if answer.pgx_cautions:
        click.echo("")
        click.echo("\t".join(_CAUTION_COLUMNS))
    for caution in answer.pgx_cautions:
        cells = [caution.drug, str(caution.on_therapy_list).lower(), "|".join(caution.therapies),
                 str(caution.cancer_care).lower(), caution.source, caution.action, caution.strength or "", caution.gene,
                 caution.genotype, caution.population or "", caution.id, caution.text]  # fmt: skip
        click.echo("\t".join(tsv_cell(c) for c in cells))


def _table(answer: MatchAnswer) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console()
    inputs = Table("input", "status", "variant", "message", title="Inputs")
    for item in answer.inputs.variants:
        variant = item.variant.name if item.variant else ""
        inputs.add_row(*(literal(cell) for cell in (item.input, item.status, variant, item.message)))
    disease = answer.inputs.disease
    if disease is not None:
        inputs.add_row(
            literal(disease.input),
            "disease" if disease.id else "unrecognized",
            literal(f"{disease.name} ({disease.id})" if disease.id else ""),
            "",
        )
    console.print(inputs)
    therapies = Table("#", "therapy", "significance", "tier", "match", "disease", "standing", "levels", "evidence",
                      title=f"Therapies (build {answer.build.id})")  # fmt: skip
    for rank, row in enumerate(answer.therapies, 1):
        levels = "; ".join(f"{source} {', '.join(values)}" for source, values in row.levels.items())
        evidence = ", ".join(e.id for e in row.evidence[:3])
        if len(row.evidence) > 3:
            evidence += f" +{len(row.evidence) - 3}"
        pgx = "".join(f"\nPGx {p.gene}: {p.action}" for p in row.pgx)
        cells = (rank, row.therapy + pgx, row.significance, int(row.tier), row.variant_match,
                 row.disease_match or "-", row.standing or "", levels, evidence)  # fmt: skip
        therapies.add_row(*(literal(cell) for cell in cells))
    console.print(therapies)
    if not answer.therapies:
        console.print("no therapy evidence reaches these variants")
    if answer.pgx_cautions:
        console.print(_cautions_table(answer.pgx_cautions))
    if answer.unknown_significance:
        unknown = Table("input", "why", "therapies for the gene (context, not tiered)",
                        title="Variants of unknown significance in actionable genes")  # fmt: skip
        for entry in answer.unknown_significance:
            named = ", ".join(entry.gene_therapies[:5])
            if len(entry.gene_therapies) > 5:
                named += f" +{len(entry.gene_therapies) - 5}"
            unknown.add_row(literal(entry.input), literal(entry.reason), literal(named))
        console.print(unknown)
    sources = "; ".join(f"{s.name} {s.version} ({s.license})" for s in answer.build.sources)
    console.print(f"build {answer.build.id}: {sources}", highlight=False, style="dim", soft_wrap=True)
    for warning in answer.warnings:
        console.print(Text.assemble(("warning:", "yellow"), " ", warning), highlight=False)


def _cautions_table(cautions: list[PgxCaution]) -> Any:
    """The PGx cautions as people read them: drugs on the therapy list marked, and the cancer drugs after them."""
    from rich.table import Table

    table = Table("drug", "on list", "action", "genotype", "source", "recommendation / evidence",
                  title="PGx cautions (whether or not the drug matched)", show_lines=True)  # fmt: skip
    for row in cautions:
        on_list = ("yes: " + ", ".join(row.therapies)) if row.on_therapy_list else "no"
        on_list += " (cancer care)" if row.cancer_care and not row.on_therapy_list else ""
        action = row.action + (f" ({row.strength})" if row.strength else "")
        population = f" ({row.population})" if row.population and row.population != "general" else ""
        source = f"{row.source} {row.id}"
        genotype = row.genotype if row.gene in row.genotype else f"{row.gene} {row.genotype}"
        text = row.text.split(" Other Considerations", 1)[0]
        table.add_row(*(literal(c) for c in (row.drug + population, on_list, action, genotype, source, text)))
    return table
