"""Open the store the settings name: the embedded default or Neo4j, at its current build or at a kept one.

>>> import tempfile, pathlib
>>> sorted(open_store("embedded", home=pathlib.Path(tempfile.mkdtemp())).capabilities)
[<Capability.IN_PROCESS: 'in_process'>, <Capability.PERSISTENT: 'persistent'>]
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import ConfigError
from kg.settings import STORE_KINDS, get_settings
from kg.stores.port import Store


def open_store(kind: str | None = None, *, home: Path | None = None, build: str | None = None) -> Store:
    """The store of ``kind`` (default: ``PMKG_STORE``); the Neo4j driver is imported only if asked for.

    With ``build``, every read answers from that kept build (as of it) instead of the current one,
    and :class:`~kg.errors.UnknownBuild` lists the kept builds when there is no such build.
    """
    settings = get_settings()
    kind = (kind or settings.store).lower()
    if kind == "embedded":
        from kg.stores.embedded import EmbeddedStore

        return EmbeddedStore((home / "graph") if home else settings.graph_dir, build=build)
    if kind == "neo4j":
        from kg.stores.neo4j.store import Neo4jStore

        return Neo4jStore.from_settings(settings, build=build)
    raise ConfigError(f"unknown store {kind!r}; expected one of {', '.join(STORE_KINDS)}")
