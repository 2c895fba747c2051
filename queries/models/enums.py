"""The closed vocabularies of pmkg's answers: statuses, significances, tiers, match kinds, PGx actions.

Each is a ``StrEnum`` (``IntEnum`` for tiers) whose values are the strings (numbers) the JSON carries, so
that scripts and the HTTP API's schema name the same words.  The graph's own vocabulary
(:data:`kg.schema.PGX_ACTIONS`) is checked against these by a test.
"""

from __future__ import annotations

import enum

from kg.schema import Label


class InputStatus(enum.StrEnum):
    """What became of one input (a typed variant, a file row)."""

    NORMALIZED = "normalized"  # understood and found (or placed) in the graph
    UNRECOGNIZED = "unrecognized"  # not understood; the message says why
    AMBIGUOUS = "ambiguous"  # names several things; the message lists them
    NOT_MATCHED = "not_matched"  # understood, deliberately not matched (a fusion call below the support threshold)
    SKIPPED = "skipped"  # a file row whose consequence changes no protein
    UNREADABLE = "unreadable"  # a file line that could not be read
    UNKNOWN_SIGNIFICANCE = "unknown_significance"  # a variant no evidence or class rule reaches, in an actionable gene


class Significance(enum.StrEnum):
    """What the evidence says a therapy does for the patient's alteration."""

    SENSITIVITY = "sensitivity"
    RESISTANCE = "resistance"
    REDUCED_SENSITIVITY = "reduced sensitivity"
    ADVERSE_RESPONSE = "adverse response"


class Tier(enum.IntEnum):
    """The normalised evidence tier, best first (README, "How therapies are ranked")."""

    APPROVED_OR_GUIDELINE = 1  # FDA-approved or guideline (CIViC A, MOAlmanac FDA-Approved/Guideline, AMP Tier I)
    CLINICAL = 2  # clinical evidence (CIViC B, clinical trials)
    CASE_REPORT = 3  # CIViC C
    PRECLINICAL = 4  # CIViC D
    INFERENTIAL = 5  # CIViC E


class VariantMatch(enum.StrEnum):
    """How specifically the evidence names the patient's alteration, most specific first."""

    EXACT = "exact"
    CODON = "codon"
    EXON = "exon"
    GENE_CLASS = "gene_class"
    GENE = "gene"  # a gene-level hint: evidence about other alterations of the gene


class DiseaseMatch(enum.StrEnum):
    """Where the evidence's disease stands to the patient's."""

    EXACT = "exact"  # the patient's disease (or a subtype of it)
    ANCESTOR = "ancestor"  # a broader disease
    OVERLAP = "overlap"  # one named by site, the other by histology: some tumours are both (bladder cancer, TCC)
    OTHER = "other"  # another tumour type


class Standing(enum.StrEnum):
    """A sensitivity entry's standing once the patient's resistance is weighed."""

    CLEAR = "clear"
    DEMOTED = "demoted"  # preclinical, other-disease or conflicting resistance
    RESISTANT = "resistant"  # clinical resistance in this patient
    GENE_LEVEL = "gene_level"  # a gene-level hint


class PgxAction(enum.StrEnum):
    """What a CPIC recommendation asks for the patient's genotype."""

    AVOID = "avoid"
    ALTERNATIVE = "alternative"
    REDUCE_DOSE = "reduce_dose"
    INCREASE_DOSE = "increase_dose"
    STANDARD_DOSE = "standard_dose"
    MONITOR = "monitor"
    NO_RECOMMENDATION = "no_recommendation"


class CautionAction(enum.StrEnum):
    """A PGx caution in ``pmkg match``: a non-standard CPIC action, or CIViC germline adverse-response evidence."""

    AVOID = "avoid"
    ALTERNATIVE = "alternative"
    REDUCE_DOSE = "reduce_dose"
    INCREASE_DOSE = "increase_dose"
    MONITOR = "monitor"
    ADVERSE_RESPONSE = "adverse response"


class PgxStatus(enum.StrEnum):
    """What became of one PGx input item or one gene of a VCF."""

    OK = "ok"  # understood, phenotype known
    AMBIGUOUS = "ambiguous"  # a VCF call with tied diplotypes; each is reported
    NO_PHENOTYPE = "no_phenotype"  # understood, but the graph states no phenotype for it
    UNRECOGNIZED = "unrecognized"  # not understood (reason and suggestions say why)
    DUPLICATE = "duplicate"  # a gene given twice: the first is used
    NO_CALL = "no_call"  # VCF: no pair of defined alleles explains the genotypes
    NO_DATA = "no_data"  # VCF: none of the gene's defining positions are in the file
    NOT_CALLABLE = "not_callable"  # VCF: the gene cannot be called from small variants
    UNREADABLE = "unreadable"  # a line of a file (VCF, outside calls) that could not be read; the rest was


class AssemblyHow(enum.StrEnum):
    """How the assembly of a genomic position was decided."""

    DECLARED = "declared"
    INFERRED = "inferred"


class EntityKind(enum.StrEnum):
    """The kinds of entity page (``GET /v1/{kind}s/{id}``): the labels each shows, in groups tried in order.

    A name that names nodes of two labels of one group is ambiguous (``ERBB2 amplification`` is a variant
    and a class); a later group is asked only when the earlier ones know no such name (a drug page takes a
    therapy's name only when no drug is called that).
    """

    GENE = "gene"
    VARIANT = "variant"
    DISEASE = "disease"
    DRUG = "drug"
    EVIDENCE = "evidence"

    @property
    def label_groups(self) -> tuple[tuple[Label, ...], ...]:
        return _KIND_LABELS[self]

    @property
    def labels(self) -> tuple[Label, ...]:
        return tuple(label for group in _KIND_LABELS[self] for label in group)

    @classmethod
    def of(cls, label: Label) -> EntityKind | None:
        """The page kind that shows a node of ``label`` (None: no page shows it)."""
        return next((kind for kind in cls if label in kind.labels), None)


_KIND_LABELS: dict[EntityKind, tuple[tuple[Label, ...], ...]] = {
    EntityKind.GENE: ((Label.GENE,),),
    # A variant page also shows what evidence names as a variant: a class (BRAF V600), a profile, a star allele.
    EntityKind.VARIANT: ((Label.VARIANT, Label.VARIANT_CLASS, Label.MOLECULAR_PROFILE, Label.ALLELE),),
    EntityKind.DISEASE: ((Label.DISEASE,),),
    EntityKind.DRUG: ((Label.DRUG,), (Label.THERAPY,)),
    # Evidence: a source's statement, or a CPIC/DPWG dosing recommendation.
    EntityKind.EVIDENCE: ((Label.EVIDENCE, Label.RECOMMENDATION),),
}
