"""The answer of ``pmkg match`` (and ``POST /v1/match``): ranked therapies for one patient.

Must never import click, rich or fastapi.
"""

from __future__ import annotations

from pydantic import Field

from queries.models.base import Answer
from queries.models.common import BuildStamp
from queries.models.enums import (
    AssemblyHow,
    CautionAction,
    DiseaseMatch,
    InputStatus,
    Significance,
    Standing,
    Tier,
    VariantMatch,
)
from queries.models.pgx import PgxRecommendation


class VariantRef(Answer):
    """A variant of the graph (or its canonical id, for a variant no source names)."""

    id: str = Field(description="The variant's id (a CURIE, or a canonical HGVS-like id).")
    name: str = Field(description="The variant's name as people write it.")


class AssemblyUse(Answer):
    """For a genomic position: the assembly it was read on, how that was decided, and where it was lifted."""

    given: str = Field(description="GRCh37 or GRCh38.")
    how: AssemblyHow = Field(description="Whether the assembly was declared (--assembly, a file header) or inferred.")
    lifted_to: str | None = Field(description="The other assembly, when the position was lifted over to it.")
    lifted_position: str | None = Field(description="The position on the other assembly (chromosome:position).")


class VariantInput(Answer):
    """One input as understood: its status, the variant it is, and a message for people."""

    given_only = frozenset({"assembly"})

    input: str = Field(description="The input as given.")
    status: InputStatus = Field(description="What became of the input.")
    variant: VariantRef | None = Field(description="The variant the input is; null when not understood.")
    message: str = Field(description="How the input was read, or why it was not (with suggestions).")
    assembly: AssemblyUse | None = Field(default=None, description="Only for genomic positions: the assembly used.")


class DiseaseInput(Answer):
    """The diagnosis as given and the disease term it resolved to (id and name null when it did not)."""

    input: str = Field(description="The diagnosis as given.")
    id: str | None = Field(description="The disease term's id (DOID, ONCOTREE, MONDO, NCIT …); null if unresolved.")
    name: str | None = Field(description="The disease term's name; null if unresolved.")


class MatchInputs(Answer):
    """Every input of the question, each with what became of it: nothing is dropped silently."""

    variants: list[VariantInput] = Field(description="Each variant (and diplotype) input, in the order given.")
    disease: DiseaseInput | None = Field(description="The diagnosis; null when none was given.")


class EvidenceDisease(Answer):
    """The disease an evidence item is about."""

    id: str = Field(description="The disease term's id.")
    name: str = Field(description="The disease term's name.")


class EvidenceItem(Answer):
    """One source statement behind a therapy entry."""

    source: str = Field(description="The source (civic, moalmanac, cgi …).")
    id: str = Field(description="The evidence item's id (CIVIC:EID1409, MOALMANAC:150 …).")
    level: str | None = Field(description="The source's own evidence level.")
    disease: EvidenceDisease | None = Field(description="The disease the evidence is about, if it names one.")
    citation: str | None = Field(description="A citation (PubMed id, FDA label, URL), if the source gives one.")


class TherapyEntry(Answer):
    """One therapy with one significance for the patient, ranked, with its evidence and why it matched."""

    therapy: str = Field(description="The therapy (a drug or a combination: 'Dabrafenib + Trametinib').")
    therapy_id: str = Field(description="The therapy's id in the graph (one per substance set, across sources).")
    drugs: list[str] = Field(description="The therapy's drugs.")
    drug_ids: list[str] = Field(description="The drugs' ids in the graph, in the order of ``drugs``.")
    significance: Significance = Field(description="What the evidence says the therapy does for the patient.")
    tier: Tier = Field(
        description="Normalised tier: 1 approved/guideline, 2 clinical, 3 case report, 4 preclinical, 5 inferential."
    )
    levels: dict[str, list[str]] = Field(description="Each source's own levels: {source: [levels]}.")
    variant_match: VariantMatch = Field(description="How specifically the best evidence names the alteration.")
    disease_match: DiseaseMatch | None = Field(
        description="Where the best evidence's disease stands to the patient's; null when no disease was given."
    )
    standing: Standing | None = Field(
        description="Sensitivity entries only (else null): clear, demoted (preclinical, other-disease or conflicting "
        "resistance), resistant (clinical resistance in this patient) or gene_level (a hint)."
    )
    standing_reason: str | None = Field(description="Why the entry stands where it does (sensitivity only).")
    active_against_resistance: bool | None = Field(
        description="Sensitivity only: whether the therapy is reported active against the patient's resistance."
    )
    evidence: list[EvidenceItem] = Field(description="The evidence items, best first, each once.")
    explanation: list[str] = Field(
        description="input → variant → class → evidence → disease → therapy, one line per evidence item."
    )
    pgx: list[PgxRecommendation] = Field(description="CPIC recommendations for the therapy's drugs and the diplotypes.")


