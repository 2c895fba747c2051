"""``/v1/match`` (one patient, GET or POST) and ``/v1/match/batch`` (many, each with the caller's id).

The answer is :func:`queries.matching.match_therapies`'s, the same JSON as ``pmkg match --format json``,
sent as :class:`queries.api.answers.JSONAnswer` and documented as :class:`queries.models.MatchAnswer`.
An input pmkg cannot read is a per-item status inside a 200 answer; the store being down is a 503.

A patient of up to :data:`INLINE_VARIANTS` variants on a store that answers from this process's memory
(the embedded one) is answered on the event loop, with the cyclic collector paused until its answer is
bytes: a few milliseconds of CPU either way, and a worker thread only adds a hop, the GIL passed
back and forth between requests in flight, and their half-built answers aged into the collector's
oldest generation (measured: full collections took a sixth of a loaded server's CPU).  Bigger
patients, batches and Neo4j (whose answers wait on the network) go to worker threads, so the
server keeps answering meanwhile and the request timeout can abandon them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from kg.collector import cyclic_gc_paused
from kg.errors import InputError, StoreError
from kg.stores.port import Capability, Store
from queries.api.answers import JSONAnswer
from queries.api.auth import READ
from queries.api.deps import SettingsDep, StoreDep
from queries.api.errors import PROBLEM_RESPONSES, ApiProblem
from queries.api.schemas import Assembly, BatchPatient, MatchBatchQuery, MatchQuery, VariantText
from queries.models import MatchAnswer

router = APIRouter(prefix="/v1", tags=["match"], responses=PROBLEM_RESPONSES, dependencies=[READ])
INLINE_VARIANTS = 100  # ~20 ms of matching at most: longer would hold up every other request of the worker


def _answer(store: Store, query: MatchQuery) -> dict[str, Any]:
    from queries.matching import match_therapies

    return match_therapies(store, list(query.variants), query.disease, assembly=query.assembly).as_json()


def _sent(store: Store, query: MatchQuery) -> JSONAnswer:
    """The answer as bytes, made and its objects freed while the cyclic collector is paused (kg.collector)."""
    with cyclic_gc_paused():
        return JSONAnswer(_answer(store, query))


async def _respond(store: Store, query: MatchQuery) -> JSONAnswer:
    if Capability.IN_PROCESS in store.capabilities and len(query.variants) <= INLINE_VARIANTS:
        return _sent(store, query)
    return await run_in_threadpool(_sent, store, query)


@router.post("/match", response_model=MatchAnswer, summary="Ranked therapies for one patient's variants and diagnosis")
async def match_post(query: MatchQuery, store: StoreDep) -> JSONAnswer:
    """The same answer as `pmkg match --format json`: build, inputs (each with its status), therapies ranked
    with evidence, explanations and PGx, PGx cautions, variants of unknown significance, warnings."""
    return await _respond(store, query)


@router.get("/match", response_model=MatchAnswer,
            summary="Ranked therapies for one patient (variants in the query string)")  # fmt: skip
async def match_get(
    store: StoreDep,
    variant: Annotated[list[VariantText], Query(min_length=1, description="A variant (repeat the parameter for more)")],
    disease: Annotated[str | None, Query(min_length=1, max_length=500, description="The diagnosis")] = None,
    assembly: Annotated[Assembly | None, Query(description="Assembly of genomic positions")] = None,
) -> JSONAnswer:
    """As POST /v1/match. Prefer POST for patient data: query strings end up in proxies' logs (pmkg's own
    access log never writes them)."""
    try:
        query = MatchQuery(variants=variant, disease=disease, assembly=assembly)
    except ValidationError as exc:  # the query string's fields, named as the caller sent them
        raise RequestValidationError(
            [
                {
                    **error,
                    "loc": (
                        "query",
                        "variant" if error["loc"][0] == "variants" else error["loc"][0],
                        *error["loc"][1:],
                    ),
                }
                for error in exc.errors()
            ]
        ) from None
    return await _respond(store, query)


class BatchItem(BaseModel):
    id: str = Field(description="The caller's id, echoed")
    status: str = Field(description="'ok' (the answer is in 'answer') or 'failed' (why, in 'detail')")
    answer: MatchAnswer | None = Field(None, description="The same answer as POST /v1/match for this patient")
    detail: str | None = Field(None, description="Why this patient could not be answered")


class BatchAnswer(BaseModel):
    patients: int = Field(description="How many patients were asked for")
    results: list[BatchItem] = Field(description="One result per patient, in the order given")


@router.post(
    "/match/batch",
    response_model=BatchAnswer,
    summary="Ranked therapies for many patients in one call",
    description="Each patient is answered as by POST /v1/match, with the caller's id echoed and a per-item status. "
    "Caps (settings): at most PMKG_API_BATCH_PATIENTS patients (default 1,000) and PMKG_API_BATCH_VARIANTS "
    "variants in all (default 100,000) per call; a bigger batch answers 413 naming the cap, at once.",
)
def match_batch(query: MatchBatchQuery, store: StoreDep, settings: SettingsDep) -> JSONAnswer:
    patients = query.patients
    if len(patients) > settings.batch_patients:
        raise ApiProblem(
            413,
            f"{len(patients):,} patients in one batch; the cap is {settings.batch_patients:,} patients per call "
            "(setting PMKG_API_BATCH_PATIENTS): split the batch",
            slug="batch-too-large",
        )
    variants = sum(len(p.variants) for p in patients)
    if variants > settings.batch_variants:
        raise ApiProblem(
            413,
            f"{variants:,} variants in one batch; the cap is {settings.batch_variants:,} variants per call "
            "(setting PMKG_API_BATCH_VARIANTS): split the batch",
            slug="batch-too-large",
        )
    return JSONAnswer({"patients": len(patients), "results": [_batch_item(store, patient) for patient in patients]})


def _batch_item(store: Store, patient: BatchPatient) -> dict[str, Any]:
    try:
        return {"id": patient.id, "status": "ok", "answer": _answer(store, patient)}
    except StoreError:
        raise  # the store is down for everyone: the whole call is a 503, not a thousand failed items
    except InputError as exc:
        return {"id": patient.id, "status": "failed", "detail": str(exc)}
