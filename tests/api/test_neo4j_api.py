"""The API over Neo4j (``PMKG_STORE=neo4j``): the same answers as over the embedded store, from real servers.

Both graphs are built by ``pmkg build`` processes (nothing big is built inside the test process).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.api.server import ApiServer
from tests.conftest import wipe_neo4j
from tests.pmkg_cli import pmkg

PATIENTS = [
    {"variants": ["BRAF V600E"], "disease": "melanoma"},
    {"variants": ["EGFR T790M", "EGFR L858R"], "disease": "LUAD"},
    {"variants": ["KRAS G12D", "DPYD *2A/*2A", "not a variant"], "disease": "colorectal cancer"},
]


@pytest.mark.neo4j
def test_neo4j_server_answers_as_the_embedded_one(neo4j_uri: str, api: ApiServer, tmp_path: Path) -> None:
    env = {"PMKG_STORE": "neo4j", "PMKG_NEO4J_URI": neo4j_uri}
    wipe_neo4j(neo4j_uri)
    built = pmkg(tmp_path, "build", "--neo4j", "--format", "json", env=env)
    assert built.returncode == 0, built.stderr
    with ApiServer(tmp_path, tmp_path / "neo4j.log", env=env) as on_neo4j, \
            on_neo4j.client() as neo4j_client, api.client() as embedded_client:  # fmt: skip
        ready = neo4j_client.get("/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json() == embedded_client.get("/ready").json() == {
            "status": "ready", "build": json.loads(built.stdout)["build_id"]}  # fmt: skip
        for patient in PATIENTS:
            from_neo4j = neo4j_client.post("/v1/match", json=patient)
            assert from_neo4j.status_code == 200, from_neo4j.text
            assert from_neo4j.json() == embedded_client.post("/v1/match", json=patient).json(), patient
        for q in ("BRAF", "her2", "LUAD", "vemu"):
            assert neo4j_client.get("/v1/search", params={"q": q}).json() == \
                embedded_client.get("/v1/search", params={"q": q}).json(), q  # fmt: skip
        from tests.api.test_entity import ENTITY_PAGES

        for path in [*ENTITY_PAGES, "/v1/genes/NOTAGENE1", "/v1/genes/DOID:3910"]:
            from_neo4j = neo4j_client.get(path)
            assert from_neo4j.status_code == embedded_client.get(path).status_code, path
            assert from_neo4j.json() == embedded_client.get(path).json(), path
        pgx = {"diplotypes": ["CYP2C19 *2/*2"]}
        assert neo4j_client.post("/v1/pgx", json=pgx).json() == embedded_client.post("/v1/pgx", json=pgx).json()
