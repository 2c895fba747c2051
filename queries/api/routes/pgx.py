"""``/v1/pgx``: diplotypes (JSON) or a VCF upload → phenotypes and CPIC recommendations.

The answers are :mod:`queries.pgx`'s, the same JSON as ``pmkg pgx --format json``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile

from kg.errors import InputError
from queries.api.answers import JSONAnswer
from queries.api.auth import READ
from queries.api.deps import StoreDep
from queries.api.errors import PROBLEM_RESPONSES
from queries.api.schemas import PgxQuery
from queries.api.uploads import saved_uploads, without_folder
from queries.models import PgxAnswer

router = APIRouter(prefix="/v1", tags=["pgx"], responses=PROBLEM_RESPONSES, dependencies=[READ])


@router.post("/pgx", response_model=PgxAnswer,
             summary="Diplotypes → phenotypes, activity scores and CPIC recommendations")  # fmt: skip
def pgx(query: PgxQuery, store: StoreDep) -> JSONAnswer:
    """The same answer as `pmkg pgx --diplotype … --format json`."""
    from queries.pgx import lookup_diplotypes

    return JSONAnswer(lookup_diplotypes(store, list(query.diplotypes), list(query.drugs)).as_dict())


@router.post("/pgx/vcf", summary="A GRCh38 VCF upload → star-allele calls and CPIC recommendations")
def pgx_vcf(
    store: StoreDep,
    vcf: Annotated[UploadFile, File(description="A GRCh38 VCF (.vcf or .vcf.gz)")],
    sample: Annotated[str | None, Form(max_length=200, description="Only this sample of the VCF")] = None,
    diplotypes: Annotated[
        list[str] | None, Form(description="Diplotypes called elsewhere (CYP2D6, HLA …); repeatable")
    ] = None,
    drugs: Annotated[list[str] | None, Form(description="Only recommendations for these drugs; repeatable")] = None,
) -> dict[str, Any]:
    """The same answer as `pmkg pgx --vcf FILE --format json`: one patient's answer, or `{"samples": [...]}` for
    a VCF with several samples and no `sample`."""
    from queries.pgx_calling import vcf_reports

    if sample is not None and not sample.strip():
        raise InputError("sample: is empty; give a sample name of the VCF or leave it out")
    with saved_uploads([(vcf, "upload.vcf")]) as (folder, paths):
        reports = vcf_reports(store, paths[0], sample=sample, drugs=drugs or (), diplotypes=diplotypes or ())
        answer = reports[0].as_dict() if len(reports) == 1 else {"samples": [report.as_dict() for report in reports]}
        return without_folder(answer, folder)
