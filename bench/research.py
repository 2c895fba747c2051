"""Researchers' surfaces: SPARQL on the RDF view vs plain rdflib, Cypher on Neo4j, view and export speed.

    python -m bench.research                  # embedded starter (+ Neo4j when PMKG_NEO4J_URI is set)
    python -m bench.research --repeat 20 --no-rdflib

Measured on the starter graph, in one run: the time to write the RDF view of a build; the
``pmkg export --format nt`` rate (triples/s, in-process); each cookbook question
(``docs/cookbook/*.rq``) warm, answered as what ``/sparql`` and ``pmkg sparql --format json`` hand to a
researcher, the SPARQL 1.1 Query Results JSON document: by Oxigraph from the on-disk view (p50/p95), by
Oxigraph from an in-memory copy of it (p50, what ``pmkg serve`` workers answer from once they have
copied the view, by default), and by plain rdflib (an in-memory ``Graph`` holding the same N-Triples, its
``result.serialize(format="json")``; its median over ``--rdflib-repeat`` runs, each stopped after
``--rdflib-cap`` seconds and then reported as "> N s", with the speed-ups as lower bounds "> N×").
The speed-ups are rdflib's time over Oxigraph's, in memory (like for like) and on disk; "same" says
whether rdflib's answer set is Oxigraph's.  With Neo4j, each cookbook ``.cypher`` warm (p50/p95) through
the read-only gateway (EXPLAIN check included), and whether its answer set is SPARQL's ("C=S").  Prints a
Markdown table; ``--record`` appends it to bench/RESULTS.md.

    python -m bench.research --rdflib-repeat 1   # the rdflib comparison: ~2 GB of memory, a few minutes
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import shutil
import signal
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.match import percentiles, time_each
from bench.run import RESULTS, machine
from kg.builds import run_build
from kg.rdf.export import export_lines, write_rdf
from kg.rdf.vocabulary import PREFIXES
from kg.stores.embedded import EmbeddedStore
from kg.stores.rdf import open_view, write_view
from loaders.registry import starter_loaders
from queries.gateways.sparql import execute

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cookbook"


def rdflib_json(graph: Any, query: str) -> bytes:
    """``query``'s answer from rdflib as a SPARQL 1.1 results JSON document (what a researcher receives)."""
    document: bytes = graph.query(query).serialize(format="json")
    return document


def json_answer_set(document: bytes | str) -> set[tuple[str, ...]]:
    """A SPARQL results JSON document's rows as a set of tuples of the terms' text (unbound: "")."""
    parsed = json.loads(document)
    names = parsed["head"]["vars"]
    return {tuple(row.get(n, {}).get("value", "") for n in names) for row in parsed["results"]["bindings"]}


def sparql_json(store: Any, query: str) -> bytes:
    """``query``'s answer from Oxigraph as a SPARQL 1.1 results JSON document, as /sparql sends it."""
    return execute(store, query, 10_000, "json").document


class _OverCap(Exception):
    pass


@contextmanager
def _time_cap(seconds: float) -> Iterator[None]:
    """Stop the code inside after ``seconds`` (rdflib is pure Python, so a signal interrupts it)."""

    def stop(signum: int, frame: object) -> None:
        raise _OverCap

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def rdflib_timing(graph: Any, query: str, repeat: int, cap: float) -> tuple[float | None, bytes]:
    """rdflib's median time for ``query`` in ms (None when a run passed ``cap`` seconds) and its JSON answer."""
    samples: list[float] = []
    document = b""
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        try:
            with _time_cap(cap):
                document = rdflib_json(graph, query)
        except _OverCap:
            return None, b""
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), document


