"""The first answer of a process filled the graph view's memos one store call at a time.

Before: MOAlmanac's example patient read ~2,000 nodes and looked up ~6,000 ids and neighbour lists in its first
answer of a process (82 ms against 11 ms warm on an open embedded store; one round trip each on Neo4j).  Now
``pmkg build`` keeps what matching reads of the whole build beside it (``….match-tables.marshal``:
queries/kept_tables.py) and a new process's view answers from that file.  The answers are the same with and without
it; a file that is missing, of another build, of another layout or code, cut short, damaged or half-written is never
trusted.  Asserted on answers and on which store calls are made, never on time.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import BuildManifest, Store
from queries import graph_view
from queries.evidence_readings import NotKept
from queries.hashed_sections import pack_sections
from queries.kept_names import TABLES_SUFFIX, keep_for_build, kept_names_path, kept_tables
from queries.kept_tables import NODE_LABELS
from queries.matching import _reading, match_therapies
from tests.queries.matching_stores import embedded_starter, neo4j_starter

# Alterations and diagnoses that reach every kind of table: exact variants, codons, exon and gene classes, fusions,
# copy number, molecular profiles (EGFR T790M with an activating mutation), genes without evidence, unknown genes,
# diagnoses by name, code and a site's form, disease mappings (OncoTree), no diagnosis.
ALTERATIONS = [
    "BRAF V600E", "BRAF V600K", "EGFR L858R", "EGFR T790M", "EGFR exon 19 deletion", "KRAS G12C", "KRAS G12D",
    "NRAS Q61R", "PIK3CA H1047R", "ERBB2 amplification", "EML4::ALK", "ALK F1174L", "KIT D816V", "FGFR3 S249C",
    "BRCA2 S1982fs", "TP53 R273H", "IDH1 R132H", "MET exon 14 skipping", "NTRK1 fusion", "CDKN2A deletion",
    "TTN A100T", "NOTAGENE1 V600E", "HER2 amplification", "p.Val600Glu",
]  # fmt: skip
DIAGNOSES = [None, "melanoma", "MEL", "lung adenocarcinoma", "NSCLC", "bladder cancer", "colorectal cancer",
             "DOID:1612", "glioma", "cancer"]  # fmt: skip
PATIENTS = [
    (["BRAF V600E", "NRAS Q61R", "CDKN2A deletion"], "MEL"),
    (["EGFR L858R", "EGFR T790M", "KRAS G12C", "ERBB2 amplification"], "lung adenocarcinoma"),
    (["EML4::ALK", "ALK F1174L"], "NSCLC"),
    (["FGFR3 S249C", "PIK3CA H1047R"], "bladder cancer"),
    (["HER2 amplification", "TTN A100T", "NOTAGENE1 V600E"], None),
]


@pytest.fixture
def kept() -> Iterator[tuple[EmbeddedStore, BuildManifest, Path]]:
    """The starter store with its match tables kept as `pmkg build` keeps them, and no view in memory (as in a new
    process); the file is put back as it was afterwards."""
    store = embedded_starter()
    keep_for_build(store)
    manifest = store.current_build()
    assert manifest is not None
    path = kept_names_path(store, manifest, TABLES_SUFFIX)
    whole = path.read_bytes()
    graph_view.forget_views()
    yield store, manifest, path
    path.write_bytes(whole)
    graph_view.forget_views()


def answers(store: Store, patients: list[tuple[list[str], str | None]] = PATIENTS) -> list[Any]:
    """The whole answer (JSON) to every patient, each in a new process's first view."""
    out = []
    for variants, diagnosis in patients:
        graph_view.forget_views()
        out.append(match_therapies(store, list(variants), diagnosis).as_json())
    graph_view.forget_views()
    return out


@contextlib.contextmanager
def view_without_tables(store: Store, path: Path) -> Iterator[graph_view.GraphView]:
    """A new view of ``store``'s build whose kept tables at ``path`` are gone (every memo read from the store); the
    file is put back afterwards."""
    whole = path.read_bytes()
    path.unlink()
    try:
        graph_view.forget_views()
        view = graph_view.view_for(store)
        assert view.tables() is None
        yield view
    finally:
        path.write_bytes(whole)
        graph_view.forget_views()


