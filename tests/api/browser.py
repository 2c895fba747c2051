"""Debian's chromium driven by playwright, for the tests of the web page (the clinicians' and the curators' parts).

``needs_chromium`` skips a module, with the reason, only when chromium cannot be found; ``browser`` (in
``tests/api/conftest.py``) launches one headless chromium per module.  Screenshots go to ``ARTIFACTS``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.pmkg_cli import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
ARTIFACTS = REPO / "test-artifacts"

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"
)


def launched_browser() -> Iterator[Any]:
    """A headless chromium for as long as the caller's fixture lasts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()
