"""Exclusive file locks that keep the writers of one folder apart (promotes, builds, audit appends).

:func:`exclusive_lock` holds ``fcntl.flock`` on a small lock file for a ``with`` block: it creates
the folder and the file if needed, and turns an operating-system error into the caller's kind of
:class:`~kg.errors.KGError` with a message naming the file and why, never a traceback.  It never
deletes a lock file: a process waiting on the old file and one locking a new file of the same name
would both go ahead.  Locks are advisory and per open file, so they keep processes (and threads with
their own handles) apart, not code that writes without asking for the lock.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder, exclusive_lock(Path(folder) / "x.lock", "take the x lock"):
    ...     pass
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from kg.errors import KGError, StoreError, os_error_reason


@contextlib.contextmanager
def exclusive_lock(
    path: Path, what: str, *, error: type[KGError] = StoreError, busy: str | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` while the block runs.

    ``what`` says what the caller was doing, for the message ``cannot {what}: {why}`` raised as
    ``error`` when the file cannot be opened.  With ``busy`` unset the lock waits for its holder; with
    ``busy`` set it does not wait and raises ``error(busy)`` while another holds it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "w")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise error(f"cannot {what}: {os_error_reason(exc)}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if busy is None else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise error(busy) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
