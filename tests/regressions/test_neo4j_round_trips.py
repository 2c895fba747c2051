"""Warm answers on Neo4j must not ask the server again what the build already told them.

Before: a warm ``annotate`` of the TCGA LAML MAF sent ~1,050 queries to Neo4j (every row whose gene the
graph does not know asked for the gene again, then for ~400 one-letter-off symbols; every genomic position
asked for its variants), 2.8 of its ~3.9 s; a warm 3-variant match sent 4 (two for earlier disease ids the
build does not have, asked again on every answer, one for the disease typed), and each autocomplete call sent
3 (the current build twice, the disease typed).  Now a view of an out-of-process store keeps the lookup keys
of genes and variant labels, finds diseases in the build's disease names (graph content, never what was typed)
and answers those lookups itself, with the store's own answers: one query per answer, the current build.

The store here is the real Neo4j, wrapped only to count the port calls it receives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest

from kg.schema import Label
from kg.stores.port import Store
from queries import graph_view
from queries.autocomplete import autocomplete
from queries.matching import match_therapies
from queries.models import AnnotateQuery
from queries.services.annotate import CohortFiles, annotate
from tests.queries.matching_stores import embedded_starter, neo4j_starter

pytestmark = pytest.mark.neo4j
T = TypeVar("T")

LAML_SLICE = Path(__file__).resolve().parents[1] / "data" / "inputs" / "vcf2maf" / "tcga_laml.slice.maf"
# Hits, misses, case and spaces, ids, previous symbols and aliases, variant names and genomic keys.
TEXTS = ["BRAF", " braf ", "HER2", "erbb2", "HGNC:1097", "NOTAGENE", "BRAFF", "", "  ", "V600E", "BRAF V600E",
         "7-140453136-A-T", "EGFR exon 19 deletion", "KRAS G12C", "ALK fusion", "EML4::ALK", "rs121913529"]  # fmt: skip


class CountingStore:
    """A real store, passed through, counting the port operations asked of it."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
        if not callable(found):
            return found

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return found(*args, **kwargs)

        return counted


@pytest.fixture
def neo4j(neo4j_uri: str) -> CountingStore:
    graph_view.forget_views()
    return CountingStore(neo4j_starter(neo4j_uri))


def warm_calls(store: CountingStore, ask: Callable[[], T]) -> tuple[Counter[str], T]:
    ask()  # cold: the view reads what it keeps
    store.calls.clear()
    answer = ask()
    return Counter(store.calls), answer


def counted(store: CountingStore) -> Store:
    return cast(Store, store)


def laml(store: Store) -> dict[str, Any]:
    query = AnnotateQuery(disease="acute myeloid leukemia")
    return annotate(store, query, CohortFiles(variants=LAML_SLICE)).model_dump(mode="json")


def test_a_cohorts_unknown_genes_and_positions_are_not_asked_of_neo4j_row_after_row(neo4j: CountingStore) -> None:
    calls, answer = warm_calls(neo4j, lambda: laml(counted(neo4j)))
    assert len(answer["variants"]) > 50
    assert calls["find_many"] == 0, calls
    assert calls == Counter({"current_build": 1}), calls
    assert answer == laml(embedded_starter())  # the same rows and results as the embedded store


def test_a_warm_match_asks_neo4j_only_which_build_is_current(neo4j: CountingStore) -> None:
    patient = ["BRAF V600E", "EGFR L858R", "KRAS G12C"]
    calls, answer = warm_calls(neo4j, lambda: match_therapies(counted(neo4j), patient, "lung adenocarcinoma"))
    assert calls == Counter({"current_build": 1}), calls
    embedded = match_therapies(embedded_starter(), patient, "lung adenocarcinoma")
    assert answer.as_json()["therapies"] == embedded.as_json()["therapies"]


def test_an_unknown_gene_typed_twice_is_not_asked_of_neo4j_again_and_gets_the_same_suggestions(
    neo4j: CountingStore,
) -> None:
    calls, answer = warm_calls(neo4j, lambda: match_therapies(counted(neo4j), ["BRAFF V600E"], "melanoma"))
    assert calls["find_many"] == 0, calls
    assert calls["find"] == 0, calls
    inputs = answer.as_json()["inputs"]["variants"]
    assert inputs == match_therapies(embedded_starter(), ["BRAFF V600E"], "melanoma").as_json()["inputs"]["variants"]
    assert inputs[0]["message"] == "unknown gene BRAFF; did you mean BRAF, TNFSF13B?"


