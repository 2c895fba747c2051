"""Pausing Python's cyclic garbage collector around work that allocates many short- or long-lived acyclic objects.

A build keeps millions of small records alive and a match allocates thousands of small ones (hits, entries,
keys) that reference counting frees at once; the cyclic collector would walk them, and everything the process
keeps (a warm graph view), again and again (a third of a large build's time; a fifth of a warm match's,
measured).  This module only pauses and restores the collector; it must never change its thresholds or
freeze objects, which would outlive the work.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block and restore the previous setting afterwards.

    Reference counting still frees everything.  Safe across threads: a block that found the collector
    already paused leaves it to the block that paused it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
