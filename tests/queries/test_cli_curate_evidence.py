"""``pmkg curate evidence-diff``: a curator stages CIViC's 2026 mix beside the 2024 release and diffs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.pmkg_cli import REPO, pmkg

CIVIC = REPO / "tests" / "data" / "civic"


def test_staged_release_diffed_against_the_current_build(tmp_path: Path) -> None:
    assert pmkg(tmp_path, "build", "--source", f"civic={CIVIC / '2024'}@01-Aug-2024").returncode == 0
    staged = pmkg(tmp_path, "build", "--source", f"civic={CIVIC / '2026'}@2026-05-29", "--stage", "--format", "json")
    assert staged.returncode == 0, staged.stderr
    kept = json.loads(pmkg(tmp_path, "builds", "--format", "json").stdout)
    new_id = next(b["build_id"] for b in kept if not b["current"])
    done = pmkg(tmp_path, "curate", "evidence-diff", "civic", "--to", new_id, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["old_version"], report["new_version"]) == ("01-Aug-2024", "2026-05-29")
    assert report["counts"] == {"added": 16, "removed": 2, "changed": 2, "unchanged": 19}
    assert "CIVIC.EID:11508" in [item["id"] for item in report["added"]]  # vorasidenib, level A
    md = pmkg(tmp_path, "curate", "evidence-diff", "civic", "--to", new_id, "--format", "md")
    assert "- CIVIC.EID:1397 predictive: variant 'EGFR T790M (PMKG:variant/EGFR:T790M)' → " in md.stdout


def test_an_unknown_build_is_one_line_listing_the_kept_ones(tmp_path: Path) -> None:
    assert pmkg(tmp_path, "build", "--source", f"civic={CIVIC / '2024'}").returncode == 0
    done = pmkg(tmp_path, "curate", "evidence-diff", "civic", "--to", "b000")
    assert done.returncode == 2
    assert "keeps no build 'b000'" in done.stderr
    assert "Traceback" not in done.stderr
