"""The server itself: health, readiness, status, problems, OpenAPI, and a rebuild seen without a restart."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import httpx
import pytest

from tests.api.server import ApiServer
from tests.pmkg_cli import REPO, pmkg

DO_FIXTURE = REPO / "tests" / "data" / "disease_ontology"


def test_health_and_ready_name_the_build_that_answers(api: ApiServer, starter_home: tuple[Path, dict]) -> None:
    with api.client() as client:
        assert client.get("/health").json() == {"status": "ok"}
        ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "build": starter_home[1]["build_id"]}


def test_status_is_the_same_answer_as_pmkg_status(api: ApiServer) -> None:
    cli = pmkg(api.home, "status", "--format", "json")
    assert cli.returncode == 0, cli.stderr
    with api.client() as client:
        answer = client.get("/v1/status")
    assert answer.status_code == 200
    assert answer.json() == json.loads(cli.stdout)
    assert {s["name"] for s in answer.json()["sources"]} >= {"civic", "disease_ontology"}


def test_unknown_path_and_wrong_method_are_problems_not_html(api: ApiServer) -> None:
    with api.client() as client:
        missing = client.get("/v1/nothing-here")
        wrong = client.delete("/v1/status")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["detail"] == "nothing is served at /v1/nothing-here; see /docs for the API"
    assert wrong.status_code == 405
    assert wrong.json()["title"] == "Method Not Allowed"
    assert "DELETE is not allowed on /v1/status" in wrong.json()["detail"]


def test_openapi_and_docs_are_served(api: ApiServer) -> None:
    with api.client() as client:
        spec = client.get("/openapi.json").json()
        docs = client.get("/docs")
    assert spec["info"]["title"] == "pmkg"
    assert {"/health", "/ready", "/v1/status"} <= set(spec["paths"])
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text


def test_an_empty_home_is_not_ready_then_a_build_is_picked_up_without_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with ApiServer(home, tmp_path / "server.log") as server, server.client() as client:
        before = client.get("/ready")
        assert before.status_code == 503
        assert before.headers["content-type"] == "application/problem+json"
        assert "no graph yet" in before.json()["detail"]
        assert client.get("/v1/status").status_code == 503

        built = pmkg(home, "build", "--source", f"disease_ontology={DO_FIXTURE}", "--format", "json")
        assert built.returncode == 0, built.stderr
        build_id = json.loads(built.stdout)["build_id"]

        after = client.get("/ready")
        assert after.status_code == 200, after.text
        assert after.json()["build"] == build_id
        assert [s["name"] for s in client.get("/v1/status").json()["sources"]] == ["disease_ontology"]


def test_a_rebuild_replaces_the_answering_build_without_restart(home_copy: Path, tmp_path: Path) -> None:
    with ApiServer(home_copy, tmp_path / "server.log") as server, server.client() as client:
        first = client.get("/v1/status").json()["build_id"]
        built = pmkg(home_copy, "build", "--source", f"disease_ontology={DO_FIXTURE}", "--allow-shrink",
                     "--format", "json")  # fmt: skip
        assert built.returncode == 0, built.stderr
        second = client.get("/v1/status").json()
    assert second["build_id"] == json.loads(built.stdout)["build_id"] != first
    assert [s["name"] for s in second["sources"]] == ["disease_ontology"]


def test_serve_refuses_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    done = pmkg(tmp_path, "serve", env={"PMKG_API_REQUEST_TIMEOUT": "soon"})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("error: bad server setting: PMKG_API_REQUEST_TIMEOUT")
    assert "Traceback" not in done.stderr


def test_nothing_answers_on_other_addresses_by_default() -> None:
    from queries.api.settings import ApiSettings

    settings = ApiSettings()
    assert settings.host == "127.0.0.1"
    assert settings.loopback
    assert not ApiSettings(host="0.0.0.0").loopback
    assert httpx.URL(f"http://{settings.host}:{settings.port}/").host == "127.0.0.1"


def test_warm_up_leaves_what_the_process_keeps_out_of_the_collectors_passes(
    starter_home: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under load a full collection walked the warm graph view, the indexes and every module each time: p99 of
    # /v1/match at concurrency 32 went from ~150 to ~110 ms once they were frozen after the warm-up.
    from queries.api.app import _warm_up
    from queries.api.deps import StoreHolder

    monkeypatch.setenv("PMKG_HOME", str(starter_home[0]))
    holder = StoreHolder("embedded")
    gc.unfreeze()
    try:
        _warm_up(holder)
        assert gc.get_freeze_count() > 100_000  # the store, its views and the indexes just built
    finally:
        gc.unfreeze()
        holder.close()
