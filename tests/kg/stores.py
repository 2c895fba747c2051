"""Open a store of a given kind for tests and their helper processes."""

from __future__ import annotations

from pathlib import Path

from kg.stores import open_store
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store


def open_test_store(kind: str, folder: Path) -> Store:
    return EmbeddedStore(folder) if kind == "embedded" else open_store("neo4j")
