"""A curation step killed between its promote and its audit entry left a promoted build that no audit entry
named.  Now the pending entry comes first: a process really SIGKILLed right before or right after the promote
(``tests.curation.interrupt_step``) leaves exactly one current build answering, an intact chain, and a log
that says whether the step took effect — on the embedded store and on a real Neo4j."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store
from queries.services.curation import CandidateRelease, apply_release, read_log, rollback
from tests.curation.interrupt_step import release
from tests.kg.stores import open_at_build, open_test_store
from tests.pmkg_cli import REPO


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def kind(request: pytest.FixtureRequest) -> str:
    if request.param == "neo4j":
        request.getfixturevalue("neo4j_store")  # an empty database, PMKG_NEO4J_URI set for the helper
    return str(request.param)


def _kill_during(kind: str, folder: Path, step: str, when: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.curation.interrupt_step", kind, str(folder), step, when],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == -9, done.stdout + done.stderr  # really killed, at that point


def _current(store: Store) -> list[str]:
    return [b.build_id for b in store.list_builds() if b.current]


def _answering(store: Store) -> str:
    node = store.get_node("DOID:900001")
    assert node is not None
    return node.name


@pytest.mark.parametrize("when", ["before", "after"])
def test_an_apply_killed_at_its_promote_is_audited_and_the_log_says_whether_it_took_effect(
    kind: str, when: str, tmp_path: Path
) -> None:
    folder = tmp_path / "graph"
    store = open_test_store(kind, folder)
    first = run_build(store, [release("1", 3)]).build_id
    _kill_during(kind, folder, "apply", when)
    store.close()
    store = open_test_store(kind, folder)
    try:
        current = _current(store)
        assert len(current) == 1
        assert _answering(store) == ("disease 2.1" if when == "after" else "disease 1.1")
        log = read_log(store, check=True)
        assert log.verified is True, log.problems
        applied, settled = log.entries
        assert (applied.action, applied.state, applied.before_build) == ("apply", "pending", first)
        assert applied.after_build == (current[0] if when == "after" else applied.after_build)
        expected = "recovered" if when == "after" else "not applied"
        assert (settled.action, settled.completes, settled.state) == ("complete", applied.seq, expected)
        assert applied.outcome == expected
        # The next step goes back from (or stays on) the build that really answers.
        back = rollback(store, None if when == "after" else first, curator="bob", message="after the kill")
        assert back.current_build == first
        assert _answering(store) == "disease 1.1"
        assert read_log(store, check=True).verified is True
    finally:
        store.close()


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_rollback_killed_at_its_promote_leaves_one_build_and_an_audited_outcome(
    kind: str, when: str, tmp_path: Path
) -> None:
    folder = tmp_path / "graph"
    store = open_test_store(kind, folder)
    first = run_build(store, [release("1", 3)]).build_id
    candidate = CandidateRelease("bulk", [release("2", 4)])
    second = apply_release(store, lambda b: open_at_build(store, b), candidate, curator="alice",
                           message="second release").current_build  # fmt: skip
    _kill_during(kind, folder, "rollback", when)
    store.close()
    store = open_test_store(kind, folder)
    try:
        assert _current(store) == [first if when == "after" else second]
        assert store.counts_by_label()["Disease"] == (3 if when == "after" else 4)
        log = read_log(store, check=True)
        assert log.verified is True, log.problems
        pending = log.entries[2]
        assert (pending.action, pending.state, pending.before_build, pending.after_build) == (
            "rollback", "pending", second, first
        )  # fmt: skip
        assert pending.outcome == ("recovered" if when == "after" else "not applied")
        assert [e.action for e in log.entries] == ["apply", "complete", "rollback", "complete"]
    finally:
        store.close()


def test_a_pending_entry_of_a_step_in_progress_is_not_judged_interrupted(tmp_path: Path) -> None:
    """`curate log` waits for the step lock a live step holds rather than record its step as not applied."""
    store = EmbeddedStore(tmp_path / "graph")
    run_build(store, [release("1", 3)])
    from queries.services.curation import audit_log

    log = audit_log(store)
    with log.step_lock():
        log.append(curator="alice", action="rollback", state="pending", message="live", before_build="a",
                   after_build="b")  # fmt: skip
        reader = subprocess.Popen(
            [sys.executable, "-c", "import sys; from kg.stores.embedded import EmbeddedStore; "
             "from queries.services.curation import read_log; "
             "print(len(read_log(EmbeddedStore(sys.argv[1])).entries))", str(tmp_path / "graph")],
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        with pytest.raises(subprocess.TimeoutExpired):
            reader.wait(timeout=2)  # blocked on the lock while the step is live
        log.append(curator="alice", action="complete", state="done", completes=1, message="done",
                   before_build="a", after_build="b")  # fmt: skip
    out, _ = reader.communicate(timeout=60)
    assert out.strip() == "2"  # no "not applied" completion was added
    store.close()
