"""Rollback benchmark (issue 10): how long ``pmkg rollback`` takes on each store.

    python -m bench.rollback                      # the starter graph, embedded and Neo4j (a fresh test server)
    python -m bench.rollback --stores embedded    # embedded only
    python -m bench.rollback --repeat 5           # flips per store (each one a rollback to the other build)

Two builds are made: the starter graph and the starter graph without PharmCAT (a different build
of nearly the same size), then the current build is flipped between them ``--repeat`` times with
:meth:`~kg.stores.port.Store.rollback`; each flip is timed from the call to its return (promote
and reclaim included).  Targets: < 1 s embedded, < 5 s Neo4j.  A Neo4j flip relabels the nodes of
both builds in one transaction, so its time grows with the graph.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.run import fresh_neo4j, machine
from kg.builds import run_build
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store
from loaders.registry import starter_loaders


def _two_builds(store: Store) -> tuple[str, str, int]:
    """Build the starter, then the starter without its last source; returns both ids and the node count."""
    full = run_build(store, starter_loaders())
    loaders = starter_loaders()
    smaller = run_build(store, [loader for loader in loaders if loader.spec.name != "pharmcat"])
    return full.build_id, smaller.build_id, sum(full.counts.values())


def flip_times(store: Store, first: str, second: str, repeat: int) -> list[float]:
    """Seconds of each rollback, alternating between the two builds."""
    times = []
    for turn in range(repeat):
        target = first if turn % 2 == 0 else second
        started = time.perf_counter()
        store.rollback(target)
        times.append(time.perf_counter() - started)
        assert store.current_build().build_id == target  # type: ignore[union-attr]
    return times


def _report(name: str, nodes: int, times: list[float], target: float) -> None:
    print(
        f"{name:<9} {nodes:>8,} nodes  rollback median {statistics.median(times):.3f} s, "
        f"max {max(times):.3f} s over {len(times)} flips (target < {target:.0f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", default="embedded,neo4j", help="comma-separated: embedded, neo4j")
    parser.add_argument("--repeat", type=int, default=6, help="rollbacks per store")
    args = parser.parse_args()
    stores = {s.strip() for s in args.stores.split(",")}
    print(f"Machine: {machine()}\n")
    if "embedded" in stores:
        with tempfile.TemporaryDirectory(prefix="pmkg-bench-rollback-") as tmp:
            embedded = EmbeddedStore(Path(tmp) / "graph", keep_builds=3)
            first, second, nodes = _two_builds(embedded)
            _report("embedded", nodes, flip_times(embedded, first, second, args.repeat), 1)
            embedded.close()
    if "neo4j" in stores:
        from kg.stores.neo4j.store import Neo4jStore

        with fresh_neo4j() as uri:
            neo = Neo4jStore(uri, keep_builds=3)
            first, second, nodes = _two_builds(neo)
            _report("neo4j", nodes, flip_times(neo, first, second, args.repeat), 5)
            neo.close()


if __name__ == "__main__":
    main()
