"""Readers of patient files: VCF, MAF, copy number, fusions, clinical tables.

Each reader streams :class:`~queries.patient.Alteration` records, each with ``sample`` and
``origin`` (``"path:line"``) set, and :class:`LineProblem` items for lines it could not read;
its :class:`ReadReport` counts what was read and what was skipped and why.  A file whose
header is wrong fails at once with :class:`~kg.errors.SourceFileError`.  Readers never touch
the graph: normalisation and matching happen downstream (:mod:`queries.annotate`).

``open_patient_file(path, role=…)`` recognises the layout from the file's first lines:

==============  ===========================================================================
role            layouts accepted
==============  ===========================================================================
``variants``    VCF (:mod:`.vcf`), MAF (:mod:`.maf`), gene/alteration tables, and any of the below
``cna``         GISTIC matrix or one-event-per-row copy number (:mod:`.cna`)
``fusions``     oncokb-annotator fusions, STAR-Fusion, structural variants, CivicAnnotator (:mod:`.fusions`)
==============  ===========================================================================

Clinical tables (sample → tumour type) are read by :func:`read_clinical`.

>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "cna.txt").write_text("Hugo_Symbol\\tS1\\tS2\\nERBB2\\t2\\t-1\\n")
>>> reader = open_patient_file(folder / "cna.txt", role="cna")
>>> [(a.sample, a.text, a.origin.endswith("cna.txt:2")) for a in reader]
[('S1', 'ERBB2 amplification', True)]
>>> dict(reader.report.skipped)
{'shallow loss (-1) not assessed': 1}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import SourceFileError
from queries.inputs import cna, fusions, maf
from queries.inputs.base import Item, PatientFile
from queries.inputs.clinical import ClinicalTable, read_clinical
from queries.inputs.cna import CnaEvents, CnaMatrix
from queries.inputs.fusions import FusionFile
from queries.inputs.maf import AlterationTable, MafFile
from queries.inputs.tabular import (
    Columns,
    LineProblem,
    PatientText,
    ReadReport,
    normalize_assembly,
    read_header,
)
from queries.inputs.vcf import VcfFile

__all__ = [
    "AlterationTable",
    "ClinicalTable",
    "CnaEvents",
    "CnaMatrix",
    "FusionFile",
    "Item",
    "LineProblem",
    "MafFile",
    "PatientFile",
    "PatientText",
    "ReadReport",
    "VcfFile",
    "normalize_assembly",
    "open_patient_file",
    "read_clinical",
]

ROLES = ("variants", "cna", "fusions")
_ALL_COLUMNS = (
    *maf.KNOWN, *maf.ALTERATION, *maf.CATEGORY, *cna.GENE, *cna.EVENT, *cna.SAMPLE,
    *fusions.FUSION, *fusions.FIVE, *fusions.THREE, *fusions.SV_TYPE, *fusions.JUNCTION,
)  # fmt: skip


def _sniff(text: PatientText) -> tuple[str, Columns | None]:
    """``("vcf", None)`` or ``("table", header columns)`` from a file's first lines (kept for the reader)."""
    for _, line in text.lines(keep=True):
        if not line.strip():
            continue
        if line.startswith("##fileformat=VCF") or line.startswith("#CHROM"):
            return "vcf", None
        break
    else:
        problem = "holds no text: every line is unreadable" if text.bad_lines else "is empty"
        raise SourceFileError(text.name, text.bad_lines[0].line if text.bad_lines else None, problem)
    columns, _, _ = read_header(text.lines(keep=True), text.name, _ALL_COLUMNS)
    return "table", columns


def _fusion_columns(columns: Columns) -> bool:
    return columns.find(*fusions.FUSION) is not None or (
        columns.find(*fusions.FIVE) is not None and columns.find(*fusions.THREE) is not None
    )


