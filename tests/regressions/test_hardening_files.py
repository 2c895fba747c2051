"""Issue 9, files as users hand them over: pipes and stdin, damaged gzip, other encodings, binary junk,
and the right line for a byte that is not UTF-8 (patient files, CIViC, OBO), which --skip-bad-rows can skip."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.stores.embedded import EmbeddedStore
from loaders.civic import CivicLoader
from loaders.genes import GeneResolver
from loaders.obo import iter_terms
from queries.inputs import open_patient_file
from tests.pmkg_cli import REPO, pmkg

ONCOKB = REPO / "tests" / "data" / "inputs" / "oncokb"
VCF_GZ = REPO / "tests" / "data" / "inputs" / "clinvar_GRCh38_slice.vcf.gz"
CIVIC_2021 = REPO / "tests" / "data" / "civic" / "2021"
DO_SLIM = REPO / "tests" / "data" / "disease_ontology" / "DO_cancer_slim.obo"


def _variant_rows(stdout: str) -> list[dict[str, str]]:
    variants = stdout.partition("\n\n")[0]
    return list(csv.DictReader(io.StringIO(variants), delimiter="\t"))


# -- pipes and stdin -----------------------------------------------------------------------------
def test_annotate_reads_stdin_given_as_dash(starter_home: tuple[Path, dict[str, object]]) -> None:
    from_file = pmkg(starter_home[0], "annotate", str(VCF_GZ), "--assembly", "GRCh38")
    piped = subprocess.run(
        [sys.executable, "-m", "queries.cli", "annotate", "-", "--assembly", "GRCh38"],
        input=VCF_GZ.read_bytes(), capture_output=True, cwd=REPO, timeout=300, check=False,
        env={**os.environ, "PMKG_HOME": str(starter_home[0])},
    )  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    rows, expected = _variant_rows(piped.stdout.decode()), _variant_rows(from_file.stdout)
    assert len(rows) == len(expected) == 10  # the ten records of the ClinVar slice
    assert [(r["variant"], r["therapies"]) for r in rows] == [(r["variant"], r["therapies"]) for r in expected]
    assert rows[0]["origin"].startswith("<stdin>:")


@pytest.mark.parametrize("how", ["/dev/stdin", "process substitution"])
def test_annotate_reads_a_pipe_opened_once(starter_home: tuple[Path, dict[str, object]], how: str) -> None:
    # bash's <(zcat x) is a /dev/fd path to a pipe: it can be read only once.
    target = "/dev/stdin" if how == "/dev/stdin" else f"<(zcat {VCF_GZ})"
    feed = f"zcat {VCF_GZ} | " if how == "/dev/stdin" else ""
    done = subprocess.run(
        ["bash", "-c", f"{feed}{sys.executable} -m queries.cli annotate {target} --assembly GRCh38"],
        capture_output=True, text=True, cwd=REPO, timeout=300, check=False,
        env={**os.environ, "PMKG_HOME": str(starter_home[0])},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(_variant_rows(done.stdout)) == 10


def test_patient_file_on_a_pipe_is_sniffed_from_the_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "cna.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["bash", "-c", f"cat {ONCOKB / 'example_cna.txt'} > {fifo}"])
    reader = open_patient_file(fifo, role="cna")
    alterations = [item for item in reader if not hasattr(item, "problem")]
    writer.wait(timeout=30)
    assert reader.layout == "copy-number matrix (GISTIC)"
    assert len(alterations) > 3


# -- encodings and binary junk -----------------------------------------------------------------
def test_utf16_patient_file_is_named_as_utf16(starter_home: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    utf16 = tmp_path / "cohort.maf"
    utf16.write_text((ONCOKB / "example_maf.txt").read_text(), encoding="utf-16")
    done = pmkg(starter_home[0], "annotate", str(utf16))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{utf16}: is UTF-16 text" in done.stderr
    assert "save it as UTF-8" in done.stderr


def test_binary_junk_is_not_echoed(starter_home: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    junk = tmp_path / "junk.maf"
    junk.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    done = subprocess.run(
        [sys.executable, "-m", "queries.cli", "annotate", str(junk)],
        capture_output=True, cwd=REPO, timeout=300, check=False,
        env={**os.environ, "PMKG_HOME": str(starter_home[0])},
    )  # fmt: skip
    assert done.returncode == 2
    assert b"binary file, not text" in done.stderr
    assert b"\x1b" not in done.stderr + done.stdout
    assert b"ELF" not in done.stderr + done.stdout


def test_binary_line_inside_a_patient_file_is_an_unreadable_row_at_its_line(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    lines = (ONCOKB / "example_maf.txt").read_bytes().split(b"\n")
    lines[4] = b"\x1b[2J\x1b]0;owned\x07" + lines[4]  # terminal escapes: would clear the screen
    lines[7] = lines[7].replace(b"p.", b"p.\xc3(")  # not UTF-8
    maf = tmp_path / "cohort.maf"
    maf.write_bytes(b"\n".join(lines))
    done = subprocess.run(
        [sys.executable, "-m", "queries.cli", "annotate", str(maf)],
        capture_output=True, cwd=REPO, timeout=300, check=False,
        env={**os.environ, "PMKG_HOME": str(starter_home[0])},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout + done.stderr
    rows = _variant_rows(done.stdout.decode())
    unreadable = {r["origin"]: r["message"] for r in rows if r["status"] == "unreadable"}
    column = lines[7].index(b"\xc3") + 1
    assert unreadable == {
        f"{maf}:5": "line holds binary data (control characters), not text",
        f"{maf}:8": f"line is not UTF-8 text (byte 0xc3 at column {column})",
    }
    assert len(rows) == 17  # every other line is still read


# -- line numbers for bytes that are not UTF-8, in source files ---------------------------------
def _civic(evidence: Path, *, skip_bad_rows: bool = False) -> CivicLoader:
    files = {"evidence": evidence, "variants": CIVIC_2021 / "VariantSummaries.tsv",
             "assertions": CIVIC_2021 / "AssertionSummaries.tsv"}  # fmt: skip
    return CivicLoader(files, version="test", genes=GeneResolver.bundled(), skip_bad_rows=skip_bad_rows)


def _with_bad_byte(source: Path, target: Path, line: int) -> Path:
    lines = source.read_bytes().split(b"\n")
    lines[line - 1] = lines[line - 1][:40] + b"\xff\xfe" + lines[line - 1][40:]
    target.write_bytes(b"\n".join(lines))
    return target


def test_civic_reader_names_the_line_of_a_bad_byte_and_can_skip_it(tmp_path: Path) -> None:
    evidence = _with_bad_byte(CIVIC_2021 / "ClinicalEvidenceSummaries.tsv", tmp_path / "evidence.tsv", 9)
    with pytest.raises(SourceFileError) as error:
        list(_civic(evidence).parse())
    assert error.value.line == 9  # the chunked decoder said 3
    assert "not UTF-8" in error.value.problem
    skipping = _civic(evidence, skip_bad_rows=True)
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [skipping])
    assert [e.line for e in skipping.skipped] == [9]
    assert manifest.sources[0].skipped_rows == 1


def test_obo_reader_names_the_line_of_a_bad_byte(tmp_path: Path) -> None:
    obo = _with_bad_byte(DO_SLIM, tmp_path / "slim.obo", 41)
    with pytest.raises(SourceFileError) as error:
        list(iter_terms(obo))
    assert error.value.line == 41  # it said 1
    skipped: list[SourceFileError] = []
    terms = list(iter_terms(obo, on_bad=skipped.append))
    assert [e.line for e in skipped] == [41]
    assert len(terms) >= len(list(iter_terms(DO_SLIM))) - 1
