"""Entity pages that answered wrongly before the HTTP entity pages landed (service level, on both stores)."""

from __future__ import annotations

import pytest

from kg.schema import Label
from kg.stores.port import Store
from queries.models import EntityKind, EntityQuery
from queries.services.entity import entity
from tests.queries.matching_stores import STORE_KINDS, store_of_kind


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def test_an_oncotree_term_page_no_longer_counts_zero_evidence(store: Store) -> None:
    """ONCOTREE:LUAD holds no evidence itself: CIViC files it under DOID:3910, the term it is mapped to."""
    oncotree = entity(store, EntityQuery(text="ONCOTREE:LUAD", label=Label.DISEASE))
    doid = entity(store, EntityQuery(text="DOID:3910", label=Label.DISEASE))
    assert doid.evidence.total > 0
    assert oncotree.evidence.total >= doid.evidence.total


def test_a_variant_page_counts_the_evidence_of_profiles_naming_it(store: Store) -> None:
    """BRAF V600E is also named by the CIViC profile 'BRAF V600E AND BRAF V600M': its evidence concerns V600E."""
    page = entity(store, EntityQuery(text="PMKG:variant/BRAF:V600E", kind=EntityKind.VARIANT))
    profiles = next(g for g in page.neighbours if g.relation == "HAS_COMPONENT" and g.direction == "in")
    about = next(g for g in page.neighbours if g.relation == "ABOUT" and g.direction == "in")
    assert "CIVIC.MPID:4170" in [n.id for n in profiles.nodes]
    assert page.evidence.total > about.count


def test_a_disease_page_lacked_source_links_and_its_hierarchy(store: Store) -> None:
    page = entity(store, EntityQuery(text="lung adenocarcinoma", kind=EntityKind.DISEASE))
    assert page.id == "DOID:3910"
    assert page.links[0].url == "https://disease-ontology.org/?id=DOID:3910"
    assert [a.id for a in page.ancestors][:1] == ["DOID:3908"]
    assert page.children_count == len(page.children) > 0
