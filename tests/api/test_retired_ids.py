"""Retired disease ids over HTTP: read as their replacement with a warning, or a 400 that lists the candidates."""

from __future__ import annotations

from tests.api.server import ApiServer


def test_a_retired_oncotree_code_answers_with_a_warning_naming_the_release(api: ApiServer) -> None:
    with api.client() as client:
        answer = client.post("/v1/match", json={"variants": ["IDH1 R132H"], "disease": "AASTR"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["inputs"]["disease"]["id"] == "ONCOTREE:ASTR"
    assert body["warnings"][0].startswith("AASTR is a retired OncoTree code, not in OncoTree oncotree_2025_10_03")


def test_an_obsolete_doid_with_only_candidates_is_a_400_listing_them(api: ApiServer) -> None:
    with api.client() as client:
        answer = client.get("/v1/match", params={"variant": "BRAF V600E", "disease": "DOID:625"})
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    detail = answer.json()["detail"]
    assert "DOID:625 is obsolete in Disease Ontology 2026-07-31 without a replacement" in detail
    assert "DOID:2583 (agammaglobulinemia)" in detail


def test_search_offers_both_types_a_split_code_became(api: ApiServer) -> None:
    with api.client() as client:
        answer = client.get("/v1/search", params={"q": "ONCOTREE:ALL", "type": "disease"})
    assert answer.status_code == 200, answer.text
    assert [h["id"] for h in answer.json()["hits"]][:2] == ["ONCOTREE:BLL", "ONCOTREE:TLL"]
