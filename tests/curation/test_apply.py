"""``pmkg curate apply / approve / rollback / log``: which build answers, and the audit log that says why.

Real builds in a real PMKG_HOME (the starter with DO 2025-06-27 cut, the candidate DO 2025-12-23 cut)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.curation.conftest import DO_2025_12, DO_2026_07, curate_json
from tests.pmkg_cli import REPO, pmkg


def _current(home: Path) -> str:
    return str(json.loads(pmkg(home, "status", "--format", "json").stdout)["build_id"])


def _kept(home: Path) -> dict[str, bool]:
    return {b["build_id"]: b["current"] for b in json.loads(pmkg(home, "builds", "--format", "json").stdout)}


def _log(home: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = curate_json(home, "log")["entries"]  # type: ignore[assignment]
    return entries


def test_apply_promotes_the_candidate_diff_staged_without_rebuilding_and_records_who_and_why(fresh_home: Path) -> None:
    before = _current(fresh_home)
    diffed = curate_json(fresh_home, "diff", "--source", f"disease_ontology={DO_2025_12}", "--no-impact")
    step = curate_json(fresh_home, "apply", "--source", f"disease_ontology={DO_2025_12}", "-m", "DO December release",
                       "--tracker", "https://tracker.example/DO-12", "--curator", "alice")  # fmt: skip
    assert (step["action"], step["rebuilt"]) == ("apply", False)
    assert step["current_build"] == diffed["candidate_build"] == _current(fresh_home)
    entry, done = _log(fresh_home)[-2:]
    assert (done["action"], done["completes"], done["state"]) == ("complete", entry["seq"], "done")
    assert (entry["curator"], entry["action"], entry["message"]) == ("alice", "apply", "DO December release")
    assert (entry["state"], entry["outcome"]) == ("pending", "done")
    assert entry["tracker"] == "https://tracker.example/DO-12"
    assert (entry["before_build"], entry["after_build"]) == (before, diffed["candidate_build"])
    do = next(s for s in entry["sources"] if s["name"] == "disease_ontology")
    assert do["checksum"] == diffed["candidate"]["checksum"]
    assert entry["summary"]["terms"]["merged"] == 2
    assert entry["summary"]["graph_effect"] == {"migrate": 1, "hierarchy": 2}
    assert entry["previous_hash"] == "0" * 64


def test_rollback_returns_to_the_build_the_release_replaced_and_is_audited(fresh_home: Path) -> None:
    before = _current(fresh_home)
    applied = curate_json(fresh_home, "apply", "--source", f"disease_ontology={DO_2025_12}", "-m", "December",
                          "--curator", "alice")  # fmt: skip
    started = time.perf_counter()
    back = curate_json(fresh_home, "rollback", "-m", "Cowden syndrome answers wrong", "--curator", "bob")
    assert time.perf_counter() - started < 5  # a process start included; the flip itself is milliseconds
    assert (back["current_build"], back["previous_build"]) == (before, applied["current_build"])
    assert _current(fresh_home) == before
    entries = _log(fresh_home)
    assert [(e["action"], e["curator"], e["outcome"]) for e in entries] == [
        ("apply", "alice", "done"), ("complete", "alice", None), ("rollback", "bob", "done"), ("complete", "bob", None)
    ]  # fmt: skip
    assert entries[1]["previous_hash"] == entries[0]["hash"]
    # The staged/rolled-back-from build stays kept: rollback can go forward again by id.
    forward = curate_json(fresh_home, "rollback", applied["current_build"], "-m", "fixed upstream", "--curator", "bob")
    assert forward["current_build"] == applied["current_build"]


def test_two_person_review_stages_and_only_another_curator_approves(fresh_home: Path) -> None:
    review = {"PMKG_CURATION_REQUIRE_APPROVAL": "yes"}
    before = _current(fresh_home)
    staged = pmkg(fresh_home, "curate", "apply", "--source", f"disease_ontology={DO_2025_12}", "-m", "December",
                  "--curator", "alice", "--format", "json", env=review)  # fmt: skip
    step = json.loads(staged.stdout)
    assert step["action"] == "stage"
    assert step["current_build"] == before
    assert _current(fresh_home) == before
    candidate = step["staged_build"]
    same = pmkg(fresh_home, "curate", "approve", candidate, "-m", "ok", "--curator", "alice", env=review)
    assert same.returncode == 2
    assert "alice staged build" in same.stderr
    assert "another curator must approve" in same.stderr
    assert _current(fresh_home) == before
    other = pmkg(fresh_home, "curate", "approve", candidate, "-m", "checked the Cowden rows", "--curator", "bob",
                 "--format", "json", env=review)  # fmt: skip
    assert other.returncode == 0, other.stderr
    assert _current(fresh_home) == candidate
    assert [(e["action"], e["curator"]) for e in _log(fresh_home)] == [
        ("stage", "alice"), ("approve", "bob"), ("complete", "bob")
    ]  # fmt: skip
    again = pmkg(fresh_home, "curate", "approve", candidate, "-m", "twice", "--curator", "carol")
    assert again.returncode == 2
    assert "not a candidate awaiting approval" in again.stderr


def test_a_new_candidate_supersedes_the_unpromoted_one_and_keeps_the_rollback_target(
    fresh_home: Path,
) -> None:
    first = _current(fresh_home)
    applied = curate_json(fresh_home, "apply", "--source", f"disease_ontology={DO_2025_12}", "-m", "Dec",
                          "--curator", "alice")  # fmt: skip
    staged = curate_json(fresh_home, "apply", "--source", f"disease_ontology={DO_2026_07}", "-m", "Jul", "--stage",
                         "--curator", "alice")["staged_build"]  # fmt: skip
    # Diffing another release replaces the staged one (logged), never the build before the current one.
    other = curate_json(fresh_home, "diff", "--source", "disease_ontology=loaders/starter/disease_ontology",
                        "--no-impact", "--curator", "carol")  # fmt: skip
    kept = _kept(fresh_home)
    assert staged not in kept
    assert kept == {applied["current_build"]: True, first: False, other["candidate_build"]: False}
    assert [(e["action"], e["after_build"]) for e in _log(fresh_home)][-1] == ("supersede", staged)
    assert curate_json(fresh_home, "rollback", "-m", "back", "--curator", "bob")["current_build"] == first


def test_log_verify_detects_an_edited_a_removed_and_a_cut_off_entry(fresh_home: Path) -> None:
    curate_json(fresh_home, "apply", "--source", f"disease_ontology={DO_2025_12}", "-m", "December", "--curator", "a")
    curate_json(fresh_home, "rollback", "-m", "undo", "--curator", "b")
    curate_json(fresh_home, "rollback", "-m", "redo", "--curator", "c")
    ok = pmkg(fresh_home, "curate", "log", "--verify")
    assert ok.returncode == 0
    assert "hash chain intact" in ok.stdout
    path = fresh_home / "curation" / "audit.jsonl"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)

    path.write_text(original.replace('"message": "undo"', '"message": "routine"'), encoding="utf-8")
    edited = pmkg(fresh_home, "curate", "log", "--verify")
    assert edited.returncode == 1
    assert "entry 3 (rollback at" in edited.stderr  # 1 apply, 2 its completion, 3 the first rollback
    assert "was edited" in edited.stderr

    path.write_text(lines[0] + lines[2], encoding="utf-8")
    removed = pmkg(fresh_home, "curate", "log", "--verify")
    assert removed.returncode == 1
    assert "an entry was removed or reordered" in removed.stderr

    path.write_text(lines[0] + lines[1], encoding="utf-8")
    cut = pmkg(fresh_home, "curate", "log", "--verify")
    assert cut.returncode == 1
    assert "6 were written" in cut.stderr

    path.write_text(original[:-40], encoding="utf-8")
    damaged = pmkg(fresh_home, "curate", "log", "--verify")
    assert damaged.returncode == 2
    assert "audit.jsonl:6: not an audit entry" in damaged.stderr


def test_apply_needs_a_message_and_a_failed_apply_changes_nothing(fresh_home: Path, tmp_path: Path) -> None:
    before = _current(fresh_home)
    empty = pmkg(fresh_home, "curate", "apply", "--source", f"disease_ontology={DO_2025_12}", "-m", " ")
    assert empty.returncode == 2
    assert "say why with --message" in empty.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "HumanDO.tsv").write_text("id\tlabel\n")
    failed = pmkg(fresh_home, "curate", "apply", "--source", f"disease_ontology={broken}", "-m", "x")
    assert failed.returncode == 2
    assert "Traceback" not in failed.stderr
    assert _current(fresh_home) == before
    assert _kept(fresh_home) == {before: True}
    assert _log(fresh_home) == []


def test_an_apply_killed_midway_leaves_exactly_one_current_build_answering(fresh_home: Path) -> None:
    before = _current(fresh_home)
    env = {**os.environ, "PMKG_HOME": str(fresh_home), "PMKG_STORE": "embedded"}
    for delay in (1.0, 3.0):
        process = subprocess.Popen(
            [sys.executable, "-m", "queries.cli", "curate", "apply", "--source", f"disease_ontology={DO_2025_12}",
             "-m", "killed", "--curator", "k"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        current = [b for b, is_current in _kept(fresh_home).items() if is_current]
        assert len(current) == 1
        answer = pmkg(fresh_home, "match", "--variant", "BRAF V600E", "--disease", "melanoma", "--format", "json")
        assert answer.returncode == 0
        assert json.loads(answer.stdout)["therapies"]
        log_ok = pmkg(fresh_home, "curate", "log", "--verify")
        assert log_ok.returncode == 0, log_ok.stderr
        assert current[0] == before or any(e["after_build"] == current[0] for e in _log(fresh_home))
