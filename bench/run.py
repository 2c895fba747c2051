"""pmkg benchmarks: one command, a printed table, results appended to bench/RESULTS.md.

    python -m bench.run                       # embedded at full scale, Neo4j at 0.2 scale
    python -m bench.run --scale 0.1 --stores embedded

Measures, per store: load rate through ``run_build`` (records/s, records generated
beforehand so only validation and the store are timed), open time and peak memory of a
saved embedded graph in a fresh process, and warm p50/p95 of "ancestors of a disease" and
"evidence for 50 variants".  Neo4j is a fresh test server the benchmark starts and stops
(``scripts/neo4j-test-server.sh``), so every run loads into an empty database.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from bench.synthetic import Shape, SyntheticSource, disease_id, variant_id
from kg.builds import run_build
from kg.records import Record
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import SourceInfo, Store

RESULTS = Path(__file__).with_name("RESULTS.md")


class FrozenSource:
    """The synthetic records, generated once, replayed for each store."""

    skipped_rows = 0

    def __init__(self, info: SourceInfo, records: Sequence[Record]) -> None:
        self.info = info
        self._records = records

    def records(self) -> Iterator[Record]:
        return iter(self._records)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


def _time_each(action: Callable[[], object], repeat: int) -> list[float]:
    action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def measure_lookups(store: Store, shape: Shape, repeat: int, seed: int = 11) -> dict[str, float]:
    rng = random.Random(seed)
    diseases = [disease_id(rng.randrange(shape.diseases)) for _ in range(repeat)]
    variant_sets = [[variant_id(rng.randrange(shape.variants)) for _ in range(50)] for _ in range(repeat)]
    d_iter, v_iter = iter(diseases * 2), iter(variant_sets * 2)
    ancestors = _time_each(lambda: store.ancestors([next(d_iter)]), repeat)
    evidence = _time_each(lambda: store.evidence_for(next(v_iter)), repeat)
    a50, a95 = _percentiles(ancestors)
    e50, e95 = _percentiles(evidence)
    return {"ancestors_p50_ms": a50, "ancestors_p95_ms": a95, "evidence50_p50_ms": e50, "evidence50_p95_ms": e95}


def bench_store(name: str, store: Store, shape: Shape, repeat: int) -> dict[str, float | str]:
    source = SyntheticSource(shape)
    records = list(source.records())
    frozen = FrozenSource(source.info, records)
    started = time.perf_counter()
    run_build(store, [frozen])
    load_s = time.perf_counter() - started
    row: dict[str, float | str] = {
        "store": name,
        "nodes": shape.nodes,
        "records": len(records),
        "load_s": load_s,
        "load_rate": len(records) / load_s,
    }
    del records, frozen
    row.update(measure_lookups(store, shape, repeat))
    return row


def probe_open(folder: Path, verify: bool) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.open_probe", str(folder), "verify" if verify else "trust"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


SERVER_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-test-server.sh"


@contextlib.contextmanager
def fresh_neo4j() -> Iterator[str]:
    """A new, empty Neo4j test server for the benchmark: a load into it is measured from scratch
    (not skipped as a rebuild of the current build, nor slowed by deleting an old one)."""
    state = Path(tempfile.mkdtemp(prefix="pmkg-bench-neo4j-"))
    env = {**os.environ, "PMKG_NEO4J_STATE_DIR": str(state)}
    started = subprocess.run([str(SERVER_SCRIPT), "start"], env=env, capture_output=True, text=True, check=True)
    exported = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    try:
        yield exported["PMKG_NEO4J_URI"]
    finally:
        subprocess.run([str(SERVER_SCRIPT), "stop"], env={**env, **exported}, capture_output=True, check=False)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GiB, Python {platform.python_version()}"


def table(rows: list[dict[str, float | str]]) -> str:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            cells.append(
                f"{value:,.2f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)
            )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="embedded graph size (1.0 ≈ 2.1M nodes)")
    parser.add_argument("--neo4j-scale", type=float, default=0.2, help="Neo4j graph size")
    parser.add_argument("--stores", default="embedded,neo4j", help="comma-separated: embedded, neo4j")
    parser.add_argument("--repeat", type=int, default=1000, help="samples per latency measurement")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    stores = args.stores.split(",")
    rows: list[dict[str, float | str]] = []
    notes: list[str] = []
    if "embedded" in stores:
        with tempfile.TemporaryDirectory(prefix="pmkg-bench-") as tmp:
            folder = Path(tmp) / "graph"
            store = EmbeddedStore(folder)
            row = bench_store("embedded", store, Shape.at(args.scale), args.repeat)
            row["build_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            row["file_mb"] = (folder / "graph.pmkg").stat().st_size / 2**20
            for verify in (True, False):
                opened = probe_open(folder, verify)
                suffix = "" if verify else "_nocrc"
                row[f"open_s{suffix}"] = opened["open_s"]
                row[f"open_peak_rss_mb{suffix}"] = opened["peak_rss_mb"]
            rows.append(row)
    if "neo4j" in stores:
        from kg.stores.neo4j.store import Neo4jStore

        with fresh_neo4j() as uri:
            neo = Neo4jStore(uri)
            try:
                rows.append(bench_store("neo4j", neo, Shape.at(args.neo4j_scale), max(100, args.repeat // 5)))
            finally:
                neo.close()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = f"## {when}\n\nMachine: {machine()}  \nCommand: `python -m bench.run {' '.join(argv or sys.argv[1:])}`\n\n"
    report += table(rows) + "\n" + "".join(f"\n- {note}" for note in notes) + "\n"
    print(report)
    if not args.no_record:
        existing = (
            RESULTS.read_text()
            if RESULTS.exists()
            else "# Benchmark results\n\nNewest last. Targets are in each issue.\n"
        )
        RESULTS.write_text(existing.rstrip("\n") + "\n\n" + report)


if __name__ == "__main__":
    main()
