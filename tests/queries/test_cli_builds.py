"""``pmkg builds``, ``pmkg rollback``, ``pmkg build --stage``/``pmkg promote`` and ``--build ID``, as a user runs them.

Real processes on a copy of the session's starter graph (embedded), and on a real Neo4j.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.pmkg_cli import REPO, pmkg

DO_CUT = REPO / "tests" / "data" / "disease_ontology"


def _json(done: Any) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _build_do_cut(home: Path, *extra: str, env: dict[str, str] | None = None) -> Any:
    """A second build, small and different: the DO test cut alone (an intended shrink)."""
    return pmkg(home, "build", "--source", f"disease_ontology={DO_CUT}", "--allow-shrink", *extra, env=env)


def test_build_promotes_then_builds_lists_and_rollback_returns_at_once(
    home_copy: Path, starter_home: tuple[Path, dict[str, Any]]
) -> None:
    starter_id = starter_home[1]["build_id"]
    built = _build_do_cut(home_copy)
    assert built.returncode == 0, built.stderr
    new_id = _json(pmkg(home_copy, "status", "--format", "json"))["build_id"]
    assert new_id != starter_id
    assert f"build {new_id} promoted: it answers now" in built.stdout

    listed = _json(pmkg(home_copy, "builds", "--format", "json"))
    assert [(b["build_id"], b["current"]) for b in listed] == [(new_id, True), (starter_id, False)]
    assert [s["name"] for s in listed[0]["sources"]] == ["disease_ontology"]
    assert listed[1]["counts"]["Gene"] > 19_000
    table = pmkg(home_copy, "builds")
    assert table.returncode == 0
    for shown in (new_id, starter_id, "current"):
        assert shown in table.stdout

    assert _json(pmkg(home_copy, "search", "BRAF", "--label", "Gene", "--format", "json")) == []
    rolled = pmkg(home_copy, "rollback")
    assert rolled.returncode == 0, rolled.stderr
    assert f"rolled back to build {starter_id}" in rolled.stdout
    assert f"(was {new_id})" in rolled.stdout
    assert _json(pmkg(home_copy, "status", "--format", "json"))["build_id"] == starter_id
    assert [r["id"] for r in _json(pmkg(home_copy, "search", "BRAF", "--label", "Gene", "--format", "json"))] == [
        "HGNC:1097"
    ]
    forward = _json(pmkg(home_copy, "rollback", new_id, "--format", "json"))
    assert (forward["current"]["build_id"], forward["previous"]) == (new_id, starter_id)


def test_query_commands_answer_as_of_a_named_build(home_copy: Path, starter_home: tuple[Path, dict[str, Any]]) -> None:
    starter_id = starter_home[1]["build_id"]
    assert _build_do_cut(home_copy).returncode == 0
    as_of = ("--build", starter_id, "--format", "json")

    answer = _json(pmkg(home_copy, "match", "--variant", "BRAF V600E", "--disease", "melanoma", *as_of))
    assert answer["build"]["id"] == starter_id
    assert "vemurafenib" in {t["therapy"].lower() for t in answer["therapies"]}
    assert _json(pmkg(home_copy, "match", "--variant", "BRAF V600E", "--format", "json"))["therapies"] == []

    assert _json(pmkg(home_copy, "status", *as_of))["build_id"] == starter_id
    assert [r["id"] for r in _json(pmkg(home_copy, "search", "BRAF", "--label", "Gene", *as_of))] == ["HGNC:1097"]
    assert _json(pmkg(home_copy, "ancestors", "LUAD", *as_of))[0]["of"] == "ONCOTREE:LUAD"  # OncoTree is in the starter
    pgx = _json(pmkg(home_copy, "pgx", "--diplotype", "CYP2C19 *2/*2", *as_of))
    assert pgx["build"]["build_id"] == starter_id
    # The current build (the DO cut alone) is untouched by the as-of reads.
    assert _json(pmkg(home_copy, "status", "--format", "json"))["build_id"] != starter_id


def test_annotate_answers_as_of_a_named_build(home_copy: Path, starter_home: tuple[Path, dict[str, Any]]) -> None:
    starter_id = starter_home[1]["build_id"]
    assert _build_do_cut(home_copy).returncode == 0
    maf = "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tS1\tp.V600E\n"
    done = pmkg(home_copy, "annotate", "-", "--disease", "melanoma", "--build", starter_id, "--format", "json",
                input=maf)  # fmt: skip
    answer = _json(done)
    assert answer["build"]["id"] == starter_id
    (result,) = answer["results"].values()
    assert (result["status"], result["sensitive_tier"]) == ("normalized", 1)


@pytest.mark.parametrize("command", [["status"], ["match", "--variant", "BRAF V600E"], ["search", "BRAF"]])
def test_an_unknown_build_is_one_line_naming_the_kept_builds(
    home_copy: Path, starter_home: tuple[Path, dict[str, Any]], command: list[str]
) -> None:
    starter_id = starter_home[1]["build_id"]
    done = pmkg(home_copy, *command, "--build", "b0000000000dead", "--format", "json")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    assert f"keeps no build 'b0000000000dead'; the kept builds are: {starter_id} (current)" in done.stderr
    assert json.loads(done.stdout)["error"]["type"] == "UnknownBuild"


def test_rollback_with_nothing_older_and_to_an_unknown_build_change_nothing(
    home_copy: Path, starter_home: tuple[Path, dict[str, Any]]
) -> None:
    starter_id = starter_home[1]["build_id"]
    nothing_older = pmkg(home_copy, "rollback")
    assert nothing_older.returncode == 2
    assert "no build older than the current one is kept" in nothing_older.stderr
    for bad in ("bnothere", "../graph", ""):
        done = pmkg(home_copy, "rollback", bad)
        assert done.returncode == 2, bad
        assert "Traceback" not in done.stderr
    assert _json(pmkg(home_copy, "status", "--format", "json"))["build_id"] == starter_id


def test_a_staged_build_answers_only_once_promoted(home_copy: Path, starter_home: tuple[Path, dict[str, Any]]) -> None:
    starter_id = starter_home[1]["build_id"]
    staged = _build_do_cut(home_copy, "--stage")
    assert staged.returncode == 0, staged.stderr
    listed = _json(pmkg(home_copy, "builds", "--format", "json"))
    staged_id = next(b["build_id"] for b in listed if not b["current"])
    assert f"build {staged_id} is kept but not current: `pmkg promote {staged_id}`" in staged.stdout
    assert _json(pmkg(home_copy, "status", "--format", "json"))["build_id"] == starter_id
    promoted = pmkg(home_copy, "promote", staged_id)
    assert promoted.returncode == 0, promoted.stderr
    assert _json(pmkg(home_copy, "status", "--format", "json"))["build_id"] == staged_id


def test_keep_builds_reclaims_the_oldest_build_file(home_copy: Path, starter_home: tuple[Path, dict[str, Any]]) -> None:
    starter_id = starter_home[1]["build_id"]
    keep_one = {"PMKG_KEEP_BUILDS": "1"}
    assert _build_do_cut(home_copy, env=keep_one).returncode == 0
    listed = _json(pmkg(home_copy, "builds", "--format", "json"))
    assert [b["current"] for b in listed] == [True]
    assert not (home_copy / "graph" / "builds" / f"{starter_id}.pmkg").exists()
    bad = pmkg(home_copy, "builds", env={"PMKG_KEEP_BUILDS": "none"})
    assert bad.returncode == 2
    assert "PMKG_KEEP_BUILDS is 'none'; expected a whole number of builds, at least 1" in bad.stderr


@pytest.mark.neo4j
def test_builds_rollback_and_as_of_on_neo4j(neo4j_store: object, tmp_path: Path) -> None:
    oncotree = REPO / "tests" / "data" / "oncotree" / "oncotree_2025_10_03.json"
    neo = ("--store", "neo4j")
    first = pmkg(tmp_path, "build", *neo, "--source", f"disease_ontology={DO_CUT}", "--format", "json")
    first_id = _json(first)["build_id"]
    second = pmkg(tmp_path, "build", *neo, "--source", f"oncotree={oncotree}", "--allow-shrink")
    assert second.returncode == 0, second.stderr
    listed = _json(pmkg(tmp_path, "builds", *neo, "--format", "json"))
    assert [b["current"] for b in listed] == [True, False]
    assert listed[1]["build_id"] == first_id

    as_of = _json(pmkg(tmp_path, "ancestors", "lung adenocarcinoma", *neo, "--build", first_id, "--format", "json"))
    assert {r["id"] for r in as_of} >= {"DOID:3908", "DOID:1324"}
    assert _json(pmkg(tmp_path, "rollback", *neo, "--format", "json"))["current"]["build_id"] == first_id
    assert _json(pmkg(tmp_path, "status", *neo, "--format", "json"))["build_id"] == first_id
    unknown = pmkg(tmp_path, "status", *neo, "--build", "bnothere")
    assert unknown.returncode == 2
    assert f"keeps no build 'bnothere'; the kept builds are: {listed[0]['build_id']}, {first_id} (current)" in (
        unknown.stderr
    )
