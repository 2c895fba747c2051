"""A repeated single-valued parameter was answered 200 with the last value alone (a real ``pmkg serve``).

``GET /v1/match?variant=BRAF V600E&disease=melanoma&disease=lung cancer`` ranked for lung cancer and said
nothing of melanoma; ``POST /v1/annotate`` with two ``file`` parts annotated one file and dropped the other;
``/sparql?query=A&query=B`` ran B; ``{"variants": [...], "variants": [...]}`` matched the second list.  Each is
a 422 problem naming the field now; list parameters (``variant``, ``type``) still repeat.

A misspelt query parameter (``?variant=BRAF V600E&disaese=melanoma``) was dropped the same way: the answer ranked
without the disease.  On the ``/v1`` routes it is a 422 naming it and what the endpoint takes.

A JSON body that is not UTF-8 got "There was an error parsing the body", and one that is not JSON "JSON decode
error": both say what and where now.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.server import client_over_copy

VCF = b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n7\t140453136\t.\tA\tT\t.\tPASS\t.\n"


@pytest.fixture(scope="module")
def client(
    starter_home: tuple[Path, dict[str, object]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    with client_over_copy(starter_home[0], tmp_path_factory, "repeated") as http:
        yield http


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/v1/match?variant=BRAF V600E&disease=melanoma&disease=lung cancer", "query.disease"),
        ("/v1/match?variant=BRAF V600E&assembly=GRCh37&assembly=GRCh38", "query.assembly"),
        ("/v1/search?q=BRAF&q=KRAS", "query.q"),
        ("/v1/search?q=BRAF&limit=1&limit=50", "query.limit"),
        ("/v1/genes/BRAF?neighbours=1&neighbours=5", "query.neighbours"),
        ("/sparql?query=ASK {}&query=SELECT * { ?s ?p ?o }", "query.query"),
    ],
)
def test_a_single_valued_query_parameter_given_twice_is_a_422_naming_it(
    client: httpx.Client, url: str, field: str
) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["errors"] == [{"field": field, "message": "given 2 times; it takes one value"}]


def test_list_parameters_still_repeat(client: httpx.Client) -> None:
    response = client.get("/v1/match?variant=BRAF V600E&variant=KRAS G12C&disease=melanoma")
    assert response.status_code == 200
    assert [v["input"] for v in response.json()["inputs"]["variants"]] == ["BRAF V600E", "KRAS G12C"]
    hits = client.get("/v1/search?q=BRAF&type=gene&type=variant").json()["hits"]
    assert {"Gene", "Variant"} == {hit["label"] for hit in hits}


def test_two_files_in_one_file_field_are_refused_not_half_annotated(client: httpx.Client) -> None:
    files = [("file", ("a.vcf", VCF)), ("file", ("b.vcf", VCF))]
    response = client.post("/v1/annotate", files=files)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.file", "message": "given 2 times; it takes one value"}]


def test_two_diseases_in_an_upload_form_are_refused(client: httpx.Client) -> None:
    response = client.post(
        "/v1/annotate", files={"file": ("a.vcf", VCF)}, data={"disease": ["melanoma", "lung cancer"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.disease"
    single = client.post("/v1/annotate", files={"file": ("a.vcf", VCF)}, data={"disease": "melanoma"})
    assert single.status_code == 200
    assert single.json()["samples"][0]["disease"] == "melanoma (DOID:1909)"


def test_two_sparql_queries_in_a_form_are_refused(client: httpx.Client) -> None:
    response = client.post("/sparql", data={"query": ["ASK {}", "SELECT * { ?s ?p ?o }"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.query"


def test_sparql_service_is_a_403_problem(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert response.status_code == 403
    assert "SERVICE (a federated query to another endpoint) is not allowed here" in response.json()["detail"]


def test_a_key_given_twice_in_a_json_body_is_a_422_naming_it(client: httpx.Client) -> None:
    body = b'{"variants": ["BRAF V600E"], "variants": ["KRAS G12C"], "disease": "melanoma"}'
    response = client.post("/v1/match", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.variants", "message": "given twice in one JSON object; it takes one value"}
    ]


def test_a_key_given_twice_inside_a_batch_names_the_patient(client: httpx.Client) -> None:
    body = (
        b'{"patients": [{"id": "a", "variants": ["BRAF V600E"]},'
        b' {"id": "b", "variants": ["KRAS G12C"], "disease": "melanoma", "disease": "lung cancer"}]}'
    )
    response = client.post("/v1/match/batch", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.patients[1].disease"


def test_escaped_spellings_of_one_key_are_the_same_key(client: httpx.Client) -> None:
    body = b'{"dis\\u0065ase": "melanoma", "disease": "lung cancer", "variants": ["BRAF V600E"]}'
    response = client.post("/v1/match", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.disease"


def test_a_json_body_that_is_not_utf8_says_which_byte(client: httpx.Client) -> None:
    body = '{"variants": ["BRAF V600E"], "disease": "m\u00e9lanoma"}'.encode("latin-1")
    response = client.post("/v1/match", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"] == (
        "the request body is not UTF-8 text: byte 0xe9 at offset 42; send JSON as UTF-8 (RFC 8259)"
    )


def test_a_body_that_is_not_json_says_what_the_parser_expected_and_where(client: httpx.Client) -> None:
    response = client.post(
        "/v1/match", content=b'{"variants": ["BRAF V600E"', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert (
        response.json()["errors"][0]["message"] == "the body is not valid JSON: Expecting ',' delimiter at character 26"
    )


def test_a_misspelt_query_parameter_is_a_422_naming_what_the_endpoint_takes(client: httpx.Client) -> None:
    response = client.get("/v1/match?variant=BRAF V600E&disaese=melanoma")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "query.disaese", "message": "not a parameter of this endpoint (it takes assembly, disease, variant)"}
    ]
    assert client.post("/v1/match?disease=melanoma", json={"variants": ["BRAF V600E"]}).status_code == 422


def test_health_the_page_and_sparql_keep_taking_extra_parameters(client: httpx.Client) -> None:
    assert client.get("/health?probe=lb").status_code == 200
    assert client.get("/?utm_source=mail").status_code == 200
    assert client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": ""}).status_code == 200