# The store calls a view makes to fill its memos (lookups of typed text, Store.find, are not among them).
READS = ("get_node", "neighbours", "neighbour_ids", "evidence_for", "ancestors", "descendants")


def store_reads(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    for name in READS:
        method = getattr(store, name)

        def counted(*args: Any, _name: str = name, _method: Any = method, **kwargs: Any) -> Any:
            found = _method(*args, **kwargs)
            if _name != "get_node" or found is not None:  # asking for an id the graph lacks reads nothing
                reads.append(_name)
            return found

        monkeypatch.setattr(store, name, counted)
    return reads


def test_a_first_answer_from_the_kept_tables_equals_one_read_from_the_store_and_reads_no_node(
    kept: tuple[EmbeddedStore, BuildManifest, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _, path = kept
    with_tables = answers(store)
    path.unlink()
    without = answers(store)
    assert with_tables == without
    names = {t["therapy"] for t in with_tables[0]["therapies"]}
    assert {"Dabrafenib + Trametinib", "Vemurafenib"} <= names  # the answer is a real one, not empty on both sides
    keep_for_build(store)
    reads = store_reads(store, monkeypatch)
    assert answers(store) == with_tables
    assert reads == []  # every node, neighbour list, evidence list and hierarchy walk came from the tables


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    alterations=st.lists(st.sampled_from(ALTERATIONS), min_size=1, max_size=6, unique=True),
    diagnosis=st.sampled_from(DIAGNOSES),
)
def test_any_patient_gets_the_same_answer_with_and_without_the_kept_tables(
    kept: tuple[EmbeddedStore, BuildManifest, Path], alterations: list[str], diagnosis: str | None
) -> None:
    store, _, path = kept
    whole = path.read_bytes()
    with_tables = answers(store, [(alterations, diagnosis)])
    path.unlink()
    try:
        assert answers(store, [(alterations, diagnosis)]) == with_tables
    finally:
        path.write_bytes(whole)


def _rewrite_header(whole: bytes, change: dict[str, Any]) -> bytes:
    head, _, body = whole.partition(b"\n")
    return orjson.dumps({**orjson.loads(head), **change}) + b"\n" + body


def _damage(whole: bytes, damage: str) -> bytes:
    head, _, body = whole.partition(b"\n")
    header = orjson.loads(head)
    stamp = header["stamp"]
    if damage == "another build":  # a copy of another build's file under this one's name
        return _rewrite_header(whole, {"stamp": [stamp[0], "b0000000000000000", *stamp[2:]]})
    if damage == "older layout":
        return _rewrite_header(whole, {"stamp": [*stamp[:-1], "match-tables-0"]})
    if damage == "other code":  # written by another version of kept_tables.py or graph_view.py
        return _rewrite_header(whole, {"stamp": [*stamp[:-2], "0" * 64, stamp[-1]]})
    if damage == "not a kept file":
        return b"\x00\x01 not a kept file"
    if damage == "cut short":  # an interrupted copy
        return whole[: len(whole) // 2]
    if damage == "no sections":
        return _rewrite_header(whole, {"sections": {}})
    at, count, _ = header["sections"]["held" if damage == "held genes changed" else "members"]
    if damage in ("index changed", "held genes changed"):  # a section's hash array overwritten: never read
        changed = body[:at] + bytes(4 * count) + body[at + 4 * count :]
    else:  # "entries changed" (evidence and its readings) / "held entry changed": a section's entries flipped
        flipped = {"entries changed": "evidence", "held entry changed": "held"}
        at, count, _ = header["sections"][flipped[damage]]
        start = at + 16 * count + 8
        end = min(start + 200_000, len(body))
        changed = body[:start] + bytes(b ^ 0x5A for b in body[start:end]) + body[end:]
    return head + b"\n" + changed


@pytest.mark.parametrize(
    "damage", ["missing", "another build", "older layout", "other code", "not a kept file", "cut short",
               "no sections", "index changed", "entries changed", "held genes changed", "held entry changed"],
)  # fmt: skip
def test_a_missing_stale_or_damaged_match_tables_file_is_never_trusted(
    kept: tuple[EmbeddedStore, BuildManifest, Path], damage: str, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    store, _, path = kept
    expected = answers(store)
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(_damage(path.read_bytes(), damage))
    reads = store_reads(store, monkeypatch)
    with caplog.at_level(logging.WARNING):
        assert answers(store) == expected
    # An evidence item is then read from its node, a gene's members from their section: the tables still give both.
    if damage not in ("held genes changed", "held entry changed"):
        assert reads  # the store answered what the tables could not
    if damage != "missing":
        assert any("kept" in r.message or str(path) in r.message for r in caplog.records)
    for record in caplog.records:  # never what a patient has
        assert "V600E" not in record.getMessage()
        assert "L858R" not in record.getMessage()


def test_a_half_written_match_tables_file_is_never_read(
    kept: tuple[EmbeddedStore, BuildManifest, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build interrupted while keeping its files leaves at most a ``.writing-…`` file: never read."""
    store, _, path = kept
    expected = answers(store)
    writing = path.with_name(f".writing-{path.name}")
    path.rename(writing)
    reads = store_reads(store, monkeypatch)
    assert answers(store) == expected
    assert "evidence_for" in reads
    writing.unlink()


def test_keeping_the_tables_again_replaces_those_another_pmkg_kept_for_the_same_build(
    kept: tuple[EmbeddedStore, BuildManifest, Path],
) -> None:
    """Tables are large (tens of MB): a build keeps one file of them, not one per pmkg version that kept them."""
    store, _, path = kept
    older = path.with_name(f"{path.name.split('-')[0]}-0123456789abcdef{TABLES_SUFFIX}")
    other_build = path.with_name(f"b0000000000000000-0123456789abcdef{TABLES_SUFFIX}")
    older.write_bytes(b"tables of another version")
    path.unlink()
    keep_for_build(store)
    assert path.exists()
    assert not older.exists()
    assert not other_build.exists()  # a build the store does not keep
    kept_files = [p.name for p in path.parent.glob(f"*{TABLES_SUFFIX}") if not p.name.startswith(".")]
    assert kept_files == [path.name]


def test_every_node_the_tables_give_is_the_node_the_store_gives_with_where_it_came_from(
    kept: tuple[EmbeddedStore, BuildManifest, Path],
) -> None:
    """The tables make nodes and their provenance without the dataclasses' ``__init__`` (a tenth of a first answer):
    each must be the store's own, field for field, as entity pages and citations show it."""
    store, manifest, _ = kept
    tables = kept_tables(store, manifest)
    assert tables is not None
    stored = [n for label in NODE_LABELS for n in store.nodes_with_label(label)]
    assert len(stored) > 10_000
    for node in stored:
        read = tables.node(node.id)
        assert read == node
        assert read is not None
        assert [p.as_dict() for p in read.provenance] == [p.as_dict() for p in node.provenance]
    gene = next(n for n in stored if n.name == "BRAF")
    assert {p.source for p in gene.provenance} >= {"genes", "civic"}  # nodes with several sources among them


def test_every_kept_evidence_reading_is_the_one_its_node_and_links_give(
    kept: tuple[EmbeddedStore, BuildManifest, Path],
) -> None:
    """A first answer decodes an evidence node only for a hit: whether it makes one (predictive, a role, a therapy,
    its TMB floor) and with which diseases, tier and source come from the kept reading, so each must be the reading
    matching works out from the store's node and links without the tables."""
    store, manifest, path = kept
    tables = kept_tables(store, manifest)
    assert tables is not None
    evidence = store.nodes_with_label(Label.EVIDENCE)
    with view_without_tables(store, path) as view:
        afresh = {node.id: _reading(view, node.id) for node in evidence}
    with pytest.raises(NotKept):
        tables.reading(evidence[0].id)  # kept with the evidence of what it is about: read that entry first
    about = {edge.end for edge in store.edges(RelType.ABOUT)}
    assert {i for node_id in about for i in tables.evidence(node_id) or ()} == afresh.keys()
    assert {i: tables.reading(i) for i in afresh} == afresh
    made = [r for r in afresh.values() if r is not None]
    assert len(made) > 1_000
    assert len(afresh) - len(made) > 1_000
    assert {r.role for r in made} == {"for", "against", "adverse"}
    assert len({r.tier for r in made}) > 1
    with pytest.raises(NotKept):
        tables.reading(store.nodes_with_label(Label.GENE)[0].id)  # not evidence: read from the node


def test_a_gene_the_build_stores_nothing_about_reads_as_empty_as_the_store_says_it_is(
    kept: tuple[EmbeddedStore, BuildManifest, Path],
) -> None:
    """Most genes of a cohort have no variant, class, evidence or profile in the graph: a new view answers all of a
    gene's memos from one fact the tables keep ("held" genes).  Each answer must be the one reading the store gives,
    and a gene with members must never be taken for such a gene."""
    store, manifest, path = kept
    tables = kept_tables(store, manifest)
    assert tables is not None
    ttn, braf = (store.find(symbol, Label.GENE)[0] for symbol in ("TTN", "BRAF"))
    assert tables.bare(ttn.id)
    assert not tables.bare(braf.id)

    def per_gene(view: graph_view.GraphView, gene_id: str) -> list[Any]:
        return [view.members_of_gene(gene_id), view.gene_index(gene_id), view.reference_residues(gene_id),
                view.classes_of_gene(gene_id), view.acts_by_loss(gene_id), view.profiles_with(gene_id),
                view.parents(gene_id), view.class_members(gene_id), view.evidence_ids([gene_id])]  # fmt: skip

    graph_view.forget_views()
    view = graph_view.view_for(store)
    assert [g.id for g in view.genes("TTN")] == [ttn.id]
    from_tables = per_gene(view, ttn.id)
    assert per_gene(view, braf.id)[0]  # BRAF's members are read, not taken as none
    with view_without_tables(store, path) as view:
        assert view.genes("TTN") == [ttn]
        assert per_gene(view, ttn.id) == from_tables


def test_the_held_genes_read_whole_are_the_genes_the_store_holds_anything_about(
    kept: tuple[EmbeddedStore, BuildManifest, Path],
) -> None:
    """A new view reads the held genes once, whole (one entry, not one per gene): whether each gene is bare must be
    what the store says of it, for genes with evidence, members or profiles and for the many without."""
    store, manifest, path = kept
    tables = kept_tables(store, manifest)
    assert tables is not None
    genes = sorted(store.nodes_with_label(Label.GENE), key=lambda g: g.id)
    symbols = sorted({a.split()[0].split("::")[0] for a in ALTERATIONS})  # BRAF, EGFR … TTN, NOTAGENE1
    sample = [g.id for g in genes[::40]] + [found[0].id for s in symbols if (found := store.find(s, Label.GENE))]
    with view_without_tables(store, path) as view:
        held = {g for g in sample if view.members_of_gene(g) or view.profiles_with(g) or view.parents(g)
                or view.class_members(g) or view.evidence_ids([g])}  # fmt: skip
    assert {g for g in sample if not tables.bare(g)} == held
    assert len(held) >= 10
    assert len(sample) - len(held) > 100


def test_a_section_finds_every_key_it_was_given_and_none_other() -> None:
    table = {f"DOID:{i}": (f"DOID:{i + 1}",) * (i % 3) for i in range(2_000)} | {"": ("empty key",), "é": (1, 2.5)}
    layout, body = pack_sections({"broader": table, "empty": {}})
    from queries.hashed_sections import Section

    section = Section(memoryview(body), *layout["broader"])
    assert all(section.get(key) == value for key, value in table.items())
    assert section.get("DOID:2000") is None
    assert section.get("doid:1") is None
    assert Section(memoryview(body), *layout["empty"]).get("DOID:1") is None


@pytest.mark.neo4j
def test_a_first_answer_on_neo4j_from_the_kept_tables_sends_no_read_to_the_server(
    neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Neo4j each memo filled was a round trip: the kept tables (PMKG_HOME/cache/views) answer them all."""
    store = neo4j_starter(neo4j_uri)
    keep_for_build(store)
    manifest = store.current_build()
    assert manifest is not None
    path = kept_names_path(store, manifest, TABLES_SUFFIX)
    whole = path.read_bytes()
    with_tables = answers(store)
    path.unlink()
    try:
        assert answers(store) == with_tables
    finally:
        path.write_bytes(whole)
    reads = store_reads(store, monkeypatch)
    assert answers(store) == with_tables
    assert reads == []
