"""``pmkg serve``: the HTTP API and the web page (uvicorn over :func:`queries.api.app.create_app`).

Registered lazily in :mod:`queries.cli.main`.  Logging goes to stderr: uvicorn's own lines and
pmkg's access log (method, path without query string, status, time), never a request body or
query string (uvicorn's own access log, which prints query strings, is off).
"""

from __future__ import annotations

import os
from typing import Any

import click

from queries.cli.support import STORES
from queries.cli.support import fail_cleanly as _fail_cleanly


def log_config(level: str = "INFO") -> dict[str, Any]:
    """uvicorn's logging config (every worker applies it): one stderr handler, pmkg's access log on."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "pmkg.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "queries": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "kg": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        },
    }


@click.command("serve")
@click.option("--host", default=None, help="Address to bind (default PMKG_API_HOST or 127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="Port (default PMKG_API_PORT or 8000).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default PMKG_API_WORKERS or 1); on Linux the kernel deals connections "
              "to them in turn.")  # fmt: skip
@click.option("--store", type=STORES, default=None, help="Which store answers (default: PMKG_STORE or embedded).")
@_fail_cleanly
def serve(host: str | None, port: int | None, workers: int | None, store: str | None) -> None:
    """Serve the HTTP API (/v1, /docs) and the clinicians' web page (/) with uvicorn.

    \b
      pmkg serve                                 http://127.0.0.1:8000/ (web page), /docs (API)
      PMKG_STORE=neo4j pmkg serve --workers 2
    """
    import uvicorn

    from kg.settings import get_settings
    from queries.api.settings import get_api_settings
    from queries.api.workers import APP, balanced_workers_supported, http_protocol, serve_workers, server_stack

    # Workers are new processes that read their settings from the environment: put the options there.
    for name, value in (("PMKG_API_HOST", host), ("PMKG_API_PORT", port), ("PMKG_API_WORKERS", workers),
                        ("PMKG_STORE", store)):  # fmt: skip
        if value is not None:
            os.environ[name] = str(value)
    get_api_settings.cache_clear()
    get_settings.cache_clear()
    settings = get_api_settings()
    get_settings()  # a bad PMKG_STORE fails here, in one line, not in every worker
    click.echo(f"pmkg: serving on http://{settings.host}:{settings.port}/ (API docs at /docs)", err=True)
    click.echo(f"pmkg: {server_stack()}", err=True)
    options: dict[str, Any] = {"access_log": False, "log_config": log_config(), "timeout_graceful_shutdown": 10,
                               "http": http_protocol()}  # fmt: skip
    if settings.workers > 1 and balanced_workers_supported():
        raise SystemExit(serve_workers(settings.host, settings.port, settings.workers, options))
    uvicorn.run(APP, factory=True, host=settings.host, port=settings.port, workers=settings.workers, **options)
