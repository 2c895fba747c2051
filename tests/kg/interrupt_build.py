"""Run a build that stalls halfway, so a test can kill it (``python -m tests.kg.interrupt_build``).

Usage: ``interrupt_build.py STORE_KIND GRAPH_DIR N_NODES``.  Prints ``HALFWAY`` once half
the nodes were handed to the store, then waits to be killed.  With ``--finish`` it runs the
same build to completion instead (the rerun that must complete it); ``--small-batches``
makes a Neo4j commit write in batches of 100, slow enough to be killed while it writes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

from kg.builds import run_build
from kg.records import Node, Provenance, Record
from kg.stores.port import SourceInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.kg.stores import open_test_store

PROV = (Provenance("bulk", "2", "CC0-1.0", "row"),)


class StallingSource:
    def __init__(self, count: int, stall: bool) -> None:
        self.count = count
        self.stall = stall
        self.skipped_rows = 0

    @property
    def info(self) -> SourceInfo:
        return SourceInfo("bulk", "2", "CC0-1.0", checksum=f"bulk:{self.count}")

    def records(self) -> Iterator[Record]:
        from kg.schema import Label

        for i in range(self.count):
            if self.stall and i == self.count // 2:
                print("HALFWAY", flush=True)
                while True:
                    time.sleep(1)
            yield Node(f"DOID:{900000 + i}", Label.DISEASE, f"bulk disease {i}", provenance=PROV)


def main() -> None:
    kind, folder, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    finish = "--finish" in sys.argv
    store = open_test_store(kind, folder)
    if "--small-batches" in sys.argv:  # a slow commit, so a test can kill it while it writes
        from kg.stores.neo4j.store import Neo4jStore

        store = Neo4jStore.from_settings(batch_rows=100)
    # Small batches so that, for Neo4j, half the build really is written before the stall.
    manifest = run_build(store, [StallingSource(count, stall=not finish)], batch_size=100)
    print("DONE", manifest.build_id, flush=True)


if __name__ == "__main__":
    main()
