"""Open a store of a given kind for tests and their helper processes."""

from __future__ import annotations

from pathlib import Path

from kg.embedded import EmbeddedStore
from kg.store import Store


def open_test_store(kind: str, folder: Path) -> Store:
    if kind == "embedded":
        return EmbeddedStore(folder)
    from kg.neo4j_store import Neo4jStore

    return Neo4jStore.from_settings()
