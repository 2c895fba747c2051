"""Flip the current build back and forth until killed (``python -m tests.kg.interrupt_promote``).

Usage: ``interrupt_promote.py STORE_KIND GRAPH_DIR BUILD_A BUILD_B``.  Prints ``FLIPPING`` once
the first rollback has finished, then keeps rolling back between the two builds, so a test can
SIGKILL it in the middle of a promote.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.kg.stores import open_test_store


def main() -> None:
    kind, folder, first, second = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    store = open_test_store(kind, folder)
    store.rollback(first)
    print("FLIPPING", flush=True)
    while True:
        store.rollback(second)
        store.rollback(first)


if __name__ == "__main__":
    main()
