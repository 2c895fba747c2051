"""The status service: the current build → :class:`queries.models.StatusAnswer` (None before the first build)."""

from __future__ import annotations

from kg.stores.port import Store
from queries.models import StatusAnswer


def status(store: Store) -> StatusAnswer | None:
    """The current build's id, times, sources, versions, licences and counts; None if nothing is built yet."""
    manifest = store.current_build()
    return None if manifest is None else StatusAnswer.model_validate(manifest.as_dict())
