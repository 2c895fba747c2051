"""``POST /v1/annotate`` against a real server: uploads answered exactly as ``pmkg annotate`` answers the same files.

Files name themselves as they were uploaded (the CLI's ``tests/data/…/example_maf.txt:5`` is the API's
``example_maf.txt:5``); nothing else may differ.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.server import ApiServer
from tests.pmkg_cli import REPO, pmkg

ONCOKB = REPO / "tests" / "data" / "inputs" / "oncokb"
MOALMANAC = REPO / "tests" / "data" / "matching" / "moalmanac_example" / "example_data"


def cli_annotate(home: Path, *args: str, fmt: str, folder: Path) -> str:
    done = pmkg(home, "annotate", *args, "--format", fmt)
    assert done.returncode == 0, done.stderr
    return done.stdout.replace(f"{folder}/", "")


def test_maf_and_clinical_json_is_pmkg_annotate_json(api: ApiServer) -> None:
    expected = cli_annotate(api.home, str(ONCOKB / "example_maf.txt"), "--clinical",
                            str(ONCOKB / "example_clinical.txt"), fmt="json", folder=ONCOKB)  # fmt: skip
    with api.client() as client, (ONCOKB / "example_maf.txt").open("rb") as maf, \
            (ONCOKB / "example_clinical.txt").open("rb") as clinical:  # fmt: skip
        answer = client.post("/v1/annotate", files={"file": ("example_maf.txt", maf),
                                                    "clinical": ("example_clinical.txt", clinical)})  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == json.loads(expected)
    assert {s["sample"] for s in answer.json()["samples"]} >= {"TCGA-05-4417-01", "TCGA-02-0033-01"}


def test_tsv_by_accept_header_is_pmkg_annotate_tsv(api: ApiServer) -> None:
    files = [str(MOALMANAC / "example_patient.capture.somatic.snvs.maf"), "--cna",
             str(MOALMANAC / "example_patient.capture.somatic.called.cna.txt"), "--fusions",
             str(MOALMANAC / "example_patient.rna.star.fusions.txt")]  # fmt: skip
    expected = cli_annotate(api.home, *files, "--disease", "melanoma", fmt="tsv", folder=MOALMANAC)
    with api.client() as client:
        answer = client.post(
            "/v1/annotate",
            files={
                "file": ("example_patient.capture.somatic.snvs.maf", Path(files[0]).read_bytes()),
                "cna": ("example_patient.capture.somatic.called.cna.txt", Path(files[2]).read_bytes()),
                "fusions": ("example_patient.rna.star.fusions.txt", Path(files[4]).read_bytes()),
            },
            data={"disease": "melanoma"},
            headers={"Accept": "text/tab-separated-values"},
        )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/tab-separated-values")
    assert answer.text == expected
    assert "BRAF" in answer.text


def test_a_bad_line_is_an_unreadable_row_naming_file_and_line(api: ApiServer) -> None:
    lines = (ONCOKB / "example_maf.txt").read_text().splitlines(keepends=True)
    broken = "".join([*lines[:3], "GRCh37\tBRAF\n", *lines[3:]])
    with api.client() as client:
        answer = client.post("/v1/annotate", files={"file": ("cohort.maf", broken.encode())})
    assert answer.status_code == 200
    rows = answer.json()["variants"]
    assert len(rows) == len(lines)  # every line read, the broken one included
    bad = [r for r in rows if answer.json()["results"][r["result"]]["status"] == "unreadable"]
    assert [r["origin"] for r in bad] == ["cohort.maf:4"]
    assert "Tumor_Sample_Barcode" in answer.json()["results"][bad[0]["result"]]["message"]


def test_a_file_that_is_no_patient_file_is_a_400_naming_it(api: ApiServer) -> None:
    with api.client() as client:
        answer = client.post("/v1/annotate", files={"file": ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(200))})
        both = client.post("/v1/annotate", files={"file": ("a.maf", b"x"), "clinical": ("c.txt", b"x")},
                           data={"disease": "melanoma"})  # fmt: skip
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"].startswith("scan.png")
    assert "pmkg-upload" not in answer.text
    assert both.status_code == 400
    assert both.json()["detail"] == "give clinical or disease, not both"
