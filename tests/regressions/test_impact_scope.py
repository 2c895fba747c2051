"""The impact report skipped panel queries a release could still change: a CIViC release's scope was the
first word of each changed item's variant, so a profile "PIK3CA … OR AKT1 E17K" touched only PIK3CA and
the AKT1 E17K answers it changed were not listed.  Now the scope comes from the graph (every gene of a
profile's components, both fusion partners, therapies and drugs named by the evidence, disease terms whose
presence, parents or mappings changed), and on real release pairs the scoped run lists exactly the changed
answers of a full run of the whole panel."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kg.stores.embedded import EmbeddedStore
from queries.curation_impact import impact_of
from queries.models.curation import AnswerChange
from tests.curation import conftest as curation_homes
from tests.curation.conftest import DO_2025_12, curate_json
from tests.pmkg_cli import REPO

CIVIC_2024 = REPO / "tests" / "data" / "civic" / "2024"
pristine_do_2025_06 = curation_homes.pristine_do_2025_06  # the starter (its CIViC) with a DO cut


@pytest.fixture
def home(pristine_do_2025_06: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(pristine_do_2025_06, copy, symlinks=True)
    return copy


def _full_run(home: Path, report: dict[str, Any]) -> list[str]:
    old = EmbeddedStore(home / "graph", build=str(report["current_build"]))
    new = EmbeddedStore(home / "graph", build=str(report["candidate_build"]))
    try:
        full = impact_of(old, new)
    finally:
        old.close()
        new.close()
    assert full.skipped == 0
    impact = report["impact"]
    assert full.queries == impact["queries"] + impact["skipped"]  # the scoped run skipped the rest
    return sorted(c.model_dump_json() for c in full.changes)


@pytest.mark.parametrize(
    ("source", "release", "extra"),
    [("civic", CIVIC_2024, ("--allow-shrink",)), ("disease_ontology", DO_2025_12, ())],
    ids=["civic-2021-to-2024-cut", "do-2025-06-to-2025-12-cut"],
)
def test_a_scoped_impact_run_lists_exactly_the_changed_answers_of_a_full_run(
    home: Path, source: str, release: Path, extra: tuple[str, ...]
) -> None:
    report = curate_json(home, "diff", "--source", f"{source}={release}", *extra)
    impact = report["impact"]
    assert impact["changes"], "the pair must change some answers for the comparison to mean anything"
    scoped = sorted(AnswerChange.model_validate(c).model_dump_json() for c in impact["changes"])
    assert scoped == _full_run(home, report)
    if impact["skipped"]:
        assert "cannot change" in impact["skipped_reason"]
