"""Exports carry the curation audit log (issue 13: it "is included in exports"): each format holds every
entry with its hash chain, and `pmkg curate log --verify --export FILE` checks it — and catches an edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store
from queries.services.curation import CandidateRelease, apply_release, read_log, rollback
from tests.curation.interrupt_step import release
from tests.kg.stores import open_at_build
from tests.pmkg_cli import pmkg

FORMATS = {"ttl": "graph.ttl", "nt": "graph.nt", "nq": "graph.nq", "jsonld": "graph.jsonld",
           "graphml": "graph.graphml", "node-link-json": "graph.json", "gexf": "graph.gexf"}  # fmt: skip


def _curate(store: Store) -> list[str]:
    """Apply a release and roll it back: four entries (two pending steps and their completions)."""
    run_build(store, [release("1", 3)])
    candidate = CandidateRelease("bulk", [release("2", 4)])
    apply_release(store, lambda b: open_at_build(store, b), candidate, curator="alice", message="second release",
                  tracker="https://t.example/2")  # fmt: skip
    rollback(store, None, curator="bob", message="undo the second release")
    return [e.hash for e in read_log(store).entries]


@pytest.fixture(scope="module")
def curated_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    home = tmp_path_factory.mktemp("audit-export")
    store = EmbeddedStore(home / "graph")
    hashes = _curate(store)
    store.close()
    return home, hashes


def _verified(home: Path, path: Path, env: dict[str, str] | None = None) -> dict[str, object]:
    done = pmkg(home, "curate", "log", "--verify", "--export", str(path), "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_export_format_carries_the_audit_log_and_it_verifies(
    fmt: str, curated_home: tuple[Path, list[str]], tmp_path: Path
) -> None:
    home, hashes = curated_home
    out = tmp_path / FORMATS[fmt]
    done = pmkg(home, "export", "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "curation audit log (4 entries)" in done.stderr
    answer = _verified(home, out)
    assert answer["verified"] is True
    entries = answer["entries"]
    assert isinstance(entries, list)
    assert [e["hash"] for e in entries] == hashes
    assert [(e["action"], e["curator"]) for e in entries] == [
        ("apply", "alice"), ("complete", "alice"), ("rollback", "bob"), ("complete", "bob")
    ]  # fmt: skip
    assert entries[0]["tracker"] == "https://t.example/2"
    if fmt == "gexf":
        assert (tmp_path / "graph.gexf.audit.json").is_file()


def test_an_edited_entry_in_an_export_fails_verification(curated_home: tuple[Path, list[str]], tmp_path: Path) -> None:
    home, _ = curated_home
    out = tmp_path / "graph.nt"
    assert pmkg(home, "export", "--format", "nt", "--out", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("undo the second release") == 2  # the readable message and the record
    out.write_text(text.replace("undo the second release", "routine"), encoding="utf-8")
    done = pmkg(home, "curate", "log", "--verify", "--export", str(out))
    assert done.returncode == 1
    assert "entry 3 (rollback at" in done.stderr
    assert "was edited" in done.stderr


def test_the_rdf_export_lets_sparql_users_read_the_log(curated_home: tuple[Path, list[str]], tmp_path: Path) -> None:
    from pyoxigraph import RdfFormat, Store

    home, _ = curated_home
    out = tmp_path / "graph.nq"
    assert pmkg(home, "export", "--format", "nq", "--out", str(out)).returncode == 0
    oxi = Store()
    oxi.load(path=str(out), format=RdfFormat.N_QUADS)
    rows = oxi.query(
        "PREFIX pmkg: <https://w3id.org/pmkg/vocab/> SELECT ?seq ?action ?curator WHERE { GRAPH "
        "<https://w3id.org/pmkg/audit/> { ?e a pmkg:AuditEntry ; pmkg:auditSeq ?seq ; pmkg:auditAction ?action ; "
        "pmkg:auditCurator ?curator } } ORDER BY ?seq"
    )
    assert [(r["seq"].value, r["action"].value, r["curator"].value) for r in rows] == [  # type: ignore[index]
        ("1", "apply", "alice"), ("2", "complete", "alice"), ("3", "rollback", "bob"), ("4", "complete", "bob")
    ]  # fmt: skip
    # The export's own vocabulary graph declares the audit terms it uses.
    declared = oxi.query(
        "ASK { GRAPH <https://w3id.org/pmkg/vocab/> { <https://w3id.org/pmkg/vocab/AuditEntry> a "
        "<http://www.w3.org/2002/07/owl#Class> . <https://w3id.org/pmkg/vocab/auditRecord> "
        "<http://www.w3.org/2000/01/rdf-schema#comment> ?comment } }"
    )
    assert bool(declared)


def test_an_export_without_a_log_says_so(curated_home: tuple[Path, list[str]], tmp_path: Path) -> None:
    home, _ = curated_home
    bare = tmp_path / "bare.ttl"
    bare.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n", encoding="utf-8")
    done = pmkg(home, "curate", "log", "--verify", "--export", str(bare))
    assert done.returncode == 2
    assert "bare.ttl: carries no curation audit log" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.neo4j
def test_a_neo4j_export_carries_its_audit_nodes(neo4j_store: Store, tmp_path: Path) -> None:
    hashes = _curate(neo4j_store)
    out = tmp_path / "graph.graphml"
    done = pmkg(tmp_path, "export", "--format", "graphml", "--out", str(out), env={"PMKG_STORE": "neo4j"})
    assert done.returncode == 0, done.stderr
    answer = _verified(tmp_path, out)
    assert answer["verified"] is True
    assert [e["hash"] for e in answer["entries"]] == hashes  # type: ignore[union-attr]
