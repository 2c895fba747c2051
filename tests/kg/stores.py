"""Open a store of a given kind for tests and their helper processes."""

from __future__ import annotations

from pathlib import Path

from kg.embedded import EmbeddedStore
from kg.store import Store
from kg.stores import open_store


def open_test_store(kind: str, folder: Path) -> Store:
    return EmbeddedStore(folder) if kind == "embedded" else open_store("neo4j")
