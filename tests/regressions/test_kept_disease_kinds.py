"""The first answer of a process read disease and evidence nodes to compare site and histology.

Before: the first diagnosis a process compared across site and histology (queries/disease_kinds.py) decoded every
cell-type term of the build (~15 ms for melanoma) and the nodes of each disease it met, and decoded every evidence
node of a disease only to learn whether any existed (~50 ms on first use for "adenocarcinoma").  Now ``pmkg build``
works all of that out once for every disease and keeps it beside the build (``….disease-kinds.json``), and a new
process reads that file instead.  The answers are the same with and without it; a file that is missing, of
another build, of another layout, damaged or half-written is never trusted: the nodes are read as before.
Asserted on answers and on which nodes are read, never on time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import BuildManifest, Direction
from queries import disease_kinds, graph_view
from queries.kept_names import KINDS_SUFFIX, keep_for_build, kept_names_path
from queries.matching import match_therapies
from tests.queries.matching_stores import embedded_starter

# Diagnoses and alterations whose ranking turns on site against histology (tests/regressions/
# test_ranking_site_and_histology.py): broader term, overlap, a site's form, rarities that stay other.
PATIENTS = [
    (["FGFR3 S249C"], "bladder cancer"),
    (["FGFR3 S249C"], "BLCA"),
    (["FGFR3 S249C"], "urothelial carcinoma"),
    (["EGFR L858R", "KRAS G12C", "ERBB2 amplification"], "lung adenocarcinoma"),
    (["EGFR L858R", "PIK3CA H1047R"], "adenocarcinoma"),
    (["BRAF V600E", "BRCA2 S1982fs", "KIT D816V"], "melanoma"),
    (["KIT D816V"], "sarcoma"),
    (["TP53 R273H"], "kidney cancer"),
]


@pytest.fixture
def kept() -> Iterator[tuple[EmbeddedStore, BuildManifest, Path]]:
    """The starter store with its disease kinds kept as `pmkg build` keeps them, and no view in memory
    (as in a new process); the file is put back as it was afterwards."""
    store = embedded_starter()
    keep_for_build(store)
    manifest = store.current_build()
    assert manifest is not None
    path = kept_names_path(store, manifest, KINDS_SUFFIX)
    whole = path.read_bytes()
    graph_view.forget_views()
    yield store, manifest, path
    path.write_bytes(whole)
    graph_view.forget_views()


def answers(store: EmbeddedStore) -> list[Any]:
    """The whole answer (JSON) to every patient of PATIENTS, each in a new process's first view."""
    out = []
    for variants, diagnosis in PATIENTS:
        graph_view.forget_views()
        out.append(match_therapies(store, list(variants), diagnosis).as_json())
    graph_view.forget_views()
    return out


