"""An input reaching a stored variant named for one zygosity says the input does not state it.

CIViC's "DPYD*2A HOMOZYGOSITY" carries the HGVS c.1905+1G>A, so ``DPYD c.1905+1G>A`` (one allele, zygosity
unsaid) was answered "is DPYD DPYD*2A HOMOZYGOSITY": a heterozygous carrier, who needs a reduced dose, read as
one who must avoid fluoropyrimidines.  Real starter graph, embedded and Neo4j.
"""

from __future__ import annotations

import pytest

from kg.stores.port import Store
from queries.matching import match_therapies
from tests.queries.matching_stores import STORE_KINDS, store_of_kind


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def test_an_allele_reaching_a_homozygosity_variant_says_its_zygosity_is_unstated(store: Store) -> None:
    result = match_therapies(store, ["DPYD c.1905+1G>A"], "colorectal cancer")
    variant = result.variants[0]
    assert variant.variant_name == "DPYD DPYD*2A HOMOZYGOSITY"
    assert "the source's variant is the homozygous state, which the input does not state" in variant.message
    assert "give the diplotype" in variant.message
    adverse = {t.therapy.name for t in result.therapies if t.significance == "adverse response"}
    assert {"Capecitabine", "Fluorouracil"} <= adverse  # the warning itself still reaches the board


def test_a_variant_named_for_no_zygosity_gets_no_such_note(store: Store) -> None:
    variant = match_therapies(store, ["BRAF c.1799T>A"], "melanoma").variants[0]
    assert "zygosity" not in variant.message
    assert "homozygous" not in variant.message
