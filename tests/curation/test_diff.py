"""``pmkg curate diff`` on real consecutive Disease Ontology releases: the term changes found by hand in
the release files, the evidence they touch, and the staged candidate build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.curation.conftest import DO_2025_06, DO_2025_12, curate_json
from tests.pmkg_cli import pmkg


def _changes(report: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {c["term_id"]: c for c in report["terms"]["changes"] if c["kind"] == kind}


def test_do_2025_12_merges_pten_hamartoma_syndrome_into_cowden_syndrome_1(home_do_2025_06: Path) -> None:
    report = curate_json(home_do_2025_06, "diff", "--source", f"disease_ontology={DO_2025_12}", "--no-impact")
    merged = _changes(report, "merged")
    # NCIthesaurus.obo 2025-12-23: "alt_id: DOID:0080191" under DOID:0050657; DOID:5709 under DOID:5363.
    assert merged["DOID:0080191"]["targets"] == ["DOID:0050657"]
    assert merged["DOID:0080191"]["name"] == "PTEN hamartoma tumor syndrome"
    assert merged["DOID:5709"]["targets"] == ["DOID:5363"]
    # CIViC's evidence on PTEN hamartoma tumor syndrome follows the merge; nothing is guessed.
    effect = {(e["evidence_id"], e["term_id"]): e for e in report["graph_effect"]["items"]}
    pten = effect[("CIVIC.EID:1935", "DOID:0080191")]
    assert (pten["migration"], pten["targets"]) == ("migrate", ["DOID:0050657"])


def test_do_2025_12_renames_moves_creates_and_drops_terms(home_do_2025_06: Path) -> None:
    report = curate_json(home_do_2025_06, "diff", "--source", f"disease_ontology={DO_2025_12}", "--no-impact")
    renamed = _changes(report, "renamed")["DOID:0050657"]
    assert (renamed["before"], renamed["after"]) == (["Bannayan-Riley-Ruvalcaba syndrome"], ["Cowden syndrome 1"])
    moved = _changes(report, "moved")["DOID:13515"]  # tuberous sclerosis: syndrome → hamartoma syndrome
    assert (moved["before"], moved["after"]) == (["DOID:225"], ["DOID:0070656"])
    assert _changes(report, "created")["DOID:0070656"]["name"] == "hamartoma syndrome"
    # immunodeficiency 130 is in HumanDO.tsv 2025-06-27 and in no file of 2025-12-23, with no alt_id.
    assert "DOID:0061095" in _changes(report, "deleted")
    synonyms = {c["after"][0] for c in report["terms"]["changes"]
                if c["kind"] == "synonym_added" and c["term_id"] == "DOID:0050657"}  # fmt: skip
    assert {"PHTS", "PTEN hamartoma tumor syndrome"} <= synonyms
    xrefs = [c for c in report["terms"]["changes"] if c["kind"] == "xref_changed" and c["term_id"] == "DOID:0050657"]
    ncit = next(c for c in xrefs if c["vocabulary"] == "ncit")
    assert "C179915" in ncit["after"]
    assert "C179915" not in ncit["before"]
    # Counts are the changes listed, kind by kind; the tuberous sclerosis evidence reaches new ancestors.
    listed: dict[str, int] = {}
    for change in report["terms"]["changes"]:
        listed[change["kind"]] = listed.get(change["kind"], 0) + 1
    assert report["terms"]["counts"] == listed
    hierarchy = {e["evidence_id"] for e in report["graph_effect"]["items"] if e["migration"] == "hierarchy"}
    assert {"CIVIC.EID:1768", "CIVIC.EID:1921"} <= hierarchy


def test_diff_stages_the_candidate_once_and_the_current_build_keeps_answering(fresh_home: Path) -> None:
    before = json.loads(pmkg(fresh_home, "status", "--format", "json").stdout)["build_id"]
    first = curate_json(fresh_home, "diff", "--source", f"disease_ontology={DO_2025_12}", "--no-impact")
    assert first["current_build"] == before
    assert first["staged_now"] is True
    assert json.loads(pmkg(fresh_home, "status", "--format", "json").stdout)["build_id"] == before
    kept = {b["build_id"]: b["current"] for b in json.loads(pmkg(fresh_home, "builds", "--format", "json").stdout)}
    assert kept == {before: True, first["candidate_build"]: False}
    again = curate_json(fresh_home, "diff", "--source", f"disease_ontology={DO_2025_12}", "--no-impact")
    assert (again["candidate_build"], again["staged_now"]) == (first["candidate_build"], False)
    assert again["candidate"]["version"] == "2025-12-23"  # the release its OBO files name
    assert again["current"]["origin"] == str(DO_2025_06)


def test_a_broken_candidate_file_is_refused_as_a_build_refuses_it(fresh_home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "do-broken"
    shutil.copytree(DO_2025_12, broken)
    terms = broken / "HumanDO.tsv"
    lines = terms.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = '"DOID-13515"\t"tuberous sclerosis"\t"hamartoma syndrome"\n'
    terms.write_text("".join(lines), encoding="utf-8")
    done = pmkg(fresh_home, "curate", "diff", "--source", f"disease_ontology={broken}")
    assert done.returncode == 2
    assert f"{terms}:4" in done.stderr
    assert "expected a DOID" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(json.loads(pmkg(fresh_home, "builds", "--format", "json").stdout)) == 1


def test_unknown_source_and_missing_path_get_one_line_errors(home_do_2025_06: Path) -> None:
    unknown = pmkg(home_do_2025_06, "curate", "diff", "--source", f"disease_ontologie={DO_2025_12}")
    assert unknown.returncode == 2
    assert "unknown source 'disease_ontologie'" in unknown.stderr
    missing = pmkg(home_do_2025_06, "curate", "diff", "--source", "disease_ontology=/no/such/release")
    assert missing.returncode == 2
    assert "/no/such/release" in missing.stderr
    bare = pmkg(home_do_2025_06, "curate", "diff", "--source", "disease_ontology")
    assert bare.returncode == 2
    assert "NAME=PATH" in bare.stderr


def test_markdown_and_html_reports_list_every_change(home_do_2025_06: Path) -> None:
    md = pmkg(home_do_2025_06, "curate", "diff", "--source", f"disease_ontology={DO_2025_12}", "--no-impact",
              "--format", "md")  # fmt: skip
    assert md.returncode == 0, md.stderr
    assert "| merged | DOID:0080191 | PTEN hamartoma tumor syndrome |" in md.stdout
    page = pmkg(home_do_2025_06, "curate", "diff", "--source", f"disease_ontology={DO_2025_12}", "--no-impact",
                "--format", "html")  # fmt: skip
    assert page.stdout.startswith("<!doctype html>")
    assert "<td>DOID:0080191</td>" in page.stdout
    table = pmkg(home_do_2025_06, "curate", "diff", "--source", f"disease_ontology={DO_2025_12}", "--no-impact")
    assert "merged 2" in table.stdout
    assert "DOID:0080191" in table.stdout
