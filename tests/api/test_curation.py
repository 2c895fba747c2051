"""``/v1/curation`` on a real server: release diffs as jobs (202 + Location), local edits, curator role only."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.server import ApiServer
from tests.api.test_auth import create_key
from tests.pmkg_cli import REPO, pmkg

RELEASES = REPO / "tests" / "data" / "oncotree" / "releases"
R2025 = REPO / "loaders" / "starter" / "oncotree" / "oncotree_2025_10_03.json.gz"


@pytest.fixture(scope="module")
def served(starter_home: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory):
    import shutil

    home = tmp_path_factory.mktemp("curation-home")
    shutil.copytree(starter_home[0], home, dirs_exist_ok=True)
    staged = pmkg(home, "build", "--source", f"civic={REPO / 'tests' / 'data' / 'civic' / '2024'}", "--stage",
                  "--allow-shrink", "--format", "json")  # fmt: skip
    assert staged.returncode == 0, staged.stderr
    keys = {"curator": create_key(home, "curator", "curation-team"), "reader": create_key(home, "reader", "lab")}
    with ApiServer(home, tmp_path_factory.mktemp("curation-log") / "server.log") as server:
        yield server, keys, home


def _finished(client: httpx.Client, location: str, key: str) -> dict[str, Any]:
    for _ in range(300):
        state = client.get(location, headers={"X-API-Key": key}).json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.2)
    raise AssertionError(f"job {location} did not finish")


def test_curation_needs_a_curator_key(served) -> None:
    server, keys, _ = served
    with server.client() as client:
        assert client.get("/v1/curation/edits").status_code == 401
        forbidden = client.get("/v1/curation/edits", headers={"X-API-Key": keys["reader"]})
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "the key 'lab' has the reader role; this needs curator"


def test_an_oncotree_diff_runs_as_a_job_with_a_status_url(served) -> None:
    server, keys, _ = served
    files = {"old": ("oncotree_20211102.json.gz", (RELEASES / "oncotree_2021_11_02.json.gz").read_bytes()),
             "new": ("oncotree_2025_10_03.json.gz", R2025.read_bytes())}  # fmt: skip
    with server.client() as client:
        answer = client.post("/v1/curation/oncotree-diff", files=files, headers={"X-API-Key": keys["curator"]})
        assert answer.status_code == 202, answer.text
        assert answer.json()["submitted_by"] == "curation-team"
        location = answer.headers["Location"]
        assert location == f"/v1/curation/jobs/{answer.json()['id']}"
        job = _finished(client, location, keys["curator"])
    assert job["state"] == "done", job
    report = job["result"]
    assert report["counts"]["retired"] == 6
    gbm = next(c for c in report["changes"] if c["code"] == "GBM")
    assert gbm["mapping"]["tool_text"] == "GBM -> {GB}, more granular choices introduced"


def test_a_release_that_is_not_oncotree_fails_its_job_with_the_reason(served) -> None:
    server, keys, _ = served
    files = {"old": ("old.json", b'{"TISSUE": 3}'), "new": ("new.json", R2025.read_bytes())}
    with server.client() as client:
        answer = client.post("/v1/curation/oncotree-diff", files=files, headers={"X-API-Key": keys["curator"]})
        job = _finished(client, answer.headers["Location"], keys["curator"])
    assert job["state"] == "failed"
    assert job["error"]["type"] == "SourceFileError"
    assert "expected a tumour type object" in job["error"]["message"]


def test_an_evidence_diff_against_a_staged_build_runs_as_a_job(served) -> None:
    server, keys, home = served
    import json

    staged = next(b["build_id"] for b in json.loads(pmkg(home, "builds", "--format", "json").stdout)
                  if not b["current"])  # fmt: skip
    with server.client() as client:
        answer = client.post("/v1/curation/evidence-diff", json={"source": "civic", "to_build": staged},
                             headers={"X-API-Key": keys["curator"]})  # fmt: skip
        assert answer.status_code == 202, answer.text
        job = _finished(client, answer.headers["Location"], keys["curator"])
        unknown = client.post("/v1/curation/evidence-diff", json={"source": "civic", "to_build": "b0"},
                              headers={"X-API-Key": keys["curator"]})  # fmt: skip
        failed = _finished(client, unknown.headers["Location"], keys["curator"])
    assert job["state"] == "done", job
    assert "CIVIC.EID:11508" in [item["id"] for item in job["result"]["removed"]]  # vorasidenib: not in the 2024 cut
    assert failed["state"] == "failed"
    assert failed["error"]["type"] == "UnknownBuild"


def test_local_edits_over_http_carry_the_keys_name(served) -> None:
    server, keys, _ = served
    curator = {"X-API-Key": keys["curator"]}
    with server.client() as client:
        added = client.post(
            "/v1/curation/edits",
            headers=curator,
            json={"kind": "mapping", "term": "ONCOTREE:TLL", "value": "DOID:5603", "reason": "T-ALL"},
        )
        bad = client.post(
            "/v1/curation/edits",
            headers=curator,
            json={"kind": "mapping", "term": "ONCOTREE:TLL", "value": "DOID:99999"},
        )
        listed = client.get("/v1/curation/edits", headers=curator).json()
        removed = client.delete("/v1/curation/edits/1", headers=curator)
        missing = client.delete("/v1/curation/edits/1", headers=curator)  # fmt: skip
    assert added.status_code == 201, added.text
    edit = added.json()["edits"][0]
    assert (edit["term"], edit["value"], edit["curator"]) == ("ONCOTREE:TLL", "DOID:5603", "curation-team")
    assert bad.status_code == 400
    assert "no node 'DOID:99999' in the current build" in bad.json()["detail"]
    assert listed["revision"] == 1
    assert removed.status_code == 200
    assert removed.json() == {"revision": 2, "edits": []}
    assert missing.status_code == 400


def test_a_candidate_release_uploaded_is_staged_and_diffed_as_a_job(served) -> None:
    server, keys, home = served
    release = REPO / "tests" / "data" / "curation" / "do-2025-12-23"
    files = [("files", (path.name, path.read_bytes())) for path in sorted(release.iterdir())]
    with server.client() as client:
        answer = client.post(
            "/v1/curation/diff",
            files=files,
            headers={"X-API-Key": keys["curator"]},
            data={"source": "disease_ontology", "impact": "false", "allow_shrink": "true"},
        )
        assert answer.status_code == 202, answer.text
        job = _finished(client, answer.headers["Location"], keys["curator"])
        unknown = client.post("/v1/curation/diff", files=files[:1], data={"source": "nonesuch"},
                              headers={"X-API-Key": keys["curator"]})  # fmt: skip
    assert job["state"] == "done", job
    report = job["result"]
    assert report["source"] == "disease_ontology"
    assert report["candidate"]["version"] != report["current"]["version"]
    assert sum(report["terms"]["counts"].values()) > 0  # a 2025-12-23 cut against the starter's 2026-07-31
    assert report["graph_effect"] is not None
    assert report["impact"] is None
    kept = list((home / "curation" / "candidates").iterdir())
    assert [p.name.startswith("disease_ontology-") for p in kept] == [True]
    assert unknown.status_code == 400
    assert "unknown source 'nonesuch'" in unknown.json()["detail"]


def test_stage_approve_log_and_rollback_over_http(served) -> None:
    server, keys, _ = served
    curator = {"X-API-Key": keys["curator"]}
    release = REPO / "tests" / "data" / "curation" / "do-2025-12-23"
    files = [("files", (path.name, path.read_bytes())) for path in sorted(release.iterdir())]
    with server.client() as client:
        before = client.get("/v1/status").json()["build_id"]
        staged = client.post("/v1/curation/apply", files=files, headers=curator,
                             data={"source": "disease_ontology", "message": "DO 2025-12 for review", "stage": "true",
                                   "allow_shrink": "true"})  # fmt: skip
        assert staged.status_code == 202, staged.text
        job = _finished(client, staged.headers["Location"], keys["curator"])
        assert job["state"] == "done", job
        candidate = job["result"]["staged_build"]
        unknown = client.post("/v1/curation/approve", headers=curator, json={"message": "ok", "build_id": "b0"})
        approved = client.post("/v1/curation/approve", headers=curator,
                               json={"message": "reviewed", "build_id": candidate})  # fmt: skip
        now = client.get("/v1/status").json()["build_id"]
        back = client.post("/v1/curation/rollback", headers=curator, json={"message": "undo"})
        log = client.get("/v1/curation/log", params={"verify": "true"}, headers=curator).json()
        reader = client.get("/v1/curation/log", headers={"X-API-Key": keys["reader"]})
    assert unknown.status_code == 409
    assert "is not a candidate awaiting approval" in unknown.json()["detail"]
    assert approved.status_code == 200, approved.text
    assert now == candidate != before
    assert back.status_code == 200, back.text
    assert back.json()["current_build"] == before
    assert [e["action"] for e in log["entries"]][-5:] == ["stage", "approve", "complete", "rollback", "complete"]
    assert {e["curator"] for e in log["entries"][-3:]} == {"curation-team"}
    assert log["verified"] is True
    assert reader.status_code == 403
