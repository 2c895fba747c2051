"""The answer of ``pmkg pgx`` (and ``POST /v1/pgx``): phenotypes and CPIC recommendations for one patient.

Must never import click, rich or fastapi.
"""

from __future__ import annotations

from pydantic import Field

from queries.models.base import Answer
from queries.models.enums import PgxAction, PgxStatus


class PgxGene(Answer):
    """One gene's diplotype (or phenotype) for the patient."""

    given_only = frozenset({"sample", "source"})

    gene: str = Field(description="The gene symbol (HGNC).")
    diplotype: str | None = Field(description="The diplotype, as PharmCAT names it; null for a phenotype given.")
    phenotype: str | None = Field(description="The phenotype CPIC assigns; null when none is known.")
    activity_score: float | None = Field(description="The activity score, for genes CPIC scores.")
    status: PgxStatus = Field(description="What became of the gene.")
    sample: str | None = Field(default=None, description="The VCF sample (VCF input only).")
    source: str | None = Field(default=None, description="'outside call' for calls made elsewhere.")


class PgxRecommendation(Answer):
    """One CPIC recommendation for one drug, as it applies to the patient's genotype."""

    drug: str = Field(description="The drug.")
    gene: str = Field(description="The gene, or genes joined by ' + ' for a multi-gene guideline.")
    phenotype: str = Field(description="The patient's phenotype (per gene, 'GENE: phenotype; …', when several).")
    action: PgxAction = Field(description="What the recommendation asks.")
    strength: str | None = Field(description="CPIC's strength (strong, moderate, optional).")
    text: str = Field(description="CPIC's recommendation text.")
    source: str = Field(description="Where the recommendation comes from (CPIC).")
    population: str | None = Field(description="The population the recommendation is for.")
    lookup: dict[str, str] = Field(description="CPIC's lookup key per gene that selected the recommendation.")
    missing_genes: list[str] = Field(
        description="Genes of a multi-gene guideline that were not given (read as CPIC's 'No Result')."
    )
    recommendation_id: str = Field(description="The recommendation's id.")
    guideline: str | None = Field(description="The CPIC guideline's name.")
    guideline_url: str | None = Field(description="The CPIC guideline's URL.")
    source_version: str | None = Field(description="The release of the guideline data.")


class Locus(Answer):
    """A position that defines alleles of a gene (GRCh38)."""

    chromosome: str = Field(description="The chromosome (chr10 …).")
    position: int = Field(description="The GRCh38 position.")
    rsid: str | None = Field(description="The dbSNP id, if the definition gives one.")


class PgxInput(Answer):
    """How one input item (a diplotype text, a drug name, a file line, one gene of a VCF sample) was understood."""

    given_only = frozenset(
        {"gene", "reason", "suggestions", "note", "line", "field", "source", "diplotypes", "score", "phasing",
         "phasing_note", "missing_positions", "call_depends_on_missing_positions", "notes", "phenotypes",
         "known_alleles"}
    )  # fmt: skip

    input: str = Field(description="The item as given (a file line as PATH:LINE).")
    status: PgxStatus = Field(description="What became of the item.")
    gene: str | None = Field(default=None, description="The gene it was read as.")
    reason: str | None = Field(default=None, description="Why it was not (fully) used.")
    suggestions: list[str] | None = Field(default=None, description="What the item might have meant.")
    note: str | None = Field(default=None, description="How the gene was read (an alias or previous symbol).")
    line: int | None = Field(default=None, description="The file line that could not be read.")
    field: str | None = Field(default=None, description="The field of that line that could not be read.")
    source: str | None = Field(default=None, description="'vcf' for a gene called from a VCF.")
    diplotypes: list[str] | None = Field(default=None, description="VCF: the diplotypes called (several when tied).")
    score: int | None = Field(
        default=None, description="VCF: the call's score (how many defining positions it explains)."
    )
    phasing: str | None = Field(default=None, description="VCF: whether the genotypes were phased.")
    phasing_note: str | None = Field(default=None, description="VCF: what unphased genotypes mean for the call.")
    missing_positions: list[Locus] | None = Field(
        default=None, description="VCF: defining positions absent from the file."
    )
    call_depends_on_missing_positions: list[Locus] | None = Field(
        default=None, description="VCF: the missing positions that could change the call."
    )
    notes: list[str] | None = Field(default=None, description="What the reader must know about the call.")
    phenotypes: list[str] | None = Field(
        default=None, description="Phenotypes the call gives, or CPIC's names for the gene."
    )
    known_alleles: list[str] | None = Field(default=None, description="The gene's alleles, when an allele was not one.")


class PgxBuildStamp(Answer):
    """The build that answered and the releases of the sources PGx reads."""

    build_id: str = Field(description="The build's content-derived id.")
    sources: dict[str, str] = Field(description="Release of each source PGx reads: {pharmcat, genes}.")


class PgxAnswer(Answer):
    """One patient's (or one VCF sample's) genes, phenotypes and CPIC recommendations."""

    given_only = frozenset({"sample", "build"})

    sample: str | None = Field(default=None, description="The VCF sample, when the input was a VCF.")
    genes: list[PgxGene] = Field(description="Each gene's diplotype, phenotype and activity score.")
    recommendations: list[PgxRecommendation] = Field(description="The CPIC recommendations that apply.")
    inputs: list[PgxInput] = Field(description="Every input item and what became of it.")
    warnings: list[str] = Field(description="What the reader must know about this answer.")
    build: PgxBuildStamp | None = Field(default=None, description="The build that answered.")


class PgxSamplesAnswer(Answer):
    """The answer for a VCF with several samples and no sample named: one answer per sample."""

    samples: list[PgxAnswer] = Field(description="One answer per sample, in the VCF's order.")
