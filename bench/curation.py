"""Curation benchmark (issue 13): diff + impact of a release on the starter graph, and a rollback.

    python -m bench.curation                                   # DO and CIViC releases from ../shared/data
    python -m bench.curation --do PATH --civic PATH            # other releases (folders the loaders read)
    python -m bench.curation --skip-civic                      # the Disease Ontology case only

In a fresh embedded PMKG_HOME the starter graph is built (not timed).  Then, each timed from the call to
its return, exactly as `pmkg curate diff --source NAME=PATH` runs it: the candidate is staged (a build
with the starter's other sources), its terms or evidence items are diffed, and the default patient panel
runs on both builds.  Finally the candidate is applied and `curate rollback` returns to the starter.
Targets: DO release < 15 s, CIViC release < 30 s, rollback < 1 s (embedded).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.run import machine

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEFAULT_DO = SHARED / "ontologies" / "disease_ontology_releases" / "v2025-12-23"
DEFAULT_CIVIC = SHARED / "civic" / "release_01-Aug-2024"


def _diff(name: str, path: Path, target: float) -> str:
    from kg.stores import open_store
    from loaders.registry import loaders_for_recipe
    from queries.services.curation import audit_log, candidate_release, diff_release

    store = open_store("embedded")
    started = time.perf_counter()
    release = candidate_release(store, name, path, loaders_for_recipe)
    report = diff_release(store, lambda build: open_store("embedded", build=build), release,
                          log=audit_log(store), curator="bench")  # fmt: skip
    seconds = time.perf_counter() - started
    impact = report.impact
    queries = (f"{impact.queries:,} queries ({impact.skipped:,} skipped: no difference reaches them), "
               f"{impact.changed_queries:,} answers change" if impact else "no impact")  # fmt: skip
    print(f"{name:<17} diff + impact {seconds:6.1f} s (target < {target:.0f} s): {queries}; "
          f"impact alone {impact.seconds if impact else 0:.1f} s")  # fmt: skip
    store.close()
    return report.candidate_build


def _rollback(candidate: str) -> None:
    from kg.stores import open_store
    from queries.services.curation import rollback

    store = open_store("embedded")
    store.promote(candidate)  # as `pmkg curate apply` of the staged candidate does
    started = time.perf_counter()
    step = rollback(store, None, curator="bench", message="bench rollback")
    seconds = time.perf_counter() - started
    print(f"rollback          {seconds:6.3f} s (target < 1 s): back to {step.current_build}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--do", type=Path, default=DEFAULT_DO, help="a Disease Ontology release folder")
    parser.add_argument("--civic", type=Path, default=DEFAULT_CIVIC, help="a CIViC release folder")
    parser.add_argument("--skip-civic", action="store_true")
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    with tempfile.TemporaryDirectory(prefix="pmkg-bench-curation-") as home:
        os.environ["PMKG_HOME"] = home
        os.environ["PMKG_STORE"] = "embedded"
        from kg.builds import run_build
        from kg.settings import get_settings
        from kg.stores import open_store
        from loaders.registry import starter_loaders

        get_settings.cache_clear()
        store = open_store("embedded")
        run_build(store, starter_loaders())
        store.close()
        candidate = _diff("disease_ontology", args.do, 15)
        if not args.skip_civic:
            candidate = _diff("civic", args.civic, 30)
        _rollback(candidate)


if __name__ == "__main__":
    main()
