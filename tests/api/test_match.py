"""``/v1/match``, ``/v1/match/batch`` and ``/v1/pgx`` against a real server: the same answers as the command line.

Real examples: MOAlmanac's example patient (its simplified input, typed as a clinician would, on the starter
plus the MOAlmanac assertions it needs), oncokb-annotator's example MAF (each sample with its OncoTree code),
PharmCAT's example VCF, and tumour-board variants.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.server import ApiServer
from tests.pmkg_cli import REPO, pmkg

DATA = REPO / "tests" / "data"
MOALMANAC = DATA / "matching" / "moalmanac_example"
ONCOKB = DATA / "inputs" / "oncokb"
PHARMCAT_VCF = DATA / "inputs" / "pharmcat" / "multisample.slice.vcf"


def cli_match(home: Path, variants: list[str], disease: str | None = None, *extra: str) -> dict:
    args = [a for v in variants for a in ("--variant", v)] + (["--disease", disease] if disease else [])
    done = pmkg(home, "match", *args, *extra, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def moalmanac_patient() -> list[str]:
    """MOAlmanac's simplified example input as typed variants, plus the patient's MSI status and signatures."""
    rows = csv.DictReader((MOALMANAC / "example_data" / "example_patient.simplified_input.txt").open(), delimiter="\t")
    typed = []
    for row in rows:
        if row["alteration_type"] == "Amplification":
            typed.append(f"{row['feature']} amplification")
        elif row["alteration_type"] == "Fusion":
            typed.append(row["alteration"].replace("--", "::"))
        else:
            typed.append(f"{row['feature']} {row['alteration']}")
    return [*typed, "MSI-High", "SBS5"]


def oncokb_patients() -> dict[str, tuple[list[str], str | None]]:
    """oncokb-annotator's example MAF: each sample's protein changes and its OncoTree code."""
    clinical = {r["SAMPLE_ID"]: r["ONCOTREE_CODE"] for r in csv.DictReader((ONCOKB / "example_clinical.txt").open(),
                                                                            delimiter="\t")}  # fmt: skip
    variants: dict[str, list[str]] = defaultdict(list)
    for row in csv.DictReader((ONCOKB / "example_maf.txt").open(), delimiter="\t"):
        if row["HGVSp_Short"]:
            variants[row["Tumor_Sample_Barcode"]].append(f"{row['Hugo_Symbol']} {row['HGVSp_Short']}")
    return {sample: (typed, clinical.get(sample)) for sample, typed in variants.items()}


@pytest.fixture(scope="module")
def moalmanac_server(starter_home: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    home = tmp_path_factory.mktemp("moalmanac-home")
    built = pmkg(home, "build", "--add", f"moalmanac={MOALMANAC / 'molecular-oncology-almanac.json'}")
    assert built.returncode == 0, built.stderr
    with ApiServer(home, home / "server.log") as server:
        yield server


def test_moalmanac_example_patient_same_answer_as_pmkg_match(moalmanac_server: ApiServer) -> None:
    patient = moalmanac_patient()
    expected = cli_match(moalmanac_server.home, patient, "MEL")
    with moalmanac_server.client() as client:
        answer = client.post("/v1/match", json={"variants": patient, "disease": "MEL"})
    assert answer.status_code == 200
    assert answer.json() == expected
    therapies = [t["therapy"] for t in answer.json()["therapies"]]
    assert any("Vemurafenib" in t or "vemurafenib" in t.lower() for t in therapies)
    assert {s["name"] for s in answer.json()["build"]["sources"]} >= {"civic", "moalmanac"}


def test_get_match_is_the_same_answer_as_post(api: ApiServer) -> None:
    variants = ["EGFR T790M", "EGFR L858R"]
    with api.client() as client:
        posted = client.post("/v1/match", json={"variants": variants, "disease": "LUAD"}).json()
        got = client.get("/v1/match", params={"variant": variants, "disease": "LUAD"})
    assert got.status_code == 200
    assert got.json() == posted == cli_match(api.home, variants, "LUAD")
    ranked = [t["therapy"] for t in posted["therapies"] if t["significance"] == "sensitivity"]
    assert ranked, "EGFR T790M + L858R in LUAD has sensitivity evidence"


def test_tumour_board_variants_in_every_notation(api: ApiServer) -> None:
    cases = [
        (["BRAF V600E"], "melanoma"),
        (["NM_004333.4:c.1799T>A"], "melanoma"),
        (["EML4::ALK"], "NSCLC"),
        (["ERBB2 amplification"], "breast cancer"),
        (["KRAS G12D", "DPYD *2A/*2A"], "colorectal cancer"),
        (["not a variant at all"], None),
    ]
    with api.client() as client:
        for variants, disease in cases:
            body = {"variants": variants, "disease": disease}
            answer = client.post("/v1/match", json=body)
            assert answer.status_code == 200, (body, answer.text)
            assert answer.json() == cli_match(api.home, variants, disease), body


def test_patients_past_the_inline_limit_get_the_same_answer_from_a_worker_thread(api: ApiServer) -> None:
    """Up to INLINE_VARIANTS variants are answered on the event loop, more in a worker thread: one answer either way."""
    from queries.api.routes.match import INLINE_VARIANTS

    typed = [v for variants, _ in oncokb_patients().values() for v in variants]
    small = ["BRAF V600E", "NRAS Q61K", "TP53 R273H"]
    large = [*small, *typed, *(f"TP53 R{position}H" for position in range(100, 100 + INLINE_VARIANTS))]
    assert len(large) > INLINE_VARIANTS >= len(small)
    with api.client() as client:
        answers = [client.post("/v1/match", json={"variants": v, "disease": "melanoma"}) for v in (small, large)]
    for variants, answer in zip((small, large), answers, strict=True):
        assert answer.status_code == 200, answer.text
        assert answer.json() == cli_match(api.home, variants, "melanoma")
    assert answers[0].json()["therapies"][0]["therapy"] in {t["therapy"] for t in answers[1].json()["therapies"]}


def test_unreadable_variant_is_a_per_item_status_in_a_200(api: ApiServer) -> None:
    with api.client() as client:
        answer = client.post("/v1/match", json={"variants": ["BRAF V600E", "FOO bar baz"], "disease": "melanoma"})
    assert answer.status_code == 200
    statuses = {row["input"]: row["status"] for row in answer.json()["inputs"]["variants"]}
    assert statuses["BRAF V600E"] == "normalized"
    assert statuses["FOO bar baz"] == "unrecognized"


def test_batch_echoes_ids_and_equals_pmkg_match_per_patient(api: ApiServer) -> None:
    patients = oncokb_patients()
    assert len(patients) >= 3
    body = {"patients": [{"id": s, "variants": v, "disease": d} for s, (v, d) in patients.items()]}
    with api.client() as client:
        answer = client.post("/v1/match/batch", json=body)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["id"] for r in results] == list(patients)
    assert {r["status"] for r in results} == {"ok"}
    for result in results:
        variants, disease = patients[result["id"]]
        assert result["answer"] == cli_match(api.home, variants, disease), result["id"]


def test_batch_over_the_cap_is_413_naming_the_cap(tmp_path: Path, api_home: Path) -> None:
    env = {"PMKG_API_BATCH_PATIENTS": "3", "PMKG_API_BATCH_VARIANTS": "5"}
    with ApiServer(api_home, tmp_path / "server.log", env=env) as server, server.client() as client:
        patients = [{"id": f"p{i}", "variants": ["BRAF V600E"]} for i in range(4)]
        too_many = client.post("/v1/match/batch", json={"patients": patients})
        variants = [{"id": "p1", "variants": ["BRAF V600E"] * 6}]
        too_long = client.post("/v1/match/batch", json={"patients": variants})
        fine = client.post("/v1/match/batch", json={"patients": patients[:3]})
    assert too_many.status_code == 413
    assert too_many.headers["content-type"] == "application/problem+json"
    assert "4 patients in one batch; the cap is 3 patients per call" in too_many.json()["detail"]
    assert too_long.status_code == 413
    assert "6 variants in one batch; the cap is 5 variants per call" in too_long.json()["detail"]
    assert fine.status_code == 200


def test_validation_errors_name_the_field(api: ApiServer) -> None:
    with api.client() as client:
        empty = client.post("/v1/match", json={"variants": []})
        wrong = client.post("/v1/match", json={"variants": ["BRAF V600E"], "assembly": "hg19"})
        blank_disease = client.post("/v1/match", json={"variants": ["BRAF V600E"], "disease": "  "})
        not_json = client.post("/v1/match", content=b"{variants", headers={"content-type": "application/json"})
        batch = client.post("/v1/match/batch", json={"patients": [{"variants": ["BRAF V600E"]}]})
    for response in (empty, wrong, blank_disease, not_json, batch):
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
    assert empty.json()["errors"][0]["field"] == "body.variants"
    assert wrong.json()["errors"][0]["field"] == "body.assembly"
    assert blank_disease.json()["errors"][0]["field"] == "body.disease"
    assert batch.json()["errors"][0]["field"] == "body.patients[0].id"


def test_pgx_same_answer_as_pmkg_pgx(api: ApiServer) -> None:
    done = pmkg(api.home, "pgx", "--diplotype", "CYP2C19 *2/*2", "--diplotype", "DPYD *2A/*2A", "--format", "json")
    assert done.returncode == 0, done.stderr
    with api.client() as client:
        answer = client.post("/v1/pgx", json={"diplotypes": ["CYP2C19 *2/*2", "DPYD *2A/*2A"]})
    assert answer.status_code == 200
    assert answer.json() == json.loads(done.stdout)
    assert {r["drug"] for r in answer.json()["recommendations"]} >= {"clopidogrel"}


def test_pgx_vcf_upload_same_answer_as_pmkg_pgx_vcf(api: ApiServer, tmp_path: Path) -> None:
    done = pmkg(api.home, "pgx", "--vcf", str(PHARMCAT_VCF), "--format", "json")
    assert done.returncode == 0, done.stderr
    with api.client() as client, PHARMCAT_VCF.open("rb") as handle:
        answer = client.post("/v1/pgx/vcf", files={"vcf": (PHARMCAT_VCF.name, handle, "text/plain")})
    assert answer.status_code == 200, answer.text
    assert answer.json() == json.loads(done.stdout.replace(f"{PHARMCAT_VCF.parent}/", ""))


def test_pgx_vcf_upload_that_is_not_a_vcf_names_the_file(api: ApiServer) -> None:
    with api.client() as client:
        answer = client.post("/v1/pgx/vcf", files={"vcf": ("patient.vcf", b"this is not a VCF\n", "text/plain")})
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["detail"].startswith("patient.vcf")
    assert "pmkg-upload" not in json.dumps(problem)


def test_pgx_cautions_come_in_the_same_order_as_on_the_command_line(api: ApiServer) -> None:
    # A CYP2D6 poor metaboliser with breast cancer: tamoxifen (cancer care) before the tricyclics' "avoid" rows.
    with api.client() as client:
        answer = client.post("/v1/match", json={"variants": ["CYP2D6 PM"], "disease": "breast cancer"}).json()
    assert answer == cli_match(api.home, ["CYP2D6 PM"], "breast cancer")
    assert [(c["drug"], c["cancer_care"]) for c in answer["pgx_cautions"][:2]] == [("Tamoxifen", True),
                                                                                 ("amitriptyline", False)]  # fmt: skip
