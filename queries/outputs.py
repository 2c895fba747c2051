"""Output files written whole or not at all: the one place every command that writes files goes through.

:class:`OutputFiles` opens each output as a temporary file in the target's own folder
(``.results.tsv.<random>.tmp``), so the rename that puts it in place is atomic and never
crosses a file system.  Only when the command finishes without an error are the files flushed,
synced and renamed into place; on any failure (a truncated input, a full disk, Ctrl-C) every
temporary file is removed and the targets are left as they were.  An output that is one of the
command's inputs (the same file, through a symlink or a hard link) is refused before anything
is opened for writing.  Outputs that are not regular files (``/dev/stdout``, a named pipe) are
written directly: they cannot be renamed over, and nothing on disk is lost.

It never logs what it writes (patient data).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with OutputFiles(inputs=[]) as outputs:
...     _ = outputs.open(folder / "a.tsv").write("x\\n")
>>> (folder / "a.tsv").read_text(), sorted(p.name for p in folder.iterdir())
('x\\n', ['a.tsv'])
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO

from kg.errors import OutputError


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def refuse_input_as_output(output: Path, inputs: Iterable[Path | None]) -> None:
    """OutputError if ``output`` is one of ``inputs`` (same file by device and inode: symlinks and hard links too)."""
    target = _identity(output)
    if target is None:
        return
    for given in inputs:
        if given is not None and _identity(given) == target:
            raise OutputError(
                f"--out {output} is the input file {given}: writing it would destroy the input; choose another path"
            )


class OutputFiles:
    """Outputs that appear together, whole, when the ``with`` block ends without an error."""

    def __init__(self, inputs: Iterable[Path | None] = ()) -> None:
        self._inputs = [Path(p) for p in inputs if p is not None]
        self._pending: list[tuple[IO[str], Path, Path | None]] = []  # (handle, target, temporary file)

    def open(self, target: Path) -> IO[str]:
        """A text handle whose content becomes ``target`` on success."""
        target = Path(target)
        refuse_input_as_output(target, self._inputs)
        if any(existing == target for _, existing, _ in self._pending):
            raise OutputError(f"{target} is given as two outputs of one command")
        try:
            if target.exists() and not stat.S_ISREG(os.stat(target).st_mode):
                handle: IO[str] = open(target, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed on exit
                self._pending.append((handle, target, None))
                return handle
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="\n")
        self._pending.append((handle, target, Path(name)))
        return handle

    def __enter__(self) -> OutputFiles:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self._commit()
            return
        targets = [str(target) for _, target, temporary in self._pending if temporary is not None]
        self._discard()
        if targets and isinstance(error, Exception):
            error.add_note(f"nothing was written to {', '.join(targets)}")

    def _commit(self) -> None:
        try:
            for handle, _, temporary in self._pending:
                handle.flush()
                if temporary is not None:
                    os.fsync(handle.fileno())
                handle.close()
                if temporary is not None:
                    os.chmod(temporary, 0o666 & ~_umask())
            for _, target, temporary in self._pending:
                if temporary is not None:
                    os.replace(temporary, target)
        except OSError as exc:
            self._discard()
            raise OutputError(
                f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}; no output file was written"
            ) from None
        self._pending = []

    def _discard(self) -> None:
        for handle, _, temporary in self._pending:
            with contextlib.suppress(OSError):
                handle.close()
            if temporary is not None:
                with contextlib.suppress(OSError):
                    temporary.unlink()
        self._pending = []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
