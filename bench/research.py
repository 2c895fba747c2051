"""Researchers' surfaces: SPARQL on the RDF view vs plain rdflib, Cypher on Neo4j, view and export speed.

    python -m bench.research                  # embedded starter (+ Neo4j when PMKG_NEO4J_URI is set)
    python -m bench.research --repeat 20 --no-rdflib

Measured on the starter graph, in one run: the time to write the RDF view of a build; the
``pmkg export --format nt`` rate (triples/s, in-process); each cookbook question
(``docs/cookbook/*.rq``) warm in Oxigraph (p50/p95) and the same query in plain rdflib (an
in-memory ``Graph`` holding the same N-Triples; its median over ``--rdflib-repeat`` runs, each
stopped after ``--rdflib-cap`` seconds and then reported as "> N s", with the speed-up as a lower
bound "> N×"; "same" says whether rdflib's answer set is Oxigraph's); with Neo4j, each cookbook
``.cypher`` warm (p50/p95) through the read-only gateway (EXPLAIN check included).  Prints a
Markdown table; ``--record`` appends it to bench/RESULTS.md.

    python -m bench.research --rdflib-repeat 1   # the rdflib comparison: ~2 GB of memory, a few minutes
"""

from __future__ import annotations

import argparse
import functools
import io
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
from queries.gateways.sparql import SparqlAnswer, execute

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cookbook"


def rdflib_rows(graph: Any, query: str) -> list[Any]:
    """Every row of ``query`` in rdflib (its SELECT results are lazy)."""
    return list(graph.query(query))


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


def rdflib_timing(graph: Any, query: str, repeat: int, cap: float) -> tuple[float | None, list[Any]]:
    """rdflib's median time for ``query`` in ms (None when a run passed ``cap`` seconds) and its rows."""
    samples: list[float] = []
    rows: list[Any] = []
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        try:
            with _time_cap(cap):
                rows = rdflib_rows(graph, query)
        except _OverCap:
            return None, []
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), rows


def _same_answer(oxigraph: SparqlAnswer, rdflib_rows: list[Any]) -> bool:
    """Whether rdflib's rows are Oxigraph's, as sets of the terms' text."""
    ours = {tuple("" if t is None else t[1] for t in row) for row in oxigraph.rows}
    theirs = {tuple("" if t is None else str(t) for t in row) for row in rdflib_rows}
    return ours == theirs


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

        header = (
            "| question | SPARQL p50 ms | SPARQL p95 ms | rdflib p50 ms | speed-up | same "
            "| Cypher p50 ms | Cypher p95 ms |"
        )
        rows = [header, "|---|---|---|---|---|---|---|---|"]
        print("\n".join(lines) + "\n\n" + "\n".join(rows), flush=True)  # rows follow as they are measured
        for rq in sorted(COOKBOOK.glob("*.rq")):
            query = rq.read_text()
            s50, s95 = percentiles(time_each(functools.partial(execute, oxi, query, 10_000), args.repeat))
            r50 = speed = same = c50 = c95 = ""
            if rdflib_graph is not None:
                prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
                rdflib_ms, answer = rdflib_timing(rdflib_graph, prologue + query, args.rdflib_repeat, args.rdflib_cap)
                if rdflib_ms is None:  # stopped: its time and the speed-up are lower bounds
                    cap_ms = args.rdflib_cap * 1000
                    r50, speed, same = f"> {cap_ms:,.0f}", f"> {cap_ms / s50:,.0f}×", "?"
                else:
                    r50, speed = f"{rdflib_ms:,.1f}", f"{rdflib_ms / s50:,.0f}×"
                    same = "yes" if _same_answer(execute(oxi, query, 10_000), answer) else "**no**"
            if neo4j is not None:
                from queries.gateways.cypher import run_cypher

                cypher = rq.with_suffix(".cypher").read_text()
                c50f, c95f = percentiles(time_each(functools.partial(run_cypher, neo4j, cypher), args.repeat))
                c50, c95 = f"{c50f:.1f}", f"{c95f:.1f}"
            rows.append(f"| {rq.stem[:2]} | {s50:.2f} | {s95:.2f} | {r50} | {speed} | {same} | {c50} | {c95} |")
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
