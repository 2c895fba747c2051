"""The RDF view of a build: the same records as triples, in an Oxigraph store on disk.

One view per build, in ``<PMKG_HOME>/rdf/<build id>/``: the view of the build that answers is
the one SPARQL reads, so a promoted or rolled-back build brings its own view along and a failed
build never touches the view that answers.  A view is written once (:func:`ensure_view`, from
any :class:`~kg.stores.port.Store`: embedded or Neo4j give the same triples) into a temporary
folder that is renamed into place only when complete; readers open it read-only, so several
processes may query it at once.

This module writes and opens views; it never runs a caller's query (see
:mod:`queries.gateways.sparql` for limits and time-outs).
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

from kg.errors import StoreError
from kg.export import edges, nodes
from kg.rdf.mapping import LineStream, graph_lines
from kg.rdf.vocabulary import vocabulary_turtle
from kg.stores.port import Store as GraphStore

log = logging.getLogger(__name__)

# Views of builds other than the newest few are deleted when a new view is written.
KEEP_VIEWS = 3
VOCABULARY_GRAPH = NamedNode("https://w3id.org/pmkg/vocab/")
_WRITING = threading.Lock()


def store_lines(store: GraphStore) -> Iterator[str]:
    """Every triple of the store's current build as an N-Triples line (see :mod:`kg.rdf.mapping`)."""
    return graph_lines(nodes(store), edges(store))


def view_folder(root: Path, build_id: str) -> Path:
    return root / build_id


def write_view(store: GraphStore, folder: Path) -> int:
    """Write the view of ``store``'s current build into ``folder`` (which must not exist); return the triple count.

    The graph goes into the default graph; the vocabulary (classes, predicates, comments) into
    the named graph ``pmkg:`` so that ``GRAPH pmkg: { … }`` reads the schema.
    """
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    stream = LineStream(store_lines(store))
    try:
        oxi = Store(str(tmp))
        oxi.bulk_load(io.BufferedReader(stream, 1 << 20), format=RdfFormat.N_TRIPLES)
        oxi.bulk_load(vocabulary_turtle(), format=RdfFormat.TURTLE, to_graph=VOCABULARY_GRAPH)
        oxi.flush()
        oxi.optimize()
        del oxi
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return stream.lines


def _prune(root: Path, keep: str) -> None:
    views = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.stat().st_mtime
    )
    for old in views[:-KEEP_VIEWS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def ensure_view(store: GraphStore, root: Path) -> Path:
    """The folder of the view of ``store``'s current build, written first if it is missing."""
    manifest = store.current_build()
    if manifest is None:
        raise StoreError("no graph built yet: run `pmkg build` before asking SPARQL")
    folder = view_folder(root, manifest.build_id)
    if folder.is_dir():
        return folder
    with _WRITING:  # one writer per process; other processes write aside and the first rename wins
        if folder.is_dir():
            return folder
        return _write_new(store, root, folder, manifest.build_id)


def _write_new(store: GraphStore, root: Path, folder: Path, build_id: str) -> Path:
    started = time.perf_counter()
    try:
        count = write_view(store, folder)
    except FileExistsError:  # another process wrote it first
        return folder
    except OSError as exc:
        if folder.is_dir():
            return folder
        raise StoreError(f"could not write the RDF view under {root}: {exc.strerror or exc}") from exc
    log.info("RDF view of build %s: %d triples in %.1f s", build_id, count, time.perf_counter() - started)
    _prune(root, build_id)
    return folder


def open_view(folder: Path) -> Store:
    """The view in ``folder``, read-only (several processes may open it at once)."""
    try:
        return Store.read_only(str(folder))
    except OSError as exc:
        raise StoreError(f"could not open the RDF view {folder}: {exc}") from exc
