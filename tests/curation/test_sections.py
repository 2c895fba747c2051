"""The diff report's other sections: an evidence release's items (kg.evidence_diff) and an OncoTree
release's codes (loaders.oncotree_diff), read from the current build's release and the candidate."""

from __future__ import annotations

from pathlib import Path

from tests.curation.conftest import curate_json
from tests.pmkg_cli import REPO, pmkg

CIVIC_2021 = REPO / "tests" / "data" / "civic" / "2021"
ONCOTREE_2021 = REPO / "tests" / "data" / "oncotree" / "releases" / "oncotree_2021_11_02.json.gz"


def test_a_civic_release_lists_the_evidence_items_it_changes(home_do_2025_06: Path) -> None:
    report = curate_json(home_do_2025_06, "diff", "--source", f"civic={CIVIC_2021}", "--allow-shrink", "--no-impact")
    assert report["terms"] is None
    evidence = report["evidence"]
    assert evidence["source"] == "civic"
    eid_1828 = {c["id"]: c for c in evidence["changed"]}["CIVIC.EID:1828"]
    fields = {c["field"]: (c["before"], c["after"]) for c in eid_1828["changes"]}
    assert fields["level"] == ("C", "E")
    # The name is the graph's: the DO cut of this home lacks VHL disease, so CIViC's spelling shows.
    before, after = fields["disease"]
    assert before == "renal cell carcinoma (DOID:4450)"
    assert after.lower() == "von hippel-lindau disease (doid:14175)"
    assert evidence["counts"]["removed"] > 4000
    table = pmkg(home_do_2025_06, "curate", "diff", "--source", f"civic={CIVIC_2021}", "--allow-shrink", "--no-impact")
    assert "Evidence items of civic" in table.stdout
    assert "CIVIC.EID:1828" in table.stdout or "more rows" in table.stdout


def test_a_candidate_staged_with_allow_shrink_is_still_refused_without_it(home_do_2025_06: Path) -> None:
    # The first test staged this candidate with --allow-shrink; reusing it must not skip the check
    # (else `apply` without --allow-shrink would promote a release that lost most of CIViC).
    done = pmkg(home_do_2025_06, "curate", "apply", "--source", f"civic={CIVIC_2021}", "-m", "x")
    assert done.returncode == 2
    assert "civic:" in done.stderr
    assert "--allow-shrink" in done.stderr


def test_an_oncotree_release_gets_the_oncotree_code_diff(home_do_2025_06: Path) -> None:
    report = curate_json(home_do_2025_06, "diff", "--source", f"oncotree={ONCOTREE_2021}", "--no-impact")
    tree = report["oncotree"]
    assert tree is not None
    kinds = {(c["kind"], c["code"]) for c in tree["changes"]}
    assert tree["counts"]
    assert any(code == "GBM" for _, code in kinds)