def open_patient_file(
    path: Path | str,
    *,
    role: str = "variants",
    assembly: str | None = None,
    default_sample: str | None = None,
    include_shallow: bool = False,
    germline: bool = False,
    min_spanning_fragments: int | None = None,
    min_junction_reads: int | None = None,
) -> PatientFile:
    """A reader for ``path`` in the layout its header shows; SourceFileError if no reader of ``role`` fits.

    The header is checked before this returns, so a wrong file fails before anything is read.
    ``germline`` marks every row of a variants file as a germline call (a germline MAF or VCF);
    ``min_spanning_fragments``/``min_junction_reads`` set the STAR-Fusion support threshold
    (defaults :data:`queries.inputs.fusions.MIN_SPANNING_FRAGMENTS` and ``MIN_JUNCTION_READS``).
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    path = Path(path)
    text = PatientText(path)
    try:
        reader = _reader(text, role, assembly, default_sample, include_shallow)
        reader.germline = germline
        if isinstance(reader, FusionFile):
            if min_spanning_fragments is not None:
                reader.min_spanning_fragments = min_spanning_fragments
            if min_junction_reads is not None:
                reader.min_junction_reads = min_junction_reads
        reader.check()
    except BaseException:
        text.close()
        raise
    return reader


def _reader(
    text: PatientText, role: str, assembly: str | None, default_sample: str | None, include_shallow: bool
) -> PatientFile:
    path = text.path
    kind, columns = _sniff(text)
    options: dict[str, Any] = {"assembly": assembly, "default_sample": default_sample, "text": text}
    reader: PatientFile | None = None
    if kind == "vcf":
        reader = VcfFile(path, **options) if role == "variants" else None
    elif columns is not None:
        reader = _table_reader(path, columns, role, options, include_shallow)
    if reader is None:
        expected = {
            "variants": "a VCF, a MAF, or a gene/alteration table",
            "cna": "a copy-number file (a GISTIC gene × sample matrix, or Hugo_Symbol with "
            "Copy_Number_Alteration/call per row)",
            "fusions": "a fusion file (Fusion, #FusionName, GeneA/GeneB or Gene_1/Gene_2 columns)",
        }[role]
        found = "a VCF" if kind == "vcf" else f"columns {', '.join((columns.names if columns else [])[:8])}"
        raise SourceFileError(text.name, None, f"is not {expected}; found {found}")
    return reader


def _table_reader(
    path: Path, columns: Columns, role: str, options: dict[str, Any], include_shallow: bool
) -> PatientFile | None:
    has_gene = columns.find(*cna.GENE) is not None
    events = columns.find(*cna.EVENT[:2]) is not None  # Copy_Number_Alteration or call: copy number only
    matrix = has_gene and _matrix_columns(columns)
    if role == "cna":
        if has_gene and columns.find(*cna.EVENT) is not None:
            return CnaEvents(path, include_shallow=include_shallow, **options)
        return CnaMatrix(path, include_shallow=include_shallow, **options) if matrix else None
    if role == "fusions":
        return FusionFile(path, **options) if _fusion_columns(columns) else None
    if columns.find(*maf.CATEGORY) is not None:
        return AlterationTable(path, **options)
    if maf._MafColumns(columns).missing() is None:
        return MafFile(path, **options)
    if _fusion_columns(columns):
        return FusionFile(path, **options)
    if events and has_gene:
        return CnaEvents(path, include_shallow=include_shallow, **options)
    if columns.find(*maf.ALTERATION) is not None and columns.find(*maf.GENE) is not None:
        return AlterationTable(path, **options)
    if matrix:
        return CnaMatrix(path, include_shallow=include_shallow, **options)
    return None


def _matrix_columns(columns: Columns) -> bool:
    """Whether the columns after the gene could all be samples (none is a column name a reader knows)."""
    known = {name.lower() for name in _ALL_COLUMNS} | cna.ANNOTATION
    others = [name.strip().lstrip("#").lower() for name in columns.names]
    gene = columns.find(*cna.GENE)
    samples = [name for i, name in enumerate(others) if i != gene and name and name not in cna.ANNOTATION]
    return bool(samples) and not known.intersection(samples)
