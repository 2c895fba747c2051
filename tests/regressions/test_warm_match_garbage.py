"""A warm match leaves no reference cycles behind (issue 7: the tail of the 50-variant warm match).

``match_therapies`` pauses the cyclic garbage collector while it works (:mod:`kg.collector`): what it allocates is
freed by reference counting, and the collector has nothing to find afterwards — provided nothing the match makes
refers to itself.  A molecular profile's expression used to be read by nested functions that called each other
(closures in a cycle): every profile evaluated left ~10 objects only a collection could free, 1,101 objects per
50-variant match, 381 per MOAlmanac example, which the next collection then had to find and free inside a later
answer.
"""

from __future__ import annotations

import gc

import pytest

from kg.variants import evaluate_profile
from queries.matching import match_therapies
from tests.queries.matching_stores import embedded_starter

PATIENTS = [
    (["EGFR L858R", "EGFR T790M"], "lung adenocarcinoma"),  # profiles: T790M AND L858R, and others
    (["EML4::ALK", "ALK G1202R"], "lung adenocarcinoma"),
    (["BRAF V600E", "NRAS Q61K", "TP53 R273H", "CDKN2A deletion", "BRCA2 N372H", "MSI-H"], "melanoma"),
]


def _unreachable_after(action: object) -> int:
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        assert callable(action)
        action()
        return gc.collect()
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.parametrize(("variants", "disease"), PATIENTS)
def test_a_warm_match_and_its_json_leave_no_cycles_for_the_collector(variants: list[str], disease: str) -> None:
    store = embedded_starter()
    assert match_therapies(store, variants, disease).therapies  # warm: the build's memos are made here

    def answer() -> None:
        match_therapies(store, variants, disease).as_json()

    assert _unreachable_after(answer) == 0


def test_evaluating_a_profile_leaves_no_cycles() -> None:
    def evaluate() -> None:
        for _ in range(20):
            assert evaluate_profile("(A OR B) AND NOT C", {"B"})

    assert _unreachable_after(evaluate) == 0
