"""Among therapies matched alike, the one a source's curated assertion backs in the patient's disease opens.

``ERBB2 amplification`` in breast cancer opened with margetuximab (one level-A item), then "neratinib then
trastuzumab", then trastuzumab, the standard of care: all tier 1 and exact, and trastuzumab's resistance in other
tumour types (outweighed) put it after therapies with none.  CIViC's assertion AID 2 (AMP/ASCO/CAP tier I level A,
FDA companion test, NCCN) names trastuzumab for HER2-positive breast cancer; a curated assertion now orders such
ties (queries/ranking_rules.py).  Real starter graph, embedded and Neo4j.
"""

from __future__ import annotations

import pytest

from kg.stores.port import Store
from queries.matching import match_therapies
from tests.queries.matching_stores import STORE_KINDS, store_of_kind


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def _sensitivity(store: Store, variants: list[str], disease: str) -> list[str]:
    return [
        t.therapy.name for t in match_therapies(store, variants, disease).therapies if t.significance == "sensitivity"
    ]


@pytest.mark.parametrize("disease", ["breast cancer", "HER2 positive breast cancer"])
def test_trastuzumab_opens_for_her2_amplified_breast_cancer(store: Store, disease: str) -> None:
    ranked = _sensitivity(store, ["ERBB2 amplification"], disease)
    assert ranked[0] == "Trastuzumab"
    assert ranked.index("Trastuzumab") < ranked.index("Margetuximab")
    (first,) = [t for t in match_therapies(store, ["ERBB2 amplification"], disease).therapies[:1]]
    assert any(h.evidence_id == "CIVIC.AID:2" for h in first.hits)


def test_the_melanoma_order_backed_by_assertions_is_kept(store: Store) -> None:
    assert _sensitivity(store, ["BRAF V600E"], "melanoma")[:3] == [
        "Dabrafenib + Trametinib",
        "Cobimetinib + Vemurafenib",
        "Vemurafenib",
    ]
