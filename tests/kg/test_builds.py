"""A build never half-exists: interrupt one for real and check the previous build answers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import SchemaError
from kg.records import Edge, Node, Provenance
from kg.schema import Label, RelType
from kg.stores.port import Store
from tests.kg.stores import open_test_store

REPO = Path(__file__).resolve().parents[2]
PROV = (Provenance("seed", "1", "CC0-1.0", "r1", line=3),)
SEED = [
    Node("DOID:162", Label.DISEASE, "cancer", provenance=PROV),
    Node("DOID:1324", Label.DISEASE, "lung cancer", provenance=PROV),
    Edge("DOID:1324", RelType.SUBCLASS_OF, "DOID:162", provenance=PROV),
]


def _kill_build_halfway(kind: str, folder: Path, count: int) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.kg.interrupt_build", kind, str(folder), str(count)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "HALFWAY", f"build process said {line!r}"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)


def _finish_build(kind: str, folder: Path, count: int) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.kg.interrupt_build", kind, str(folder), str(count), "--finish"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("kind", ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_killed_build_leaves_previous_build_answering_and_rerun_completes(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest, list_source: Callable[..., object]
) -> None:
    if kind == "neo4j":
        request.getfixturevalue("neo4j_store")  # a clean, running Neo4j for this test
    folder = tmp_path / "graph"
    store: Store = open_test_store(kind, folder)
    seed = run_build(store, [list_source("seed", SEED)])  # type: ignore[list-item]

    _kill_build_halfway(kind, folder, 2000)

    assert store.current_build() == seed
    assert store.counts_by_label()["Disease"] == 2
    assert store.get_node("DOID:900000") is None
    assert store.find("bulk disease 1") == []
    assert store.ancestors(["DOID:1324"]) == {"DOID:162"}

    out = _finish_build(kind, folder, 2000)
    assert out.startswith("DONE")
    manifest = store.current_build()
    assert manifest is not None
    assert manifest.build_id != seed.build_id
    assert store.counts_by_label()["Disease"] == 2000
    assert store.get_node("DOID:900000") is not None
    assert store.get_node("DOID:162") is None  # a build is the whole graph: the seed build is gone
    store.close()


def test_failing_source_aborts_and_previous_build_answers(store: Store, list_source: Callable[..., object]) -> None:
    seed = run_build(store, [list_source("seed", SEED)])  # type: ignore[list-item]
    broken = list_source("seed2", [*SEED, Node("DOID:4", Label.DISEASE, "disease", provenance=PROV)], fail_after=2)
    with pytest.raises(RuntimeError, match="simulated failure"):
        run_build(store, [broken])  # type: ignore[list-item]
    assert store.current_build() == seed
    assert store.get_node("DOID:4") is None


def test_schema_breaking_record_is_named_and_nothing_changes(store: Store, list_source: Callable[..., object]) -> None:
    seed = run_build(store, [list_source("seed", SEED)])  # type: ignore[list-item]
    bad = Node("HGNC:1097", Label.DISEASE, "BRAF", provenance=(Provenance("civic", "1", "CC0-1.0", "G5", line=12),))
    with pytest.raises(SchemaError) as caught:
        run_build(store, [list_source("civic", [*SEED, bad])])  # type: ignore[list-item]
    message = str(caught.value)
    assert "HGNC:1097" in message
    assert "prefix HGNC: is not allowed for Disease" in message
    assert "line 12" in message
    assert "civic" in message
    assert store.current_build() == seed
    assert store.get_node("HGNC:1097") is None


def test_edge_to_a_node_no_source_defined_is_reported(store: Store, list_source: Callable[..., object]) -> None:
    dangling = Edge("DOID:1324", RelType.SUBCLASS_OF, "DOID:3908", provenance=PROV)
    with pytest.raises(SchemaError, match=r"point at nodes no source defined.*DOID:3908"):
        run_build(store, [list_source("seed", [*SEED, dangling])])  # type: ignore[list-item]
    assert store.current_build() is None


def test_edge_breaking_the_metagraph_is_reported(store: Store, list_source: Callable[..., object]) -> None:
    wrong = Edge("DOID:1324", RelType.TARGETS, "DOID:162", provenance=PROV)
    with pytest.raises(SchemaError, match=r"Disease -\[:TARGETS\]-> Disease is not in the schema"):
        run_build(store, [list_source("seed", [*SEED, wrong])])  # type: ignore[list-item]


def test_changed_loader_code_gives_a_new_build_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Same sources, same pmkg version, but an edited loader: the build must not pass for the
    # build already current (a Neo4j rebuild of the current id writes nothing).
    import importlib

    from kg.builds import code_fingerprint

    package = tmp_path / "myloaders"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "source.py").write_text("class Source:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("myloaders.source")
    before = code_fingerprint([module.Source()])
    assert code_fingerprint([module.Source()]) == before
    (package / "source.py").write_text("class Source:\n    version = 2\n")
    assert code_fingerprint([module.Source()]) != before
