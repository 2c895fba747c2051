"""Every curated disease alias (queries/data/disease_aliases.tsv) names a Disease Ontology term the starter holds,
and a diagnosis typed as the alias resolves to it.

The list holds what DO and OncoTree lack or give to another disease (``CCA`` is congenital contractural
arachnodactyly in DO; ``KIRC``, ``LAML``, ``OV`` are TCGA's study abbreviations, in which TCGA MAFs name their
tumours): a stale id would silently send a diagnosis to no disease.  Real starter graph, embedded.
"""

from __future__ import annotations

import pytest

from queries.disease_index import curated_aliases
from queries.diseases import resolve_disease
from tests.queries.matching_stores import embedded_starter

ALIASES = sorted(curated_aliases().items())


def test_the_curated_list_is_read() -> None:
    assert len(ALIASES) > 40
    assert dict(ALIASES)["cca"] == "DOID:4947"


@pytest.mark.parametrize(("alias", "disease_id"), ALIASES)
def test_each_alias_resolves_to_its_term(alias: str, disease_id: str) -> None:
    store = embedded_starter()
    assert store.get_node(disease_id) is not None, f"{alias}: {disease_id} is not in the starter graph"
    found = resolve_disease(store, alias)
    assert found is not None
    assert found.id == disease_id
