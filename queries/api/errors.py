"""Every failure of the HTTP API as ``application/problem+json`` (RFC 9457).

One handler per kind maps pmkg's exception tree (:mod:`kg.errors`) and the framework's own
errors to a status and a problem object ``{type, title, status, detail, instance}``; a
validation error adds ``errors: [{field, message}]`` naming each wrong field (``body.variants[0]``,
``query.limit``), a malformed source file adds ``file``, ``line`` and ``field``.

    KGError ─┬─ InputError, SourceFileError, SchemaError ..... 400 (what was sent cannot be used)
             ├─ NoBuild ...................................... 503 (no graph built yet)
             ├─ QueryRefused (a write sent to /sparql, /cypher) 403
             ├─ QueryTimeout (a query past its time limit) ... 503
             ├─ StoreError (Neo4j down, corrupt file, …) ..... 503
             ├─ ConfigError .................................. 503 (the server is misconfigured)
             └─ any other .................................... 400
    request validation ...................................... 422 with the fields
    HTTP errors (404, 405, 401, 403, 413, 504) ............... their status
    anything else ........................................... 500 "internal error" with a reference, never a traceback
                                                              (answered by the middleware, :func:`bug_response`)

Never put a request's body or query (patient data) into a log line here.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import ConfigError, KGError, NoBuild, QueryRefused, QueryTimeout, SourceFileError, StoreError

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldProblem(BaseModel):
    field: str = Field(description="Where the problem is: body.variants[0], query.limit, path.gene …")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem object: every error the API answers is one of these."""

    type: str = Field(description="A URI reference naming the kind of problem")
    title: str = Field(description="The kind of problem, in words")
    status: int = Field(description="The HTTP status")
    detail: str = Field(description="What went wrong with this request and what to do")
    instance: str | None = Field(None, description="The path that was asked for")
    errors: list[FieldProblem] | None = Field(None, description="For validation errors: each wrong field")
    file: str | None = Field(None, description="For a malformed upload: the file")
    line: int | None = Field(None, description="For a malformed upload: the line")


# Declared on every route so that OpenAPI (and schemathesis) know the error shape.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": HTTPStatus(status).phrase}
    for status in (400, 401, 403, 404, 413, 422, 503, 504)
}


def document_problems(app: FastAPI) -> None:
    """Make OpenAPI say what is sent: problems as ``application/problem+json`` (FastAPI files a model under
    ``application/json``)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = build()
        for path in spec.get("paths", {}).values():
            for operation in path.values():
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    if PROBLEM_JSON in content and "application/json" in content:
                        content[PROBLEM_JSON] = content.pop("application/json")
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


class ApiProblem(Exception):
    """Raised by routes and middleware for an answer that is a problem (404, 413, 401, …)."""

    def __init__(self, status: int, detail: str, *, slug: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.headers = headers or {}


def problem_response(
    where: Request | str | None,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": f"/problems/{slug or phrase.lower().replace(' ', '-')}",
        "title": phrase,
        "status": status,
        "detail": detail,
    }
    if where is not None:
        body["instance"] = where if isinstance(where, str) else where.url.path
    body.update({key: value for key, value in extra.items() if value is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_name(location: Sequence[int | str]) -> str:
    """``('body', 'variants', 0)`` → ``body.variants[0]``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def status_of(exc: KGError) -> tuple[int, str]:
    """The HTTP status and problem slug of a pmkg error."""
    if isinstance(exc, NoBuild):
        return 503, "no-build"
    if isinstance(exc, QueryRefused):
        return 403, "query-refused"
    if isinstance(exc, QueryTimeout):
        return 503, "query-timeout"
    if isinstance(exc, StoreError):
        return 503, "store-unavailable"
    if isinstance(exc, ConfigError):
        return 503, "server-misconfigured"
    return 400, "invalid-input"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"field": field_name(error.get("loc", ())), "message": _message(error)} for error in exc.errors()]
        first = problems[0] if problems else {"field": "request", "message": "invalid"}
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return problem_response(
            request, 422, f"{first['field']}: {first['message']}{more}", slug="validation", errors=problems
        )

    @app.exception_handler(KGError)
    async def _kg_error(request: Request, exc: KGError) -> JSONResponse:
        status, slug = status_of(exc)
        extra: dict[str, Any] = {}
        if isinstance(exc, SourceFileError):
            extra = {"file": exc.path, "line": exc.line}
        return problem_response(request, status, str(exc), slug=slug, **extra)

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(request, exc.status, exc.detail, slug=exc.slug, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).description
        if isinstance(exc.__cause__, UnicodeDecodeError):  # the framework's "There was an error parsing the body"
            cause = exc.__cause__
            detail = (
                f"the request body is not UTF-8 text: byte 0x{cause.object[cause.start]:02x} at offset {cause.start}; "
                "send JSON as UTF-8 (RFC 8259)"
            )
        elif exc.status_code == 404 and detail == "Not Found":
            detail = f"nothing is served at {request.url.path}; see /docs for the API"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}; see /docs for the methods it takes"
        return problem_response(request, exc.status_code, detail, headers=getattr(exc, "headers", None))


def _message(error: dict[str, Any]) -> str:
    """A validation error in words; a body that is not JSON says what the parser expected, and where."""
    message = str(error.get("msg", "invalid"))
    if error.get("type") == "json_invalid" and (reason := (error.get("ctx") or {}).get("error")):
        loc = error.get("loc", ())
        offset = loc[-1] if loc and isinstance(loc[-1], int) else None
        return f"the body is not valid JSON: {reason}" + (f" at character {offset}" if offset is not None else "")
    return message


def bug_response(exc: BaseException, method: str, path: str) -> JSONResponse:
    """A 500 problem for a bug: a reference to find it in the log, never a traceback or the exception's text."""
    reference = uuid.uuid4().hex[:12]
    # The type and reference only: an exception's message may quote what the patient's request held.
    logger.error("internal error %s (%s) on %s %s", reference, type(exc).__name__, method, path)
    logger.debug("internal error %s", reference, exc_info=exc)
    return problem_response(
        path,
        500,
        f"internal error (reference {reference}); this is a bug in pmkg, please report it with the reference",
        slug="internal-error",
    )
