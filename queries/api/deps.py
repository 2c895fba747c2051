"""What routes receive: the store that answers (opened by the app's lifespan) and the settings.

:class:`StoreHolder` owns the one store of a server process.  The lifespan opens it; if the store
cannot be reached then (Neo4j down), the server still starts, ``/ready`` says why, and the
next request tries again, so a server that comes back is used without a restart.  Both stores
answer from their current build on every call, so a rebuilt, promoted or rolled-back build is
picked up without a restart too.

Routes are thin: they take typed input, call one service of :mod:`queries` and return its answer.
This module must never hold matching, ranking or rendering logic.
"""

from __future__ import annotations

import logging
import threading
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from kg.errors import StoreError
from kg.stores.port import Store
from queries.api.settings import ApiSettings

logger = logging.getLogger(__name__)


class StoreHolder:
    """The server's store, opened on first need and kept until :meth:`close`.

    ``opener`` is :func:`kg.stores.open_store` bound to the configured kind.  Opening is
    serialised (one Neo4j driver per process, not one per concurrent request).
    """

    def __init__(self, kind: str | None) -> None:
        self.kind = kind
        self._store: Store | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None

    @property
    def opened(self) -> Store | None:
        """The store if it is open already (no waiting), else None."""
        return self._store

    def get(self) -> Store:
        """The open store; raises the store's error (StoreUnavailable …) when it cannot be opened."""
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is None:
                from kg.stores import open_store

                try:
                    self._store = open_store(self.kind)
                except StoreError as exc:
                    self.last_error = str(exc)
                    raise
                self.last_error = None
            return self._store

    def try_open(self) -> None:
        """Open now if possible (at startup); a failure is logged and retried on the next request."""
        try:
            self.get()
        except StoreError as exc:
            logger.warning("the store is not available yet (%s); /ready answers 503 until it is", exc)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def store_holder(request: Request) -> StoreHolder:
    holder: StoreHolder = request.app.state.store_holder
    return holder


async def current_store(request: Request) -> Store:
    """The store that answers this request (dependency).

    Async, like every dependency here that never waits: FastAPI runs a plain ``def`` dependency in a worker
    thread, a hop that cost more CPU than a search answer.  Only opening the store (Neo4j may take seconds)
    goes to a thread.
    """
    holder = store_holder(request)
    store = holder.opened
    return store if store is not None else await run_in_threadpool(holder.get)


async def api_settings(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(current_store)]
SettingsDep = Annotated[ApiSettings, Depends(api_settings)]
