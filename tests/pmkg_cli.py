"""Run ``pmkg`` as a user does: a real process, a real PMKG_HOME, the bundled data.

The session's starter graph (``starter_home``) and a per-test copy of it (``home_copy``) are
fixtures in ``tests/conftest.py``; this module holds the helper they and the tests share.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def pmkg(
    home: Path, *args: str, env: dict[str, str] | None = None, input: str | bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "queries.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded", **(env or {})},
        input=input,
        check=False,
    )
