"""API keys with roles: made by ``pmkg api-key create`` (shown once, stored hashed), checked by a real server.

Reads are open on a loopback bind by default; writes (here: managing keys, an admin's write) always need the
role: 401 without a key or with an unknown one, 403 with a key of too small a role.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

from tests.api.server import ApiServer
from tests.pmkg_cli import pmkg


def create_key(home: Path, role: str, name: str) -> str:
    done = pmkg(home, "api-key", "create", "--role", role, "--name", name)
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    assert re.fullmatch(r"pmkg_[A-Za-z0-9_-]{43}", key), "the key is printed once, alone, on stdout"
    assert key not in done.stderr
    return key


def test_a_key_is_shown_once_and_stored_only_as_a_hash(tmp_path: Path) -> None:
    key = create_key(tmp_path, "curator", "tumour-board")
    stored = tmp_path / "api-keys.json"
    assert key not in stored.read_text()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert json.loads(stored.read_text())["keys"][0]["name"] == "tumour-board"
    listed = pmkg(tmp_path, "api-key", "list")
    assert listed.stdout.split("\t")[:2] == ["tumour-board", "curator"]
    assert key not in listed.stdout
    again = pmkg(tmp_path, "api-key", "create", "--role", "reader", "--name", "tumour-board")
    assert again.returncode == 2
    assert "a key named 'tumour-board' exists already" in again.stderr


def test_writes_need_the_role_reads_are_open_on_loopback(home_copy: Path, tmp_path: Path) -> None:
    reader = create_key(home_copy, "reader", "lab")
    curator = create_key(home_copy, "curator", "curation")
    admin = create_key(home_copy, "admin", "ops")
    new = {"name": "pipeline", "role": "reader"}
    with ApiServer(home_copy, tmp_path / "server.log") as server, server.client() as client:
        assert client.get("/v1/status").status_code == 200  # no key: reads are open on 127.0.0.1
        anonymous = client.post("/v1/api-keys", json=new)
        unknown = client.post("/v1/api-keys", json=new, headers={"X-API-Key": "pmkg_" + "x" * 43})
        as_reader = client.post("/v1/api-keys", json=new, headers={"X-API-Key": reader})
        as_curator = client.post("/v1/api-keys", json=new, headers={"X-API-Key": curator})
        as_admin = client.post("/v1/api-keys", json=new, headers={"X-API-Key": admin})
        made = as_admin.json()["key"] if as_admin.status_code == 201 else ""
        with_new_key = client.get("/v1/status", headers={"X-API-Key": made})
        listed = client.get("/v1/api-keys", headers={"X-API-Key": admin}).json()
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert anonymous.json()["detail"] == "this needs an API key with the admin role in the X-API-Key header"
    assert unknown.status_code == 401
    assert "holds no valid key" in unknown.json()["detail"]
    assert as_reader.status_code == as_curator.status_code == 403
    assert as_curator.json()["detail"] == "the key 'curation' has the curator role; this needs admin"
    assert as_admin.status_code == 201
    assert as_admin.json()["role"] == "reader"
    assert with_new_key.status_code == 200
    assert [k["name"] for k in listed] == ["lab", "curation", "ops", "pipeline"]
    assert all(set(k) == {"name", "role", "created"} for k in listed)
    assert reader not in server.log()
    assert admin not in server.log()


def test_closed_reads_need_a_key_and_a_revoked_key_stops_at_once(home_copy: Path, tmp_path: Path) -> None:
    reader = create_key(home_copy, "reader", "lab")
    env = {"PMKG_API_OPEN_READS": "false"}
    with ApiServer(home_copy, tmp_path / "server.log", env=env) as server, server.client() as client:
        without = client.post("/v1/match", json={"variants": ["BRAF V600E"]})
        assert without.status_code == 401
        assert without.json()["detail"] == "this needs an API key with the reader role in the X-API-Key header"
        assert client.get("/v1/search", params={"q": "BRAF"}, headers={"X-API-Key": reader}).status_code == 200
        assert client.get("/health").status_code == 200  # health and readiness stay open for load balancers
        assert pmkg(home_copy, "api-key", "revoke", "lab").returncode == 0
        assert client.get("/v1/status", headers={"X-API-Key": reader}).status_code == 401
