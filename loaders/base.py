"""What every loader shares: source facts, file opening, table reading, provenance.

A loader is a :class:`Loader` subclass with a :class:`SourceSpec` (name, licence, where
releases are fetched from) and a ``parse`` method that turns local files into typed
records.  Parsing is pure and offline: it streams (constant memory), validates what it
reads and raises :class:`~kg.errors.SourceFileError` with the file, line, field and what
was expected.  Fetching (network, cache, checksum) lives in :mod:`loaders.fetch`.

A loader instance is a :class:`kg.builds.RecordSource`, so ``run_build`` takes it as is.
"""

from __future__ import annotations

import abc
import contextlib
import csv
import functools
import gzip
import hashlib
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from kg import textfiles
from kg.errors import SourceFileError
from kg.records import Provenance, Record
from kg.stores.port import SourceInfo
from kg.textfiles import LineReader

# Source rows carry long text (CIViC descriptions, ClinVar submitter lists): larger fields than
# csv's 128 KiB default, but only while a loader reads a file (see _wide_csv_fields).
_CSV_FIELD_LIMIT = 1 << 24
_wide_readers = 0
_wide_lock = threading.Lock()
_saved_field_limit: int | None = None


@dataclass(frozen=True)
class SourceSpec:
    """Static facts about one source."""

    name: str
    title: str
    license: str
    license_url: str
    redistributable: bool
    homepage: str
    # Logical file name -> public URL of the current release (used by ``pmkg fetch``).
    files: Mapping[str, str] = field(default_factory=dict)
    attribution: str = ""


class Loader(abc.ABC):
    """Base class of every source loader."""

    spec: ClassVar[SourceSpec]

    def __init__(self, paths: Mapping[str, Path], *, version: str, skip_bad_rows: bool = False) -> None:
        missing = [name for name in self.required_files() if name not in paths]
        if missing:
            raise SourceFileError(
                str(next(iter(paths.values()), self.spec.name)),
                None,
                f"{self.spec.name} needs files {sorted(self.required_files())}; missing {missing}",
            )
        self.paths = {name: Path(path) for name, path in paths.items()}
        self.origin = _origin(self.paths.values())
        self.version = version
        self.skip_bad_rows = skip_bad_rows
        self.skipped: list[SourceFileError] = []

    @property
    def skipped_rows(self) -> int:
        return len(self.skipped)

    @property
    def rows_read(self) -> int:
        """Lines in this source's files (headers included): what the build's skip rate is a share of.

        Counted only when asked (a build asks only when rows were skipped).
        """
        return sum(textfiles.count_lines(path) for path in self.paths.values())

    def bad(self, error: SourceFileError) -> None:
        """Raise ``error``, or record it and go on when the build skips bad rows."""
        if not self.skip_bad_rows:
            raise error
        self.skipped.append(error)

    @classmethod
    def from_path(cls, path: Path, *, version: str | None = None, skip_bad_rows: bool = False) -> Loader:
        """A loader over a folder of the source's files (or the one file it needs)."""
        path = Path(path)
        if not path.exists():
            raise SourceFileError(str(path), None, f"no such file or folder for source {cls.spec.name!r}")
        if path.is_dir():
            paths = cls.locate(path)
        elif len(cls.required_files()) == 1:
            paths = {cls.required_files()[0]: path}
        else:
            raise SourceFileError(
                str(path), None, f"{cls.spec.name} needs several files {list(cls.required_files())}; pass their folder"
            )
        loader = cls(paths, version=version or local_version(path), skip_bad_rows=skip_bad_rows)
        loader.origin = str(path.resolve())
        return loader

    @classmethod
    def locate(cls, folder: Path) -> dict[str, Path]:
        """Find each logical file in ``folder`` by the file name of its release URL (``.gz`` or not)."""
        found: dict[str, Path] = {}
        for logical, url in cls.spec.files.items():
            name = url.rsplit("/", 1)[-1].split("?", 1)[0]
            stem = name.removesuffix(".gz")
            for candidate in (name, stem, stem + ".gz"):
                if (folder / candidate).is_file():
                    found[logical] = folder / candidate
                    break
        missing = [logical for logical in cls.required_files() if logical not in found]
        if missing:
            expected = [cls.spec.files[m].rsplit("/", 1)[-1] for m in missing if m in cls.spec.files]
            raise SourceFileError(
                str(folder), None, f"{cls.spec.name}: cannot find {missing} (expected files {expected})"
            )
        return found

    @classmethod
    def required_files(cls) -> Sequence[str]:
        """Logical names of the files ``parse`` needs (keys of ``paths``)."""
        return tuple(cls.spec.files)

    @functools.cached_property
    def checksum(self) -> str:
        return checksum_files(self.paths.values())

    @property
    def info(self) -> SourceInfo:
        return SourceInfo(
            name=self.spec.name,
            version=self.version,
            license=self.spec.license,
            url=self.spec.homepage,
            checksum=self.checksum,
            origin=self.origin,
        )

    def provenance(self, record_id: str, line: int | None = None) -> tuple[Provenance, ...]:
        return (Provenance(self.spec.name, self.version, self.spec.license, record_id, line),)

    def records(self) -> Iterator[Record]:
        return self.parse()

    @abc.abstractmethod
    def parse(self) -> Iterator[Record]:
        """Stream the records of this source's files."""


STARTER_ORIGIN = "starter"
_STARTER_DIR = Path(__file__).resolve().parent / "starter"


