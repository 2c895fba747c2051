"""``pmkg annotate``: a cohort's patient files → per-variant rows and a per-sample summary.

    pmkg annotate FILE [--cna FILE] [--fusions FILE] [--clinical FILE | --disease TEXT]
                  [--out PATH] [--format tsv|json] [--assembly GRCh37|GRCh38] [--store embedded|neo4j]

Registered in :mod:`queries.cli.main`.  Rows are written as they are made
(constant memory); a rich progress bar goes to stderr when it is a terminal and the input is
large.  What was read (layout, assembly and how it was decided, rows skipped and why) goes to
stderr, never the patient's variants.  A file that cannot be read as what it was given as
fails with one line and exit status 2; a bad line is an ``unreadable`` row.

Output (TSV): the variant table (``VariantRow.COLUMNS``), a blank line, then the sample table
(``SampleSummary.COLUMNS``); with ``--out results.tsv`` the sample table goes to
``results.samples.tsv``.  Lists are joined with ``; ``.  JSON: one object
``{"build": {id, sources}, "variants": [{sample, input, origin, result}], "results": {id: result},
"samples": [summaries], "files": [read reports]}``, each result written once
(:class:`~queries.services.annotate_output.JsonWriter`).

Inputs may be ``-`` (stdin) or pipes, each opened once.  Outputs go through
:class:`queries.outputs.OutputFiles`: never onto an input, whole or not at all.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import click

from kg.errors import InputError, KGError
from queries.cli.help import ShapedCommand
from queries.cli.support import STORES, build_option, open_store, require_text
from queries.cli.support import fail_cleanly as _fail_cleanly
from queries.inputs import ReadReport
from queries.inputs.fusions import MIN_JUNCTION_READS, MIN_SPANNING_FRAGMENTS
from queries.models.questions import AnnotateQuery
from queries.outputs import OutputFiles, refuse_input_as_output
from queries.services.annotate import CohortFiles, open_cohort
from queries.services.annotate_output import JsonWriter, TsvWriter, run_annotation

PROGRESS_FROM_BYTES = 2_000_000
# A file, a pipe (<(zcat x.vcf.gz), /dev/stdin) or "-" for stdin: each is opened once.
INPUT = click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path)
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


@click.command(
    "annotate",
    cls=ShapedCommand,
    answer="AnnotateAnswer",
    what="one object (written as rows are made)",
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.argument("file", type=INPUT)
@click.option("--cna", "cna_file", type=INPUT, help="Copy-number calls: GISTIC matrix or one event per row.")
@click.option("--fusions", "fusion_file", type=INPUT,
              help="Fusions or structural variants (oncokb-annotator, STAR-Fusion).")  # fmt: skip
@click.option("--germline", "germline_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A germline MAF or VCF: its rows drive therapy matching only when a source calls "
              "them pathogenic.")  # fmt: skip
@click.option("--min-spanning-fragments", type=click.IntRange(min=0), default=MIN_SPANNING_FRAGMENTS,
              show_default=True, help="STAR-Fusion calls with fewer spanning fragments are reported, not matched "
              "(MOAlmanac's threshold).")  # fmt: skip
@click.option("--min-junction-reads", type=click.IntRange(min=0), default=MIN_JUNCTION_READS, show_default=True,
              help="STAR-Fusion calls with fewer junction reads are reported, not matched.")  # fmt: skip
@click.option("--clinical", "clinical_file", type=INPUT,
              help="Sample → tumour type (SAMPLE_ID and ONCOTREE_CODE columns).")  # fmt: skip
@click.option("--disease", default=None, help="Every sample's disease (name, synonym, DOID, OncoTree code…).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout (TSV: the sample table goes to <name>.samples.tsv).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["tsv", "json"]), default="tsv")
@click.option("--assembly", type=click.Choice(["GRCh37", "GRCh38", "hg19", "hg38"], case_sensitive=False),
              default=None, help="Genome assembly of positions, when the files do not say.")  # fmt: skip
@click.option("--store", type=STORES, default=None, help="Which store answers (default: PMKG_STORE or embedded).")
@build_option
@_fail_cleanly
def annotate(
    file: Path,
    cna_file: Path | None,
    fusion_file: Path | None,
    germline_file: Path | None,
    min_spanning_fragments: int,
    min_junction_reads: int,
    clinical_file: Path | None,
    disease: str | None,
    out: Path | None,
    fmt: str,
    assembly: str | None,
    store: str | None,
    build: str | None,
) -> None:
    """Annotate a cohort: every alteration of FILE (and --cna, --fusions) per sample, then each sample.

    FILE may be "-" (stdin) or a pipe, e.g. <(zcat cohort.vcf.gz).  With --out, the results appear
    whole when the run succeeds; a failed run leaves no partial file.
    """
    if clinical_file is not None and disease is not None:
        raise click.UsageError("give --clinical or --disease, not both")
    disease = require_text(disease, "--disease")
    inputs = [file, cna_file, fusion_file, clinical_file]
    if sum(1 for p in inputs if p is not None and str(p) == "-") > 1:
        raise InputError("only one input can be stdin (-)")
    if out is not None:
        refuse_input_as_output(out, [p for p in inputs if p is not None and str(p) != "-"])
    started = time.perf_counter()
    query = AnnotateQuery(disease=disease, assembly=assembly, min_spanning_fragments=min_spanning_fragments,
                          min_junction_reads=min_junction_reads)  # fmt: skip
    cohort_files = CohortFiles(file, cna_file, fusion_file, germline_file, clinical_file)
    with ExitStack() as stack:
        cohort = stack.enter_context(open_cohort(query, cohort_files))
        for problem in cohort.problems:
            click.echo(f"clinical table: {problem}", err=True)
        target = open_store(store, build)
        stack.callback(target.close)
        outputs = stack.enter_context(OutputFiles(inputs=[p for p in inputs if p is not None and str(p) != "-"]))
        progress = stack.enter_context(_progress(sum(f.size for f in cohort.files)))
        annotator = cohort.annotator(target, progress)
        handle: IO[str] = sys.stdout if out is None else outputs.open(out)
        # A device or pipe (--out /dev/stdout) gets both tables, as stdout does: no file is made beside it.
        separate = out is not None and fmt == "tsv" and not (out.exists() and not out.is_file())
        samples_handle = outputs.open(_samples_path(out)) if out is not None and separate else None
        writer: TsvWriter | JsonWriter = (
            TsvWriter(handle, samples_handle) if fmt == "tsv" else JsonWriter(handle, annotator.build)
        )
        try:
            statuses = run_annotation(annotator, cohort.files, writer)
        except KGError as exc:
            read = sum(f.report.rows for f in cohort.files)
            exc.add_note(f"{read:,} rows were read before the failure")
            raise
        samples = len(annotator.samples)
    where = ""
    if out is not None:
        where = f"; wrote {out}" + (f" and {_samples_path(out)}" if separate else "")
    _say(annotator.reports, statuses, samples, time.perf_counter() - started, where)
