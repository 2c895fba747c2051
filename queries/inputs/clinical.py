"""Clinical tables: which tumour type each sample has.

Reads any tab-separated table with a sample column (``SAMPLE_ID``, ``Tumor_Sample_Barcode``,
``Sample_Id``, ``Subject_Id``) and a tumour-type column, the first of ``ONCOTREE_CODE``,
``CANCER_TYPE_DETAILED``, ``CANCER_TYPE``, ``Civic_Disease``, ``TUMOR_TYPE``, ``Disease``,
``Diagnosis``: oncokb-annotator's ``example_clinical.txt``, cBioPortal's
``data_clinical_sample.txt`` (its ``#`` description rows are skipped), or a CivicAnnotator
input whose rows repeat the sample's ``Civic_Disease``.  The tumour type is kept as written
(an OncoTree code, a name, or CivicAnnotator's ``|``-separated list); resolving it is the
annotator's job.

A sample's barcode in a variant file is looked up exactly, then by the longest clinical
sample id it starts with, followed by a separator or a vial letter
(``TCGA-A6-2672-01A-01W-0833-10`` finds ``TCGA-A6-2672-01``), the way a TCGA aliquot barcode
extends its sample's.  A sample given two different tumour types
keeps the first and the second is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import SourceFileError
from queries.inputs.tabular import (
    LineProblem,
    PatientText,
    ReadReport,
    clean,
    read_header,
    split_row,
    too_many_fields,
)

SAMPLE = ("SAMPLE_ID", "Tumor_Sample_Barcode", "Sample_Id", "Subject_Id", "Sample")
DISEASE = (
    "ONCOTREE_CODE", "CANCER_TYPE_DETAILED", "CANCER_TYPE", "Civic_Disease", "TUMOR_TYPE", "Disease", "Diagnosis",
)  # fmt: skip


@dataclass
class ClinicalTable:
    """Sample → tumour type as written, with the column it came from and any problems."""

    path: str
    column: str
    diseases: dict[str, str] = field(default_factory=dict)
    problems: list[LineProblem] = field(default_factory=list)
    report: ReadReport | None = None

    def disease_for(self, sample: str) -> str | None:
        """The tumour type of ``sample``: exact id first, then the longest id the barcode extends."""
        found = self.diseases.get(sample)
        if found is not None:
            return found
        best = ""
        for known in self.diseases:
            if len(known) > len(best) and sample.startswith(known) and _extends(sample[len(known)], known[-1]):
                best = known
        return self.diseases[best] if best else None


def _extends(next_character: str, last: str) -> bool:
    """Whether a barcode continues past a sample id: a separator, or a vial letter after TCGA's ``-01``."""
    return next_character in "-_." or (last.isdigit() and next_character.isalpha())


def read_clinical(path: Path | str) -> ClinicalTable:
    """Read a clinical table; a header without a sample or tumour-type column fails with SourceFileError."""
    text = PatientText(path)
    name = text.name
    report = ReadReport(name, layout="clinical table")
    try:
        table = _read(text, name, report)
    finally:
        text.close()
    table.problems.extend(LineProblem(name, e.line, e.problem) for e in text.bad_lines)
    report.problems = len(table.problems)
    return table


def _read(text: PatientText, name: str, report: ReadReport) -> ClinicalTable:
    # Problems name the line and the column, never the sample id or the tumour type: patient data.
    lines = text.lines()
    columns, _, number = read_header(lines, name, (*SAMPLE, *DISEASE))
    sample_index, disease_index = columns.find(*SAMPLE), columns.find(*DISEASE)
    if sample_index is None or disease_index is None:
        raise SourceFileError(
            name,
            number,
            f"a clinical table needs a sample column ({', '.join(SAMPLE[:4])}) and a tumour-type "
            f"column ({', '.join(DISEASE[:4])} …); found {', '.join(columns.names[:8])}",
        )
    table = ClinicalTable(name, columns.name(disease_index), report=report)
    first_line: dict[str, int] = {}
    for number, line in lines:
        if not line.strip() or line[0] == "#":
            continue
        report.rows += 1
        fields = split_row(line, len(columns))
        if fields is None:
            table.problems.append(too_many_fields(name, number, line, len(columns)))
            continue
        sample, disease = fields[sample_index].strip(), clean(fields[disease_index])
        if not sample:
            table.problems.append(LineProblem(name, number, "has no sample", columns.name(sample_index)))
            continue
        if disease is None:
            table.problems.append(LineProblem(name, number, "has no tumour type", table.column, sample))
            continue
        known = table.diseases.setdefault(sample, disease)
        first_line.setdefault(sample, number)
        if known != disease:
            table.problems.append(
                LineProblem(
                    name, number, f"gives its sample a second tumour type; the one on line {first_line[sample]} "
                    "is kept", table.column, sample,
                )
            )  # fmt: skip
        report.samples[sample] = None
    return table
