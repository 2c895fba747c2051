"""The ``pmkg`` command as a user runs it: a real process, a real PMKG_HOME, the bundled data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.pmkg_cli import pmkg

REPO = Path(__file__).resolve().parents[2]
DO_FIXTURE = REPO / "tests" / "data" / "disease_ontology"


def test_starter_build_has_real_content_for_every_part(starter_home: tuple[Path, dict[str, object]]) -> None:
    _, manifest = starter_home
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    assert counts["Gene"] >= 19_000
    assert counts["Disease"] >= 12_000
    assert counts["Consequence"] >= 2_000
    assert counts["Allele"] >= 1_000
    assert counts["Recommendation"] >= 2_000
    sources = {s["name"]: s for s in manifest["sources"]}  # type: ignore[attr-defined]
    assert {"genes", "disease_ontology", "oncotree", "sequence_ontology", "pharmcat"} <= set(sources)
    assert all(s["license"] and s["version"] and s["checksum"].startswith("sha256:") for s in sources.values())


def test_status_reports_the_build_that_was_made(starter_home: tuple[Path, dict[str, object]]) -> None:
    home, manifest = starter_home
    status = pmkg(home, "status", "--format", "json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout) == manifest
    table = pmkg(home, "status")
    assert "disease_ontology" in table.stdout
    assert "CC0" in table.stdout


def test_search_resolves_a_gene_alias(starter_home: tuple[Path, dict[str, object]]) -> None:
    found = pmkg(starter_home[0], "search", "HER2", "--label", "Gene", "--format", "json")
    assert found.returncode == 0, found.stderr
    assert [(row["id"], row["name"]) for row in json.loads(found.stdout)] == [("HGNC:3430", "ERBB2")]


def test_search_for_nothing_says_so(starter_home: tuple[Path, dict[str, object]]) -> None:
    found = pmkg(starter_home[0], "search", "no such gene FOO1", "--format", "tsv")
    assert found.returncode == 0  # an empty answer is an answer; scripts read the empty table
    assert "nothing is called 'no such gene FOO1'" in found.stderr


@pytest.mark.parametrize("query", ["lung adenocarcinoma", "DOID:3910", "LUAD"])
def test_ancestors_walk_the_disease_ontology(starter_home: tuple[Path, dict[str, object]], query: str) -> None:
    result = pmkg(starter_home[0], "ancestors", query, "--format", "json")
    assert result.returncode == 0, result.stderr
    ids = [row["id"] for row in json.loads(result.stdout)]
    for expected in ("DOID:3908", "DOID:1324", "DOID:162", "DOID:4"):
        assert expected in ids
    assert ids.index("DOID:3908") < ids.index("DOID:1324") < ids.index("DOID:4")  # nearest first


def test_search_matches_partial_disease_names_exact_hits_first(starter_home: tuple[Path, dict[str, object]]) -> None:
    found = pmkg(starter_home[0], "search", "adenocarc lung", "--label", "Disease", "--format", "json")
    assert found.returncode == 0, found.stderr
    rows = json.loads(found.stdout)
    assert [r["id"] for r in rows[:2]] == ["DOID:3910", "ONCOTREE:LUAD"]
    assert all("adenocarcinoma" in r["name"].lower() for r in rows)
    exact = json.loads(pmkg(starter_home[0], "search", "CRC", "--format", "json").stdout)
    assert exact[0]["id"] == "DOID:9256"  # an abbreviation from the curated list, before anything partial


def test_ancestors_of_idc_reach_breast_cancer(starter_home: tuple[Path, dict[str, object]]) -> None:
    result = pmkg(starter_home[0], "ancestors", "IDC", "--format", "json")
    assert result.returncode == 0, result.stderr
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert ids.index("DOID:3008") < ids.index("DOID:3007") < ids.index("DOID:3459") < ids.index("DOID:1612")


def test_ancestors_say_when_an_oncotree_type_maps_through_its_ancestor(
    starter_home: tuple[Path, dict[str, object]],
) -> None:
    result = pmkg(starter_home[0], "ancestors", "DIFG", "--format", "tsv")
    assert result.returncode == 0, result.stderr
    assert "OncoTree DIFG has no Disease Ontology term of its own: it maps through its ancestor BRAIN" in result.stderr
    assert "DOID:1319\tbrain cancer" in result.stdout
    unmapped = pmkg(starter_home[0], "ancestors", "CUP", "--format", "tsv")
    assert "OncoTree CUP (Cancer of Unknown Primary) maps to no Disease Ontology term" in unmapped.stderr


def test_ancestors_of_unknown_text_suggest_partial_matches(starter_home: tuple[Path, dict[str, object]]) -> None:
    result = pmkg(starter_home[0], "ancestors", "cholangiocarc")
    assert result.returncode == 2  # a usage error (kg.errors.InputError)
    assert "no disease is called 'cholangiocarc' (did you mean cholangiocarcinoma" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_source_file_is_named_and_the_graph_in_service_is_unchanged(home_copy: Path, tmp_path: Path) -> None:
    before = pmkg(home_copy, "status", "--format", "json").stdout
    broken = tmp_path / "do"
    shutil.copytree(DO_FIXTURE, broken)
    table = broken / "HumanDO.tsv"
    lines = table.read_text().splitlines()
    parents = {line.split("\t")[2] for line in lines[1:]}
    # A leaf term's row (no other row names it as a parent) loses two of its three fields.
    leaf = next(i for i, line in enumerate(lines) if i > 0 and line.split("\t")[1] not in parents)
    lines[leaf] = lines[leaf].split("\t")[0]
    table.write_text("\n".join(lines) + "\n")

    result = pmkg(home_copy, "build", "--source", f"disease_ontology={broken}")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{table}:{leaf + 1}" in result.stderr
    assert "row has 1 fields; the header has 3" in result.stderr
    assert pmkg(home_copy, "status", "--format", "json").stdout == before

    # The fixture is a cut of DO replacing the whole starter graph: an intended shrink.
    skipped = pmkg(
        home_copy, "build", "--source", f"disease_ontology={broken}", "--skip-bad-rows", "--allow-shrink", "--format",
        "json",
    )  # fmt: skip
    assert skipped.returncode == 0, skipped.stderr
    assert json.loads(skipped.stdout)["sources"][0]["skipped_rows"] == 1


def test_damaged_graph_file_gives_a_clear_error(home_copy: Path) -> None:
    graph = home_copy / "graph" / "graph.pmkg"
    graph.write_bytes(graph.read_bytes()[:1000])
    result = pmkg(home_copy, "search", "BRAF")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "graph.pmkg" in result.stderr
    assert "truncated" in result.stderr


def test_unreachable_neo4j_gives_a_clear_error(tmp_path: Path) -> None:
    result = pmkg(tmp_path, "status", "--store", "neo4j", env={"PMKG_NEO4J_URI": "bolt://127.0.0.1:1"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "bolt://127.0.0.1:1" in result.stderr


def test_unknown_source_name_lists_the_known_ones(tmp_path: Path) -> None:
    result = pmkg(tmp_path, "build", "--source", f"civc={tmp_path}")
    assert result.returncode == 2
    assert "unknown source 'civc'" in result.stderr
    assert "civic" in result.stderr


@pytest.mark.neo4j
def test_build_into_neo4j_and_query_it_from_the_cli(neo4j_uri: str, tmp_path: Path) -> None:
    from tests.conftest import wipe_neo4j

    wipe_neo4j(neo4j_uri)
    env = {"PMKG_NEO4J_URI": neo4j_uri}
    built = pmkg(tmp_path, "build", "--neo4j", "--source", f"disease_ontology={DO_FIXTURE}", "--format", "json",
                 env=env)  # fmt: skip
    assert built.returncode == 0, built.stderr
    manifest = json.loads(built.stdout)
    status = pmkg(tmp_path, "status", "--store", "neo4j", "--format", "json", env=env)
    assert json.loads(status.stdout) == manifest
    ancestors = pmkg(tmp_path, "ancestors", "lung adenocarcinoma", "--store", "neo4j", "--format", "json", env=env)
    assert ancestors.returncode == 0, ancestors.stderr
    assert {"DOID:3908", "DOID:162", "DOID:4"} <= {row["id"] for row in json.loads(ancestors.stdout)}
    # the embedded store in the same PMKG_HOME was never touched
    assert pmkg(tmp_path, "status", "--format", "json").stdout.strip() == "null"
