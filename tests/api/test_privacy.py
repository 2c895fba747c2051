"""No patient data in the server's log: the access log carries method, path (no query string), status and time.

Real requests with patient variants, a diagnosis, diplotypes and a VCF upload go to a real server; then its
whole output (uvicorn's lines and pmkg's access log) is searched for any of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.api.server import ApiServer
from tests.pmkg_cli import REPO

VCF = REPO / "tests" / "data" / "inputs" / "pharmcat" / "multisample.slice.vcf"
PATIENT = ["BRAF V600E", "EGFR L858R", "TP53 R175H", "CYP2C19 *2/*2"]
SECRETS = ["V600E", "L858R", "R175H", "*2/*2", "CYP2C19", "melanoma", "Sample_1", "patient-7", "variant=", "?"]


def test_the_server_log_never_holds_patient_data(api_home: Path, tmp_path: Path) -> None:
    with ApiServer(api_home, tmp_path / "server.log") as server, server.client() as client:
        assert client.post("/v1/match", json={"variants": PATIENT, "disease": "melanoma"}).status_code == 200
        assert client.get("/v1/match", params={"variant": PATIENT[:2], "disease": "melanoma"}).status_code == 200
        batch = {"patients": [{"id": "patient-7", "variants": PATIENT, "disease": "melanoma"}]}
        assert client.post("/v1/match/batch", json=batch).status_code == 200
        assert client.post("/v1/match", json={"variants": PATIENT, "disease": "melanoma", "x": 1}).status_code == 422
        assert client.get("/v1/match", params={"variant": "", "disease": "melanoma"}).status_code == 422
        assert client.post("/v1/pgx", json={"diplotypes": ["CYP2C19 *2/*2"]}).status_code == 200
        with VCF.open("rb") as handle:
            upload = client.post("/v1/pgx/vcf", files={"vcf": ("Sample_1.vcf", handle)}, data={"sample": "Sample_1"})
        assert upload.status_code == 200
        assert client.get("/v1/search", params={"q": "melanoma"}).status_code == 200
    log = server.log()
    access = [line for line in log.splitlines() if "pmkg.access" in line]
    assert re.search(r"pmkg\.access: POST /v1/match 200 \d+\.\d ms", log)
    assert re.search(r"pmkg\.access: GET /v1/match 200 ", log)
    assert re.search(r"pmkg\.access: POST /v1/match 422 ", log)
    assert re.search(r"pmkg\.access: POST /v1/pgx/vcf 200 ", log)
    assert len([line for line in access if "GET /health" not in line]) == 8
    for secret in SECRETS:
        assert secret not in log, f"{secret!r} reached the server's log"
    assert "Traceback" not in log


def test_uploads_are_not_kept_after_the_request(api: ApiServer, tmp_path: Path) -> None:
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("pmkg-upload-*"))
    with api.client() as client, VCF.open("rb") as handle:
        assert client.post("/v1/pgx/vcf", files={"vcf": ("x.vcf", handle)}).status_code == 200
        assert client.post("/v1/pgx/vcf", files={"vcf": ("y.vcf", b"not a vcf")}).status_code == 400
    assert set(Path(tempfile.gettempdir()).glob("pmkg-upload-*")) == before
