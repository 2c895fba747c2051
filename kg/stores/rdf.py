"""The RDF view of a build: the same records as triples, in an Oxigraph store on disk.

One view per build, in ``<PMKG_HOME>/rdf/<build id>/``: the view of the build that answers is
the one SPARQL reads, so a promoted or rolled-back build brings its own view along and a failed
build never touches the view that answers.  A view is written once (:func:`ensure_view`, from
any :class:`~kg.stores.port.Store`: embedded or Neo4j give the same triples) into a temporary
folder that is renamed into place only when complete; readers open it read-only, so several
processes may query it at once.  Long-lived readers copy it into memory (:func:`memory_copy`); the
first copy leaves the N-Quads it read beside the store for the next ones.

This module writes and opens views; it never runs a caller's query (see
:mod:`queries.gateways.sparql` for limits and time-outs).
"""

from __future__ import annotations

import io
import logging
import os
import queue
import shutil
import threading
import time
import traceback
from collections.abc import Collection, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any, BinaryIO, cast

from pyoxigraph import NamedNode, RdfFormat, Store

from kg.collector import cyclic_gc_paused
from kg.errors import StoreError
from kg.export import edges, nodes
from kg.rdf.mapping import graph_chunks
from kg.rdf.vocabulary import vocabulary_turtle
from kg.stores.port import Store as GraphStore

log = logging.getLogger(__name__)

VOCABULARY_GRAPH = NamedNode("https://w3id.org/pmkg/vocab/")
_WRITING = threading.Lock()
# Lines per bulk load: small enough that loading starts early and the loads spread over both cores, big
# enough that the compaction that merges them (``optimize``) stays short.
CHUNK_LINES = 250_000
LOADERS = 2


def view_folder(root: Path, build_id: str) -> Path:
    return root / build_id


def write_view(store: GraphStore, folder: Path) -> int:
    """Write the view of ``store``'s current build into ``folder`` (which must not exist); return the triple count.

    The graph goes into the default graph; the vocabulary (classes, predicates, comments) into
    the named graph ``pmkg:`` so that ``GRAPH pmkg: { … }`` reads the schema.  This thread turns
    the records into N-Triples chunks while :data:`LOADERS` threads bulk-load the chunks already
    written (Oxigraph's loader releases the GIL, so the two cores are both at work); the lines
    are ours (IRIs percent-encoded by :mod:`kg.rdf.mapping`), so the loader skips re-validating
    IRIs (``lenient``).  Each chunk lands as its own sorted files, so the store is then compacted
    (``optimize``): the cookbook's questions answer about 40% faster from one sorted run.
    """
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    oxi: Store | None = None
    try:
        oxi = Store(str(tmp))
        count = _load_chunks(oxi, graph_chunks(nodes(store), edges(store), CHUNK_LINES))
        oxi.bulk_load(vocabulary_turtle(), format=RdfFormat.TURTLE, to_graph=VOCABULARY_GRAPH)
        oxi.flush()
        oxi.optimize()
        oxi = None  # closed: readers may open it
        os.replace(tmp, folder)
    except BaseException as exc:
        # The store is closed before its folder goes (an open one goes on writing there: compactions, its
        # manifest on close), so the frames the error passed through let go of it too.
        oxi = None
        traceback.clear_frames(exc.__traceback__)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return count


def _load_chunks(oxi: Store, chunks: Iterator[list[str]]) -> int:
    """Bulk-load ``chunks`` into ``oxi``, several at once, while the next are written; return the line count."""
    loaded: queue.Queue[str | None] = queue.Queue(maxsize=LOADERS)
    failures: list[BaseException] = []

    def load() -> None:
        while (text := loaded.get()) is not None:
            if failures:
                continue  # drain: a chunk failed or the writer stopped
            try:
                oxi.bulk_load(text, format=RdfFormat.N_TRIPLES, lenient=True)
            except BaseException as exc:  # noqa: BLE001 -- raised in the writing thread below
                failures.append(exc)

    loaders = [threading.Thread(target=load, name=f"rdf-view-load-{n}", daemon=True) for n in range(LOADERS)]
    for thread in loaders:
        thread.start()
    count = 0
    try:
        with cyclic_gc_paused():  # records and lines are short-lived and acyclic: 0.4 s of 2 s (kg.collector)
            for chunk in chunks:
                if failures:
                    break
                count += len(chunk)
                loaded.put("".join(chunk))
    except BaseException as exc:
        failures.append(exc)
        raise
    finally:
        for _ in loaders:
            loaded.put(None)
        for thread in loaders:
            thread.join()
    if failures:
        raise failures[0]
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


def open_view(folder: Path, *, in_memory: bool = False) -> Store:
    """The view in ``folder``, read-only (several processes may open it at once).

    ``in_memory``: a copy of the view in this process's memory instead (:func:`memory_copy`).
    """
    try:
        disk = Store.read_only(str(folder))
    except OSError as exc:
        raise StoreError(f"could not open the RDF view {folder}: {exc}") from exc
    return memory_copy(disk, folder) if in_memory else disk


