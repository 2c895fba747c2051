"""Entity pages that answered wrongly before the HTTP entity pages landed (service level, on both stores)."""

from __future__ import annotations

import pytest

from kg.errors import AmbiguousName
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


def test_a_name_shared_by_a_variant_and_its_class_is_ambiguous_not_the_evidence_less_variant(store: Store) -> None:
    """'ERBB2 amplification' opened the Variant (no evidence) and hid the class holding CIViC's evidence."""
    with pytest.raises(AmbiguousName) as raised:
        entity(store, EntityQuery(text="ERBB2 amplification", kind=EntityKind.VARIANT))
    assert [c[:2] for c in raised.value.candidates] == [("PMKG:variant/ERBB2:amplification", "Variant"),
                                                        ("PMKG:class/ERBB2:amplification", "VariantClass")]  # fmt: skip
    by_id = entity(store, EntityQuery(text="PMKG:class/ERBB2:amplification", kind=EntityKind.VARIANT))
    assert by_id.evidence.total > 0
    # A drug's name opens the drug, not the single-drug therapy of the same name (a later group).
    assert entity(store, EntityQuery(text="imatinib", kind=EntityKind.DRUG)).label == Label.DRUG
