"""Run one curation step and SIGKILL this process right before or right after its promote
(``python -m tests.curation.interrupt_step``).

Usage: ``interrupt_step.py STORE_KIND GRAPH_DIR apply|rollback before|after``.  The store's real promote runs
(for ``after``); only the moment of the kill is chosen, so a test sees what a power cut or ``kill -9`` at
that point leaves: the pending audit entry written, the promote done or not, no completion entry.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from kg.records import Node, Provenance
from kg.schema import Label
from queries.services.curation import CandidateRelease, apply_release, rollback
from tests.kg.conftest import ListSource
from tests.kg.stores import open_at_build, open_test_store

PB = (Provenance("bulk", "1", "CC0-1.0", "row"),)


def release(version: str, count: int) -> ListSource:
    """The test release ``version``: ``count`` diseases named after it (the same in the test and here)."""
    diseases = [
        Node(f"DOID:{900000 + i}", Label.DISEASE, f"disease {version}.{i}", provenance=PB) for i in range(count)
    ]
    return ListSource("bulk", diseases, version=version)


def _killing(promote: Callable[..., Any], when: str) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = promote(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    return wrapped


def main() -> None:
    kind, folder, step, when = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    store = open_test_store(kind, folder)
    store.promote = _killing(store.promote, when)  # type: ignore[method-assign]
    store.rollback = _killing(store.rollback, when)  # type: ignore[method-assign]
    if step == "apply":
        candidate = CandidateRelease("bulk", [release("2", 4)])
        apply_release(store, lambda build: open_at_build(store, build), candidate, curator="killed",
                      message="interrupted apply")  # fmt: skip
    else:
        rollback(store, None, curator="killed", message="interrupted rollback")
    print("NOT KILLED", flush=True)


if __name__ == "__main__":
    main()