def _rss_mb() -> float:
    """This process's resident memory in MB (Linux)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _speed_up(rdflib_ms: float | None, cap_ms: float, oxigraph_ms: float) -> str:
    if rdflib_ms is None:  # stopped: the speed-up is a lower bound
        return f"> {cap_ms / oxigraph_ms:,.0f}×"
    return f"{rdflib_ms / oxigraph_ms:,.0f}×"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--rdflib-repeat", type=int, default=3)
    parser.add_argument("--rdflib-cap", type=float, default=10.0, help="seconds before an rdflib run is stopped")
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="pmkg-bench-research-"))
    try:
        store = EmbeddedStore(work / "graph")
        run_build(store, starter_loaders())
        lines: list[str] = []

        started = time.perf_counter()
        triples = write_view(store, work / "view")
        view_s = time.perf_counter() - started
        lines.append(f"RDF view of the starter build: {triples:,} triples written in {view_s:.2f} s")

        sink = io.BytesIO()
        started = time.perf_counter()
        exported = write_rdf(export_lines(store), "nt", sink, "bench")
        export_s = time.perf_counter() - started
        lines.append(f"export nt: {exported:,} triples in {export_s:.2f} s = {exported / export_s:,.0f} triples/s")

        oxi = open_view(work / "view")
        rss_before = _rss_mb()
        started = time.perf_counter()
        oxi_memory = open_view(work / "view", in_memory=True)
        copy_s = time.perf_counter() - started
        rss_copy = _rss_mb() - rss_before
        started = time.perf_counter()
        del oxi_memory
        oxi_memory = open_view(work / "view", in_memory=True)  # the next copies load the first one's snapshot
        again_s = time.perf_counter() - started
        lines.append(
            f"in-memory copy of the view (pmkg serve's workers, in the background) made in {copy_s:.1f} s "
            f"(the next ones, from its snapshot: {again_s:.1f} s), resident memory +{rss_copy:,.0f} MB"
        )
        rdflib_graph = None
        if not args.no_rdflib:
            import rdflib

            started = time.perf_counter()
            rdflib_graph = rdflib.Graph()
            rdflib_graph.parse(data=sink.getvalue().decode(), format="nt")
            lines.append(f"rdflib in-memory Graph loaded in {time.perf_counter() - started:.1f} s")
        neo4j = None
        if os.environ.get("PMKG_NEO4J_URI"):
            from kg.stores.neo4j.store import Neo4jStore

            neo4j = Neo4jStore(os.environ["PMKG_NEO4J_URI"])
            current = neo4j.current_build()
            wanted = store.current_build()
            if current is None or wanted is None or current.build_id != wanted.build_id:
                run_build(neo4j, starter_loaders())

        lines.append(
            "Every SPARQL time is the answer as a SPARQL 1.1 results JSON document (what /sparql sends), in-process."
        )
        header = (
            "| question | SPARQL disk p50 ms | disk p95 ms | in-memory p50 ms | rdflib p50 ms "
            "| speed-up in memory | speed-up disk | same | Cypher p50 ms | Cypher p95 ms | C=S |"
        )
        rows = [header, "|---|---|---|---|---|---|---|---|---|---|---|"]
        print("\n".join(lines) + "\n\n" + "\n".join(rows), flush=True)  # rows follow as they are measured
        prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
        for rq in sorted(COOKBOOK.glob("*.rq")):
            query = rq.read_text()
            s50, s95 = percentiles(time_each(functools.partial(sparql_json, oxi, query), args.repeat))
            m50, _ = percentiles(time_each(functools.partial(sparql_json, oxi_memory, query), args.repeat))
            ours = json_answer_set(sparql_json(oxi, query))
            r50 = speed_memory = speed_disk = same = c50 = c95 = c_same = ""
            if rdflib_graph is not None:
                cap_ms = args.rdflib_cap * 1000
                rdflib_ms, document = rdflib_timing(rdflib_graph, prologue + query, args.rdflib_repeat, args.rdflib_cap)
                r50 = f"> {cap_ms:,.0f}" if rdflib_ms is None else f"{rdflib_ms:,.1f}"
                speed_memory, speed_disk = _speed_up(rdflib_ms, cap_ms, m50), _speed_up(rdflib_ms, cap_ms, s50)
                same = "?" if rdflib_ms is None else ("yes" if json_answer_set(document) == ours else "**no**")
            if neo4j is not None:
                from queries.gateways.cypher import run_cypher

                cypher = rq.with_suffix(".cypher").read_text()
                c50f, c95f = percentiles(time_each(functools.partial(run_cypher, neo4j, cypher), args.repeat))
                c50, c95 = f"{c50f:.1f}", f"{c95f:.1f}"
                answer = run_cypher(neo4j, cypher)
                c_same = "yes" if {tuple(str(v) for v in row) for row in answer.rows} == ours else "**no**"
            rows.append(
                f"| {rq.stem[:2]} | {s50:.2f} | {s95:.2f} | {m50:.2f} | {r50} | {speed_memory} | {speed_disk} "
                f"| {same} | {c50} | {c95} | {c_same} |"
            )
            print(rows[-1], flush=True)
        table = "\n".join(lines) + "\n\n" + "\n".join(rows)
        if args.record:
            stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            with RESULTS.open("a") as out:
                out.write(f"\n## {stamp} — researchers (issue 12)\n\nMachine: {machine()}  \n")
                out.write(f"Command: `python -m bench.research {' '.join(argv or [])}`\n\n{table}\n")
        if neo4j is not None:
            neo4j.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
