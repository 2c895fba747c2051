"""The answer of ``pmkg annotate --format json`` (and ``POST /v1/annotate``): a cohort, row by row and sample by
sample.

The CLI writes this object as it goes (rows are never all in memory); each part is one of these models.
Must never import click, rich or fastapi.
"""

from __future__ import annotations

from pydantic import Field

from queries.models.base import Answer
from queries.models.common import BuildStamp
from queries.models.enums import InputStatus, Tier

_THERAPY_TEXT = "'therapy (tier N, variant match, disease match[, standing])'"


class AnnotateResult(Answer):
    """What one distinct alteration matched in one disease: shared by every row that repeats it."""

    status: InputStatus = Field(description="What became of the row.")
    variant: str | None = Field(description="The variant's name; null when the row was not understood.")
    disease: str | None = Field(description="The sample's disease as 'name (id)'; null when it has none.")
    sensitive_tier: Tier | None = Field(description="The best tier of sensitivity in the sample's disease.")
    resistance_tier: Tier | None = Field(description="The best tier of resistance in the sample's disease.")
    therapies: list[str] = Field(description=f"Sensitivity in the sample's disease, best first: {_THERAPY_TEXT}.")
    resistance: list[str] = Field(description="Resistance in the sample's disease, best first.")
    other_disease: list[str] = Field(description="Therapies whose evidence is about other tumour types (no tier).")
    gene_level: list[str] = Field(description="Therapies reached only through other alterations of a gene (no tier).")
    unknown_significance: list[str] = Field(
        description="A variant of unknown significance: its gene's therapies, as context (no tier)."
    )
    evidence: list[str] = Field(description="The evidence ids behind the row.")
    message: str = Field(description="How the row was read, or why it was not.")


class AnnotatedRow(Answer):
    """One alteration of one sample; its result is written once in ``results``."""

    sample: str = Field(description="The sample (tumour barcode).")
    input: str = Field(description="The alteration as the file gave it.")
    origin: str = Field(description="Where the row came from (file and line).")
    result: str = Field(description="The key of its result in ``results``.")


class SampleSummary(Answer):
    """One sample as a whole patient: its alterations' evidence ranked together."""

    sample: str = Field(description="The sample.")
    disease_input: str | None = Field(description="The sample's disease as the clinical table or --disease gave it.")
    disease: str | None = Field(description="The resolved disease as 'name (id)'.")
    alterations: int = Field(description="Rows of this sample.")
    recognized: int = Field(description="Rows understood.")
    sensitive_tier: Tier | None = Field(description="The best sensitivity tier in the sample's disease.")
    resistance_tier: Tier | None = Field(description="The best resistance tier in the sample's disease.")
    therapies: list[str] = Field(description=f"Sensitivity in the sample's disease, best first: {_THERAPY_TEXT}.")
    resistance: list[str] = Field(description="Resistance in the sample's disease.")
    other_disease: list[str] = Field(description="Therapies whose best evidence is about other tumour types.")
    gene_level: list[str] = Field(description="Therapies reached only through other alterations of a gene.")
    evidence: list[str] = Field(description="The evidence ids behind the summary.")
    message: str = Field(description="What the reader must know about the sample (no disease, a profile …).")


class FileReport(Answer):
    """What a reader made of one input file."""

    path: str = Field(description="The file as given.")
    layout: str = Field(description="The layout it was read as (MAF, VCF, GISTIC …).")
    assembly: str | None = Field(description="The assembly of its positions, if it has any.")
    assembly_source: str = Field(description="How the assembly was decided.")
    rows: int = Field(description="Data lines read.")
    alterations: int = Field(description="Alterations read from them.")
    problems: int = Field(description="Lines (or fields) that could not be read.")
    skipped: dict[str, int] = Field(description="Reason → count of items left out on purpose.")
    samples: int = Field(description="Samples seen.")
    notes: list[str] = Field(description="What the reader must know about the file.")


class AnnotateAnswer(Answer):
    """A cohort: every row, each distinct result once, every sample, and what was read."""

    build: BuildStamp = Field(description="The build that answered.")
    variants: list[AnnotatedRow] = Field(description="Every row of every file, in file order.")
    results: dict[str, AnnotateResult] = Field(description="Each distinct result, by the key rows name.")
    samples: list[SampleSummary] = Field(description="Each sample as a whole patient.")
    files: list[FileReport] = Field(description="What was read from each file.")
