"""Open a store of a given kind for tests and their helper processes."""

from __future__ import annotations

from pathlib import Path

from kg.stores import open_store
from kg.stores.embedded import EmbeddedStore
from kg.stores.neo4j.store import Neo4jStore
from kg.stores.port import Store


def open_test_store(kind: str, folder: Path) -> Store:
    return EmbeddedStore(folder) if kind == "embedded" else open_store("neo4j")


def open_at_build(store: Store, build_id: str) -> Store:
    """The same store as ``store``, opened on the kept build ``build_id`` (as-of reads)."""
    if isinstance(store, EmbeddedStore):
        return EmbeddedStore(store.folder, build=build_id)
    assert isinstance(store, Neo4jStore)
    return Neo4jStore(store.uri, build=build_id)
