"""``POST /v1/annotate``: patient files uploaded (VCF, MAF, CNA, fusions, clinical) → per-variant rows and samples.

The same readers and answer as ``pmkg annotate``: JSON by default (``pmkg annotate --format json``), TSV with
``Accept: text/tab-separated-values``.  A bad line is an ``unreadable`` row naming the file and line while the
rest is read; a file that is not what it was sent as is a 400 naming it.  Uploads live in a private folder for
the request only (:mod:`queries.api.uploads`); the answer is written to an anonymous temporary file and streamed
from there, so memory stays flat for a large cohort.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from kg.errors import InputError
from kg.stores.port import Store
from queries.api.auth import READ
from queries.api.deps import StoreDep
from queries.api.errors import PROBLEM_RESPONSES
from queries.api.uploads import saved_uploads

router = APIRouter(prefix="/v1", tags=["annotate"], responses=PROBLEM_RESPONSES, dependencies=[READ])
TSV = "text/tab-separated-values"


@router.post(
    "/annotate",
    summary="Annotate a cohort's uploaded files: every alteration per sample, then each sample",
    response_description="`pmkg annotate --format json`'s object, or its TSV with Accept: text/tab-separated-values",
    responses={200: {"content": {"application/json": {}, TSV: {}}}},
)
def annotate(
    request: Request,
    store: StoreDep,
    file: Annotated[UploadFile, File(description="VCF (.vcf, .vcf.gz), MAF or a gene/alteration table")],
    cna: Annotated[UploadFile | None, File(description="Copy number: GISTIC matrix or one event per row")] = None,
    fusions: Annotated[UploadFile | None, File(description="Fusions: oncokb-annotator, STAR-Fusion, SVs")] = None,
    germline: Annotated[UploadFile | None, File(description="A germline MAF or VCF")] = None,
    clinical: Annotated[UploadFile | None, File(description="SAMPLE_ID → ONCOTREE_CODE (or CANCER_TYPE)")] = None,
    disease: Annotated[str | None, Form(max_length=500, description="Every sample's disease")] = None,
    assembly: Annotated[Literal["GRCh37", "GRCh38", "hg19", "hg38"] | None, Form()] = None,
) -> StreamingResponse:
    if clinical is not None and disease is not None:
        raise InputError("give clinical or disease, not both")
    if disease is not None and not disease.strip():
        raise InputError("disease: is empty; give a name, synonym or code, or leave it out")
    tsv = TSV in request.headers.get("accept", "")
    sent = ((file, "variants"), (cna, "cna"), (fusions, "fusions"), (germline, "germline"), (clinical, "clinical"))
    given = [(upload, role) for upload, role in sent if upload is not None]
    uploads = [(upload, f"{role}.txt") for upload, role in given]
    roles = [role for _, role in given]
    answer: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed after streaming
    try:
        with saved_uploads(uploads) as (folder, paths):
            _annotate(store, dict(zip(roles, paths, strict=True)), disease and disease.strip(), assembly, tsv, answer)
            answer.seek(0)
            prefix = f"{folder}/"
    except BaseException:
        answer.close()
        raise
    return StreamingResponse(
        _lines(answer, prefix),
        media_type=f"{TSV}; charset=utf-8" if tsv else "application/json",
        background=BackgroundTask(answer.close),
    )


def _annotate(store: Store, paths: dict[str, Path], disease: str | None, assembly: str | None, tsv: bool,
              out: IO[str]) -> None:  # fmt: skip
    from queries.annotate import CohortAnnotator
    from queries.inputs import open_patient_file, read_clinical
    from queries.services.annotate_output import JsonWriter, TsvWriter, run_annotation

    with ExitStack() as stack:
        files = []
        for role in ("variants", "cna", "germline", "fusions"):
            if role in paths:
                reader = open_patient_file(paths[role], role="variants" if role == "germline" else role,
                                           assembly=assembly, germline=role == "germline")  # fmt: skip
                stack.callback(reader.text.close)
                files.append(reader)
        table = read_clinical(paths["clinical"]) if "clinical" in paths else None
        annotator = CohortAnnotator(store, clinical=table, disease=disease)
        writer = TsvWriter(out) if tsv else JsonWriter(out, annotator.build)
        run_annotation(annotator, files, writer)


def _lines(answer: IO[str], prefix: str, chunk: int = 256 * 1024) -> Iterator[str]:
    """The answer in chunks of whole lines (~256 KB: one ASGI message per line cost ~0.5 ms each, a cohort's
    answer has thousands), with the private folder's path taken out of file names (a path holds no newline,
    so a chunk of whole lines is cleaned in one pass)."""
    while lines := answer.readlines(chunk):
        yield "".join(lines).replace(prefix, "")
