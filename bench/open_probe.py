"""Measure, in a fresh process, how long opening a saved embedded graph takes and its peak memory.

Prints one JSON line: {"open_s": …, "first_query_s": …, "peak_rss_mb": …, "nodes": …}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from kg.stores.embedded import EmbeddedStore


def _peak_rss_mb() -> float:
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak across exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    folder, verify = Path(sys.argv[1]), sys.argv[2] == "verify"
    started = time.perf_counter()
    store = EmbeddedStore(folder, verify=verify)
    manifest = store.current_build()
    opened = time.perf_counter()
    store.ancestors(["DOID:20000"])
    store.evidence_for([f"PMKG:variant/G{i % 40_000}:V{i}" for i in range(0, 500_000, 10_000)])
    queried = time.perf_counter()
    print(
        json.dumps(
            {
                "open_s": opened - started,
                "first_query_s": queried - opened,
                "peak_rss_mb": _peak_rss_mb(),
                "nodes": sum(manifest.counts.values()) if manifest else 0,
            }
        )
    )


if __name__ == "__main__":
    main()