class PgxCaution(Answer):
    """A PGx caution: a non-standard CPIC action for the patient's genotype, or CIViC germline adverse-response
    evidence about an allele carried, whether or not its drug is on the therapy list."""

    given_only = frozenset({"variant", "disease", "citation"})

    drug: str = Field(description="The drug the caution concerns.")
    on_therapy_list: bool = Field(description="Whether a matched therapy contains the drug.")
    therapies: list[str] = Field(description="The matched therapies that contain the drug.")
    cancer_care: bool = Field(
        description="Whether the build's oncology evidence names a therapy containing the drug; such drugs come "
        "right after the therapy list's."
    )
    source: str = Field(description="CPIC or CIViC.")
    action: CautionAction = Field(description="The CPIC action, or 'adverse response' (CIViC).")
    gene: str = Field(description="The gene (genes, 'CYP2C19 + CYP2D6', for a multi-gene recommendation).")
    genotype: str = Field(description="The patient's genotype as it selects the recommendation.")
    strength: str | None = Field(description="CPIC's strength, or CIViC's evidence level.")
    population: str | None = Field(description="The population the recommendation is for (CPIC).")
    text: str = Field(description="The recommendation's or evidence's text.")
    id: str = Field(description="The recommendation's or evidence item's id.")
    url: str | None = Field(description="Where to read it at the source.")
    missing_genes: list[str] = Field(description="Genes of a multi-gene recommendation that were not given.")
    variant: str | None = Field(default=None, description="CIViC only: the variant the evidence is about.")
    disease: str | None = Field(default=None, description="CIViC only: the evidence's disease.")
    citation: str | None = Field(default=None, description="CIViC only: the evidence's citation.")


class UnknownSignificanceEntry(Answer):
    """A variant of unknown significance in an actionable gene: listed apart, untiered, with its gene's therapies."""

    input: str = Field(description="The input as given.")
    variant: str | None = Field(description="The variant's name.")
    genes: list[str] = Field(description="The variant's genes.")
    reason: str = Field(description="Why it is of unknown significance.")
    gene_therapies: list[str] = Field(
        description="Therapies evidence names for other alterations of the gene(s), best first: context, not a tier."
    )


class MatchAnswer(Answer):
    """Ranked therapies for a patient's alterations (and diagnosis), with evidence, PGx cautions and warnings.

    Entries are ranked (README, "How therapies are ranked"); a therapy's resistance and adverse-response
    entries follow its sensitivity entry.
    """

    build: BuildStamp = Field(description="The build that answered.")
    inputs: MatchInputs = Field(description="Every input and what became of it.")
    therapies: list[TherapyEntry] = Field(description="The therapy entries, ranked.")
    pgx_cautions: list[PgxCaution] = Field(
        description="Every non-standard CPIC action (avoid, alternative, reduce_dose, increase_dose, monitor) for "
        "the diplotypes given and CIViC germline adverse-response evidence, whether or not the drug matched: drugs "
        "on the therapy list first, then drugs used in cancer care, then the rest; each by action."
    )
    unknown_significance: list[UnknownSignificanceEntry] = Field(
        description="Variants of unknown significance in actionable genes (and germline rows no source calls "
        "pathogenic): untiered, with the gene's therapies as context."
    )
    warnings: list[str] = Field(description="What the reader must know about this answer.")
