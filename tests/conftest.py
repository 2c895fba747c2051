"""Fixtures shared by every test package.

Sections: Neo4j (a running server and a clean store per test).  Embedded-store fixtures and
record sources live in ``tests/kg/conftest.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from kg.settings import get_settings
from kg.stores.embedded import EmbeddedStore
from kg.stores.neo4j.store import Neo4jStore
from kg.stores.port import Store
from tests.pmkg_cli import pmkg

REPO = Path(__file__).resolve().parents[1]

# Code that runs without a PMKG_HOME of its own (in this process or a child) writes its caches
# (liftover chains, disease names, RDF views) into a folder of this session, never the user's.
os.environ.setdefault("PMKG_HOME", tempfile.mkdtemp(prefix="pmkg-tests-home-"))

# -- Hypothesis ---------------------------------------------------------------------------
# scripts/test.sh (the CI command) sets PMKG_HYPOTHESIS_PROFILE=repeatable: every run draws the same examples, so a
# run passes or fails on the code, not on the draw (no per-example deadline either: speed is measured under bench/,
# not by timed tests on a shared machine).  A plain `pytest` explores new examples each time.
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.load_profile(os.environ.get("PMKG_HYPOTHESIS_PROFILE", "default"))

# -- Neo4j -------------------------------------------------------------------------------
# Tests that need Neo4j are marked ``@pytest.mark.neo4j`` and take ``neo4j_uri`` or
# ``neo4j_store``.  PMKG_NEO4J_URI (with PMKG_NEO4J_USER/PASSWORD) names a running server;
# without it the session starts its own with scripts/neo4j-test-server.sh, in a private
# state folder, and stops it at the end.  Each test starts from an empty database.

NEO4J_SERVER_SCRIPT = REPO / "scripts" / "neo4j-test-server.sh"


def start_neo4j_test_server(state_dir: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """Start a throwaway server; returns the variables ``start`` exports (PMKG_NEO4J_URI …)."""
    env = {**os.environ, "PMKG_NEO4J_STATE_DIR": str(state_dir), **(extra_env or {})}
    done = subprocess.run(
        [str(NEO4J_SERVER_SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=900, check=False
    )
    if done.returncode != 0:
        pytest.fail(
            f"could not start the Neo4j test server ({NEO4J_SERVER_SCRIPT} start):\n{done.stderr[-4000:]}\n"
            "Set PMKG_NEO4J_URI to a running Neo4j 5, or deselect these tests with -m 'not neo4j'.",
            pytrace=False,
        )
    exported = {}
    for line in done.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        if value:
            exported[name] = value
    return exported


def stop_neo4j_test_server(state_dir: Path, exported: dict[str, str]) -> None:
    env = {**os.environ, "PMKG_NEO4J_STATE_DIR": str(state_dir), **exported}
    subprocess.run([str(NEO4J_SERVER_SCRIPT), "stop"], env=env, capture_output=True, timeout=120, check=False)


NEO4J_USED: list[str] = []  # the URI the session's Neo4j tests ran against, for the summary


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Bolt URI of a Neo4j for this session; PMKG_NEO4J_URI is set to it for subprocesses too."""
    given = os.environ.get("PMKG_NEO4J_URI")
    if given:
        NEO4J_USED.append(given)
        yield given
        return
    state_dir = tmp_path_factory.mktemp("neo4j-test-server")
    exported = start_neo4j_test_server(state_dir)
    NEO4J_USED.append(exported["PMKG_NEO4J_URI"])
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PMKG_NEO4J_URI", exported["PMKG_NEO4J_URI"])
            get_settings.cache_clear()
            yield exported["PMKG_NEO4J_URI"]
        get_settings.cache_clear()
    finally:
        stop_neo4j_test_server(state_dir, exported)


def wipe_neo4j(uri: str) -> None:
    """Delete every node of the test database (constraints and indexes stay)."""
    import neo4j

    settings = get_settings()
    auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
    with neo4j.GraphDatabase.driver(uri, auth=auth) as driver, driver.session(database=settings.neo4j_database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture
def neo4j_store(neo4j_uri: str) -> Iterator[Neo4jStore]:
    """A :class:`kg.stores.neo4j.store.Neo4jStore` over an empty database."""
    wipe_neo4j(neo4j_uri)
    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store, once per adapter: the test runs on embedded and on Neo4j (store contract, builds, audit)."""
    if request.param == "embedded":
        embedded = EmbeddedStore(tmp_path / "graph")
        yield embedded
        embedded.close()
    else:
        yield request.getfixturevalue("neo4j_store")


# ---------------------------------------------------------------------------- reporting


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many Neo4j tests ran, so a run that skipped them cannot pass for one that did."""
    counts: dict[str, int] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if "neo4j" in getattr(report, "keywords", {}) and getattr(report, "when", "call") in ("call", "setup"):
                if outcome == "passed" and report.when != "call":
                    continue
                counts[outcome] = counts.get(outcome, 0) + 1
    ran = ", ".join(f"{n} {outcome}" for outcome, n in counts.items()) or "none"
    where = f" (real Neo4j at {NEO4J_USED[0]})" if NEO4J_USED else ""
    terminalreporter.write_line(f"neo4j-marked tests{where}: {ran}")


# -- the starter graph, built once by ``pmkg build`` --------------------------------------
@pytest.fixture(scope="session")
def starter_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """PMKG_HOME with the starter graph built once by ``pmkg build``; tests copy it before changing it."""
    home = tmp_path_factory.mktemp("pmkg-home")
    built = pmkg(home, "build", "--format", "json")
    assert built.returncode == 0, built.stderr
    return home, json.loads(built.stdout)


@pytest.fixture
def home_copy(starter_home: tuple[Path, dict[str, object]], tmp_path: Path) -> Path:
    """A copy of the starter home to change; without its RDF view (a cache of 100+ MB, written again on first use)."""
    copy = tmp_path / "home"
    shutil.copytree(starter_home[0], copy, symlinks=True, ignore=shutil.ignore_patterns("rdf"))
    return copy
