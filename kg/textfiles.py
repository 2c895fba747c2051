"""Text files as users and sources hand them over: plain or gzip, regular files or pipes, read once.

One reader for every text file pmkg reads (source releases in ``loaders``, patient files in
``queries``), so each failure is said the same way, with the right line:

- the file is opened once, from its path, ``-`` (stdin), ``/dev/stdin`` or a pipe
  (``<(zcat x.vcf.gz)``); gzip/bgzip is recognised from the first bytes of a buffered stream,
  never by reopening;
- lines are decoded one at a time, so a byte that is not UTF-8 is reported on its own line
  (a decoder working in 8 KiB chunks reports it lines early), and a caller that skips bad rows
  can skip just that line: it reads as an empty line, so later line numbers stay right;
- a UTF-16/UTF-32 file (byte-order mark, or NUL bytes between ASCII letters) is named as such;
  a binary file is said to be binary; its bytes are never echoed;
- a UTF-8 byte-order mark is dropped.

It never logs a line: lines may be patient data.

>>> import io
>>> lines = LineReader(io.BufferedReader(io.BytesIO(b"a\\n\\xc3(\\nb\\n")), "x.tsv", on_bad=lambda e: None)
>>> [(lines.line, text) for text in lines for _ in [0]]
[(1, 'a\\n'), (2, '\\n'), (3, 'b\\n')]
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from kg.errors import SourceFileError

GZIP_MAGIC = b"\x1f\x8b"
STDIN = "-"
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)  # fmt: skip
# C0 controls other than tab, line feed and carriage return: in a patient file they mean binary junk.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
BadLine = Callable[[SourceFileError], None]


def display_name(path: Path | str) -> str:
    return "<stdin>" if str(path) == STDIN else str(path)


def _encoding_problem(head: bytes) -> str | None:
    """Why the first bytes of a file are not UTF-8 text, or None if they may be."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return f"is {name} text (it starts with a {name} byte-order mark); save it as UTF-8 and try again"
    if b"\0" in head:
        sample = head[:200]
        pairs = len(sample) // 2
        if pairs and (sample[1::2].count(0) > 0.7 * pairs or sample[0::2].count(0) > 0.7 * pairs):
            return "is UTF-16 text (every other byte is zero); save it as UTF-8 and try again"
        return "is a binary file, not text"
    return None


class LineReader:
    """A text handle over a binary stream that decodes (strict UTF-8) and counts one line at a time.

    ``line`` is the number of the line last returned.  A line that is not UTF-8, or holds NUL bytes
    (any C0 control but tab and line ends when ``strict_controls``), raises SourceFileError at that
    line, or, with ``on_bad``, is handed to it and reads as an empty line.
    """

    def __init__(
        self,
        binary: IO[bytes],
        name: str,
        *,
        on_bad: BadLine | None = None,
        strict_controls: bool = False,
        closer: Callable[[], None] | None = None,
    ) -> None:
        self._binary = binary
        self._closer = closer or binary.close
        self._name = name
        self.on_bad = on_bad
        self._controls = _CONTROLS if strict_controls else re.compile("\x00")
        self.line = 0
        self.closed = False

    def __enter__(self) -> LineReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self._name

    def readline(self) -> str:
        raw = self._binary.readline()
        if not raw:
            return ""
        self.line += 1
        if self.line == 1:
            raw = self._first(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return self._bad(f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})", raw)
        if self._controls.search(text):
            return self._bad("holds binary data (control characters), not text", raw)
        return text

    def _first(self, raw: bytes) -> bytes:
        problem = _encoding_problem(raw[:4096])
        if problem:
            raise SourceFileError(self._name, None, problem)
        return raw.removeprefix(codecs.BOM_UTF8)

    def _bad(self, problem: str, raw: bytes) -> str:
        error = SourceFileError(self._name, self.line, f"line {problem}")
        if self.on_bad is None:
            raise error
        self.on_bad(error)
        return "\n" if raw.endswith(b"\n") else ""

    def __next__(self) -> str:
        text = self.readline()
        if not text:
            raise StopIteration
        return text

    def __iter__(self) -> Iterator[str]:
        return self

    def read(self, size: int = -1) -> str:
        """The rest of the stream; a byte that is not UTF-8 is reported with its line."""
        parts: list[str] = []
        while True:
            text = self.readline()
            if not text:
                return "".join(parts)
            parts.append(text)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._closer()


class OpenedFile:
    """One file opened once: its name for messages, its size on disk, and its (decompressed) bytes."""

    def __init__(self, path: Path | str) -> None:
        self.name = display_name(path)
        if str(path) == STDIN:
            raw: IO[bytes] = sys.stdin.buffer
        else:
            try:
                raw = open(path, "rb")  # noqa: SIM115 - closed by close()
            except OSError as exc:
                raise SourceFileError(self.name, None, f"cannot be read: {exc.strerror or exc}") from None
        info = os.fstat(raw.fileno()) if hasattr(raw, "fileno") else None
        self.regular = info is not None and stat.S_ISREG(info.st_mode)
        self.size = info.st_size if info is not None and self.regular else 0
        buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
        self.compressed = buffered.peek(2)[:2] == GZIP_MAGIC
        self.raw = buffered
        self.binary: IO[bytes] = buffered
        if self.compressed:
            self.binary = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]

    def position(self) -> int:
        """Bytes of the file consumed so far (compressed bytes for gzip): drives a progress bar."""
        try:
            return self.raw.tell() if self.regular else 0
        except (OSError, ValueError):
            return self.size

    def close(self) -> None:
        if self.binary is not self.raw:
            self.binary.close()
        if self.raw is not sys.stdin.buffer:
            self.raw.close()


def open_text(path: Path | str, *, on_bad: BadLine | None = None, strict_controls: bool = False) -> LineReader:
    """A :class:`LineReader` over ``path`` (``-`` is stdin), decompressing gzip; SourceFileError if unreadable."""
    opened = OpenedFile(path)
    return LineReader(opened.binary, opened.name, on_bad=on_bad, strict_controls=strict_controls, closer=opened.close)


def count_lines(path: Path | str) -> int:
    """Lines in a plain or gzip file (a last line without a line end counts), or 0 if it cannot be read."""
    try:
        opened = OpenedFile(path)
    except SourceFileError:
        return 0
    count, last = 0, b"\n"
    try:
        for chunk in iter(lambda: opened.binary.read(1 << 20), b""):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    except (OSError, EOFError):
        pass
    finally:
        opened.close()
    return count + (last != b"\n")
