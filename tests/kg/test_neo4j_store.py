"""The Neo4j store: what a user of Neo4j notices beyond the shared contract suite.

Builds go through :func:`kg.builds.run_build` against a real Neo4j; raw Cypher checks what
is (and is not) in the database, as a researcher connected over Bolt would see it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg.builds import run_build
from kg.errors import BuildError, ConfigError, SchemaError, StoreAuthError, StoreError, StoreUnavailable
from kg.records import Edge, Node, Provenance, Record
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.neo4j.queries import catalog, query_text, render
from kg.stores.neo4j.store import Neo4jStore
from kg.stores.port import BuildManifest, Capability, Direction
from tests.conftest import start_neo4j_test_server, stop_neo4j_test_server

P1 = (Provenance("civic", "2026-01-01", "CC0-1.0", "EID1409", line=7),)
P2 = (Provenance("oncotree", "2025-10", "CC-BY-4.0", "LUAD", line=None),)


def _records() -> list[Record]:
    return [
        Node("HGNC:1097", Label.GENE, "BRAF", ("B-RAF1", "BRAF1"), {"symbol": "BRAF", "entrez_id": 673}, P1),
        Node(
            "PMKG:variant/BRAF:V600E",
            Label.VARIANT,
            "BRAF V600E",
            ("rs113488022", "p.Val600Glu"),
            {"start_grch38": 140753336, "vaf": 0.25, "somatic": True, "transcripts": ["NM_004333.6", "ENST00000646891"],
             "scores": [0.5, 1.25], "positions": [140753336, 140453136], "flags": [True, False]},
            P1,
        ),
        Node("PMKG:class/BRAF:V600", Label.VARIANT_CLASS, "BRAF V600", (), {"class_type": "codon"}, P1),
        Node("PMKG:class/BRAF:mutation", Label.VARIANT_CLASS, "BRAF mutation", (), {"class_type": "gene"}, P1),
        Node("DOID:162", Label.DISEASE, "cancer", ("malignant neoplasm",), {}, P1),
        Node("DOID:1324", Label.DISEASE, "lung cancer", (), {}, P1),
        Node("DOID:3908", Label.DISEASE, "non-small cell lung carcinoma", ("NSCLC",), {}, P1),
        Node("DOID:3910", Label.DISEASE, "lung adenocarcinoma", ("LUAD",), {"oncotree": "LUAD"}, P2),
        Node("CIVIC.EID:1409", Label.EVIDENCE, "EID1409", (), {"evidence_type": "predictive", "level": "A"}, P1),
        Node("CIVIC.EID:95", Label.EVIDENCE, "EID95", (), {"evidence_type": "predictive", "level": "B"}, P1),
        Node("CIVIC.EID:3017", Label.EVIDENCE, "EID3017", (), {"evidence_type": "prognostic", "rating": 3}, P1),
        Edge("PMKG:variant/BRAF:V600E", RelType.IN_GENE, "HGNC:1097", provenance=P1),
        Edge("PMKG:variant/BRAF:V600E", RelType.MEMBER_OF, "PMKG:class/BRAF:V600", {"rule": "codon"}, P1),
        Edge("PMKG:class/BRAF:V600", RelType.MEMBER_OF, "PMKG:class/BRAF:mutation", provenance=P1),
        Edge("DOID:3910", RelType.SUBCLASS_OF, "DOID:3908", provenance=P1),
        Edge("DOID:3908", RelType.SUBCLASS_OF, "DOID:1324", provenance=P1),
        Edge("DOID:1324", RelType.SUBCLASS_OF, "DOID:162", provenance=P1),
        Edge("CIVIC.EID:95", RelType.ABOUT, "PMKG:variant/BRAF:V600E", provenance=P1),
        Edge("CIVIC.EID:1409", RelType.ABOUT, "PMKG:variant/BRAF:V600E", provenance=P1),
        Edge("CIVIC.EID:3017", RelType.ABOUT, "PMKG:class/BRAF:V600", provenance=P1),
        Edge("CIVIC.EID:1409", RelType.IN_DISEASE, "DOID:3910", provenance=P1),
    ]  # fmt: skip


def _repeats() -> list[Record]:
    """The same ids again, as a second source or a later line would give them."""
    return [
        Node("HGNC:1097", Label.GENE, "braf (alt)", ("BRAF1", "v-raf"), {"symbol": "BRAF", "chromosome": "7q34"}, P2),
        Node("DOID:3910", Label.DISEASE, "LUAD", ("lung adenocarcinoma", "adenocarcinoma of lung"),
             {"oncotree": "LUAD2"}, P1),
        Node("HGNC:1097", Label.GENE, "BRAF", ("B-RAF1",), {"symbol": "BRAF", "entrez_id": 673}, P1),
        Edge("DOID:3910", RelType.SUBCLASS_OF, "DOID:3908", {"asserted": True}, P2),
    ]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# -- no server needed ------------------------------------------------------------------------
def test_unreachable_neo4j_is_a_clear_error_naming_the_uri() -> None:
    uri = f"bolt://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore(uri, "neo4j", "", "neo4j", connection_timeout=2)
    message = str(caught.value)
    assert uri in message
    assert "PMKG_NEO4J_URI" in message


def test_a_server_that_never_answers_times_out_as_unavailable() -> None:
    with socket.socket() as silent:  # accepts connections, never speaks Bolt
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        uri = f"bolt://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(StoreUnavailable, match=re.escape(f"cannot reach Neo4j at {uri}")):
            Neo4jStore(uri, "neo4j", "", "neo4j", connection_timeout=1)


def test_malformed_uri_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"bolt://127\.0\.0\.1:notaport.*malformed"):
        Neo4jStore("bolt://127.0.0.1:notaport", "neo4j", "", "neo4j")


def test_uri_with_an_unknown_scheme_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"http://localhost:7474.*bolt://, bolt\+s://"):
        Neo4jStore("http://localhost:7474", "neo4j", "", "neo4j")


def test_every_query_file_states_its_parameters() -> None:
    names = catalog()
    assert {"get_node", "find", "neighbours_out", "neighbours_in", "neighbours_both", "neighbour_ids_out",
            "neighbour_ids_in", "neighbour_ids_both", "ancestors", "descendants",
            "evidence_for", "counts_by_label", "current_build"} <= set(names)  # fmt: skip
    for name in names:
        assert query_text(name).startswith("// params:"), name


def test_only_schema_relationship_types_reach_query_text() -> None:
    assert "-[:SUBCLASS_OF|MEMBER_OF*1..]->" in render("ancestors", rels=[RelType.SUBCLASS_OF, RelType.MEMBER_OF])
    with pytest.raises(SchemaError, match="not in the schema"):
        render("ancestors", rels=["SUBCLASS_OF]->(x) DETACH DELETE x //"])


# -- against a real Neo4j ----------------------------------------------------------------------


@pytest.mark.neo4j
def test_build_then_every_read(neo4j_store: Neo4jStore, list_source: Callable[..., Any]) -> None:
    """Neo4j's own side of the reads; property types, trimming in find, the order of evidence_for and
    empty inputs are held for every store in tests/kg/test_store_contract.py."""
    store = neo4j_store
    assert store.capabilities == frozenset({Capability.CYPHER, Capability.PERSISTENT, Capability.SHARED})
    manifest = run_build(store, [list_source("civic", _records())])
    assert store.current_build() == manifest
    assert store.get_node("HGNC:0") is None
    assert store.find("BRAF", Label.DISEASE) == []

    assert [n.id for n in store.neighbours("PMKG:variant/BRAF:V600E", RelType.MEMBER_OF)] == ["PMKG:class/BRAF:V600"]
    assert [n.id for n in store.neighbours("PMKG:variant/BRAF:V600E", RelType.ABOUT, Direction.IN)] == [
        "CIVIC.EID:1409", "CIVIC.EID:95"]  # fmt: skip
    assert [n.id for n in store.neighbours("DOID:3908", RelType.SUBCLASS_OF, Direction.BOTH)] == [
        "DOID:1324", "DOID:3910"]  # fmt: skip

    assert store.ancestors(["DOID:3910"]) == {"DOID:3908", "DOID:1324", "DOID:162"}
    assert store.ancestors(["PMKG:variant/BRAF:V600E"]) == {"PMKG:class/BRAF:V600", "PMKG:class/BRAF:mutation"}
    assert store.descendants(["DOID:1324"], [RelType.SUBCLASS_OF]) == {"DOID:3908", "DOID:3910"}

    counts = store.counts_by_label()
    assert set(counts) == {str(label) for label in Label}
    assert (counts["Disease"], counts["Evidence"], counts["VariantClass"], counts["Allele"]) == (4, 3, 2, 0)
    assert counts["Build"] == 1
    assert counts["Source"] == 1
    assert manifest.counts == counts


@pytest.mark.neo4j
def test_same_build_twice_changes_nothing(
    neo4j_store: Neo4jStore, list_source: Callable[..., Any], cypher: Callable[..., list[dict[str, Any]]]
) -> None:
    first = run_build(neo4j_store, [list_source("civic", _records())])
    raw = "MATCH (n) RETURN count(n) AS nodes, count {MATCH ()-[r]->() RETURN r} AS rels"
    before = (cypher(raw), neo4j_store.counts_by_label(), neo4j_store.get_node("DOID:3910"))
    second = run_build(neo4j_store, [list_source("civic", _records())])
    assert second.build_id == first.build_id
    assert (cypher(raw), neo4j_store.counts_by_label(), neo4j_store.get_node("DOID:3910")) == before


@pytest.mark.neo4j
@pytest.mark.parametrize("batch_size", [2, 5_000], ids=["repeats-across-batches", "repeats-within-a-batch"])
def test_repeated_records_merge_exactly_as_in_the_embedded_store(
    neo4j_store: Neo4jStore, list_source: Callable[..., Any], tmp_path: Path, batch_size: int
) -> None:
    sources = [list_source("civic", _records()), list_source("oncotree", _repeats())]
    embedded = EmbeddedStore(tmp_path / "graph")
    run_build(embedded, sources, batch_size=batch_size)
    run_build(neo4j_store, sources, batch_size=batch_size)

    ids = sorted({r.id for r in [*_records(), *_repeats()] if isinstance(r, Node)})
    assert [neo4j_store.get_node(i) for i in ids] == [embedded.get_node(i) for i in ids]
    gene = neo4j_store.get_node("HGNC:1097")
    assert gene is not None
    assert gene.name == "BRAF"
    assert gene.synonyms == ("B-RAF1", "BRAF1", "v-raf")
    assert gene.props == {"symbol": "BRAF", "entrez_id": 673, "chromosome": "7q34"}
    assert gene.provenance == P1 + P2
    for text in ("luad", "adenocarcinoma of lung", "braf (alt)", "v-raf", "braf"):
        assert neo4j_store.find(text) == embedded.find(text), text
    assert neo4j_store.neighbours("DOID:3908", RelType.SUBCLASS_OF, Direction.IN) == embedded.neighbours(
        "DOID:3908", RelType.SUBCLASS_OF, Direction.IN
    )
    assert neo4j_store.counts_by_label() == embedded.counts_by_label()
    embedded.close()


@pytest.mark.neo4j
def test_failed_build_is_invisible_and_a_rerun_completes_it(
    neo4j_store: Neo4jStore, list_source: Callable[..., Any], cypher: Callable[..., list[dict[str, Any]]]
) -> None:
    store = neo4j_store
    seed = run_build(store, [list_source("civic", _records())])

    def answers() -> tuple[object, ...]:
        return (store.current_build(), store.counts_by_label(), store.get_node("DOID:3910"), store.find("nsclc"),
                store.ancestors(["DOID:3910"]), store.evidence_for(["PMKG:variant/BRAF:V600E"]))  # fmt: skip

    before = answers()
    bulk = [Node(f"DOID:{900000 + i}", Label.DISEASE, f"bulk disease {i}", (f"bulk {i}",), provenance=P2)
            for i in range(300)]  # fmt: skip
    bulk.append(Edge("DOID:900001", RelType.SUBCLASS_OF, "DOID:900000", provenance=P2))

    with pytest.raises(RuntimeError, match="simulated failure"):
        run_build(store, [list_source("bulk", bulk, fail_after=250)], batch_size=50)

    # Records are written only at completion: a build that fails before it leaves nothing behind.
    written = cypher("MATCH (n:PmkgNode) WHERE n.build <> $seed RETURN count(n) AS n", seed=seed.build_id)[0]["n"]
    assert written == 0
    assert store.current_build() == seed
    assert answers() == before
    assert store.get_node("DOID:900000") is None
    assert store.find("bulk disease 1") == []

    done = run_build(store, [list_source("bulk", bulk)], batch_size=50)
    assert store.current_build() == done
    assert store.counts_by_label()["Disease"] == 300
    assert [n.id for n in store.find("BULK 299")] == ["DOID:900299"]
    assert store.ancestors(["DOID:900001"]) == {"DOID:900000"}
    assert store.get_node("DOID:3910") is None  # the seed build is gone: a build is the whole graph


@pytest.mark.neo4j
def test_promote_keeps_the_previous_build_unseen_and_reclaims_a_killed_partial_build(
    neo4j_store: Neo4jStore,
    list_source: Callable[..., Any],
    cypher: Callable[..., list[dict[str, Any]]],
    tmp_path: Path,
) -> None:
    store = neo4j_store
    seed = run_build(store, [list_source("civic", _records())])
    # A build killed while it writes to Neo4j leaves a partial build behind.
    kill_while_committing(
        tmp_path,
        lambda: (
            cypher("MATCH (n:PmkgNode) WHERE n.build <> $seed RETURN count(n) AS n", seed=seed.build_id)[0]["n"] > 0
        ),
    )
    assert len(cypher("MATCH (n:PmkgNode) RETURN DISTINCT n.build AS b")) == 2
    assert cypher("MATCH (n:Entity) RETURN DISTINCT n.build AS b") == [{"b": seed.build_id}]  # researchers see one
    assert store.current_build() == seed

    # The killed build still holds the build lock until its lease runs out (no more writes).
    with pytest.raises(BuildError, match=r"another build .* is writing to Neo4j"):
        run_build(store, [list_source("oncotree", _repeats()[:2])])
    impatient = Neo4jStore(neo4j_store.uri, lease_seconds=1)
    time.sleep(1.5)
    last = run_build(impatient, [list_source("oncotree", _repeats()[:2])])
    impatient.close()

    # The partial build is gone; the seed build is kept (for rollback) but out of the live labels.
    kept = cypher("MATCH (n:PmkgNode) RETURN DISTINCT n.build AS b ORDER BY b")
    assert kept == sorted([{"b": last.build_id}, {"b": seed.build_id}], key=lambda r: r["b"])
    assert cypher("MATCH ()-[r]->() WHERE r.build IS NOT NULL AND NOT r.build IN $b RETURN count(r) AS n",
                  b=[last.build_id, seed.build_id]) == [{"n": 0}]  # fmt: skip
    assert cypher("MATCH (m:PmkgState {kind: 'build'}) RETURN m.build AS b, m.status AS s ORDER BY b") == sorted(
        [{"b": last.build_id, "s": "complete"}, {"b": seed.build_id, "s": "complete"}], key=lambda r: r["b"]
    )
    assert cypher("MATCH (n:Entity) RETURN DISTINCT n.build AS b") == [{"b": last.build_id}]
    assert cypher("MATCH (n:Gene) RETURN count(n) AS n") == [{"n": 1}]  # the seed build's BRAF stays unseen
    assert store.counts_by_label()["Disease"] == 1


@pytest.mark.neo4j
def test_build_killed_during_commit_is_invisible_and_a_rerun_completes_it(
    neo4j_store: Neo4jStore,
    list_source: Callable[..., Any],
    cypher: Callable[..., list[dict[str, Any]]],
    tmp_path: Path,
) -> None:
    store = neo4j_store
    seed = run_build(store, [list_source("civic", _records())])
    before = (store.counts_by_label(), store.get_node("DOID:3910"), store.find("nsclc"), store.ancestors(["DOID:3910"]))

    def partial() -> int:
        rows = cypher("MATCH (n:PmkgNode) WHERE n.build <> $seed RETURN count(n) AS n", seed=seed.build_id)
        return int(rows[0]["n"])

    kill_while_committing(tmp_path, lambda: partial() > 0)
    assert 0 < partial() < KILLED_BUILD_NODES
    assert store.current_build() == seed
    assert (store.counts_by_label(), store.get_node("DOID:3910"), store.find("nsclc"),
            store.ancestors(["DOID:3910"])) == before  # fmt: skip
    assert store.find("bulk disease 1") == []

    finish = subprocess.run(
        [sys.executable, "-m", "tests.kg.interrupt_build", "neo4j", str(tmp_path), str(KILLED_BUILD_NODES),
         "--finish"], cwd=REPO, capture_output=True, text=True, timeout=600, check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert finish.stdout.startswith("DONE")
    assert store.counts_by_label()["Disease"] == KILLED_BUILD_NODES
    assert [n.id for n in store.find("bulk disease 1")] == ["DOID:900001"]
    assert cypher("MATCH (n:Entity) RETURN DISTINCT n.build AS b") == [{"b": store.current_build().build_id}]
    assert cypher("MATCH (n:PmkgNode) RETURN DISTINCT n.build AS b ORDER BY b") == sorted(
        [{"b": store.current_build().build_id}, {"b": seed.build_id}], key=lambda r: r["b"]
    )


@pytest.mark.neo4j
def test_schema_breaking_record_never_reaches_neo4j(
    neo4j_store: Neo4jStore, list_source: Callable[..., Any], cypher: Callable[..., list[dict[str, Any]]]
) -> None:
    seed = run_build(neo4j_store, [list_source("civic", _records())])
    bad = Node("DOID:4", Label.DISEASE, "disease", props={"xrefs": {"mesh": "D009369"}}, provenance=P1)
    with pytest.raises(SchemaError, match=r"Disease 'DOID:4'.*'xrefs' has type dict"):
        run_build(neo4j_store, [list_source("bad", [Node("DOID:5", Label.DISEASE, "ok", provenance=P1), bad])],
                  batch_size=1)  # fmt: skip
    assert cypher("MATCH (n {id: 'DOID:4'}) RETURN count(n) AS n") == [{"n": 0}]
    assert neo4j_store.current_build() == seed


@pytest.mark.neo4j
def test_researchers_find_labels_constraints_and_one_index_per_label(
    neo4j_store: Neo4jStore, list_source: Callable[..., Any], cypher: Callable[..., list[dict[str, Any]]]
) -> None:
    build = run_build(neo4j_store, [list_source("civic", _records())])
    assert cypher(
        "MATCH (s:PmkgState {key: 'current'}) MATCH (e:Evidence {build: s.build})-[:ABOUT]->(v:Variant {id: $id}) "
        "RETURN e.id AS id, e.sources AS sources ORDER BY id",
        id="PMKG:variant/BRAF:V600E",
    ) == [{"id": "CIVIC.EID:1409", "sources": ["civic"]}, {"id": "CIVIC.EID:95", "sources": ["civic"]}]
    assert cypher("MATCH (n:Entity:Gene) RETURN n.build AS b") == [{"b": build.build_id}]
    constraints = cypher("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    assert {"labelsOrTypes": ["PmkgNode"], "properties": ["id", "build"], "type": "UNIQUENESS"} in constraints
    indexed = {r["labelsOrTypes"][0] for r in cypher("SHOW RANGE INDEXES YIELD labelsOrTypes, properties")
               if r["properties"] == ["id"] and r["labelsOrTypes"]}  # fmt: skip
    assert {str(label) for label in Label} <= indexed


@pytest.mark.neo4j
def test_a_build_of_another_id_waits_for_the_running_one(neo4j_store: Neo4jStore) -> None:
    running = neo4j_store.begin_build("bAAAA")
    with pytest.raises(BuildError, match=r"another build \(bAAAA\) is writing"):
        neo4j_store.begin_build("bBBBB")
    neo4j_store.begin_build("bAAAA").abort()  # a rerun of the same build may take over at once
    running.abort()
    neo4j_store.begin_build("bBBBB").abort()


@pytest.mark.neo4j
def test_a_build_whose_lock_expired_cannot_complete(neo4j_uri: str, neo4j_store: Neo4jStore) -> None:
    stalled_store = Neo4jStore(neo4j_uri, lease_seconds=0)
    stalled = stalled_store.begin_build("bSTALL")
    stalled.write_nodes(Label.DISEASE, [Node("DOID:1", Label.DISEASE, "stalled", provenance=P1)])
    taker = stalled_store.begin_build("bTAKER")  # the stalled build's lease (0 s) has run out
    stalled.write_nodes(Label.DISEASE, [Node("DOID:2", Label.DISEASE, "late", provenance=P1)])  # in memory
    manifest = BuildManifest("bSTALL", "t0", "t1", 1, "0")
    with pytest.raises(BuildError, match="lost its lock"):
        stalled.complete(manifest)
    assert neo4j_store.current_build() is None
    taker.abort()
    stalled_store.close()


@pytest.mark.neo4j
@pytest.mark.slow
def test_wrong_password_is_a_clear_error(tmp_path: Path) -> None:
    """Needs its own server with authentication on (the session's server may have it off)."""
    exported = start_neo4j_test_server(tmp_path, {"PMKG_NEO4J_PASSWORD": "right-password"})
    uri = exported["PMKG_NEO4J_URI"]
    try:
        with pytest.raises(StoreAuthError) as caught:
            Neo4jStore(uri, "neo4j", "wrong-password", "neo4j")
        assert uri in str(caught.value)
        assert "PMKG_NEO4J_PASSWORD" in str(caught.value)
        with pytest.raises(StoreAuthError):
            Neo4jStore(uri, "neo4j", "", "neo4j")  # no credentials at all
        with Neo4jStore(uri, "neo4j", "right-password", "neo4j") as store:
            assert store.current_build() is None
    finally:
        stop_neo4j_test_server(tmp_path, exported)


KILLED_BUILD_NODES = 20_000
REPO = Path(__file__).resolve().parents[2]


def kill_while_committing(folder: Path, writing: Callable[[], bool]) -> None:
    """Start a build of KILLED_BUILD_NODES diseases in another process and SIGKILL it once
    ``writing()`` sees its commit writing to Neo4j."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.kg.interrupt_build", "neo4j", str(folder), str(KILLED_BUILD_NODES),
         "--finish", "--small-batches"], cwd=REPO, stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while not writing():
            assert proc.poll() is None, "the build finished before it could be interrupted"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)


@pytest.mark.neo4j
def test_a_database_written_before_builds_were_kept_is_adopted_not_left_visible(
    neo4j_store: Neo4jStore, list_source: Callable[..., Any], cypher: Callable[..., list[dict[str, Any]]]
) -> None:
    old = BuildManifest("bOLDLAYOUT00001", "2026-11-01T00:00:00+00:00", "2026-11-01T00:01:00+00:00", 1, "0.1.0")
    # What the previous layout wrote: Entity plus the schema label on every node, a pointer without a
    # layout, a marker without a status, and a half-written build left by a killed process.
    cypher(
        "CREATE (:Entity:Gene {id: 'HGNC:1097', build: $b, name: 'BRAF', synonyms: ['BRAF1'], provenance: [], "
        "sources: ['hgnc'], pmkg_lookup: ['braf', 'braf1', 'hgnc:1097'], symbol: 'BRAF'}) "
        "CREATE (:Entity:Disease {id: 'DOID:1', build: 'bKILLED00000001', name: 'partial', synonyms: [], "
        "provenance: [], sources: [], pmkg_lookup: ['partial', 'doid:1']}) "
        "CREATE (:PmkgState {key: 'current', build: $b, manifest: $m}) "
        "CREATE (:PmkgState {key: 'build:' + $b, kind: 'build', build: $b}) "
        "CREATE (:PmkgState {key: 'build:bKILLED00000001', kind: 'build', build: 'bKILLED00000001'})",
        b=old.build_id,
        m=json.dumps(old.as_dict()),
    )
    with pytest.raises(StoreError, match=r"written by an older pmkg.*pmkg build --neo4j"):
        neo4j_store.current_build()

    new = run_build(neo4j_store, [list_source("civic", _records())])
    assert [(b.build_id, b.current) for b in neo4j_store.list_builds()] == [(new.build_id, True), (old.build_id, False)]
    assert cypher("MATCH (n:Entity) RETURN DISTINCT n.build AS b") == [{"b": new.build_id}]
    assert cypher("MATCH (n {build: 'bKILLED00000001'}) RETURN count(n) AS n") == [{"n": 0}]
    assert neo4j_store.rollback() == old
    braf = neo4j_store.get_node("HGNC:1097")
    assert braf is not None
    assert (braf.label, braf.name, braf.props) == (Label.GENE, "BRAF", {"symbol": "BRAF"})
    assert [n.id for n in neo4j_store.find("braf1")] == ["HGNC:1097"]
    assert cypher("MATCH (g:Gene) RETURN g.build AS b") == [{"b": old.build_id}]
