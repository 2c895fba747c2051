"""``pmkg match``: ranked therapies for a patient's variants typed on the command line.

Registered in :mod:`queries.cli.main`.  Output goes to stdout; the inputs are never logged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from queries.cli.support import STORES, build_option, literal, require_text, tsv_cell
from queries.cli.support import console as _console
from queries.cli.support import fail_cleanly as _fail_cleanly
from queries.cli.support import open_store as _open

JSON_SHAPE = """\b
--format json prints one object:
  build      {id, sources: [{name, version, license}]}
  inputs     {variants: [{input, status, variant, message}],
              disease: {input, id, name} | null}
             status: normalized | unrecognized | ambiguous | not_matched;
             variant: {id, name} | null
  therapies  [{therapy, drugs: [names], significance, tier, levels,
               variant_match, disease_match, standing, standing_reason,
               active_against_resistance, evidence, explanation, pgx}]
             significance: sensitivity | resistance | reduced sensitivity
                           | adverse response
             tier: 1 approved/guideline, 2 clinical, 3 case report,
                   4 preclinical, 5 inferential
             levels: {source: [the source's own levels]}
             variant_match: exact | codon | exon | gene_class | gene
             disease_match: exact | ancestor | other | null (no disease)
             standing (sensitivity only, else null): clear | demoted
                       (preclinical, other-disease or conflicting
                       resistance) | resistant (clinical resistance in
                       this patient) | gene_level (a hint); its reason
             evidence: [{source, id, level, disease: {id, name} | null,
                         citation}]
             explanation: [input → variant → class → evidence → disease
                           → therapy, one line per evidence item]
             pgx: [CPIC recommendations for the therapy's drugs]
  pgx_cautions
             [{drug, on_therapy_list, therapies, source, action, gene,
               genotype, strength, population, text, id, url,
               missing_genes, variant?, disease?, citation?}]
             every CPIC recommendation for the diplotypes given whose
             action is avoid | alternative | reduce_dose | increase_dose
             | monitor, then CIViC germline evidence of "adverse
             response" about the alleles carried (source CIViC),
             whether or not the drug is on the therapy list
  unknown_significance
             [{input, variant, genes, reason, gene_therapies}]
             variants of unknown significance in actionable genes (and
             germline rows no source calls pathogenic): untiered, with
             the therapies evidence names for the gene as context
  warnings   [strings]
Entries are ranked (README, "How therapies are ranked"); a therapy's
resistance and adverse-response entries follow its sensitivity entry."""


@click.command("match", epilog=JSON_SHAPE)
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
    from queries.matching import match_therapies

    disease = require_text(disease, "--disease")
    calls: list[str] = []
    problems: list[dict[str, Any]] = []
    if outside_calls is not None:
        from queries.pgx import outside_call_inputs

        calls, bad_lines = outside_call_inputs(outside_calls)
        problems = [{"input": p.input, "status": "unrecognized", "variant": None, "message": p.reason or ""}
                    for p in bad_lines]  # fmt: skip
    target = _open(store, build)
    try:
        result = match_therapies(target, list(variants), disease, assembly=assembly, pgx_calls=calls)
        result.pgx_inputs += problems
        # The answer reads the graph while it is written (explanations name nodes the matching never looked up, e.g.
        # a MOAlmanac disease): render it before the store closes, or Neo4j's closed driver fails the command.
        answer = result.as_json()
    finally:
        target.close()
    if fmt == "json":
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
    elif fmt == "tsv":
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


def _tsv(answer: dict[str, Any]) -> None:
    click.echo("\t".join(_TSV_COLUMNS))
    for rank, row in enumerate(answer["therapies"], 1):
        levels = "; ".join(f"{source}: {', '.join(values)}" for source, values in row["levels"].items())
        cells = [str(rank), row["therapy"], "|".join(row["drugs"]), row["significance"], str(row["tier"]), levels,
                 row["variant_match"], row["disease_match"] or "", row["standing"] or "",
                 "|".join(e["id"] for e in row["evidence"]),
                 "|".join(f"{p['drug']}: {p['action']}" for p in row["pgx"])]  # fmt: skip
        click.echo("\t".join(tsv_cell(c) for c in cells))


def _table(answer: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console()
    inputs = Table("input", "status", "variant", "message", title="Inputs")
    for row in answer["inputs"]["variants"]:
        variant = row["variant"]["name"] if row["variant"] else ""
        inputs.add_row(*(literal(cell) for cell in (row["input"], row["status"], variant, row["message"])))
    disease = answer["inputs"]["disease"]
    if disease is not None:
        inputs.add_row(
            literal(disease["input"]),
            "disease" if disease["id"] else "unrecognized",
            literal(f"{disease['name']} ({disease['id']})" if disease["id"] else ""),
            "",
        )
    console.print(inputs)
    therapies = Table(
        "#",
        "therapy",
        "significance",
        "tier",
        "match",
        "disease",
        "standing",
        "levels",
        "evidence",
        title=f"Therapies (build {answer['build']['id']})",
    )
    for rank, row in enumerate(answer["therapies"], 1):
        levels = "; ".join(f"{source} {', '.join(values)}" for source, values in row["levels"].items())
        evidence = ", ".join(e["id"] for e in row["evidence"][:3])
        if len(row["evidence"]) > 3:
            evidence += f" +{len(row['evidence']) - 3}"
        pgx = "".join(f"\nPGx {p['gene']}: {p['action']}" for p in row["pgx"])
        cells = (rank, row["therapy"] + pgx, row["significance"], row["tier"], row["variant_match"],
                 row["disease_match"] or "-", row["standing"] or "", levels, evidence)  # fmt: skip
        therapies.add_row(*(literal(cell) for cell in cells))
    console.print(therapies)
    if not answer["therapies"]:
        console.print("no therapy evidence reaches these variants")
    if answer["pgx_cautions"]:
        console.print(_cautions_table(answer["pgx_cautions"]))
    if answer["unknown_significance"]:
        unknown = Table("input", "why", "therapies for the gene (context, not tiered)",
                        title="Variants of unknown significance in actionable genes")  # fmt: skip
        for row in answer["unknown_significance"]:
            named = ", ".join(row["gene_therapies"][:5])
            if len(row["gene_therapies"]) > 5:
                named += f" +{len(row['gene_therapies']) - 5}"
            unknown.add_row(row["input"], row["reason"], named)
        console.print(unknown)
    sources = "; ".join(f"{s['name']} {s['version']} ({s['license']})" for s in answer["build"]["sources"])
    console.print(f"build {answer['build']['id']}: {sources}", highlight=False, style="dim", soft_wrap=True)
    for warning in answer["warnings"]:
        console.print(Text.assemble(("warning:", "yellow"), " ", warning), highlight=False)


def _cautions_table(cautions: list[dict[str, Any]]) -> Any:
    """The PGx cautions as people read them: drugs on the therapy list marked."""
    from rich.table import Table

    table = Table("drug", "on list", "action", "genotype", "source", "recommendation / evidence",
                  title="PGx cautions (whether or not the drug matched)", show_lines=True)  # fmt: skip
    for row in cautions:
        on_list = ("yes: " + ", ".join(row["therapies"])) if row["on_therapy_list"] else "no"
        action = row["action"] + (f" ({row['strength']})" if row["strength"] else "")
        population = f" ({row['population']})" if row["population"] and row["population"] != "general" else ""
        source = f"{row['source']} {row['id']}"
        genotype = row["genotype"] if row["gene"] in row["genotype"] else f"{row['gene']} {row['genotype']}"
        text = row["text"].split(" Other Considerations", 1)[0]
        table.add_row(*(literal(c) for c in (row["drug"] + population, on_list, action, genotype, source, text)))
    return table
