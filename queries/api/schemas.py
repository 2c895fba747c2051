"""What callers send: one pydantic model per request (``…Query``), checked at the API's edge.

Answers are the services' own typed answers (the same JSON as ``pmkg … --format json``); this
module holds only the questions.  Limits here are about well-formed requests (a variant is at
most 1,000 characters); the batch caps are settings and answered with 413 by the route.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

VariantText = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
DiseaseText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Assembly = Literal["GRCh37", "GRCh38"]


class MatchQuery(BaseModel):
    """One patient: variants in any usual notation, an optional diagnosis."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"variants": ["BRAF V600E"], "disease": "melanoma"}]},
    )

    variants: list[VariantText] = Field(
        min_length=1,
        max_length=10_000,
        description="Variants as typed on the command line (BRAF V600E, NM_004333.4:c.1799T>A, 7-140753336-A-T, "
        "EML4::ALK, ERBB2 amplification, MSI-H, CYP2C19 *2/*2 …)",
    )
    disease: DiseaseText | None = Field(
        None, description="The diagnosis: a name, synonym, DOID, OncoTree code or name, or NCIt id"
    )
    assembly: Assembly | None = Field(
        None, description="Assembly of genomic positions (default: look both up and say which matched)"
    )


class BatchPatient(MatchQuery):
    """One patient of a batch, with the caller's id echoed in the answer."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"id": "patient-1", "variants": ["EGFR L858R"], "disease": "LUAD"}]},
    )

    id: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The caller's id for this patient, echoed in the answer"
    )


class MatchBatchQuery(BaseModel):
    """Many patients in one call (caps: PMKG_API_BATCH_PATIENTS patients, PMKG_API_BATCH_VARIANTS variants)."""

    model_config = ConfigDict(extra="forbid")

    patients: list[BatchPatient] = Field(min_length=1, description="The patients, each with its own id")

    @field_validator("patients")
    @classmethod
    def _one_patient_per_id(cls, patients: list[BatchPatient]) -> list[BatchPatient]:
        """Answers are told apart by the caller's id: an id given twice would make two answers one cannot tell apart."""
        where: dict[str, list[int]] = {}
        for index, patient in enumerate(patients):
            where.setdefault(patient.id, []).append(index)
        repeated = [(pid, at) for pid, at in where.items() if len(at) > 1]
        if repeated:
            shown = "; ".join(
                f"id {pid!r} is given {len(at)} times (patients[{'], patients['.join(map(str, at))}])"
                for pid, at in repeated[:5]
            )
            more = f"; and {len(repeated) - 5} more repeated ids" if len(repeated) > 5 else ""
            detail = f"{shown}{more}: each patient of a batch needs its own id"
            raise PydanticCustomError("repeated_id", "{detail}", {"detail": detail})
        return patients


class PgxQuery(BaseModel):
    """A patient's diplotypes (or phenotypes, activity scores), optionally for some drugs only."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"diplotypes": ["CYP2C19 *2/*2"], "drugs": ["clopidogrel"]}]},
    )

    diplotypes: list[VariantText] = Field(
        min_length=1,
        max_length=1000,
        description="Diplotypes or phenotypes: 'CYP2C19 *2/*2', 'HLA-B *57:01/*08:01', 'CYP2D6 activity score 1.0'",
    )
    drugs: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=1000, description="Only recommendations for these drugs"
    )
