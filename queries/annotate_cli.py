"""``pmkg annotate``: a cohort's patient files → per-variant rows and a per-sample summary.

    pmkg annotate FILE [--cna FILE] [--fusions FILE] [--clinical FILE | --disease TEXT]
                  [--out PATH] [--format tsv|json] [--assembly GRCh37|GRCh38] [--store embedded|neo4j]

Registered in :mod:`queries.cli`.  Rows are written as they are made
(constant memory); a rich progress bar goes to stderr when it is a terminal and the input is
large.  What was read (layout, assembly and how it was decided, rows skipped and why) goes to
stderr, never the patient's variants.  A file that cannot be read as what it was given as
fails with one line and exit status 2; a bad line is an ``unreadable`` row.

Output (TSV): the variant table (``VariantRow.COLUMNS``), a blank line, then the sample table
(``SampleSummary.COLUMNS``); with ``--out results.tsv`` the sample table goes to
``results.samples.tsv``.  Lists are joined with ``; ``.  JSON: one object
``{"build": {id, sources}, "files": [read reports], "variants": [rows], "samples": [summaries]}``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import click

from kg.store import BuildManifest
from queries.annotate import CohortAnnotator, SampleSummary, VariantRow
from queries.cli_support import STORES, open_store
from queries.cli_support import fail_cleanly as _fail_cleanly
from queries.inputs import PatientFile, ReadReport, open_patient_file, read_clinical

PROGRESS_FROM_BYTES = 2_000_000
EPILOG = """\b
Examples:
  pmkg annotate cohort.maf --clinical clinical.txt --out results.tsv
  pmkg annotate tumour.vcf.gz --assembly GRCh38 --disease "lung adenocarcinoma" --format json
  pmkg annotate mutations.maf --cna cna.txt --fusions fusions.txt --clinical clinical.txt