def memory_copy(disk: Store, folder: Path) -> Store:
    """A copy of the view ``disk`` (opened from ``folder``) in this process's memory, for long-lived readers.

    Every term the on-disk store hands out is a read of its string table (IRIs are never inlined, only
    short literals), and every pattern a seek in its indexes: in memory the cookbook's questions answer
    1.5-5x faster (04, an aggregate, no faster), for about 420 MB per copy of the starter graph (Oxigraph's
    in-memory store).  Nothing is written to the view itself.

    Reading the view back is most of a copy's cost (decoding a million quads' strings: ~4 s of 5.5), so
    the first copy of a view also leaves the N-Quads it read beside the store (:data:`SNAPSHOT`, 130 MB for
    the starter graph; RocksDB ignores files it did not name, and the folder goes with its build), and the
    next copies (the other workers, a worker replacing one killed for a time-out) load that instead: ~2.3 s.
    Either way the quads go in through :func:`_load_copy`.
    """
    snapshot = folder / SNAPSHOT
    if snapshot.is_file():
        memory = Store()
        try:
            _load_copy(memory, str(snapshot))
            return memory
        except (OSError, SyntaxError, ValueError) as exc:  # unreadable: copy from the store as the first did
            log.warning("RDF view snapshot %s unreadable (%s); copying from the view", snapshot, exc)
    return _copy_through_pipe(disk, snapshot)


SNAPSHOT = "pmkg-view.nq"


def _load_copy(memory: Store, source: str | BinaryIO) -> None:
    """Load the N-Quads of ``source`` (a path or a stream) into the in-memory store ``memory``, in one transaction.

    Not ``bulk_load``: copying the starter graph's view, a bulk load peaked ~210 MB above what the copy then
    holds (+565 MB for a copy of +344 MB; each ``pmkg serve`` worker makes one), one transaction ~30 MB above
    (+357 MB for +327 MB), with 5-10% less CPU from the snapshot.  What a bulk load frees also stays behind
    in the loading thread's malloc arena: every later allocation there searches it (glibc's ``_int_malloc``
    was half the CPU time of cookbook question 08), so a copy bulk-loaded on a process's main thread answered
    08 2x and 03, 07, 15 5-8% slower than one bulk-loaded in a thread, as workers do; bench.research copies
    on its main thread, and now measures what the workers answer.
    """
    if isinstance(source, str):
        memory.load(path=source, format=RdfFormat.N_QUADS, lenient=True)
    else:
        memory.load(source, format=RdfFormat.N_QUADS, lenient=True)


class _Tee(io.RawIOBase):
    """Where a dump goes: the pipe to the loader, and the file while it can be written (a full disk stops the file)."""

    def __init__(self, pipe: BinaryIO, file: BinaryIO | None) -> None:
        self.pipe, self.file = pipe, file

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.file is not None:
            try:
                self.file.write(data)
            except OSError:
                self.file = None
        return self.pipe.write(data)


def _copy_through_pipe(disk: Store, snapshot: Path) -> Store:
    """Dump ``disk`` through a pipe into an in-memory store loading in this thread, and into ``snapshot``.

    The dump (in its own thread) and the load overlap (5.4 s on a loaded machine against 6.2 s
    dump-then-load) without holding the N-Quads text in memory.  The snapshot is written aside and renamed
    into place only when the dump is complete, so a reader never loads half of one.
    """
    memory = Store()
    for stale in snapshot.parent.glob(f".{snapshot.name}.*.tmp"):  # left by a worker killed while it copied
        with suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
    partial = snapshot.with_name(f".{snapshot.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        file: BinaryIO | None = partial.open("wb")
    except OSError:  # a view folder this process may not write: copies go on without a snapshot
        file = None
    read_end, write_end = os.pipe()
    failures: list[BaseException] = []
    with os.fdopen(read_end, "rb") as reader, os.fdopen(write_end, "wb") as writer:

        def dump() -> None:
            try:
                disk.dump(cast(BinaryIO, _Tee(writer, file)), format=RdfFormat.N_QUADS)
            except BaseException as exc:  # noqa: BLE001 -- raised in the calling thread below
                failures.append(exc)
            finally:
                with suppress(OSError):  # the loader stopped reading: it raises its own error
                    writer.close()  # end of the stream for the loader

        dumper = threading.Thread(target=dump, name="rdf-view-dump", daemon=True)
        dumper.start()
        try:
            _load_copy(memory, reader)
        except BaseException as exc:  # noqa: BLE001 -- after a failed dump's error, which says why the stream broke
            failures.append(exc)
        finally:
            reader.close()  # a dump still writing gets a broken pipe rather than waiting forever
            dumper.join()
    _keep_snapshot(file, partial, snapshot, complete=not failures)
    if failures:
        raise failures[0]
    return memory


def _keep_snapshot(file: BinaryIO | None, partial: Path, snapshot: Path, *, complete: bool) -> None:
    if file is None:
        return
    try:
        file.close()
        if complete:
            os.replace(partial, snapshot)
    except OSError:
        pass
    finally:
        partial.unlink(missing_ok=True)
