"""The first answer of a process paid for work every process repeats.

Before: every process that met a genomic position on the other assembly parsed a UCSC chain file again
(0.1 s for hg19→hg38, 0.4-0.6 s for hg38→hg19), so ``pmkg annotate`` of a MAF or VCF spent more time
reading the chain than matching.  Now the first process keeps the parsed blocks as arrays under
``PMKG_HOME/cache/liftover/`` and later ones load them; the lifts are the same either way, and a
missing, damaged or unwritable cache only means parsing again.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from kg import liftover as lo
from kg.settings import get_settings

KNOWN = [("GRCh38", "GRCh37", "7", 140753336, 1), ("GRCh37", "GRCh38", "7", 140453136, 1),
         ("GRCh38", "GRCh37", "17", 7675088, 1), ("GRCh37", "GRCh38", "12", 25398284, 1)]  # fmt: skip


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PMKG_HOME", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def kept_files(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "cache" / "liftover").glob("*.npz"))


def test_the_first_read_keeps_the_parsed_chain_and_the_next_lifts_the_same_without_parsing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = {key: lo._read(*key) for key in (("GRCh37", "GRCh38"), ("GRCh38", "GRCh37"))}
    assert [name.split("-")[0] for name in kept_files(home)] == ["hg19ToHg38", "hg38ToHg19"]

    def no_parsing(*_: object) -> None:
        raise AssertionError("the chain file was parsed again")

    monkeypatch.setattr(lo, "_parse", no_parsing)
    for (source, target), first in parsed.items():
        again = lo._read(source, target)
        rng = random.Random(7)
        for _ in range(3000):
            chrom = rng.choice(sorted(first._starts))
            position, length = rng.randrange(1, 250_000_000), rng.choice([1, 3])
            assert again.lift(chrom, position, length) == first.lift(chrom, position, length)
    for source, target, chrom, position, length in KNOWN:
        assert lo._read(source, target).lift(chrom, position, length) == parsed[(source, target)].lift(
            chrom, position, length
        )
    assert lo._read("GRCh38", "GRCh37").lift("7", 140753336) == lo.Lifted("7", 140453136, "+")


def test_a_damaged_kept_file_is_parsed_again_and_replaced(home: Path) -> None:
    first = lo._read("GRCh37", "GRCh38")
    (kept,) = (home / "cache" / "liftover").glob("hg19ToHg38-*.npz")
    kept.write_bytes(b"not arrays")
    again = lo._read("GRCh37", "GRCh38")
    assert again.lift("7", 140453136) == first.lift("7", 140453136) == lo.Lifted("7", 140753336, "+")
    assert kept.stat().st_size > 1000  # written again


def test_a_home_that_cannot_be_written_still_lifts(home: Path) -> None:
    (home / "cache").write_text("a file where the cache folder would be")
    lifted = lo._read("GRCh38", "GRCh37").lift("7", 140753336)
    assert lifted == lo.Lifted("7", 140453136, "+")


def test_a_disease_named_exactly_does_not_key_every_disease_name_of_the_build() -> None:
    """Reading earlier ids (retired codes) made every new view key all ~100,000 disease names and synonyms
    (0.2-0.4 s of each process's first answer); the keys are now made only when a lookup needs them."""
    from queries import graph_view
    from queries.diseases import resolve_disease
    from tests.queries.matching_stores import embedded_starter

    store = embedded_starter()
    graph_view.forget_views()
    view = graph_view.view_for(store)
    for text in ("melanoma", "MEL", "DOID:1909", "lung adenocarcinoma"):
        assert resolve_disease(store, text, view=view) is not None
    assert view.disease_names()._index is None  # no fuzzy lookup was needed
    misspelt = resolve_disease(store, "melanomma", view=view)
    assert misspelt is not None
    assert misspelt.id == "DOID:1909"
    assert view.disease_names()._index is not None


def test_a_new_process_reads_the_kept_disease_names_instead_of_every_disease_node(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from queries import graph_view
    from queries.diseases import resolve_disease
    from queries.kept_names import kept_names_path
    from tests.queries.matching_stores import embedded_starter

    store = embedded_starter()
    graph_view.forget_views()
    built = graph_view.view_for(store).disease_names()  # the first process: read from the nodes, then kept
    manifest = store.current_build()
    assert manifest is not None
    assert kept_names_path(store, manifest).is_file()
    graph_view.forget_views()  # as a new process would

    def no_node_reading(*_: object) -> None:
        raise AssertionError("every disease node was read again")

    monkeypatch.setattr(store, "nodes_with_label", no_node_reading)
    view = graph_view.view_for(store)
    again = view.disease_names()
    assert orjson.loads(orjson.dumps(again.state())) == orjson.loads(orjson.dumps(built.state()))
    assert again.retired("DOID:267") == built.retired("DOID:267") != []
    found = resolve_disease(store, "melanomma", view=view)  # the fuzzy index is made from the kept names
    assert found is not None
    assert found.id == "DOID:1909"
    graph_view.forget_views()


def test_a_promoted_or_rolled_back_build_never_reads_another_builds_kept_disease_names(tmp_path: Path) -> None:
    from kg.builds import run_build
    from loaders.registry import starter_loaders
    from queries import graph_view
    from queries.kept_names import kept_names_path
    from tests.queries.test_moalmanac_example import build_example_graph

    store = build_example_graph(tmp_path / "graph")
    first = store.current_build()
    assert first is not None
    graph_view.view_for(store).disease_names()
    second = run_build(store, starter_loaders())
    graph_view.view_for(store).disease_names()
    path_first, path_second = kept_names_path(store, first), kept_names_path(store, second)
    assert path_first != path_second
    assert path_first.is_file()
    assert path_second.is_file()
    assert orjson.loads(path_second.read_bytes())["stamp"][1] == second.build_id
    # A file of build B where build A's belongs (copied, restored from a backup) is not read for A.
    path_first.write_bytes(path_second.read_bytes())
    store.rollback(first.build_id)
    graph_view.forget_views()
    view = graph_view.view_for(store)
    assert view.build_id == first.build_id
    view.disease_names()
    assert orjson.loads(path_first.read_bytes())["stamp"][1] == first.build_id  # read from A's nodes, kept again
    graph_view.forget_views()
