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

import contextlib
import itertools
import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Collection, Iterator
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

from kg.errors import StoreError
from kg.export import edges, nodes
from kg.rdf.mapping import graph_lines
from kg.rdf.vocabulary import vocabulary_turtle
from kg.stores.port import Store as GraphStore

log = logging.getLogger(__name__)

VOCABULARY_GRAPH = NamedNode("https://w3id.org/pmkg/vocab/")
_WRITING = threading.Lock()
# Lines per bulk load: big enough for Oxigraph's parallel parser, small enough to overlap with writing the next.
CHUNK_LINES = 250_000


def store_lines(store: GraphStore) -> Iterator[str]:
    """Every triple of the store's current build as an N-Triples line (see :mod:`kg.rdf.mapping`)."""
    return graph_lines(nodes(store), edges(store))


def view_folder(root: Path, build_id: str) -> Path:
    return root / build_id


def write_view(store: GraphStore, folder: Path) -> int:
    """Write the view of ``store``'s current build into ``folder`` (which must not exist); return the triple count.

    The graph goes into the default graph; the vocabulary (classes, predicates, comments) into
    the named graph ``pmkg:`` so that ``GRAPH pmkg: { … }`` reads the schema.  A thread turns
    the records into N-Triples chunks while Oxigraph bulk-loads the previous one (its loader
    releases the GIL); the lines are ours (IRIs percent-encoded by :mod:`kg.rdf.mapping`), so
    the loader skips re-validating IRIs (``lenient``).
    """
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    try:
        oxi = Store(str(tmp))
        count = _load_chunks(oxi, store_lines(store))
        oxi.bulk_load(vocabulary_turtle(), format=RdfFormat.TURTLE, to_graph=VOCABULARY_GRAPH)
        oxi.flush()
        oxi.optimize()
        del oxi
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return count


def _load_chunks(oxi: Store, lines: Iterator[str]) -> int:
    """Bulk-load ``lines`` into ``oxi`` chunk by chunk, the next chunk written while one loads; return the count."""
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()
    count = 0

    def produce() -> None:
        nonlocal count
        try:
            while not stop.is_set():
                batch = list(itertools.islice(lines, CHUNK_LINES))
                if not batch:
                    break
                count += len(batch)
                chunks.put("".join(batch).encode())
            chunks.put(None)
        except BaseException as exc:  # noqa: BLE001 -- handed to the loading thread, which raises it
            chunks.put(exc)

    writer = threading.Thread(target=produce, name="rdf-view-lines", daemon=True)
    writer.start()
    try:
        while (chunk := chunks.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            oxi.bulk_load(chunk, format=RdfFormat.N_TRIPLES, lenient=True)
    finally:
        stop.set()
        while writer.is_alive():  # unblock a writer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                chunks.get_nowait()
            writer.join(timeout=0.05)
    return count


def _prune(root: Path, keep: Collection[str]) -> None:
    """Delete the views of builds the store no longer keeps (and leftovers of interrupted writes)."""
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        if folder.name.startswith("."):
            if time.time() - folder.stat().st_mtime > 3600:  # an interrupted write, long dead
                shutil.rmtree(folder, ignore_errors=True)
        elif folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


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
    _prune(root, {build_id, *(info.build_id for info in store.list_builds())})
    return folder


def open_view(folder: Path) -> Store:
    """The view in ``folder``, read-only (several processes may open it at once)."""
    try:
        return Store.read_only(str(folder))
    except OSError as exc:
        raise StoreError(f"could not open the RDF view {folder}: {exc}") from exc
