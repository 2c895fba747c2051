"""Starter-graph benchmarks (issue 3): parse throughput per source and the whole starter build.

    python -m bench.starter            # embedded, and Neo4j on a fresh test server

Parse throughput is records/s of each bundled source's ``parse()`` alone (gzip and parsing,
no store), and for the tabular sources also data lines/s of their largest file.
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
import time
from pathlib import Path

from bench.run import fresh_neo4j, machine
from kg.builds import run_build
from kg.stores.embedded import EmbeddedStore
from loaders.base import Loader
from loaders.registry import starter_loaders


def _lines(path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return sum(1 for _ in handle)


def parse_rates(loaders: list[Loader]) -> list[tuple[str, int, float, str]]:
    rows = []
    for loader in loaders:
        started = time.perf_counter()
        count = sum(1 for _ in loader.records())
        seconds = time.perf_counter() - started
        largest = max(loader.paths.values(), key=lambda p: p.stat().st_size)
        lines = _lines(largest) if largest.name.endswith((".tsv.gz", ".txt.gz", ".tsv", ".txt")) else 0
        note = f"{largest.name}: {lines:,} lines" if lines else largest.name
        rows.append((loader.spec.name, count, seconds, note))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-neo4j", action="store_true", help="skip the Neo4j starter build")
    args = parser.parse_args()
    loaders = starter_loaders()
    list(loaders[0].records())  # warm the gene table every loader shares
    print(f"Machine: {machine()}\n")
    print(f"{'source':<20}{'records':>10}{'seconds':>9}{'records/s':>12}  largest file")
    for name, count, seconds, note in parse_rates(starter_loaders()):
        print(f"{name:<20}{count:>10,}{seconds:>9.2f}{count / seconds:>12,.0f}  {note}")
    with tempfile.TemporaryDirectory(prefix="pmkg-bench-starter-") as tmp:
        started = time.perf_counter()
        manifest = run_build(EmbeddedStore(Path(tmp) / "graph"), starter_loaders())
        print(f"\nstarter build, embedded: {time.perf_counter() - started:.1f} s "
              f"({sum(manifest.counts.values()):,} nodes; target < 30 s)")  # fmt: skip
    if not args.no_neo4j:
        from kg.stores.neo4j.store import Neo4jStore

        with fresh_neo4j() as uri:
            store = Neo4jStore(uri)
            started = time.perf_counter()
            run_build(store, starter_loaders())
            print(f"starter build, Neo4j:    {time.perf_counter() - started:.1f} s (target < 120 s)")
            store.close()


if __name__ == "__main__":
    main()