def _origin(paths: Iterable[Path]) -> str:
    """Where files were read from: :data:`STARTER_ORIGIN` for the bundled ones, else their one file or folder."""
    resolved = [Path(p).resolve() for p in paths]
    if resolved and all(p.is_relative_to(_STARTER_DIR) for p in resolved):
        return STARTER_ORIGIN
    folders = {p.parent for p in resolved}
    if len(resolved) == 1:
        return str(resolved[0])
    return str(folders.pop()) if len(folders) == 1 else ""


def local_version(path: Path) -> str:
    """Version of files the user supplied: the fetch date if ``pmkg fetch`` got them, else their date."""
    import datetime as dt
    import json

    folder = path if path.is_dir() else path.parent
    fetched = folder / "FETCHED.json"
    if fetched.is_file():
        try:
            return f"fetched-{json.loads(fetched.read_text())['retrieved']}"
        except (ValueError, KeyError):
            pass
    newest = max((p.stat().st_mtime for p in ([path] if path.is_file() else path.iterdir())), default=0.0)
    return f"local-{dt.date.fromtimestamp(newest).isoformat()}"


def checksum_files(paths: Iterable[Path]) -> str:
    """SHA-256 over the given files' bytes, in name order (identifies a release's content)."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(path.name.encode())
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def open_text(path: Path, on_bad: Callable[[SourceFileError], None] | None = None) -> LineReader:
    """Open a text file once, decompressing gzip, decoding UTF-8 line by line (:mod:`kg.textfiles`).

    A line that is not UTF-8 fails at its own line number, or, with ``on_bad`` (the build skips
    bad rows), is reported there and read as an empty line.
    """
    return textfiles.open_text(path, on_bad=on_bad)


def read_table(
    path: Path,
    required: Sequence[str],
    *,
    delimiter: str = "\t",
    comment: str | None = None,
    on_bad: Callable[[SourceFileError], None] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` of a delimited file whose header has ``required`` columns.

    Raises SourceFileError for a missing header, missing columns, a row whose number of
    fields differs from the header's, or a file that ends early or is corrupt (a truncated
    download).  Lines starting with ``comment`` before the header are skipped.  With
    ``on_bad`` (e.g. :meth:`Loader.bad`), bad rows go there instead and, if it returns, are
    skipped.
    """
    line = 0
    try:
        for line, row in _read_rows(path, required, delimiter, comment, on_bad):
            yield line, row
    except (EOFError, gzip.BadGzipFile, zlib.error, UnicodeDecodeError, csv.Error) as exc:
        raise SourceFileError(
            str(path), line + 1, f"file ends early or is corrupt ({exc}); is the download truncated?"
        ) from exc


@contextlib.contextmanager
def _wide_csv_fields() -> Iterator[None]:
    """Let csv read fields up to 16 MiB while any table is being read; the previous limit returns
    when the last reader finishes (readers may interleave: one loader reads a table while iterating another)."""
    global _wide_readers, _saved_field_limit
    with _wide_lock:
        if _wide_readers == 0:
            _saved_field_limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
        _wide_readers += 1
    try:
        yield
    finally:
        with _wide_lock:
            _wide_readers -= 1
            if _wide_readers == 0 and _saved_field_limit is not None:
                csv.field_size_limit(_saved_field_limit)
                _saved_field_limit = None


def _read_rows(
    path: Path,
    required: Sequence[str],
    delimiter: str,
    comment: str | None,
    on_bad: Callable[[SourceFileError], None] | None,
) -> Iterator[tuple[int, dict[str, str]]]:
    with open_text(path, on_bad) as handle, _wide_csv_fields():
        line_no = 0
        header: list[str] | None = None
        for raw in handle:
            line_no += 1
            if comment and raw.startswith(comment) and header is None:
                continue
            header = next(csv.reader([raw.rstrip("\r\n")], delimiter=delimiter, quoting=csv.QUOTE_NONE))
            break
        if header is None:
            raise SourceFileError(str(path), None, "file is empty; expected a header line")
        absent = [c for c in required if c not in header]
        if absent:
            raise SourceFileError(
                str(path),
                line_no,
                f"header lacks column(s) {absent}; found {header[:12]}{'…' if len(header) > 12 else ''}",
            )
        width = len(header)
        reader = csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        for fields in reader:
            line_no += 1
            if not fields or fields == [""]:
                continue
            if len(fields) != width:
                error = SourceFileError(str(path), line_no, f"row has {len(fields)} fields; the header has {width}")
                if on_bad is None:
                    raise error
                on_bad(error)
                continue
            yield line_no, dict(zip(header, fields, strict=True))


def hierarchy_cycles(edges: Sequence[tuple[str, str]]) -> list[tuple[int, ...]]:
    """The cycles of a child → parent hierarchy, each as the positions in ``edges`` of the edges that form it.

    An ontology's subclass relation has no cycle; a release with one would make a term its own
    ancestor.  Each cycle is found once, by the edge that closes it (the last position listed).

    >>> hierarchy_cycles([("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")])
    [(0, 1, 2)]
    """
    children: dict[str, list[int]] = {}
    for position, (child, _) in enumerate(edges):
        children.setdefault(child, []).append(position)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[tuple[int, ...]] = []
    for start in children:
        if start in state:
            continue
        state[start] = 1
        path: list[int] = []  # edges taken from start
        stack = [iter(children.get(start, ()))]
        while stack:
            index: int | None = next(stack[-1], None)
            if index is None:
                stack.pop()
                node = edges[path.pop()][1] if path else start
                state[node] = 2
                continue
            parent = edges[index][1]
            if state.get(parent) == 1:
                starts = [edges[i][0] for i in path]
                first = starts.index(parent) if parent in starts else len(path)
                cycles.append((*path[first:], index))
            elif parent not in state:
                state[parent] = 1
                path.append(index)
                stack.append(iter(children.get(parent, ())))
    return cycles
