"""Apply, rollback and the audit log on both stores: embedded (a file under PMKG_HOME) and a real Neo4j
(``PmkgAudit`` nodes that no build holds), each tamper-evident."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kg.builds import run_build
from kg.records import Node, Provenance
from kg.schema import Label
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store
from queries.services.curation import CandidateRelease, apply_release, audit_log, read_log, rollback
from tests.kg.conftest import ListSource, cypher  # noqa: F401  (the fixture, for Neo4j tampering)
from tests.kg.stores import open_at_build

PB = (Provenance("bulk", "1", "CC0-1.0", "row"),)


def _release(version: str, count: int) -> ListSource:
    diseases = [
        Node(f"DOID:{900000 + i}", Label.DISEASE, f"disease {version}.{i}", provenance=PB) for i in range(count)
    ]
    return ListSource("bulk", diseases, version=version)


def _tamper(store: Store, request: pytest.FixtureRequest) -> None:
    """Change the message of entry 1 where the log lives, as someone with write access could."""
    if isinstance(store, EmbeddedStore):
        path = store.folder.parent / "curation" / "audit.jsonl"
        path.write_text(path.read_text(encoding="utf-8").replace("first release", "nothing to see"), encoding="utf-8")
        return
    run: Callable[..., list[dict[str, Any]]] = request.getfixturevalue("cypher")
    run("MATCH (a:PmkgAudit {seq: 1}) SET a.entry = replace(a.entry, 'first release', 'nothing to see')")


def test_apply_rollback_and_a_tampered_entry_on_each_store(store: Store, request: pytest.FixtureRequest) -> None:
    first = run_build(store, [_release("1", 3)])
    step = apply_release(store, lambda build: open_at_build(store, build), CandidateRelease("bulk", [_release("2", 4)]),
                         curator="alice", message="first release", tracker="https://t.example/1")  # fmt: skip
    assert step.action == "apply"
    assert store.counts_by_label()["Disease"] == 4
    back = rollback(store, None, curator="bob", message="undo it")
    assert back.current_build == first.build_id
    assert store.counts_by_label()["Disease"] == 3
    log = read_log(store, check=True)
    # Each promoting step writes a pending entry, promotes, then completes it.
    assert [(e.action, e.curator, e.state, e.outcome) for e in log.entries] == [
        ("apply", "alice", "pending", "done"),
        ("complete", "alice", "done", None),
        ("rollback", "bob", "pending", "done"),
        ("complete", "bob", "done", None),
    ]
    assert [e.completes for e in log.entries if e.action == "complete"] == [1, 3]
    assert log.verified is True
    assert log.entries[0].tracker == "https://t.example/1"
    # Audit entries are no build's data: a build's counts and a reopened store's log are unaffected.
    assert "PmkgAudit" not in store.counts_by_label()
    assert len(audit_log(store).entries()) == 4
    _tamper(store, request)
    broken = read_log(store, check=True)
    assert broken.verified is False
    assert broken.problems[0].startswith("entry 1 (apply at")
    assert "was edited" in broken.problems[0]
