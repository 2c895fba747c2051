"""Writing the RDF view in chunks loaded side by side: every triple lands once, and a failed read leaves nothing.

The view of a build is written by one thread turning records into N-Triples chunks while two
threads bulk-load the chunks already written (kg/stores/rdf.py).  These tests write the view of a
real build (Disease Ontology and OncoTree from the starter bundle: mappings that carry properties,
so reified statements too) in many small chunks.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import kg.stores.rdf as rdf_view
from kg.builds import run_build
from kg.errors import StoreError
from kg.rdf.export import export_lines, write_rdf
from kg.records import Edge
from kg.schema import RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.rdf import VOCABULARY_GRAPH, open_view, write_view
from loaders.registry import loader_class


@functools.cache
def _ontologies(folder: Path) -> EmbeddedStore:
    store = EmbeddedStore(folder / "graph")
    run_build(store, [loader_class(name).starter() for name in ("disease_ontology", "oncotree")])
    return store


@pytest.fixture(scope="module")
def ontologies(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return _ontologies(tmp_path_factory.mktemp("ontologies"))


def _triples(store: ox.Store, graph: Any) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, None, None, graph))


def test_a_view_loaded_in_many_chunks_at_once_holds_exactly_the_exported_triples(
    ontologies: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rdf_view, "CHUNK_LINES", 5_000)  # ~30 chunks over the two loading threads
    count = write_view(ontologies, tmp_path / "view")

    view = open_view(tmp_path / "view")
    exported = ox.Store()
    out = tmp_path / "export.nt"
    with out.open("wb") as sink:
        written = write_rdf(export_lines(ontologies), "nt", sink, "test")
    exported.bulk_load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    assert count == written > 100_000
    assert _triples(view, ox.DefaultGraph()) == _triples(exported, ox.DefaultGraph())
    # The vocabulary is its own named graph, and the schema is readable there.
    assert any(q.predicate.value.endswith("#comment") for q in _triples(view, VOCABULARY_GRAPH))
    lung_adenocarcinoma = (
        '<http://purl.obolibrary.org/obo/DOID_3910> <http://www.w3.org/2000/01/rdf-schema#label> "lung adenocarcinoma"'
    )
    assert bool(view.query(f"ASK {{ {lung_adenocarcinoma} }}"))


class _ReadFailsMidway:
    """The real store, whose relationships stop coming partway (a Neo4j connection lost mid-read)."""

    def __init__(self, store: EmbeddedStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def edges(self, rel: RelType) -> Iterator[Edge]:
        for n, edge in enumerate(self._store.edges(rel)):
            if n == 2_000:
                raise StoreError("the connection to the store was lost while reading relationships")
            yield edge


def test_a_read_failing_midway_leaves_no_view_and_no_loading_threads(
    ontologies: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rdf_view, "CHUNK_LINES", 5_000)
    with pytest.raises(StoreError, match="connection to the store was lost"):
        write_view(_ReadFailsMidway(ontologies), tmp_path / "view")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []  # neither the view nor its half-written temporary folder
    assert not [t for t in threading.enumerate() if t.name.startswith("rdf-view-load")]
    assert gc.isenabled()  # the collector, paused while writing, runs again
