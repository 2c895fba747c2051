"""Issue 9, data loss: an output never destroys an input, and a failed run leaves no partial file."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pmkg_cli import REPO, pmkg

ONCOKB = REPO / "tests" / "data" / "inputs" / "oncokb"
LAML = REPO / "tests" / "data" / "inputs" / "vcf2maf" / "tcga_laml.slice.maf"


def _copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def _only_expected_files(folder: Path, *names: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(names), "a temporary or partial file was left behind"


@pytest.mark.parametrize("link", ["same path", "symlink", "hard link"])
def test_annotate_out_that_is_the_input_is_refused_and_the_input_kept(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path, link: str
) -> None:
    maf = _copy(ONCOKB / "example_maf.txt", tmp_path / "x.maf")
    before = maf.read_bytes()
    out = maf
    if link == "symlink":
        out = tmp_path / "link.maf"
        out.symlink_to(maf)
    elif link == "hard link":
        out = tmp_path / "hard.maf"
        os.link(maf, out)
    done = pmkg(starter_home[0], "annotate", str(maf), "--out", str(out))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"--out {out} is the input file {maf}" in done.stderr
    assert maf.read_bytes() == before


def test_annotate_clinical_table_as_out_is_refused(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    clinical = _copy(ONCOKB / "example_clinical.txt", tmp_path / "clinical.txt")
    before = clinical.read_bytes()
    done = pmkg(starter_home[0], "annotate", str(ONCOKB / "example_maf.txt"), "--clinical", str(clinical),
                "--out", str(clinical))  # fmt: skip
    assert done.returncode == 2
    assert clinical.read_bytes() == before


def test_truncated_gzip_leaves_no_partial_output_and_says_how_far_it_read(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    whole = gzip.compress(LAML.read_bytes())
    broken = tmp_path / "laml.maf.gz"
    broken.write_bytes(whole[: len(whole) * 2 // 3])
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    out = out_folder / "results.tsv"
    done = pmkg(starter_home[0], "annotate", str(broken), "--out", str(out))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"{broken}:" in lines[0]
    assert "damaged or truncated" in lines[0]
    assert "rows were read before the failure" in lines[0]
    assert f"nothing was written to {out}" in lines[0]
    _only_expected_files(out_folder)


def test_truncated_gzip_with_json_says_so_in_a_json_error(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    whole = gzip.compress(LAML.read_bytes())
    broken = tmp_path / "laml.maf.gz"
    broken.write_bytes(whole[: len(whole) // 2])
    out = tmp_path / "results.json"
    done = pmkg(starter_home[0], "annotate", str(broken), "--format", "json", "--out", str(out))
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["path"] == str(broken)
    assert isinstance(error["line"], int)
    assert error["line"] > 2
    assert not out.exists()


def test_existing_output_survives_a_failed_run(starter_home: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    out = tmp_path / "results.tsv"
    out.write_text("yesterday's results\n")
    broken = tmp_path / "laml.maf.gz"
    whole = gzip.compress(LAML.read_bytes())
    broken.write_bytes(whole[: len(whole) // 2])
    done = pmkg(starter_home[0], "annotate", str(broken), "--out", str(out))
    assert done.returncode == 2
    assert out.read_text() == "yesterday's results\n"
    _only_expected_files(tmp_path, "results.tsv", "laml.maf.gz")


@contextlib.contextmanager
def _read_only_folder(folder: Path) -> Iterator[None]:
    """A folder nobody may write to: a read-only tmpfs where mounting is allowed (root ignores modes), else mode 555."""
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
                      capture_output=True, check=False).returncode == 0:  # fmt: skip
        try:
            yield
        finally:
            subprocess.run(["umount", str(folder)], check=False)
        return
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


def test_out_in_a_read_only_folder_is_one_line_not_a_traceback(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    folder = tmp_path / "ro"
    with _read_only_folder(folder):
        done = pmkg(starter_home[0], "annotate", str(ONCOKB / "example_maf.txt"), "--out", str(folder / "r.tsv"))
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith(f"error: cannot write {folder / 'r.tsv'}: ")
        assert len(done.stderr.strip().splitlines()) == 1
        _only_expected_files(folder)


@contextlib.contextmanager
def _small_disk(folder: Path, kib: int = 64) -> Iterator[dict[str, object]]:
    """A ``kib`` KiB tmpfs at ``folder`` where mounting is allowed; else a file-size limit of as much (EFBIG)."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(folder)],
                             capture_output=True, check=False).returncode == 0  # fmt: skip
    try:
        if mounted:
            yield {}
        else:

            def limit() -> None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (kib << 10, kib << 10))

            yield {"preexec_fn": limit}
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)


def test_full_disk_leaves_no_partial_output(starter_home: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    # The vcf2maf LAML slice annotates to far more than 64 KiB of TSV.
    with _small_disk(tmp_path / "disk") as extra:
        out = tmp_path / "disk" / "results.tsv"
        done = subprocess.run(
            [sys.executable, "-m", "queries.cli", "annotate", str(LAML), "--out", str(out)],
            cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
            env={**os.environ, "PMKG_HOME": str(starter_home[0])}, **extra,  # type: ignore[call-overload]
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert "the disk is full or the file is too large" in done.stderr
        assert f"nothing was written to {out}" in done.stderr
        _only_expected_files(out.parent)


def _as_at_a_terminal() -> None:
    """Ctrl-C reaches the command as it does at a terminal: a test run started in the background (``nohup … &``)
    ignores SIGINT, and a child that inherits that disposition never sees the interruption."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_interrupted_annotation_leaves_no_partial_output(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    # A FIFO input that never ends keeps the run busy until it is interrupted.
    fifo = tmp_path / "variants.maf"
    os.mkfifo(fifo)
    out = tmp_path / "out" / "results.tsv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "queries.cli", "annotate", str(fifo), "--out", str(out)],
        cwd=REPO, stderr=subprocess.PIPE, text=True, env={**os.environ, "PMKG_HOME": str(starter_home[0])},
        preexec_fn=_as_at_a_terminal,
    )  # fmt: skip
    with open(fifo, "w") as writer:
        writer.write(LAML.read_text())
        writer.flush()
        for _ in range(200):  # wait until the output's temporary file exists
            if out.parent.exists() and any(out.parent.iterdir()):
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "no partial output was left" in stderr
    _only_expected_files(out.parent)


def test_full_pmkg_home_build_is_one_line_and_leaves_no_partial_graph(tmp_path: Path) -> None:
    do = REPO / "tests" / "data" / "disease_ontology"
    with _small_disk(tmp_path / "home", kib=8) as extra:  # the DO fixture's graph is ~19 KiB
        done = subprocess.run(
            [sys.executable, "-m", "queries.cli", "build", "--source", f"disease_ontology={do}"],
            cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
            env={**os.environ, "PMKG_HOME": str(tmp_path / "home")}, **extra,  # type: ignore[call-overload]
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert "the disk is full or the file is too large; the previous build keeps answering" in done.stderr
        assert sorted(p.name for p in (tmp_path / "home" / "graph").iterdir()) == ["build.lock"]


def test_out_to_a_device_gets_both_tables_and_no_file_beside_it(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    done = pmkg(starter_home[0], "annotate", str(ONCOKB / "example_maf.txt"), "--out", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    variants, blank, samples = done.stdout.partition("\n\n")
    assert variants.startswith("sample\tinput\torigin")
    assert blank
    assert samples.startswith("sample\tdisease_input")
    assert not Path("/dev/stdout.samples.tsv").exists()
