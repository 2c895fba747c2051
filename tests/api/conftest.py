"""Fixtures for the HTTP API tests: the starter graph served by a real ``pmkg serve`` process.

``api`` is one server per test session over a copy of the session's starter graph (read-only
tests); tests that change the graph or the settings start their own :class:`ApiServer`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.browser import launched_browser
from tests.api.server import ApiServer


@pytest.fixture(scope="session")
def api_home(starter_home: tuple[Path, dict[str, object]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("api-home")
    shutil.copytree(starter_home[0], home, dirs_exist_ok=True)
    return home


@pytest.fixture(scope="session")
def api(api_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """A real server over the starter graph, shared by the read-only tests of the session."""
    log = tmp_path_factory.mktemp("api-log") / "server.log"
    with ApiServer(api_home, log) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium per module (tests/api/browser.py); modules that use it mark themselves needs_chromium."""
    yield from launched_browser()
