"""``/ready`` over Neo4j: 503 with the reason while the server is down, ready again when it is back, no restart.

Uses its own Neo4j test server (stopping the session's one would disturb other tests).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.api.server import ApiServer
from tests.conftest import start_neo4j_test_server, stop_neo4j_test_server
from tests.pmkg_cli import REPO, pmkg

DO_FIXTURE = REPO / "tests" / "data" / "disease_ontology"


@pytest.mark.neo4j
@pytest.mark.slow
def test_ready_says_neo4j_is_down_and_recovers_without_restart(tmp_path: Path) -> None:
    state = tmp_path / "neo4j-state"
    exported = start_neo4j_test_server(state)
    env = {"PMKG_STORE": "neo4j", "PMKG_NEO4J_URI": exported["PMKG_NEO4J_URI"]}
    port = str(urlsplit(exported["PMKG_NEO4J_URI"]).port)
    try:
        built = pmkg(tmp_path, "build", "--neo4j", "--source", f"disease_ontology={DO_FIXTURE}", "--format", "json",
                     env=env)  # fmt: skip
        assert built.returncode == 0, built.stderr
        with ApiServer(tmp_path, tmp_path / "server.log", env=env) as server, server.client() as client:
            assert client.get("/ready").json()["build"] == json.loads(built.stdout)["build_id"]

            stop_neo4j_test_server(state, exported)
            down = client.get("/ready")
            assert down.status_code == 503
            assert down.headers["content-type"] == "application/problem+json"
            assert f"cannot reach Neo4j at {exported['PMKG_NEO4J_URI']}" in down.json()["detail"]
            assert client.get("/health").status_code == 200  # the process itself is fine

            exported = start_neo4j_test_server(state, {"PMKG_NEO4J_PORT": port})
            empty = client.get("/ready")  # reachable again; the test server starts with an empty database
            assert empty.status_code == 503
            assert "no graph yet" in empty.json()["detail"]
            rebuilt = pmkg(tmp_path, "build", "--neo4j", "--source", f"disease_ontology={DO_FIXTURE}", env=env)
            assert rebuilt.returncode == 0, rebuilt.stderr
            back = client.get("/ready")
            assert back.status_code == 200, back.text
            assert server.process is not None
            assert server.process.poll() is None  # the same process throughout
    finally:
        stop_neo4j_test_server(state, exported)
