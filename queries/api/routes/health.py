"""``/health`` (the process answers), ``/ready`` (the store answers a real query) and ``/v1/status``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kg.errors import KGError, NoBuild
from queries.api.auth import READ
from queries.api.deps import StoreDep, store_holder
from queries.api.errors import PROBLEM_RESPONSES, problem_response

router = APIRouter(tags=["service"])
v1 = APIRouter(prefix="/v1", tags=["service"], responses=PROBLEM_RESPONSES, dependencies=[READ])


class Health(BaseModel):
    status: str = Field(description="Always 'ok' when the process answers")


class Readiness(BaseModel):
    status: str = Field(description="'ready' when the store answered a real query and holds a build")
    build: str = Field(description="The id of the build that answers")


@router.get("/health", response_model=Health, summary="The process is alive")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    response_model=Readiness,
    summary="The store answers a real query (503 with the reason when it does not)",
    responses={503: PROBLEM_RESPONSES[503]},
)
def ready(request: Request) -> Any:
    try:
        manifest = store_holder(request).get().current_build()
    except KGError as exc:
        return problem_response(request, 503, f"not ready: {exc}", slug="not-ready")
    if manifest is None:
        detail = "not ready: the store holds no graph yet; run `pmkg build`"
        return problem_response(request, 503, detail, slug="not-ready")
    return {"status": "ready", "build": manifest.build_id}


@v1.get("/status", summary="The current build: its sources, versions, licences and counts")
def status(store: StoreDep) -> JSONResponse:
    manifest = store.current_build()
    if manifest is None:
        raise NoBuild("the store holds no graph yet: run `pmkg build` first")
    return JSONResponse(manifest.as_dict())
