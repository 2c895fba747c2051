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
"samples": [summaries], "files": [read reports]}``, each result written once (:class:`JsonWriter`).

Inputs may be ``-`` (stdin) or pipes, each opened once.  Outputs go through
:class:`queries.outputs.OutputFiles`: never onto an input, whole or not at all.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import click

from kg.errors import InputError, KGError
from kg.stores.port import BuildManifest
from queries.annotate import CohortAnnotator, SampleSummary, VariantRow
from queries.cli.help import ShapedCommand
from queries.cli.support import STORES, build_option, open_store, require_text
from queries.cli.support import fail_cleanly as _fail_cleanly
from queries.inputs import PatientFile, ReadReport
from queries.inputs.fusions import MIN_JUNCTION_READS, MIN_SPANNING_FRAGMENTS
from queries.models import AnnotateQuery, AnnotateResult, BuildStamp, FileReport, SourceStamp
from queries.models import SampleSummary as SampleSummaryAnswer
from queries.outputs import OutputFiles, refuse_input_as_output
from queries.services.annotate import CohortFiles, ResultKeys, open_cohort

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
    """One JSON object, written as it goes: rows are never all in memory, and each result once.

    A row names its result (``"result": "r3"``); the result (status, variant, tiers, therapies,
    evidence ids …) is written once in ``"results"``, however many rows share it, so a cohort
    that repeats one alteration a million times does not repeat its evidence a million times.
    Results wait in an anonymous temporary file (never visible, gone when the run ends) until the
    rows are written.
    """

    REMEMBERED = 50_000  # results recognised as repeats; one seen longer ago is written again

    def __init__(self, out: IO[str], build: BuildManifest) -> None:
        self.out = out
        self.first = True
        self.results: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in finish
        self.keys = ResultKeys(self.REMEMBERED)
        stamp = BuildStamp(id=build.build_id, sources=[SourceStamp(name=s.name, version=s.version, license=s.license)
                                                        for s in build.sources])  # fmt: skip
        out.write('{"build": ' + json.dumps(stamp.model_dump(mode="json")) + ', "variants": [')

    def _result_id(self, row: VariantRow) -> str:
        result_id, new = self.keys.key(row)
        if new:
            separator = "" if self.keys.issued == 1 else ",\n  "
            result = AnnotateResult.model_validate(row.result_json()).model_dump(mode="json")
            self.results.write(f"{separator}{json.dumps(result_id)}: {json.dumps(result)}")
        return result_id

    def row(self, row: VariantRow) -> None:
        result_id = self._result_id(row)
        head = {"sample": row.sample, "input": row.input, "origin": row.origin, "result": result_id}
        self.out.write(("\n  " if self.first else ",\n  ") + json.dumps(head))
        self.first = False

    def finish(self, summaries: Iterable[SampleSummary], reports: list[ReadReport], build: BuildManifest) -> None:
        self.out.write('\n], "results": {\n  ')
        self.results.seek(0)
        shutil.copyfileobj(self.results, self.out)
        self.results.close()
        self.out.write('\n}, "samples": [')
        for index, summary in enumerate(summaries):
            typed = SampleSummaryAnswer.model_validate(summary.as_json()).model_dump(mode="json")
            self.out.write(("\n  " if index == 0 else ",\n  ") + json.dumps(typed))
        files = [FileReport.model_validate(r.as_dict()).model_dump(mode="json") for r in reports]
        self.out.write('\n], "files": ' + json.dumps(files) + "}\n")


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
    query = AnnotateQuery.of(disease=disease, assembly=assembly, min_spanning_fragments=min_spanning_fragments,
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
