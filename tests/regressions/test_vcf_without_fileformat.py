"""A VCF without its ``##fileformat`` line was read without a word (real ``pmkg annotate``, ``pmkg pgx --vcf`` and
``pmkg serve``).

Such files come from scripts that write the columns and forget the header; pmkg reads them when the columns are
right (the ``#CHROM`` line is checked as for any VCF), but the user is told in the file's notes: "no ##fileformat
header line: read as VCF 4.x by its columns".  A file whose columns are wrong is still refused with the line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.server import client_over_copy
from tests.pmkg_cli import pmkg

NOTE = "no ##fileformat header line: read as VCF 4.x by its columns"
PHARMCAT_EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "pgx" / "examples" / "pharmcat.example2.vcf"
COLUMNS = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n"
RECORD = "7\t140453136\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\n"


@pytest.fixture(scope="module")
def client(
    starter_home: tuple[Path, dict[str, object]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    with client_over_copy(starter_home[0], tmp_path_factory, "fileformat", with_rdf=False) as http:
        yield http


def _annotate(home: Path, vcf: Path) -> dict[str, object]:
    run = pmkg(home, "annotate", str(vcf), "--assembly", "GRCh37", "--format", "json")
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout))


def test_pmkg_annotate_reads_it_and_says_so(starter_home: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    vcf = tmp_path / "no_header.vcf"
    vcf.write_text(COLUMNS + RECORD)
    answer = _annotate(starter_home[0], vcf)
    (found,) = answer["files"]  # type: ignore[misc]
    assert found["notes"] == [NOTE]
    assert [answer["results"][r["result"]]["variant"] for r in answer["variants"]] == ["BRAF V600E"]  # type: ignore[index]
    run = pmkg(starter_home[0], "annotate", str(vcf), "--assembly", "GRCh37")
    assert f"note: {NOTE}" in run.stderr


def test_a_vcf_with_its_fileformat_line_gets_no_such_note(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    vcf = tmp_path / "with_header.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n" + COLUMNS + RECORD)
    (found,) = _annotate(starter_home[0], vcf)["files"]  # type: ignore[misc]
    assert found["notes"] == []


def test_wrong_columns_without_fileformat_are_still_refused_with_the_line(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    vcf = tmp_path / "not_a.vcf"
    vcf.write_text("#CHROM\tPOS\tREF\tALT\n7\t140453136\tA\tT\n")
    run = pmkg(starter_home[0], "annotate", str(vcf), "--assembly", "GRCh37")
    assert run.returncode != 0
    assert f"{vcf}:1" in run.stderr or f"{vcf}, line 1" in run.stderr
    assert "Traceback" not in run.stderr


def test_v1_annotate_reads_it_and_says_so(client: httpx.Client) -> None:
    response = client.post(
        "/v1/annotate", files={"file": ("no_header.vcf", (COLUMNS + RECORD).encode())}, data={"assembly": "GRCh37"}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    (found,) = answer["files"]
    assert found["notes"] == [NOTE]
    assert [answer["results"][r["result"]]["variant"] for r in answer["variants"]] == ["BRAF V600E"]


def _pgx(home: Path, vcf: Path) -> dict[str, object]:
    run = pmkg(home, "pgx", "--vcf", str(vcf), "--format", "json")
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout))


def test_pmkg_pgx_reads_it_says_so_and_calls_the_same_diplotypes(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    headless = tmp_path / "example2_no_fileformat.vcf"
    text = PHARMCAT_EXAMPLE.read_text()
    assert text.startswith("##fileformat=")
    headless.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("##fileformat")))
    without, with_it = _pgx(starter_home[0], headless), _pgx(starter_home[0], PHARMCAT_EXAMPLE)
    assert f"{headless}: {NOTE}" in without["warnings"]  # type: ignore[operator]
    assert not any(NOTE in w for w in with_it["warnings"])  # type: ignore[attr-defined]
    assert without["genes"] == with_it["genes"]
    assert any(g["gene"] == "CYP2C19" and g["diplotype"] == "*2/*2" for g in without["genes"])  # type: ignore[attr-defined]
