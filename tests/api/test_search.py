"""``GET /v1/search``: autocomplete over genes, variants, diseases, drugs and therapies, exact and prefix first."""

from __future__ import annotations

import pytest

from tests.api.server import ApiServer


def hits(api: ApiServer, q: str, **params: object) -> list[dict]:
    with api.client() as client:
        answer = client.get("/v1/search", params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["hits"]


def test_a_gene_symbol_is_the_first_hit_and_its_variants_follow_as_typed(api: ApiServer) -> None:
    assert hits(api, "BRAF")[0] == {"id": "HGNC:1097", "label": "Gene", "name": "BRAF", "matched": "BRAF",
                                    "match": "exact"}  # fmt: skip
    typed = hits(api, "braf v60", limit=20)
    names = [h["name"] for h in typed]
    assert "BRAF V600E" in names
    assert all(h["match"] == "prefix" for h in typed)


def test_an_alias_finds_the_gene_and_says_what_matched(api: ApiServer) -> None:
    first = hits(api, "HER2")[0]
    assert (first["id"], first["name"], first["matched"], first["match"]) == ("HGNC:3430", "ERBB2", "HER2", "exact")


def test_disease_codes_resolve_as_match_does(api: ApiServer) -> None:
    luad = hits(api, "LUAD", type="disease")
    assert [h["id"] for h in luad[:2]] == ["ONCOTREE:LUAD", "DOID:3910"]
    assert luad[1]["match"] == "resolved"


@pytest.mark.parametrize(("typed", "expected"), [("melan", "melanoma"), ("vemu", "Vemurafenib"),
                                                 ("adenocarcinoma of the l", None)])  # fmt: skip
def test_prefixes_complete_names(api: ApiServer, typed: str, expected: str | None) -> None:
    found = hits(api, typed)
    if expected is None:
        assert found == [] or all(h["match"] in ("prefix", "word") for h in found)
    else:
        assert found[0]["name"].lower() == expected.lower()
        assert found[0]["match"] == "prefix"


def test_what_the_knowledge_speaks_about_comes_first_among_prefix_hits(api: ApiServer) -> None:
    # "oligo" begins oligodendroglioma (a glioma with CIViC evidence) and oligospermia (nothing in the knowledge is
    # about it): the shorter name used to come first.
    names = [h["name"].lower() for h in hits(api, "oligo", limit=50) if h["match"] == "prefix"]
    assert names[0] == "oligodendroglioma", names
    assert "oligospermia" in names
    assert names.index("oligospermia") > max(i for i, n in enumerate(names) if n.startswith("oligodendroglioma"))
    # ... and a drug with evidence before genes nobody writes about, although genes come first otherwise
    found = hits(api, "ola", limit=10)
    assert found[0]["name"] == "Olaparib", found[:3]
    genes = [h["name"] for h in found if h["label"] == "Gene"]
    assert all(found.index(h) > 1 for h in found if h["label"] == "Gene"), genes


def test_a_word_inside_a_name_is_found_after_prefixes(api: ApiServer) -> None:
    found = hits(api, "adenocarcinoma", type="disease", limit=50)
    matches = [h["match"] for h in found]
    assert matches[0] in ("exact", "resolved")
    assert "word" in matches
    assert matches == sorted(matches, key=lambda m: m == "word")  # every word hit after every other hit
    assert any(h["name"].lower() == "lung adenocarcinoma" for h in found)


def test_type_and_limit_are_honoured_and_checked(api: ApiServer) -> None:
    drugs = hits(api, "da", type="drug", limit=7)
    assert len(drugs) == 7
    assert {h["label"] for h in drugs} == {"Drug"}
    with api.client() as client:
        bad_type = client.get("/v1/search", params={"q": "x", "type": "protein"})
        bad_limit = client.get("/v1/search", params={"q": "x", "limit": 0})
        no_query = client.get("/v1/search")
    assert bad_type.status_code == bad_limit.status_code == no_query.status_code == 422
    assert bad_type.json()["errors"][0]["field"] == "query.type[0]"
    assert bad_limit.json()["errors"][0]["field"] == "query.limit"
    assert no_query.json()["errors"][0]["field"] == "query.q"


def test_nothing_found_is_an_empty_list(api: ApiServer) -> None:
    assert hits(api, "zzzzqqqq") == []


def test_an_id_typed_is_the_first_hit_of_its_kind_only(api: ApiServer) -> None:
    assert hits(api, "HGNC:1097")[0] == {"id": "HGNC:1097", "label": "Gene", "name": "BRAF", "matched": "HGNC:1097",
                                         "match": "id"}  # fmt: skip
    assert hits(api, " DOID:3908 ", type="disease")[0]["match"] == "id"
    assert all(h["id"] != "HGNC:1097" for h in hits(api, "HGNC:1097", type="disease"))
    assert all(h["match"] != "id" for h in hits(api, "CIVIC.EID:1409"))  # evidence is not searched
