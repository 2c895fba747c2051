"""``pmkg curate oncotree-diff``: a curator diffs two real OncoTree releases from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.pmkg_cli import pmkg

REPO = Path(__file__).resolve().parents[2]
R2021 = REPO / "tests" / "data" / "oncotree" / "releases" / "oncotree_2021_11_02.json.gz"
R2025 = REPO / "loaders" / "starter" / "oncotree" / "oncotree_2025_10_03.json.gz"


def test_json_lists_glioblastoma_multiforme_retired_into_gb(tmp_path: Path) -> None:
    done = pmkg(tmp_path, "curate", "oncotree-diff", str(R2021), str(R2025), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["counts"]["retired"] == 6
    gbm = next(c for c in report["changes"] if c["code"] == "GBM")
    assert gbm["kind"] == "retired"
    assert gbm["mapping"]["outcome"] == "more granular"
    assert gbm["mapping"]["tool_text"] == "GBM -> {GB}, more granular choices introduced"


def test_markdown_names_each_change(tmp_path: Path) -> None:
    done = pmkg(tmp_path, "curate", "oncotree-diff", str(R2021), str(R2025), "--format", "md")
    assert done.returncode == 0, done.stderr
    assert "- DIPG retired ('Diffuse Intrinsic Pontine Glioma'): unambiguous → DMG by precursors" in done.stdout
    assert "- ASTR re-parented: 'DIFG' → 'ADIFG'" in done.stdout


def test_a_file_that_is_no_release_is_one_line_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "tree.json"
    bad.write_text('{"TISSUE": 3}', encoding="utf-8")
    done = pmkg(tmp_path, "curate", "oncotree-diff", str(R2021), str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "tree.json" in done.stderr
    assert "Traceback" not in done.stderr
