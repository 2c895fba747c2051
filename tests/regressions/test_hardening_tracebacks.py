"""Issue 9, never a traceback: each failure is one line naming what and where, exit status 2, and a JSON
error object on stdout when JSON was asked for."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from kg.stores.embedded.fileformat import read_graph_file, write_graph_file
from tests.pmkg_cli import REPO, pmkg


def _one_line_error(done: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    for text in expected:
        assert text in lines[0]
    return lines[0]


def _json_error(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    answer = json.loads(done.stdout)
    assert set(answer) == {"error"}
    error = answer["error"]
    assert isinstance(error, dict)
    assert error["message"] in done.stderr
    return error


# -- PMKG_HOME and the graph folder ------------------------------------------------------------
def test_pmkg_home_under_a_regular_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    home = tmp_path / "file" / "home"
    _one_line_error(pmkg(home, "status"), "cannot use the graph folder", "a regular file is in the way", "PMKG_HOME")
    done = pmkg(home, "match", "--variant", "BRAF V600E", "--format", "json")
    _one_line_error(done, "PMKG_HOME")
    assert _json_error(done)["type"] == "StoreError"
    _one_line_error(pmkg(home, "build"), "the graph folder", "PMKG_HOME")


def test_missing_pmkg_home_says_build_first(tmp_path: Path) -> None:
    done = pmkg(tmp_path / "never-made", "match", "--variant", "BRAF V600E", "--format", "json")
    _one_line_error(done, "pmkg build")
    assert _json_error(done)["type"] == "NoBuild"


def test_read_only_pmkg_home_build_is_one_line_and_reads_still_work(home_copy: Path, tmp_path: Path) -> None:
    folder = home_copy / "graph"
    lock = folder / "build.lock"
    lock.unlink(missing_ok=True)
    folder.chmod(0o555)
    try:
        if os.geteuid() == 0:  # root writes anywhere: take away the right to create the lock instead
            lock.mkdir()
        done = pmkg(home_copy, "build")
        _one_line_error(done, "build.lock")
        status = pmkg(home_copy, "status", "--format", "json")
        assert status.returncode == 0
        assert json.loads(status.stdout)["build_id"]
    finally:
        folder.chmod(0o755)


def test_build_lock_that_is_a_directory_is_one_line(home_copy: Path) -> None:
    lock = home_copy / "graph" / "build.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    _one_line_error(pmkg(home_copy, "build"), f"cannot take the build lock {lock}", "is a folder, not a file")


def test_graph_file_that_is_a_directory_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "graph" / "graph.pmkg").mkdir(parents=True)
    done = pmkg(tmp_path, "match", "--variant", "BRAF V600E", "--format", "json")
    _one_line_error(done, "graph.pmkg")
    assert _json_error(done)["type"] == "CorruptGraphFile"


@pytest.mark.parametrize("drop", ["a section", "the manifest"])
def test_graph_file_with_valid_checksums_but_a_missing_part_is_one_line(home_copy: Path, drop: str) -> None:
    graph = home_copy / "graph" / "graph.pmkg"
    meta, arrays = read_graph_file(graph)
    arrays = {name: array.copy() for name, array in arrays.items()}
    if drop == "a section":
        del arrays["alias_hash"]
    else:
        meta = {}
    rewritten = home_copy / "graph" / "rewritten.pmkg"
    write_graph_file(rewritten, meta, arrays)  # a well-formed file: every checksum is right
    os.replace(rewritten, graph)
    done = pmkg(home_copy, "search", "BRAF", "--format", "json")
    line = _one_line_error(done, str(graph), "incomplete", "pmkg build")
    assert ("alias_hash" in line) if drop == "a section" else ("manifest" in line)
    assert _json_error(done)["type"] == "CorruptGraphFile"


def test_corrupt_graph_prefix_is_still_one_line(home_copy: Path) -> None:
    graph = home_copy / "graph" / "graph.pmkg"
    data = bytearray(graph.read_bytes())
    header_len = struct.unpack_from("<I", data, 12)[0]
    data[24 : 24 + header_len] = b" " * header_len
    struct.pack_into("<I", data, 16, zlib.crc32(bytes(data[24 : 24 + header_len])))
    graph.write_bytes(bytes(data))
    _one_line_error(pmkg(home_copy, "status"), str(graph))


# -- what users type -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("match", "--variant", "[/]"),
        ("match", "--variant", "BRAF V600E", "--disease", "[bold]melanoma[/]"),
        ("pgx", "--diplotype", "[/bold]"),
        ("search", "[/]"),
        ("ancestors", "[red]x"),
    ],
)
def test_rich_markup_in_user_text_is_shown_literally(
    starter_home: tuple[Path, dict[str, object]], args: tuple[str, ...]
) -> None:
    done = pmkg(starter_home[0], *args)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 2), done.stderr
    shown = done.stdout + done.stderr
    user_text = args[-1]
    assert user_text in shown, shown


def test_invalid_utf8_argument_is_named_and_json_stays_valid(starter_home: tuple[Path, dict[str, object]]) -> None:
    bad = os.fsdecode(b"\xc3(")  # what the shell passes for $'\xc3('
    for args in (
        ("match", "--variant", "BRAF V600E", "--disease", bad, "--format", "json"),
        ("match", "--variant", bad, "--format", "json"),
        ("search", bad, "--format", "json"),
        ("pgx", "--diplotype", bad, "--format", "json"),
    ):
        done = pmkg(starter_home[0], *args)
        _one_line_error(done, "is not valid UTF-8 text (byte 0xc3")
        done.stdout.encode("utf-8")
        assert _json_error(done)["type"] == "InputError"
    line = _one_line_error(pmkg(starter_home[0], "match", "--variant", "BRAF V600E", "--disease", bad))
    assert line.startswith("error: --disease:")


@pytest.mark.parametrize("disease", ["", "   ", "\t"])
def test_empty_or_whitespace_disease_is_an_error(starter_home: tuple[Path, dict[str, object]], disease: str) -> None:
    done = pmkg(starter_home[0], "match", "--variant", "BRAF V600E", "--disease", disease, "--format", "json")
    _one_line_error(done, "--disease: is empty")
    assert _json_error(done)["type"] == "InputError"
    annotate = pmkg(starter_home[0], "annotate", str(REPO / "tests/data/inputs/oncokb/example_maf.txt"),
                    "--disease", disease)  # fmt: skip
    _one_line_error(annotate, "--disease: is empty")


@pytest.mark.parametrize("kind", ["gene", "disease", "evidence"])
def test_show_with_empty_text_is_one_line_not_an_internal_error(
    starter_home: tuple[Path, dict[str, object]], kind: str
) -> None:
    # pmkg show gene '' ended in "internal error (ValidationError); this is a bug in pmkg" (exit 3).
    done = pmkg(starter_home[0], "show", kind, "", "--format", "json")
    _one_line_error(done, "text: string should have at least 1 character")
    assert _json_error(done)["type"] == "InputError"


def test_binary_file_as_civic_source_is_one_line(home_copy: Path, tmp_path: Path) -> None:
    civic = tmp_path / "civic"
    shutil.copytree(REPO / "tests" / "data" / "civic" / "current", civic)
    evidence = civic / "ClinicalEvidenceSummaries.tsv"
    evidence.write_bytes(bytes(range(256)) * 40)
    done = pmkg(home_copy, "build", "--source", f"civic={civic}", "--format", "json")
    _one_line_error(done, str(evidence), "binary")
    assert _json_error(done)["path"] == str(evidence)
