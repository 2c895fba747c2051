"""The starter graph in each store, built once per test session, for the matching tests.

The embedded starter graph is built into a temporary folder the first time a test asks for
it.  The Neo4j one is built into the session's Neo4j (``neo4j_uri``) and rebuilt only if a
test of another module emptied the database in between (the ``neo4j_store`` fixture does).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store
from loaders.registry import starter_loaders

STORE_KINDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@functools.cache
def embedded_starter() -> EmbeddedStore:
    folder = Path(tempfile.mkdtemp(prefix="pmkg-match-starter-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    store = EmbeddedStore(folder / "graph")
    run_build(store, starter_loaders())
    return store


_NEO4J: dict[str, Store] = {}


def neo4j_starter(uri: str) -> Store:
    """A Neo4j store holding the starter graph (the same build as the embedded one)."""
    from kg.stores.neo4j.store import Neo4jStore

    store = _NEO4J.get(uri)
    if store is None:
        store = _NEO4J[uri] = Neo4jStore(uri)
    wanted = embedded_starter().current_build()
    current = store.current_build()
    if wanted is None or current is None or current.build_id != wanted.build_id:
        run_build(store, starter_loaders())
    return store


def store_of_kind(request: pytest.FixtureRequest) -> Store:
    """The starter store of ``request.param`` ('embedded' or 'neo4j')."""
    if request.param == "embedded":
        return embedded_starter()
    return neo4j_starter(request.getfixturevalue("neo4j_uri"))
