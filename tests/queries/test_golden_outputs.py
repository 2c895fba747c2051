"""``pmkg``'s JSON and TSV, byte for byte, on real examples (the cases and their graph: ``tests/golden.py``).

A difference fails with the diff; if the change is intended, regenerate with
``.venv/bin/python scripts/data/golden.py`` and review what users will see change.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from kg.stores import open_store
from queries.models import AnnotateQuery
from queries.services.annotate import CohortFiles, annotate
from tests.golden import (
    CASES,
    GOLDEN,
    MOALMANAC_PATIENT,
    ONCOKB,
    REPO,
    Case,
    build_golden_graph,
    moalmanac_patient_answer,
    normalise,
)
from tests.golden import run_case as run_pinned_case


@pytest.fixture(scope="module")
def golden_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    home = tmp_path_factory.mktemp("pmkg-golden")
    return home, build_golden_graph(home)


def assert_same_bytes(name: str, produced: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    if produced != expected:
        diff = "".join(
            list(difflib.unified_diff(expected.splitlines(True), produced.splitlines(True), f"golden/{name}", "now"))[
                :60
            ]
        )
        pytest.fail(f"{name} changed (regenerate with scripts/data/golden.py if intended):\n{diff}", pytrace=False)


def test_every_golden_file_has_a_case() -> None:
    assert {p.name for p in GOLDEN.iterdir()} == {c.name for c in CASES} | {MOALMANAC_PATIENT}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_command_output_is_unchanged(golden_graph: tuple[Path, str], case: Case) -> None:
    home, build_id = golden_graph
    assert_same_bytes(case.name, normalise(run_pinned_case(home, case), build_id))


def test_moalmanac_example_patient_match_is_unchanged(golden_graph: tuple[Path, str]) -> None:
    home, build_id = golden_graph
    assert_same_bytes(MOALMANAC_PATIENT, normalise(moalmanac_patient_answer(home), build_id))


def test_annotate_service_gives_the_answer_the_cli_streams(
    golden_graph: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pmkg annotate --format json`` writes as it goes; the service (the HTTP API's) builds the same answer."""
    home, build_id = golden_graph
    monkeypatch.chdir(REPO)  # the golden file names the inputs as given, relative to the repository
    store = open_store("embedded", home=home)
    try:
        files = CohortFiles(Path(ONCOKB, "example_maf.txt"), clinical=Path(ONCOKB, "example_clinical.txt"))
        answer = annotate(store, AnnotateQuery(), files)
    finally:
        store.close()
    expected = json.loads((GOLDEN / "annotate_oncokb_maf.json").read_text(encoding="utf-8"))
    assert json.loads(normalise(json.dumps(answer.model_dump(mode="json")), build_id)) == expected