def test_autocomplete_reads_the_current_build_once_per_call(neo4j: CountingStore) -> None:
    calls, hits = warm_calls(neo4j, lambda: autocomplete(counted(neo4j), "melan"))
    assert calls["current_build"] == 1, calls
    assert [h.id for h in hits] == [h.id for h in autocomplete(embedded_starter(), "melan")]


@pytest.mark.parametrize("labels", [(Label.GENE,), (Label.VARIANT,), (Label.VARIANT, Label.VARIANT_CLASS,
                                    Label.MOLECULAR_PROFILE)])  # fmt: skip
def test_the_views_own_lookups_answer_as_neo4j_finds(neo4j: CountingStore, labels: tuple[Label, ...]) -> None:
    store = neo4j._store
    view = graph_view.view_for(counted(neo4j))
    view.genes("NOTAGENE")  # a gene lookup that misses: the view now keeps the genes' keys
    view.find_any(["V600E"], labels)  # the first lookup of the labels reads their keys
    neo4j.calls.clear()
    wanted = set(labels)
    expected = {t: [n for n in nodes if n.label in wanted] for t, nodes in store.find_many(TEXTS).items()}
    expected_any = sorted({n.id for nodes in expected.values() for n in nodes})
    for asked in ("first", "again"):
        assert [n.id for n in view.find_any(TEXTS, labels)] == expected_any
        if len(labels) == 1:
            assert view.find_many(TEXTS, labels[0]) == {t: nodes for t, nodes in expected.items() if nodes}
            assert view.find_many(TEXTS, labels[0]) == embedded_starter().find_many(TEXTS, labels[0])
        if asked == "first" and Label.GENE in wanted:
            # With the build's kept gene keys (queries.kept_names), a gene is read the first time it is named:
            # once each at most, never every gene (see test_neo4j_first_gene_miss.py).
            assert set(neo4j.calls) <= {"get_node"}, neo4j.calls
            assert neo4j.calls["get_node"] <= len(expected_any), neo4j.calls
            neo4j.calls.clear()
        assert neo4j.calls == Counter(), neo4j.calls
    assert view.genes(" her2 ") == store.find(" her2 ", Label.GENE) != []


DISEASE_TEXTS = ["melanoma", " Melanoma ", "LUNG ADENOCARCINOMA", "DOID:3908", "doid:3908", "NCIT:C3512",
                 "ONCOTREE:MEL", "MEL", "luad", "NSCLC", "non-small cell lung carcinoma", "Glioma", "not a disease",
                 "", "BRAF", "3908"]  # fmt: skip


def test_the_views_disease_lookups_answer_as_neo4j_finds(neo4j: CountingStore) -> None:
    store = neo4j._store
    view = graph_view.view_for(counted(neo4j))
    for text in DISEASE_TEXTS:
        assert [n.id for n in view.find(text, Label.DISEASE)] == [n.id for n in store.find(text, Label.DISEASE)], text
    assert [n.id for n in view.find("melanoma", Label.DISEASE)] != []
    neo4j.calls.clear()
    assert view.find("Melanoma", Label.DISEASE) == store.find("melanoma", Label.DISEASE)
    assert neo4j.calls == Counter(), neo4j.calls


@pytest.mark.parametrize("typed", ["melan", "LUAD", "lung ad", "braf v", "HGNC:1097", "DOID:3908", "her2"])
def test_a_warm_search_asks_neo4j_only_which_build_is_current(neo4j: CountingStore, typed: str) -> None:
    """``GET /v1/search`` reads the current build once and hands it on: nothing else goes to Neo4j (the route and
    autocomplete each read it, and an id typed was looked up in the store: 2–3 round trips, p95 7.7 ms)."""

    def search(store: Store) -> list[dict[str, Any]]:
        return [h.as_json() for h in autocomplete(store, typed, build=store.current_build())]

    calls, hits = warm_calls(neo4j, lambda: search(counted(neo4j)))
    assert calls == Counter({"current_build": 1}), calls
    assert hits == search(embedded_starter())
    assert hits
