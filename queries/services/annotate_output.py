"""Cohort annotation written as it is made: TSV rows (and the sample table) or one streamed JSON object.

Shared by ``pmkg annotate`` and ``POST /v1/annotate`` so that both give the same bytes; it only
writes what :mod:`queries.annotate` computes, and never logs a row (patient data).
"""

from __future__ import annotations

import gc
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from typing import IO

from kg.collector import cyclic_gc_paused
from kg.stores.port import BuildManifest
from queries.annotate import CohortAnnotator, SampleSummary, VariantRow
from queries.inputs import PatientFile, ReadReport
from queries.services.annotate import ResultKeys

YOUNG_EVERY = 100_000  # rows between two young collections while the cyclic collector is paused


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
    rows are written.  The answer's pydantic models are imported when a JsonWriter is used, not with the module:
    TSV needs none, and pydantic is ~70 ms of a ~0.5 s ``pmkg annotate`` process (issue 8).
    """

    REMEMBERED = 50_000  # results recognised as repeats; one seen longer ago is written again

    def __init__(self, out: IO[str], build: BuildManifest) -> None:
        from queries.models import BuildStamp, SourceStamp

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
            from queries.models import AnnotateResult

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
        from queries.models import FileReport
        from queries.models import SampleSummary as SampleSummaryAnswer

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
    """Write every row and the summaries; return the count of rows per status.

    The cyclic garbage collector is paused meanwhile (:mod:`kg.collector`): an annotation makes no reference
    cycles (``tests/regressions/test_annotate_memory.py``), and the collector's full passes over the growing
    memos cost a tenth of a million-row upload's CPU.  A young collection every :data:`YOUNG_EVERY` rows still
    frees any cycle a reader might make, so memory stays flat whatever the input.
    """
    statuses: Counter[str] = Counter()
    with cyclic_gc_paused():
        for count, row in enumerate(annotator.rows(files), start=1):
            statuses[row.status] += 1
            writer.row(row)
            if count % YOUNG_EVERY == 0:
                gc.collect(1)
        writer.finish(annotator.summaries(), annotator.reports, annotator.build)
    return statuses
