"""Regenerate the pinned ``pmkg`` outputs in ``tests/data/golden/`` (see ``tests/golden.py``).

    .venv/bin/python scripts/data/golden.py

Builds the pinned graph (starter + the 2021 CIViC test cut + the MOAlmanac example assertions) in a
temporary PMKG_HOME, runs every pinned command and writes its normalised output.  Review the diff
(``git diff tests/data/golden``) before committing it: every changed byte is a change script users notice.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.golden import GOLDEN, build_golden_graph, pinned_outputs  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pmkg-golden-") as folder:
        home = Path(folder)
        build_id = build_golden_graph(home)
        outputs = pinned_outputs(home, build_id)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for stale in set(p.name for p in GOLDEN.iterdir()) - set(outputs):
        (GOLDEN / stale).unlink()
        print(f"removed {stale}")
    for name, text in sorted(outputs.items()):
        path = GOLDEN / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        path.write_text(text, encoding="utf-8")
        print(f"{'unchanged' if old == text else 'wrote'} {name} ({len(text):,} bytes)")


if __name__ == "__main__":
    main()
