"""Homes for the curation tests: the starter graph with one Disease Ontology release cut (tests/data/curation,
cut by scripts/data/curation.py from three consecutive real releases) as the current build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.pmkg_cli import REPO, pmkg

CUTS = REPO / "tests" / "data" / "curation"
DO_2025_06 = CUTS / "do-2025-06-27"
DO_2025_12 = CUTS / "do-2025-12-23"
DO_2026_07 = CUTS / "do-2026-07-31"


def build_home(home: Path, release: Path) -> Path:
    built = pmkg(home, "build", "--add", f"disease_ontology={release}", "--allow-shrink", "--format", "json")
    assert built.returncode == 0, built.stderr
    return home


@pytest.fixture(scope="session")
def pristine_do_2025_06(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Current build: the starter with DO 2025-06-27 (cut); never changed (tests copy it)."""
    return build_home(tmp_path_factory.mktemp("do-2025-06"), DO_2025_06)


@pytest.fixture(scope="session")
def home_do_2025_06(pristine_do_2025_06: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the pristine home the read-only diff tests share (their candidates stay staged in it)."""
    copy = tmp_path_factory.mktemp("do-2025-06-shared") / "home"
    shutil.copytree(pristine_do_2025_06, copy, symlinks=True)
    return copy


@pytest.fixture(scope="session")
def home_do_2025_12(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Current build: the starter with DO 2025-12-23 (cut)."""
    return build_home(tmp_path_factory.mktemp("do-2025-12"), DO_2025_12)


@pytest.fixture
def fresh_home(pristine_do_2025_06: Path, tmp_path: Path) -> Path:
    """A copy of the pristine DO 2025-06-27 home a test may change."""
    copy = tmp_path / "home"
    shutil.copytree(pristine_do_2025_06, copy, symlinks=True)
    return copy


def curate_json(home: Path, *args: str) -> dict[str, object]:
    done = pmkg(home, "curate", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data
