"""Entity pages over HTTP (``/v1/genes/…``, ``/v1/variants/…``, ``/v1/diseases/…``, ``/v1/drugs/…``,
``/v1/evidence/…``) on the real server: the entity service's answer, source links, disease hierarchy, and
problems that say what was looked up."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kg.stores.embedded import EmbeddedStore
from queries.models import EntityKind, EntityQuery
from queries.services.entity import entity
from tests.api.server import ApiServer
from tests.pmkg_cli import pmkg

# Pages a clinician opens from the web page's search and result rows (also compared across stores).
ENTITY_PAGES = [
    "/v1/genes/HER2",
    "/v1/genes/HGNC:1097",
    "/v1/variants/PMKG:variant/BRAF:V600E",
    "/v1/variants/CIVIC.VID:12",
    "/v1/diseases/LUAD",
    "/v1/diseases/DOID:3910",
    "/v1/drugs/vemurafenib",
    "/v1/drugs/PMKG:therapy/dabrafenib+trametinib",
    "/v1/evidence/CIVIC.EID:1409",
    "/v1/evidence/PMKG:recommendation/PA166296759",
]


def page(api: ApiServer, path: str, **params: Any) -> Any:
    with api.client() as client:
        answer = client.get(path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("path", ENTITY_PAGES)
def test_each_page_is_the_entity_service_answer(api: ApiServer, path: str) -> None:
    kind_segment, text = path.removeprefix("/v1/").split("/", 1)
    kind = next(k for k in EntityKind if kind_segment in (f"{k}s", str(k)))
    store = EmbeddedStore(api.home / "graph")
    try:
        expected = entity(store, EntityQuery(text=text, kind=kind)).model_dump(mode="json")
    finally:
        store.close()
    assert page(api, path) == expected


@pytest.mark.parametrize(("kind", "text"), [("gene", "HER2"), ("disease", "LUAD"), ("variant", "CIVIC.VID:12"),
                                            ("evidence", "CIVIC.EID:1409")])  # fmt: skip
def test_pmkg_show_gives_the_pages_answer(api: ApiServer, kind: str, text: str) -> None:
    segment = "evidence" if kind == "evidence" else f"{kind}s"
    cli = pmkg(api.home, "show", kind, text, "--format", "json")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == page(api, f"/v1/{segment}/{text}")
    table = pmkg(api.home, "show", kind, text)
    assert table.returncode == 0, table.stderr
    assert json.loads(cli.stdout)["id"] in table.stdout


def test_pmkg_show_of_an_unknown_or_other_kind_says_what_to_try(api: ApiServer) -> None:
    missing = pmkg(api.home, "show", "gene", "NOTAGENE1")
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        "error: no gene is called 'NOTAGENE1' (looked up as an id, a name and a synonym); "
        "try `pmkg search 'NOTAGENE1'` for names, synonyms and codes"
    )
    other = pmkg(api.home, "show", "gene", "DOID:3910")
    assert other.returncode == 2
    assert "is a Disease (lung adenocarcinoma), not a gene: `pmkg show disease DOID:3910`" in other.stderr


def test_an_alias_opens_the_gene_with_its_evidence_by_level_and_its_source_pages(api: ApiServer) -> None:
    her2 = page(api, "/v1/genes/HER2", neighbours=3)
    assert (her2["id"], her2["label"], her2["name"]) == ("HGNC:3430", "Gene", "ERBB2")
    assert her2["evidence"]["total"] == sum(her2["evidence"]["by_level"].values()) > 0
    assert her2["evidence"]["by_level"]["A"] > 0
    in_gene = next(g for g in her2["neighbours"] if g["relation"] == "IN_GENE" and g["direction"] == "in")
    assert len(in_gene["nodes"]) == 3 < in_gene["count"]
    urls = {link["title"]: link["url"] for link in her2["links"]}
    assert urls["HGNC"] == "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:3430"
    assert urls["NCBI Gene"] == "https://www.ncbi.nlm.nih.gov/gene/2064"
    assert urls["CIViC gene"] == "https://civicdb.org/links/entrez_name/ERBB2"


def test_an_evidence_item_links_to_civic_pubmed_and_its_trial(api: ApiServer) -> None:
    item = page(api, "/v1/evidence/CIVIC.EID:1409")
    assert item["properties"]["level"] == "A"
    assert [link["url"] for link in item["links"]] == [
        "https://civicdb.org/links/evidence/1409",
        "https://pubmed.ncbi.nlm.nih.gov/21639808/",
        "https://clinicaltrials.gov/study/NCT01006980",
    ]
    linked = {(g["relation"], g["direction"]): [n["id"] for n in g["nodes"]] for g in item["neighbours"]}
    assert linked[("WITH_THERAPY", "out")] == ["PMKG:therapy/vemurafenib"]
    assert "DOID:8923" in linked[("IN_DISEASE", "out")]


def test_a_cpic_recommendation_links_to_its_guideline(api: ApiServer) -> None:
    advice = page(api, "/v1/evidence/PMKG:recommendation/PA166296759")
    assert advice["label"] == "Recommendation"
    assert advice["properties"]["action"] == "avoid"
    assert {"title": "CPIC guideline", "id": "PA166104997",
            "url": "https://www.pharmgkb.org/guidelineAnnotation/PA166104997"} in advice["links"]  # fmt: skip


def test_a_variant_id_with_slashes_works_plain_or_percent_encoded(api: ApiServer) -> None:
    plain = page(api, "/v1/variants/PMKG:variant/BRAF:V600E")
    encoded = page(api, "/v1/variants/PMKG%3Avariant%2FBRAF%3AV600E")
    by_civic_id = page(api, "/v1/variants/CIVIC.VID:12")
    assert plain == encoded == by_civic_id
    assert plain["name"] == "BRAF V600E"
    assert {"CIViC variant", "ClinVar", "ClinGen Allele Registry"} <= {link["title"] for link in plain["links"]}


def test_a_disease_page_has_ancestors_as_pmkg_ancestors_lists_them_and_its_children(api: ApiServer) -> None:
    luad = page(api, "/v1/diseases/DOID:3910")
    cli = pmkg(api.home, "ancestors", "DOID:3910", "--format", "json")
    assert cli.returncode == 0, cli.stderr
    assert luad["ancestors"] == [row for row in json.loads(cli.stdout) if row["id"] != "DOID:3910"]
    above = [row["id"] for row in luad["ancestors"]]
    assert above.index("DOID:3908") < above.index("DOID:1324") < above.index("DOID:162")  # NSCLC, lung cancer, cancer
    assert luad["children_count"] == len(luad["children"]) > 0
    assert all(child["label"] == "Disease" for child in luad["children"])
    nsclc = page(api, "/v1/diseases/DOID:3908", neighbours=500)
    assert "DOID:3910" in [child["id"] for child in nsclc["children"]]
    ncit = "https://evsexplore.semantics.cancer.gov/evsexplore/concept/ncit/C3512"
    assert {link["url"] for link in luad["links"]} >= {"https://disease-ontology.org/?id=DOID:3910", ncit}


def test_an_oncotree_code_counts_the_evidence_of_the_do_term_it_maps_to(api: ApiServer) -> None:
    luad = page(api, "/v1/diseases/LUAD")
    assert luad["id"] == "ONCOTREE:LUAD"
    assert luad["links"][0]["url"].endswith("field=CODE&search=LUAD")
    doid = page(api, "/v1/diseases/DOID:3910")
    assert luad["evidence"]["total"] >= doid["evidence"]["total"] > 0
    assert luad["ancestors"][0]["id"] == "DOID:3910"


def test_children_are_capped_by_neighbours_and_counted_in_full(api: ApiServer) -> None:
    cancer = page(api, "/v1/diseases/DOID:162", neighbours=1)
    assert len(cancer["children"]) == 1 <= cancer["children_count"]
    assert all(len(group["nodes"]) <= 1 for group in cancer["neighbours"])


def test_a_drug_page_and_a_therapy_page(api: ApiServer) -> None:
    drug = page(api, "/v1/drugs/vemurafenib")
    assert drug["label"] == "Drug"
    assert drug["evidence"]["total"] > 0
    combination = page(api, "/v1/drugs/PMKG:therapy/dabrafenib+trametinib")
    assert combination["label"] == "Therapy"
    components = next(g for g in combination["neighbours"] if g["relation"] == "HAS_COMPONENT")
    assert {n["name"].lower() for n in components["nodes"]} == {"dabrafenib", "trametinib"}


def test_an_unknown_id_is_a_404_that_says_what_was_looked_up_and_where_to_search(api: ApiServer) -> None:
    with api.client() as client:
        missing = client.get("/v1/genes/NOTAGENE1")
        evidence = client.get("/v1/evidence/CIVIC.EID:999999999")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["detail"] == (
        "no gene is called 'NOTAGENE1' (looked up as an id, a name and a synonym); "
        "search names, synonyms and codes with /v1/search?q=NOTAGENE1&type=gene"
    )
    assert missing.json()["instance"] == "/v1/genes/NOTAGENE1"
    assert evidence.status_code == 404
    assert "/v1/search?q=CIVIC.EID%3A999999999" in evidence.json()["detail"]


def test_a_blank_id_is_a_404_that_says_the_id_is_blank(api: ApiServer) -> None:
    with api.client() as client:
        blanks = [client.get(path) for path in ("/v1/variants/%C2%A0", "/v1/genes/%20%20", "/v1/drugs/%09")]
    assert [r.status_code for r in blanks] == [404, 404, 404]
    assert blanks[0].json()["detail"] == "no variant has a blank id: give an id, a name or a synonym"
    assert blanks[2].headers["content-type"] == "application/problem+json"


def test_an_id_of_another_kind_points_to_its_page(api: ApiServer) -> None:
    with api.client() as client:
        wrong = client.get("/v1/genes/DOID:3910")
    assert wrong.status_code == 404
    assert wrong.json()["detail"] == ("'DOID:3910' is a Disease (lung adenocarcinoma), not a gene: "
                                      "see /v1/diseases/DOID:3910")  # fmt: skip


def test_a_name_for_several_nodes_lists_the_candidates(api: ApiServer) -> None:
    with api.client() as client:
        drug = client.get("/v1/drugs/imatinib")
        both = client.get("/v1/variants/ERBB2 amplification")
    # The drug page asks drugs first: imatinib is one drug (the therapy of the same name is a later choice).
    assert drug.status_code == 200
    assert drug.json()["label"] == "Drug"
    assert both.status_code == 400, both.text
    problem = both.json()
    assert problem["type"] == "/problems/ambiguous-name"
    assert problem["candidates"] == [
        {"id": "PMKG:variant/ERBB2:amplification", "label": "Variant", "name": "ERBB2 amplification"},
        {"id": "PMKG:class/ERBB2:amplification", "label": "VariantClass", "name": "ERBB2 amplification"},
    ]
    assert "ask for one of them by its id" in problem["detail"]
    store = EmbeddedStore(api.home / "graph")
    try:
        shared = _a_name_of_two_variants(store)
    finally:
        store.close()
    with api.client() as client:
        answer = client.get(f"/v1/variants/{shared}")
    assert answer.status_code == 400, answer.text
    for candidate in answer.json()["candidates"]:
        assert candidate["id"] in answer.json()["detail"]


def _a_name_of_two_variants(store: EmbeddedStore) -> str:
    """A synonym the graph gives to two variants (found in the graph, not assumed)."""
    from collections import Counter

    from kg.schema import Label

    names = Counter(
        s for n in store.nodes_with_label(Label.VARIANT) for s in {t.lower() for t in (*n.synonyms, n.name)}
    )
    shared = sorted(name for name, count in names.items() if count > 1 and "/" not in name and "?" not in name)
    assert shared, "the starter graph has no variant synonym shared by two variants"
    return shared[0]


def test_bad_neighbours_is_a_validation_problem(api: ApiServer) -> None:
    with api.client() as client:
        answer = client.get("/v1/genes/BRAF", params={"neighbours": -1})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "query.neighbours"
