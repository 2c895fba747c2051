"""Answering again in the same process must not keep what earlier answers opened.

Before: graph views were kept in a ``WeakKeyDictionary`` keyed by the store object, and each view held its
store, so no key ever died: every ``pmkg match`` run in one process (a loop of ``cli.main`` calls, or a
program calling the CLI, or tests) left its store, its view and every node the view had read alive.
The hundredth answer took 2.6 times as long as the first (a garbage collector walking an ever larger
heap), and each answer started from a cold view although the build had not changed.
"""

from __future__ import annotations

import gc
import json
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.settings import get_settings
from kg.stores.embedded import EmbeddedStore
from queries import graph_view
from queries.cli.main import cli
from queries.kept_names import keep_for_build
from queries.matching import match_therapies
from tests.queries.matching_stores import embedded_starter

MATCH = ["match", "--variant", "BRAF V600E", "--variant", "NRAS Q61K", "--disease", "melanoma", "--format", "json",
         "--store", "embedded"]  # fmt: skip


@pytest.fixture
def starter_in_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = embedded_starter().folder  # <home>/graph
    monkeypatch.setenv("PMKG_HOME", str(folder.parent))
    monkeypatch.setenv("PMKG_STORE", "embedded")
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def alive(kind: type) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


def answer(runner: CliRunner) -> list[str]:
    result = runner.invoke(cli, MATCH, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return [t["therapy"] for t in json.loads(result.stdout)["therapies"]]


def test_repeated_pmkg_match_in_one_process_keeps_no_old_store_or_view(starter_in_home: Path) -> None:
    runner = CliRunner()
    first = answer(runner)
    views, stores = alive(graph_view.GraphView), alive(EmbeddedStore)
    for _ in range(8):
        assert answer(runner) == first  # the same answer every time
    assert alive(graph_view.GraphView) == views
    assert alive(EmbeddedStore) == stores
    assert "Vemurafenib" in first


def test_a_new_store_object_on_the_same_build_answers_from_the_build_view_already_there() -> None:
    folder = embedded_starter().folder
    first = graph_view.view_for(EmbeddedStore(folder))
    again = EmbeddedStore(folder)
    assert graph_view.view_for(again) is first
    assert first.store is again  # the view reads through the store that asked last (the earlier may be closed)


def test_views_of_builds_nobody_asks_about_are_dropped() -> None:
    graph_view.forget_views()
    store = embedded_starter()
    view = graph_view.view_for(store)
    kinds = [type(f"OtherStore{i}", (EmbeddedStore,), {}) for i in range(graph_view._KEEP_VIEWS + 3)]
    for kind in kinds:  # another kind of store: another build as far as views go
        graph_view.view_for(kind(store.folder))
        assert graph_view.view_for(store) is view  # asked about after each: kept
    assert len(graph_view._VIEWS) == graph_view._KEEP_VIEWS
    assert alive(graph_view.GraphView) == graph_view._KEEP_VIEWS
    kept_kinds = {k.__qualname__ for k in kinds[len(kinds) - graph_view._KEEP_VIEWS + 1 :]}
    assert {key[0] for key in graph_view._VIEWS} == {"EmbeddedStore", *kept_kinds}


def test_a_view_nobody_asks_about_is_freed_at_once_with_everything_it_read() -> None:
    """Before, a view and its memos (and its disease names) made reference cycles: a dropped view (a server's after
    a new build, each of bench.match's cold answers) and the ~20,000 objects it had read waited for the cyclic
    collector, which walked them inside a later answer (two thirds of the mean cold answer of MOAlmanac's example
    patient).  Freed by reference counting now, with the collector off."""
    store = embedded_starter()
    keep_for_build(store)  # as `pmkg build` does: the view reads the kept match tables
    graph_view.forget_views()
    result = match_therapies(store, ["BRAF V600E", "CDKN2A deletion", "MSI-H"], "melanoma")
    assert "Vemurafenib" in {t.therapy.name for t in result.therapies}
    view = weakref.ref(graph_view.view_for(store))
    tables = weakref.ref(view().tables())  # type: ignore[union-attr]  # the build's mapped file and the nodes read
    assert view().disease_names().lookup("melanoma")  # type: ignore[union-attr]
    del result  # an answer's therapies name the view they were read from
    gc.disable()
    try:
        graph_view.forget_views()
        assert view() is None
        assert tables() is None
    finally:
        gc.enable()


def test_matching_through_a_fresh_store_each_time_gives_the_same_ranked_therapies() -> None:
    folder = embedded_starter().folder
    answers = []
    for _ in range(3):
        store = EmbeddedStore(folder)
        result = match_therapies(store, ["EGFR L858R", "EGFR T790M"], "lung adenocarcinoma")
        store.close()
        answers.append([t.therapy.name for t in result.therapies])
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == "Osimertinib"


def sources(store: EmbeddedStore) -> set[str]:
    result = match_therapies(store, ["BRAF V600E", "CDKN2A deletion", "MSI-H"], "melanoma")
    return {hit.source for therapy in result.therapies for hit in therapy.hits}


def test_a_promote_or_rollback_in_the_same_process_answers_from_the_build_now_current(tmp_path: Path) -> None:
    from kg.builds import run_build
    from loaders.registry import starter_loaders
    from tests.queries.test_moalmanac_example import build_example_graph

    store = build_example_graph(tmp_path / "graph")  # build A: the starter and MOAlmanac
    first = store.current_build()
    assert first is not None
    other = EmbeddedStore(store.folder)  # a second store object of the same process, on the same folder
    assert "moalmanac" in sources(store)
    assert "moalmanac" in sources(other)
    second = run_build(store, starter_loaders())  # build B: the starter alone, promoted
    assert second.build_id != first.build_id
    assert "moalmanac" not in sources(store)
    assert "moalmanac" not in sources(other)
    assert "moalmanac" in sources(EmbeddedStore(store.folder, build=first.build_id))  # as of A
    store.rollback(first.build_id)
    assert "moalmanac" in sources(store)
    assert "moalmanac" in sources(other)
    assert "moalmanac" not in sources(EmbeddedStore(store.folder, build=second.build_id))  # as of B
