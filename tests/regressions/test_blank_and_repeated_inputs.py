"""Input that cannot be answered as given was answered as if it could (a real ``pmkg serve`` and the real CLI).

- A blank or whitespace-only search (``/v1/search?q=%20``, ``pmkg search ' '``) was a 200 / exit 0 with no hits, as
  if nothing were called that; it is a 422 (exit 2) saying the search text is empty.
- Two patients with the same id in one ``/v1/match/batch`` call got two answers with that id, which the caller
  cannot tell apart; it is a 422 problem naming the repeated id and where it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.server import client_over_copy
from tests.pmkg_cli import pmkg

EMPTY = "the search text is empty: type a gene, variant, disease, drug or therapy (or an id)"


@pytest.fixture(scope="module")
def client(
    starter_home: tuple[Path, dict[str, object]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    with client_over_copy(starter_home[0], tmp_path_factory, "blank", with_rdf=False) as http:
        yield http


def _problem(response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return dict(response.json())


@pytest.mark.parametrize("q", ["", " ", "   ", "\t", "\u00a0"])
def test_a_blank_search_is_a_422_saying_the_text_is_empty(client: httpx.Client, q: str) -> None:
    problem = _problem(client.get("/v1/search", params={"q": q}))
    assert problem["errors"] == [{"field": "query.q", "message": EMPTY}]


def test_a_search_with_text_still_answers(client: httpx.Client) -> None:
    response = client.get("/v1/search", params={"q": " BRAF "})
    assert response.status_code == 200
    assert "HGNC:1097" in [hit["id"] for hit in response.json()["hits"]]


@pytest.mark.parametrize("text", ["", "  "])
def test_pmkg_search_of_blank_text_says_it_is_empty(starter_home: tuple[Path, dict[str, object]], text: str) -> None:
    run = pmkg(starter_home[0], "search", text)
    assert run.returncode == 2
    assert run.stderr.strip() == f"error: text: {EMPTY}"
    assert "Traceback" not in run.stderr


def test_a_repeated_patient_id_in_a_batch_is_a_422_naming_it_and_where(client: httpx.Client) -> None:
    patients = [
        {"id": "p1", "variants": ["BRAF V600E"]},
        {"id": "p2", "variants": ["KRAS G12C"]},
        {"id": "p1", "variants": ["EGFR L858R"]},
        {"id": "p2", "variants": ["EGFR L858R"]},
        {"id": "p2", "variants": ["ALK fusion"]},
    ]
    problem = _problem(client.post("/v1/match/batch", json={"patients": patients}))
    assert problem["errors"] == [
        {
            "field": "body.patients",
            "message": "id 'p1' is given 2 times (patients[0], patients[2]); id 'p2' is given 3 times "
            "(patients[1], patients[3], patients[4]): each patient of a batch needs its own id",
        }
    ]


def test_an_id_with_braces_is_named_as_given(client: httpx.Client) -> None:
    patients = [{"id": "{x}", "variants": ["BRAF V600E"]}, {"id": "{x}", "variants": ["BRAF V600E"]}]
    problem = _problem(client.post("/v1/match/batch", json={"patients": patients}))
    assert "id '{x}' is given 2 times (patients[0], patients[1])" in str(problem["errors"])


def test_distinct_ids_still_answer_each_patient(client: httpx.Client) -> None:
    patients = [{"id": "p1", "variants": ["BRAF V600E"]}, {"id": "P1", "variants": ["KRAS G12C"]}]
    response = client.post("/v1/match/batch", json={"patients": patients})
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["results"]] == ["p1", "P1"]
