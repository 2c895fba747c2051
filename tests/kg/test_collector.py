"""Pausing the cyclic garbage collector around a build or a match restores the setting the caller had."""

from __future__ import annotations

import gc

import pytest

from kg.collector import cyclic_gc_paused
from queries.matching import match_therapies
from tests.queries.matching_stores import embedded_starter


def test_the_collector_is_paused_inside_and_enabled_again_after() -> None:
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failure_inside_still_enables_the_collector_again() -> None:
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_caller_that_paused_the_collector_finds_it_paused_after_a_match() -> None:
    store = embedded_starter()
    gc.disable()
    try:
        result = match_therapies(store, ["BRAF V600E"], "melanoma")
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert result.therapies[0].therapy.name in {"Dabrafenib + Trametinib", "Encorafenib + Binimetinib"}
    match_therapies(store, ["BRAF V600E"], "melanoma")
    assert gc.isenabled()
