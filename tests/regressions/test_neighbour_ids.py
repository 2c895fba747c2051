"""A first answer read whole nodes only to learn where their edges lead (issue 8, performance).

Before: the graph view learnt each evidence item's diseases and therapies, a term's broader terms, a variant's
classes and a disease's mappings by reading the neighbour nodes whole (an embedded evidence node is kilobytes
of JSON to decode; over Bolt every property travels) and keeping only their ids: ~1,000 such reads in the first
answer of MOAlmanac's example patient.  Now the store's ``neighbour_ids`` answers them.  Asserted on which port
operations a real store is asked and on the answers, never on time.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from kg.schema import RelType
from kg.stores.port import Direction, Store
from queries import graph_view
from queries.matching import match_therapies
from tests.queries.matching_stores import STORE_KINDS, store_of_kind

PATIENT = ["BRAF V600E", "NRAS Q61K", "EGFR L858R", "EGFR T790M", "KRAS G12C", "ERBB2 amplification", "EML4::ALK",
           "CDKN2A deletion", "MSI-H", "TP53 R273H", "PTEN loss"]  # fmt: skip
DISEASES = ["melanoma", "lung adenocarcinoma", "colorectal cancer", None]
# Where only the far end's id is used: reading these neighbours whole is the waste this test guards against.
ID_ONLY = {RelType.IN_DISEASE, RelType.WITH_THERAPY, RelType.MAPS_TO, RelType.SUBCLASS_OF}


class RecordingStore:
    """A real store, passed through, recording which relationships its neighbours are read whole for."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.whole: Counter[tuple[str, str]] = Counter()

    def neighbours(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[Any]:
        self.whole[(str(rel), str(direction))] += 1
        return self._store.neighbours(node_id, rel, direction)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class NodesOnlyStore(RecordingStore):
    """The store as the matcher used it before: every neighbour's id read from the whole node."""

    def neighbour_ids(self, node_id: str, rel: RelType, direction: Direction = Direction.OUT) -> list[str]:
        return [n.id for n in self._store.neighbours(node_id, rel, direction)]


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


@pytest.mark.parametrize("disease", DISEASES)
def test_a_first_match_reads_no_whole_node_to_learn_an_evidence_items_diseases_or_therapies(
    store: Store, disease: str | None
) -> None:
    graph_view.forget_views()
    recording = RecordingStore(store)
    answer = match_therapies(recording, PATIENT, disease).as_json()  # type: ignore[arg-type]
    assert answer["therapies"], "the patient has therapies: the evidence links were walked"
    assert [key for key in recording.whole if RelType(key[0]) in ID_ONLY] == []

    graph_view.forget_views()
    before = match_therapies(NodesOnlyStore(store), PATIENT, disease).as_json()  # type: ignore[arg-type]
    assert answer == before
    graph_view.forget_views()
