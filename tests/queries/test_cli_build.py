"""Composable builds from the command line: ``--add`` (starter plus), ``--source`` (only these),
fetched files, and the starter's own folders as sources; a real process and a real PMKG_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.civic import STARTER_VERSION
from loaders.registry import starter_loaders
from tests.queries.test_cli import REPO, pmkg

MOALMANAC = REPO / "tests" / "data" / "moalmanac" / "molecular-oncology-almanac.json"
CGI = REPO / "tests" / "data" / "cgi" / "cgi_biomarkers_per_variant.tsv"
CIVIC_STARTER = REPO / "loaders" / "starter" / "civic"
STARTER_SOURCES = {loader.spec.name for loader in starter_loaders()}


def fetched(home: Path, name: str, *files: Path) -> Path:
    """What ``pmkg fetch NAME`` leaves in the cache: the files and FETCHED.json (no network in tests)."""
    folder = home / "cache" / name
    folder.mkdir(parents=True)
    for file in files:
        (folder / file.name).write_bytes(file.read_bytes())
    (folder / "FETCHED.json").write_text(json.dumps({"source": name, "retrieved": "2026-12-01", "files": {}}))
    return folder


def therapies(home: Path, *args: str) -> dict[str, set[str]]:
    """Therapy name → the sources of its evidence, from ``pmkg match --format json``."""
    done = pmkg(home, "match", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    return {t["therapy"]: {e["source"] for e in t["evidence"]} for t in answer["therapies"]}


@pytest.fixture(scope="module")
def added_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The starter plus MOAlmanac (a path) and CGI (fetched, named without a path), in one command."""
    home = tmp_path_factory.mktemp("pmkg-added")
    fetched(home, "cgi", CGI)
    built = pmkg(home, "build", "--add", f"moalmanac={MOALMANAC}", "--add", "cgi", "--format", "json")
    assert built.returncode == 0, built.stderr
    return home, json.loads(built.stdout)


def test_add_builds_the_starter_plus_the_named_sources(added_home: tuple[Path, dict[str, object]]) -> None:
    home, manifest = added_home
    sources = {s["name"]: s for s in manifest["sources"]}  # type: ignore[attr-defined]
    assert {"civic", "genes", "pharmcat"} <= STARTER_SOURCES
    assert set(sources) == STARTER_SOURCES | {"moalmanac", "cgi"}
    assert sources["civic"]["version"] == STARTER_VERSION
    assert "2026-12-01" in sources["cgi"]["version"]  # the fetch date of the fetched files, not a guess
    assert sources["moalmanac"]["license"] == "GPL-2.0-only"
    status = pmkg(home, "status")
    assert status.returncode == 0, status.stderr
    for name in ("civic", "moalmanac", "cgi", "GPL-2.0-only", "CC0-1.0", STARTER_VERSION):
        assert name in status.stdout


def test_one_answer_draws_on_every_added_source(added_home: tuple[Path, dict[str, object]]) -> None:
    home, _ = added_home
    v600e = therapies(home, "--variant", "BRAF V600E", "--disease", "melanoma")
    assert "civic" in v600e["Vemurafenib"]
    assert {"civic", "moalmanac", "cgi"} <= set().union(*v600e.values())  # one answer, every added source
    done = pmkg(home, "match", "--variant", "BRAF V600E", "--format", "json")
    stamp = json.loads(done.stdout)["build"]
    assert {s["name"] for s in stamp["sources"]} == STARTER_SOURCES | {"moalmanac", "cgi"}
    assert all(s["version"] and s["license"] for s in stamp["sources"])
    text = pmkg(home, "match", "--variant", "BRAF V600E")
    assert f"build {stamp['id']}: " in text.stdout
    assert f"civic {STARTER_VERSION} (CC0-1.0)" in text.stdout
    assert "moalmanac" in text.stdout


def test_source_still_means_only_these_and_takes_the_starter_folder(tmp_path: Path) -> None:
    built = pmkg(tmp_path, "build", "--source", f"civic={CIVIC_STARTER}", "--format", "json")
    assert built.returncode == 0, built.stderr
    sources = json.loads(built.stdout)["sources"]
    assert [(s["name"], s["version"]) for s in sources] == [("civic", STARTER_VERSION)]
    v600e = therapies(tmp_path, "--variant", "BRAF V600E", "--disease", "melanoma")
    assert v600e["Vemurafenib"] == {"civic"}


def test_source_without_a_path_uses_the_fetched_files(tmp_path: Path) -> None:
    fetched(tmp_path, "cgi", CGI)
    built = pmkg(tmp_path, "build", "--source", "cgi", "--format", "json")
    assert built.returncode == 0, built.stderr
    [source] = json.loads(built.stdout)["sources"]
    assert source["name"] == "cgi"
    assert "2026-12-01" in source["version"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--add", "cgi"], "no files given and none fetched"),
        (["--add", f"moalmanac={MOALMANAC}", "--source", f"cgi={CGI}"], "use one"),
        (["--add", f"cgi={CGI}", "--add", f"cgi={CGI}"], "cgi given more than once"),
        (["--add", "moalmanac="], "expected NAME, NAME=PATH or NAME=PATH@VERSION"),
        (["--add", "civc"], "unknown source 'civc'"),
    ],
)
def test_bad_build_arguments_say_what_is_wrong(tmp_path: Path, args: list[str], message: str) -> None:
    done = pmkg(tmp_path, "build", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert pmkg(tmp_path, "status", "--format", "json").stdout.strip() == "null"  # nothing was built


@pytest.mark.neo4j
def test_composed_build_into_neo4j_answers_from_both_sources(neo4j_uri: str, tmp_path: Path) -> None:
    """It used to exit 2 with 'Driver closed': pmkg match closed the store, then wrote the answer, whose
    explanations look up nodes the matching had not (MOAlmanac's); the starter's were all memoised already."""
    from tests.conftest import wipe_neo4j

    wipe_neo4j(neo4j_uri)
    env = {"PMKG_NEO4J_URI": neo4j_uri}
    built = pmkg(tmp_path, "build", "--neo4j", "--source", f"civic={CIVIC_STARTER}", "--source",
                 f"moalmanac={MOALMANAC}", "--format", "json", env=env)  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert {s["name"] for s in json.loads(built.stdout)["sources"]} == {"civic", "moalmanac"}
    done = pmkg(tmp_path, "match", "--variant", "BRAF V600E", "--store", "neo4j", "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    found = {e["source"] for t in json.loads(done.stdout)["therapies"] for e in t["evidence"]}
    assert found == {"civic", "moalmanac"}