\b
FILE: VCF (single/multi-sample, .gz), MAF (TCGA, GDC, oncokb-annotator, MOAlmanac) or a
gene/alteration table.  --cna: a GISTIC gene x sample matrix or one event per row.
--fusions: oncokb-annotator, STAR-Fusion, structural variants.  --clinical: SAMPLE_ID with
ONCOTREE_CODE (or CANCER_TYPE, Civic_Disease...).  Row status: normalized, unrecognized,
ambiguous, skipped (changes no protein) or unreadable (the line could not be read).
"""


class TsvWriter:
    """Variant rows as they come; the sample table at the end (after a blank line, or in its own file)."""

    def __init__(self, out: IO[str], samples_out: IO[str] | None = None) -> None:
        self.out = out
        self.samples_out = samples_out
        out.write("\t".join(VariantRow.COLUMNS) + "\n")

    def row(self, row: VariantRow) -> None:
        self.out.write(row.tsv() + "\n")

    def finish(self, summaries: Iterable[SampleSummary], reports: list[ReadReport], build: BuildManifest) -> None:
        target = self.samples_out
        if target is None:
            target = self.out
            target.write("\n")
        target.write("\t".join(SampleSummary.COLUMNS) + "\n")
        for summary in summaries:
            target.write(summary.tsv() + "\n")


class JsonWriter:
    """One JSON object, written as it goes: rows are never all in memory."""

    def __init__(self, out: IO[str], build: BuildManifest) -> None:
        self.out = out
        self.first = True
        sources = [{"name": s.name, "version": s.version, "license": s.license} for s in build.sources]
        out.write('{"build": ' + json.dumps({"id": build.build_id, "sources": sources}) + ', "variants": [')

    def row(self, row: VariantRow) -> None:
        self.out.write(("\n  " if self.first else ",\n  ") + json.dumps(row.as_json()))
        self.first = False

    def finish(self, summaries: Iterable[SampleSummary], reports: list[ReadReport], build: BuildManifest) -> None:
        self.out.write('\n], "samples": [')
        for index, summary in enumerate(summaries):
            self.out.write(("\n  " if index == 0 else ",\n  ") + json.dumps(summary.as_json()))
        self.out.write('\n], "files": ' + json.dumps([r.as_dict() for r in reports]) + "}\n")


def run_annotation(
    annotator: CohortAnnotator, files: list[PatientFile], writer: TsvWriter | JsonWriter
) -> Counter[str]:
    """Write every row and the summaries; return the count of rows per status."""
    statuses: Counter[str] = Counter()
    for row in annotator.rows(files):
        statuses[row.status] += 1
        writer.row(row)
    writer.finish(annotator.summaries(), annotator.reports, annotator.build)
    return statuses


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A rich progress callback on stderr, or None when it would only be noise."""
    if total < PROGRESS_FROM_BYTES or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("annotating"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:  # fmt: skip
        task = bar.add_task("annotate", total=total)
        yield lambda done, _total: bar.update(task, completed=done)


def _samples_path(out: Path) -> Path:
    """Where the TSV sample table goes: ``results.tsv`` → ``results.samples.tsv``."""
    return out.with_name(f"{out.stem}.samples{out.suffix or '.tsv'}")


def _say(reports: list[ReadReport], statuses: Counter[str], samples: int, seconds: float, where: str) -> None:
    for report in reports:
        skipped = ", ".join(f"{n:,} {reason}" for reason, n in report.skipped.most_common())
        assembly = ""
        if report.assembly:
            assembly = f"; assembly {report.assembly} ({report.assembly_source})"
        elif report.rows and not report.assembly_source.startswith("not needed"):
            assembly = f"; assembly {report.assembly_source}"
        click.echo(
            f"{report.path}: {report.layout}, {report.rows:,} rows, {report.alterations:,} alterations, "
            f"{report.problems:,} unreadable{assembly}" + (f"; skipped {skipped}" if skipped else ""),
            err=True,
        )
        for note in report.notes:
            click.echo(f"  note: {note}", err=True)
    counts = ", ".join(f"{n:,} {status}" for status, n in statuses.most_common())
    noun = "sample" if samples == 1 else "samples"
    click.echo(f"annotated {sum(statuses.values()):,} rows of {samples:,} {noun} in {seconds:.1f} s ({counts})"
               f"{where}", err=True)  # fmt: skip


@click.command("annotate", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cna", "cna_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Copy-number calls: GISTIC matrix or one event per row.")  # fmt: skip
@click.option("--fusions", "fusion_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Fusions or structural variants (oncokb-annotator, STAR-Fusion).")  # fmt: skip
@click.option("--clinical", "clinical_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Sample → tumour type (SAMPLE_ID and ONCOTREE_CODE columns).")  # fmt: skip
@click.option("--disease", default=None, help="Every sample's disease (name, synonym, DOID, OncoTree code…).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout (TSV: the sample table goes to <name>.samples.tsv).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["tsv", "json"]), default="tsv")
@click.option("--assembly", type=click.Choice(["GRCh37", "GRCh38", "hg19", "hg38"], case_sensitive=False),
              default=None, help="Genome assembly of positions, when the files do not say.")  # fmt: skip
@click.option("--store", type=STORES, default=None, help="Which store answers (default: PMKG_STORE or embedded).")
@_fail_cleanly
def annotate(
    file: Path,
    cna_file: Path | None,
    fusion_file: Path | None,
    clinical_file: Path | None,
    disease: str | None,
    out: Path | None,
    fmt: str,
    assembly: str | None,
    store: str | None,
) -> None:
    """Annotate a cohort: every alteration of FILE (and --cna, --fusions) per sample, then each sample."""
    if clinical_file is not None and disease is not None:
        raise click.UsageError("give --clinical or --disease, not both")
    started = time.perf_counter()
    files = [open_patient_file(file, role="variants", assembly=assembly)]
    if cna_file is not None:
        files.append(open_patient_file(cna_file, role="cna", assembly=assembly))
    if fusion_file is not None:
        files.append(open_patient_file(fusion_file, role="fusions", assembly=assembly))
    clinical = read_clinical(clinical_file) if clinical_file is not None else None
    if clinical is not None:
        for problem in clinical.problems:
            click.echo(f"clinical table: {problem}", err=True)
    target = open_store(store)
    try:
        with ExitStack() as stack:
            progress = stack.enter_context(_progress(sum(f.path.stat().st_size for f in files)))
            annotator = CohortAnnotator(target, clinical=clinical, disease=disease, progress=progress)
            if out is None:
                handle: IO[str] = sys.stdout
                samples_handle = None
            else:
                out.parent.mkdir(parents=True, exist_ok=True)
                handle = stack.enter_context(out.open("w", encoding="utf-8", newline="\n"))
                samples_handle = None
                if fmt == "tsv":
                    samples_handle = stack.enter_context(_samples_path(out).open("w", encoding="utf-8", newline="\n"))
            writer: TsvWriter | JsonWriter = (
                TsvWriter(handle, samples_handle) if fmt == "tsv" else JsonWriter(handle, annotator.build)
            )
            statuses = run_annotation(annotator, files, writer)
            samples = len(annotator.samples)
    finally:
        target.close()
    where = ""
    if out is not None:
        where = f"; wrote {out}" + (f" and {_samples_path(out)}" if fmt == "tsv" else "")
    _say(annotator.reports, statuses, samples, time.perf_counter() - started, where)
