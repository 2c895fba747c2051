"""``Store.edges``: every relationship of a type with its properties and provenance, alike in both stores."""

from __future__ import annotations

import pytest

from kg.schema import RelType
from kg.stores.port import Store
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind


@pytest.fixture(params=STORE_KINDS)
def starter(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


@pytest.mark.parametrize("rel", [RelType.MAPS_TO, RelType.TARGETS, RelType.IN_DISEASE])
def test_edges_carry_properties_and_provenance_alike_in_both_stores(starter: Store, rel: RelType) -> None:
    got = sorted(starter.edges(rel), key=lambda e: (e.start, e.end))
    want = sorted(embedded_starter().edges(rel), key=lambda e: (e.start, e.end))
    assert got, rel
    assert [(e.start, e.end, dict(e.props)) for e in got] == [(e.start, e.end, dict(e.props)) for e in want]
    assert [sorted(p.source for p in e.provenance) for e in got] == [
        sorted(p.source for p in e.provenance) for e in want
    ]
    if rel == RelType.MAPS_TO:
        assert all("method" in e.props for e in got)
