"""``pmkg push``: the embedded build copied into the real Neo4j answers as the embedded one does.

The pushed build keeps its id and manifest; ``pmkg match`` over Neo4j gives the embedded store's answer, and
the cookbook's Cypher questions give the answers the query layer gives on the embedded build.  Pushing again
copies nothing and says so; ``--stage`` keeps the build aside until it is promoted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.stores.embedded import EmbeddedStore
from kg.stores.neo4j.store import Neo4jStore
from queries.gateways.cypher import run_cypher
from tests.conftest import wipe_neo4j
from tests.pmkg_cli import pmkg
from tests.research.cookbook_python import QUESTIONS, answer_set
from tests.research.test_cookbook_parity import COOKBOOK, NAMES

PATIENTS = [
    ("--variant", "BRAF V600E", "--disease", "melanoma"),
    ("--variant", "EGFR T790M", "--variant", "EGFR L858R", "--disease", "LUAD"),
    ("--variant", "KRAS G12D", "--variant", "DPYD *2A/*2A", "--disease", "colorectal cancer"),
]


def _json(done: object) -> object:
    assert done.returncode == 0, done.stderr  # type: ignore[attr-defined]
    return json.loads(done.stdout)  # type: ignore[attr-defined]


@pytest.mark.neo4j
def test_a_pushed_build_answers_match_and_the_cookbook_as_the_embedded_one(
    neo4j_uri: str, home_copy: Path, starter_home: tuple[Path, dict[str, object]]
) -> None:
    wipe_neo4j(neo4j_uri)
    env = {"PMKG_NEO4J_URI": neo4j_uri}
    pushed = _json(pmkg(home_copy, "push", "--format", "json", env=env))
    built = starter_home[1]
    assert pushed["build_id"] == built["build_id"]  # type: ignore[index]
    assert pushed["already_there"] is False  # type: ignore[index]
    assert pushed["current"] is True  # type: ignore[index]
    assert pushed["nodes"] == sum(built["counts"].values())  # type: ignore[index, union-attr, attr-defined]

    on_neo4j = _json(pmkg(home_copy, "builds", "--store", "neo4j", "--format", "json", env=env))
    embedded = _json(pmkg(home_copy, "builds", "--format", "json"))
    assert on_neo4j[0] == {**embedded[0], "current": True}  # type: ignore[index]

    for patient in PATIENTS:
        from_neo4j = _json(pmkg(home_copy, "match", *patient, "--store", "neo4j", "--format", "json", env=env))
        assert from_neo4j == _json(pmkg(home_copy, "match", *patient, "--format", "json")), patient

    neo4j_store, embedded_store = Neo4jStore(neo4j_uri), EmbeddedStore(home_copy / "graph")
    try:
        for name in NAMES:
            answer = run_cypher(neo4j_store, (COOKBOOK / f"{name}.cypher").read_text(), timeout=60)
            expected = frozenset(QUESTIONS[name[:2]](embedded_store))
            assert expected, name
            assert answer_set(answer.rows) == expected, name
    finally:
        neo4j_store.close()
        embedded_store.close()

    again = pmkg(home_copy, "push", env=env)
    assert again.returncode == 0, again.stderr
    assert f"Neo4j already keeps build {built['build_id']}; nothing copied (it answers there now)" in again.stdout


@pytest.mark.neo4j
def test_a_staged_push_answers_only_once_promoted(neo4j_uri: str, home_copy: Path) -> None:
    wipe_neo4j(neo4j_uri)
    env = {"PMKG_NEO4J_URI": neo4j_uri}
    staged = _json(pmkg(home_copy, "push", "--stage", "--format", "json", env=env))
    assert staged["current"] is False  # type: ignore[index]
    status = pmkg(home_copy, "status", "--store", "neo4j", "--format", "json", env=env)
    assert _json(status) is None, "a staged build does not answer"
    kept = _json(pmkg(home_copy, "builds", "--store", "neo4j", "--format", "json", env=env))
    assert [(b["build_id"], b["current"]) for b in kept] == [(staged["build_id"], False)]  # type: ignore[index]

    promoted = pmkg(home_copy, "push", env=env)  # the same build, asked to answer: promoted, not copied again
    assert promoted.returncode == 0, promoted.stderr
    assert "nothing copied (it answers there now)" in promoted.stdout
    assert _json(pmkg(home_copy, "status", "--store", "neo4j", "--format", "json", env=env))["build_id"] == \
        staged["build_id"]  # type: ignore[index]  # fmt: skip


def test_pushing_without_an_embedded_build_says_what_to_do(tmp_path: Path) -> None:
    done = pmkg(tmp_path / "empty-home", "push")
    assert done.returncode == 2
    assert "there is no build to push: run `pmkg build` first" in done.stderr
    assert "Traceback" not in done.stderr


def test_pushing_a_build_that_is_not_kept_lists_the_kept_ones(home_copy: Path) -> None:
    done = pmkg(home_copy, "push", "--build", "b000000000000000")
    assert done.returncode == 2
    assert "b000000000000000" in done.stderr
    assert "Traceback" not in done.stderr
