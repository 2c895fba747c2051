"""The services (queries.services): typed question in, typed answer out, on the starter graph."""

from __future__ import annotations

import pytest

from kg.errors import InputError, NotFound
from kg.schema import Label, RelType
from kg.stores.port import Store
from queries.models import EntityQuery, MatchQuery, SearchQuery
from queries.services.entity import entity
from queries.services.match import match
from queries.services.search import ancestors, search
from queries.services.status import status
from tests.queries.matching_stores import STORE_KINDS, store_of_kind


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def test_gene_page_by_alias_lists_its_variants_and_counts_its_evidence_by_level(store: Store) -> None:
    page = entity(store, EntityQuery(text="HER2", label=Label.GENE, neighbours=5))
    assert (page.id, page.name) == ("HGNC:3430", "ERBB2")
    groups = {(g.relation, g.direction): g for g in page.neighbours}
    in_gene = groups[(RelType.IN_GENE, "in")]
    assert in_gene.count > len(in_gene.nodes) == 5  # counted in full, listed up to the limit
    assert [n.id for n in in_gene.nodes] == sorted(n.id for n in in_gene.nodes)
    assert page.evidence.total == sum(page.evidence.by_level.values()) == sum(page.evidence.by_source.values())
    assert page.evidence.total > 0
    assert "civic" in page.evidence.by_source
    assert page.provenance[0].source == "genes"
    assert page.build.id == store.current_build().build_id  # type: ignore[union-attr]


def test_disease_page_by_oncotree_code_resolves_as_match_does(store: Store) -> None:
    page = entity(store, EntityQuery(text="LUAD", label=Label.DISEASE))
    answer = match(store, MatchQuery(variants=["EGFR L858R"], disease="LUAD"))
    assert answer.inputs.disease is not None
    assert page.id == answer.inputs.disease.id
    broader = {g.relation: g for g in page.neighbours if g.direction == "out"}
    assert all(n.label == Label.DISEASE for n in broader[RelType.MAPS_TO].nodes + broader.get(RelType.SUBCLASS_OF,
               broader[RelType.MAPS_TO]).nodes)  # fmt: skip


def test_drug_page_counts_the_evidence_of_its_therapies(store: Store) -> None:
    page = entity(store, EntityQuery(text="vemurafenib", label=Label.DRUG))
    assert page.label == Label.DRUG
    assert page.evidence.total > 0
    therapies = next(g for g in page.neighbours if g.relation == RelType.HAS_COMPONENT and g.direction == "in")
    assert all(n.label == Label.THERAPY for n in therapies.nodes)


def test_entity_not_in_the_graph_is_not_found_with_a_hint(store: Store) -> None:
    with pytest.raises(NotFound, match="no Gene node is called 'NOTAGENE1'; try `pmkg search`"):
        entity(store, EntityQuery(text="NOTAGENE1", label=Label.GENE))


def test_entity_text_naming_several_nodes_lists_them(store: Store) -> None:
    with pytest.raises(InputError, match=r"'imatinib' names 2 nodes: .*Drug.*Therapy.*; give an id or a label"):
        entity(store, EntityQuery(text="imatinib"))
    assert entity(store, EntityQuery(text="imatinib", label=Label.DRUG)).label == Label.DRUG


def test_search_answer_carries_the_question_and_hits(store: Store) -> None:
    answer = search(store, SearchQuery(text="HER2", label=Label.GENE))
    assert answer.query == "HER2"
    assert [(h.id, h.name) for h in answer.hits] == [("HGNC:3430", "ERBB2")]


def test_ancestors_of_an_unknown_disease_point_to_search(store: Store) -> None:
    with pytest.raises(NotFound, match=r"no disease is called 'zorblax carcinoma'; try `pmkg search`"):
        ancestors(store, "zorblax carcinoma")


def test_status_names_the_build(store: Store) -> None:
    answer = status(store)
    assert answer is not None
    assert answer.build_id == store.current_build().build_id  # type: ignore[union-attr]
    assert {"civic", "pharmcat", "genes"} <= {s.name for s in answer.sources}
