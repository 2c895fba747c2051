"""The FastAPI app of ``pmkg serve``: built by :func:`create_app`, nothing at import.

The lifespan opens the store named by the settings (``PMKG_STORE``; see :mod:`queries.api.deps`)
and closes it on shutdown.  Routes are versioned under ``/v1``; ``/health`` and ``/ready`` are
for load balancers; OpenAPI is at ``/openapi.json`` with its docs at ``/docs``.  Every error
is ``application/problem+json`` (:mod:`queries.api.errors`).

Run it with ``pmkg serve`` (uvicorn), or ``uvicorn --factory queries.api.app:create_app``.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI

from kg.settings import get_settings
from queries.api.deps import StoreHolder
from queries.api.errors import document_problems, install_error_handlers
from queries.api.middleware import OuterRing
from queries.api.repeated_fields import one_value_each
from queries.api.settings import ApiSettings, get_api_settings
from queries.api_keys import KeyFile

DESCRIPTION = """\
Therapies for a patient's variants and diagnosis, PGx dosing, cohort annotation, search and
entity pages over pmkg's knowledge graph: the same answers as the `pmkg` command line.

Every answer names the build and the source versions it came from.  Errors are
`application/problem+json` (RFC 9457); an input pmkg could not read is a per-item status inside
a 200 answer, as on the command line.
"""


def create_app(settings: ApiSettings | None = None, *, store: str | None = None) -> FastAPI:
    """The app over the configured store (``store`` overrides ``PMKG_STORE``)."""
    settings = settings or get_api_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder = StoreHolder(store)
        app.state.store_holder = holder
        holder.try_open()
        threading.Thread(target=_warm_up, args=(holder,), name="pmkg-warm-up", daemon=True).start()
        try:
            yield
        finally:
            holder.close()
            pools = getattr(app.state, "sparql_pools", None)
            if pools is not None:
                pools.close()

    from importlib.metadata import version

    app = FastAPI(
        title="pmkg",
        version=version("pmkg"),
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(one_value_each)],  # ?disease=a&disease=b is a 422, never the last one silently
    )
    app.state.settings = settings
    app.state.key_file = KeyFile(settings.key_file(get_settings().home))
    install_error_handlers(app)
    _include_routes(app)
    document_problems(app)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept", "X-API-Key"],
        )
    app.add_middleware(
        OuterRing,
        request_timeout=settings.request_timeout,
        max_body_bytes=settings.max_upload_bytes,
    )
    return app


def _warm_up(holder: StoreHolder) -> None:
    """Build the per-build indexes (autocomplete, disease names) before the first user waits for them."""
    from kg.errors import KGError
    from queries.autocomplete import index_for
    from queries.graph_view import view_for

    try:
        store = holder.get()
        index_for(store)
        view_for(store).disease_names().read_names()
    except KGError:
        pass  # no store or no build yet: the first request that needs them builds them
    # What the process keeps from now on (modules, the app, the store, the indexes just built) never becomes garbage:
    # left out of the cyclic collector's passes, a full collection under load walks only what requests make.
    gc.freeze()


def _include_routes(app: FastAPI) -> None:
    from queries.api.routes import annotate, curation, entity, health, keys, match, page, pgx, research, search

    routers: list[Any] = [page.router, health.router, health.v1, match.router, pgx.router, annotate.router,
                          search.router, entity.router, keys.router, research.router, curation.router]  # fmt: skip
    for router in routers:
        app.include_router(router)
    page.mount_static(app)
