"""The annotate service: a cohort's files → every row, each sample as a whole patient
(:class:`queries.models.AnnotateAnswer`).

Reading is :mod:`queries.inputs`, annotating :class:`queries.annotate.CohortAnnotator`.  :func:`open_cohort`
opens the files once and hands out the annotator, for a caller that writes rows as they come (the CLI, any
size of cohort); :func:`annotate` collects the whole answer in memory (the HTTP API, uploads of bounded size).
Never logs a row: rows hold patient data.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.stores.port import Store
from queries.annotate import CohortAnnotator, ProgressCallback, VariantRow
from queries.inputs import ClinicalTable, PatientFile, open_patient_file, read_clinical
from queries.models.questions import AnnotateQuery

if TYPE_CHECKING:
    from queries.models import AnnotateAnswer


@dataclass(frozen=True)
class CohortFiles:
    """The files of one cohort: ``variants`` (VCF, MAF or a gene/alteration table) and the optional others."""

    variants: Path
    cna: Path | None = None
    fusions: Path | None = None
    germline: Path | None = None
    clinical: Path | None = None

    def given(self) -> list[Path]:
        return [p for p in (self.variants, self.cna, self.fusions, self.germline, self.clinical) if p is not None]


@dataclass
class Cohort:
    """The opened files of a cohort and its clinical table; :meth:`annotator` annotates them."""

    query: AnnotateQuery
    files: list[PatientFile]
    clinical: ClinicalTable | None
    problems: list[str] = field(default_factory=list)  # the clinical table's unusable lines

    def annotator(self, store: Store, progress: ProgressCallback | None = None) -> CohortAnnotator:
        return CohortAnnotator(store, clinical=self.clinical, disease=self.query.disease, progress=progress)


@contextmanager
def open_cohort(query: AnnotateQuery, files: CohortFiles) -> Iterator[Cohort]:
    """Open every file of the cohort once (each in the layout its header shows); closed on leaving."""
    if files.clinical is not None and query.disease is not None:
        raise InputError("give a clinical table or one disease for every sample, not both")
    thresholds = (("min_spanning_fragments", query.min_spanning_fragments),
                  ("min_junction_reads", query.min_junction_reads))  # fmt: skip
    fusion_thresholds = {name: value for name, value in thresholds if value is not None}
    with ExitStack() as stack:
        opened: list[PatientFile] = []

        def add(path: Path, role: str, **options: object) -> None:
            reader = open_patient_file(path, role=role, assembly=query.assembly, **options)  # type: ignore[arg-type]
            stack.callback(reader.text.close)
            opened.append(reader)

        add(files.variants, "variants")
        if files.cna is not None:
            add(files.cna, "cna")
        if files.germline is not None:
            add(files.germline, "variants", germline=True)
        if files.fusions is not None:
            add(files.fusions, "fusions", **fusion_thresholds)
        clinical = read_clinical(files.clinical) if files.clinical is not None else None
        problems = [str(p) for p in clinical.problems] if clinical is not None else []
        yield Cohort(query, opened, clinical, problems)


def annotate(store: Store, query: AnnotateQuery, files: CohortFiles) -> AnnotateAnswer:
    """The whole cohort's answer, in memory: each distinct result once, rows naming it."""
    # The answer's pydantic models are imported here, not with the module: pmkg annotate writes rows as they
    # come (open_cohort) and needs no pydantic for TSV (issue 8: its whole process < 0.5 s).
    from queries.models import (
        AnnotateAnswer,
        AnnotatedRow,
        AnnotateResult,
        BuildStamp,
        FileReport,
        SampleSummary,
        SourceStamp,
    )

    with open_cohort(query, files) as cohort:
        annotator = cohort.annotator(store)
        rows: list[AnnotatedRow] = []
        results: dict[str, AnnotateResult] = {}
        keys = ResultKeys()
        for row in annotator.rows(cohort.files):
            key, new = keys.key(row)
            if new:
                results[key] = AnnotateResult.model_validate(row.result_json())
            rows.append(AnnotatedRow(sample=row.sample, input=row.input, origin=row.origin, result=key))
        summaries = [SampleSummary.model_validate(s.as_json()) for s in annotator.summaries()]
        build = annotator.build
        return AnnotateAnswer(
            build=BuildStamp(id=build.build_id, sources=[SourceStamp(name=s.name, version=s.version,
                                                                     license=s.license) for s in build.sources]),
            variants=rows,
            results=results,
            samples=summaries,
            files=[FileReport.model_validate(r.as_dict()) for r in annotator.reports],
        )  # fmt: skip


class ResultKeys:
    """The key of each distinct result (one alteration ranked in one disease): ``r1``, ``r2`` …, however many rows
    share it.  ``remembered`` bounds how many results are recognised as repeats (a streaming writer's memory);
    one seen longer ago gets a new key.  Holding each outcome keeps its ``id()`` from being reused."""

    def __init__(self, remembered: int | None = None) -> None:
        self.remembered = remembered
        self.issued = 0
        self._known: OrderedDict[int, tuple[object, str]] = OrderedDict()

    def key(self, row: VariantRow) -> tuple[str, bool]:
        """The row's result key, and whether the key is new (its result is still to be written)."""
        found = self._known.get(id(row.outcome))
        if found is not None:
            self._known.move_to_end(id(row.outcome))
            return found[1], False
        self.issued += 1
        key = f"r{self.issued}"
        self._known[id(row.outcome)] = (row.outcome, key)
        if self.remembered is not None and len(self._known) > self.remembered:
            self._known.popitem(last=False)
        return key, True
