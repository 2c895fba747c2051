"""A cohort's annotation leaves nothing for the cyclic garbage collector, so its memory stays flat when that
collector is paused for a long upload (``POST /v1/annotate`` of a million rows).

What broke: :func:`kg.variants.evaluate_profile` parsed with nested closures that referred to each other, a
reference cycle per call; a cohort evaluates its profiles for every sample, ~300,000 unreachable objects per
200,000 MAF rows that only the cyclic collector could free (``test_warm_match_garbage.py`` holds a single
match to the same; this holds the whole cohort path, readers and summaries included).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.errors import SchemaError
from kg.variants import evaluate_profile
from queries.annotate import annotate
from queries.inputs import open_patient_file
from tests.queries.matching_stores import embedded_starter

LAML = Path(__file__).resolve().parents[1] / "data" / "inputs" / "vcf2maf" / "tcga_laml.slice.maf"


@contextmanager
def cyclic_garbage() -> Iterator[list[int]]:
    """Counts (in the list it yields) the objects only the cyclic collector could free, made in the block."""
    found: list[int] = []
    gc.collect()
    gc.disable()
    try:
        yield found
        found.append(gc.collect())
    finally:
        gc.enable()


def test_evaluating_a_profile_leaves_no_reference_cycle() -> None:
    with cyclic_garbage() as found:
        answers = [evaluate_profile("(A OR B) AND NOT C", present) for present in ({"B"}, {"B", "C"}, set())]
    assert answers == [True, False, False]
    assert found == [0]


def test_a_malformed_profile_is_still_refused_each_time() -> None:
    for _ in range(2):  # the second time comes after a parse was remembered for another expression
        evaluate_profile("A AND B", {"A"})
        with pytest.raises(SchemaError, match=r"profile 'A AND \(B' ends too early"):
            evaluate_profile("A AND (B", {"A"})


def test_annotating_a_cohort_leaves_no_reference_cycles() -> None:
    store = embedded_starter()
    annotate(store, [open_patient_file(LAML)], disease="acute myeloid leukemia")  # warm: memos of the view
    with cyclic_garbage() as found:
        rows, samples = annotate(store, [open_patient_file(LAML)], disease="acute myeloid leukemia")
    assert len(rows) == 204
    assert samples
    assert found == [0]