def node_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What disease_kinds reads from the nodes from now on (each node decoded for a name, each evidence check)."""
    reads: list[str] = []
    kinds_of, build_index = disease_kinds._kinds_of, disease_kinds._build_index

    def counted_kinds_of(view: graph_view.GraphView, disease_id: str) -> frozenset[str]:
        reads.append(f"names of {disease_id}")
        return kinds_of(view, disease_id)

    def counted_index(view: graph_view.GraphView) -> Any:
        reads.append("every cell-type term")
        return build_index(view)

    monkeypatch.setattr(disease_kinds, "_kinds_of", counted_kinds_of)
    monkeypatch.setattr(disease_kinds, "_build_index", counted_index)
    return reads


def test_the_kept_kinds_of_every_disease_are_what_its_nodes_say(
    kept: tuple[EmbeddedStore, BuildManifest, Path],
) -> None:
    store, manifest, _ = kept
    from_file = disease_kinds._kept(graph_view.view_for(store))
    assert from_file is not None
    live = graph_view.GraphView(store, manifest)  # a view that reads the nodes, as without the file
    diseases = store.nodes_with_label(Label.DISEASE)
    assert len(diseases) > 10_000
    for disease in diseases:
        assert from_file.kinds_of(disease.id) == disease_kinds._kinds_of(live, disease.id), disease.id
    assert len(from_file.plain) > 10_000  # most diseases are a kind of nothing: found in the sorted list
    stored = {d.id for d in diseases}
    others = [n.id for n in store.nodes_with_label(Label.GENE)[:500]] + [f"{d}0" for d in sorted(stored)[:500]]
    assert all(from_file.kinds_of(i) is None for i in others if i not in stored)  # not a Disease: read as before
    index = disease_kinds._build_index(live)
    assert from_file.terms == index.terms
    assert all(from_file.above[t] == index.above(live, t) for t in index.terms)
    filed = {d.id for d in diseases if store.neighbours(d.id, RelType.IN_DISEASE, Direction.IN)}
    assert from_file.filed == filed
    assert {"DOID:2671", "DOID:299"} <= from_file.terms  # transitional cell carcinoma, adenocarcinoma
    assert "DOID:3910" in filed  # lung adenocarcinoma has evidence


def test_a_new_process_compares_site_and_histology_from_the_kept_file_with_the_same_answers(
    kept: tuple[EmbeddedStore, BuildManifest, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _, path = kept
    with_file = answers(store)
    path.unlink()
    without = answers(store)
    assert with_file == without
    erdafitinib = next(t for t in with_file[0]["therapies"] if t["therapy"] == "Erdafitinib")
    assert erdafitinib["disease_match"] == "overlap"  # bladder cancer: the urothelial approval overlaps
    keep_for_build(store)
    reads = node_reads(monkeypatch)
    assert answers(store) == with_file
    assert reads == []  # no disease node decoded for its name, no cell-type term read


@pytest.mark.parametrize(
    "damage", ["missing", "another build", "older layout", "other code", "not JSON", "cut short", "contents changed",
               "wrong shape", "not a cell type", "not in order"],
)  # fmt: skip
def test_a_missing_stale_or_damaged_kept_kinds_file_is_never_trusted(
    kept: tuple[EmbeddedStore, BuildManifest, Path], damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _, path = kept
    expected = answers(store)
    whole = path.read_bytes()
    data = orjson.loads(whole)
    stamp, state = data["stamp"], data["kinds"]
    if damage == "missing":
        path.unlink()
    elif damage == "another build":  # a copy of another build's file under this one's name
        path.write_bytes(orjson.dumps({**data, "stamp": [stamp[0], "b0000000000000000", *stamp[2:]]}))
    elif damage == "older layout":
        path.write_bytes(orjson.dumps({**data, "stamp": [*stamp[:-1], "kinds-0"]}))
    elif damage == "other code":  # written by another version of disease_kinds.py
        path.write_bytes(orjson.dumps({**data, "stamp": [*stamp[:-2], "0" * 64, stamp[-1]]}))
    elif damage == "not JSON":
        path.write_bytes(b"\x00\x01 not a kept file")
    elif damage == "cut short":  # an interrupted copy
        path.write_bytes(whole[: len(whole) // 2])
    elif damage == "contents changed":  # still a valid file, but every disease without a kind made a melanoma
        path.write_bytes(orjson.dumps({**data, "kinds": {**state, "sets": [["DOID:1909"], *state["sets"][1:]]}}))
    else:
        if damage == "wrong shape":
            changed = {**state, "sets": state["sets"][:-1]}
        elif damage == "not in order":  # the diseases of no kind, found by bisection, out of order
            diseases = list(state["diseases"])
            at = state["sets"].index([])
            diseases[at] = diseases[at][::-1]
            changed = {**state, "diseases": diseases}
        else:  # a disease named as a kind of a term that is not a cell-type term (urinary bladder cancer)
            changed = {**state, "sets": [["DOID:11054"], *state["sets"][1:]]}
        digest = hashlib.sha256(orjson.dumps(changed)).hexdigest()  # as if written so
        path.write_bytes(orjson.dumps({**data, "sha256": digest, "kinds": changed}))
    reads = node_reads(monkeypatch)
    assert answers(store) == expected
    assert "every cell-type term" in reads  # read from the nodes instead


def test_a_half_written_kept_file_beside_the_build_is_never_read(
    kept: tuple[EmbeddedStore, BuildManifest, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build interrupted while keeping its files leaves at most a ``.writing-…`` file: never read."""
    store, _, path = kept
    expected = answers(store)
    path.rename(path.with_name(f".writing-{path.name}"))
    reads = node_reads(monkeypatch)
    assert answers(store) == expected
    assert "every cell-type term" in reads


def test_each_build_keeps_its_own_kinds_and_a_rolled_back_build_reads_its_own(tmp_path: Path) -> None:
    from kg.builds import run_build
    from loaders.registry import starter_loaders
    from tests.queries.test_moalmanac_example import build_example_graph

    store = build_example_graph(tmp_path / "graph")
    first = store.current_build()
    assert first is not None
    keep_for_build(store)
    second = run_build(store, starter_loaders())
    keep_for_build(store)
    path_first, path_second = (kept_names_path(store, m, KINDS_SUFFIX) for m in (first, second))
    assert path_first != path_second
    assert orjson.loads(path_first.read_bytes())["stamp"][1] == first.build_id
    assert orjson.loads(path_second.read_bytes())["stamp"][1] == second.build_id
    store.rollback(first.build_id)
    graph_view.forget_views()
    view = graph_view.view_for(store)
    assert view.build_id == first.build_id
    assert disease_kinds._kept(view) is not None
    graph_view.forget_views()
