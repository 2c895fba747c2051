"""Issue 9, privacy and output size: no patient identifier or tumour type in messages, and
``annotate --format json`` writes each result once, however many rows repeat it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.pmkg_cli import REPO, pmkg

ONCOKB = REPO / "tests" / "data" / "inputs" / "oncokb"
VCF = REPO / "tests" / "data" / "inputs" / "vcf2maf" / "test_b38.vcf"


def test_clinical_table_problems_name_line_and_field_not_the_patient(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    clinical = tmp_path / "clinical.txt"
    clinical.write_text(
        "SAMPLE_ID\tONCOTREE_CODE\n"
        "PATIENT-SECRET-01\tLUAD\n"
        "PATIENT-SECRET-01\tRARE-SECRET-TUMOUR\n"  # a second tumour type for one sample
        "PATIENT-SECRET-02\t\n"  # no tumour type
        "\tCOAD\n"  # no sample
        "PATIENT-SECRET-03\tBRCA\textra\tfields\n"
    )
    done = pmkg(starter_home[0], "-vv", "annotate", str(ONCOKB / "example_maf.txt"), "--clinical", str(clinical))
    assert done.returncode == 0, done.stderr
    assert "SECRET" not in done.stderr
    assert "LUAD" not in done.stderr
    assert (
        f"{clinical}:3 (field 'ONCOTREE_CODE'): gives its sample a second tumour type; the one on line 2 is kept"
        in (done.stderr)
    )
    assert f"{clinical}:4 (field 'ONCOTREE_CODE'): has no tumour type" in done.stderr
    assert f"{clinical}:5 (field 'SAMPLE_ID'): has no sample" in done.stderr
    assert f"{clinical}:6: has 4 tab-separated fields; the header has 2" in done.stderr


def test_annotate_json_writes_each_result_once(starter_home: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    lines = VCF.read_text().splitlines()
    header = [line for line in lines if line.startswith("#")]
    records = [line for line in lines if not line.startswith("#")]
    sizes = {}
    for repeats in (10, 200):
        vcf = tmp_path / f"repeated{repeats}.vcf"
        vcf.write_text("\n".join(header + records * repeats) + "\n")
        out = tmp_path / f"out{repeats}.json"
        done = pmkg(starter_home[0], "annotate", str(vcf), "--format", "json", "--out", str(out))
        assert done.returncode == 0, done.stderr
        answer = json.loads(out.read_text())
        assert len(answer["variants"]) == len(records) * repeats
        assert len(answer["results"]) <= len(records)  # one result per distinct alteration
        assert {row["result"] for row in answer["variants"]} == set(answer["results"])
        row = answer["variants"][-1]
        assert set(row) == {"sample", "input", "origin", "result"}
        assert answer["results"][row["result"]]["status"] in {"normalized", "unrecognized", "skipped", "ambiguous"}
        sizes[repeats] = out.stat().st_size
    per_row = (sizes[200] - sizes[10]) / (len(records) * 190)
    assert per_row < 200, f"{per_row:.0f} bytes per repeated row: the evidence is being repeated"
