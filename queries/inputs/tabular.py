"""What every patient-file reader shares: opening, headers, per-line problems and the read report.

A reader streams :class:`~queries.patient.Alteration` records and, in the same stream,
:class:`LineProblem` items for lines it could not read, so a cohort file with one bad line
still yields every good line and names the bad one (file, line, field, what was expected).
A header that is not what the reader needs fails the whole file with
:class:`~kg.errors.SourceFileError`: nothing could be read from it.  The :class:`ReadReport`
counts what was read, what was skipped and why, and how the genome assembly was decided.

Files may be plain or gzip/bgzip-compressed (recognised by their first bytes, not their name),
regular files, ``-`` (stdin) or pipes, each opened once (:class:`PatientText`);
lines may end in ``\\n`` or ``\\r\\n``.  Nothing here logs a row: rows are patient data.

>>> normalize_assembly("hg19"), normalize_assembly("GRCh38.p14"), normalize_assembly("37")
('GRCh37', 'GRCh38', 'GRCh37')
>>> Columns(["Hugo_Symbol", "Start_position"]).find("start_position", "Start_Position")
1
"""

from __future__ import annotations

import functools
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import textfiles
from kg.errors import SourceFileError

MISSING = frozenset({"", ".", "-", "na", "n/a", "nan", "null", "none", "unknown", "__unknown__"})
_ASSEMBLY_37 = re.compile(r"(?i)(?:^|[^a-z0-9])(?:grch37|hg19|b37|hs37d5|ncbi37|g1k_v37|37)(?:$|[^0-9])")
_ASSEMBLY_38 = re.compile(r"(?i)(?:^|[^a-z0-9])(?:grch38|hg38|hs38(?:dh)?|ncbi38|38)(?:$|[^0-9])")
_ASSEMBLY_OLD = re.compile(r"(?i)(?:^|[^a-z0-9])(?:ncbi36|hg18|grch36|36|hg17|35)(?:$|[^0-9])")


@dataclass(frozen=True, slots=True)
class LineProblem:
    """One line (or one field of a line) that could not be read; the rest of the file still is."""

    path: str
    line: int | None
    problem: str
    field: str | None = None
    sample: str | None = None

    @property
    def origin(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def __str__(self) -> str:
        where = self.origin + (f" (field {self.field!r})" if self.field else "")
        return f"{where}: {self.problem}"


@dataclass
class ReadReport:
    """What a reader made of one file: its layout, assembly, counts, and what it skipped and why."""

    path: str
    layout: str = ""
    assembly: str | None = None
    assembly_source: str = ""  # how the assembly was decided: declared, a header line, a column …
    rows: int = 0  # data lines read
    alterations: int = 0  # alterations yielded
    problems: int = 0  # lines (or fields) reported as problems
    skipped: Counter[str] = field(default_factory=Counter)  # reason → count of items left out on purpose
    notes: list[str] = field(default_factory=list)
    samples: dict[str, None] = field(default_factory=dict)  # samples seen, in order
    size: int = 0  # bytes on disk
    _position: Callable[[], int] | None = field(default=None, repr=False)

    def bytes_read(self) -> int:
        """Bytes of the file consumed so far (of the compressed file, for gzip): drives a progress bar."""
        try:
            return self._position() if self._position else 0
        except (OSError, ValueError):
            return self.size

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "layout": self.layout,
            "assembly": self.assembly,
            "assembly_source": self.assembly_source,
            "rows": self.rows,
            "alterations": self.alterations,
            "problems": self.problems,
            "skipped": dict(sorted(self.skipped.items())),
            "samples": len(self.samples),
            "notes": list(self.notes),
        }


@functools.lru_cache(maxsize=256)
def normalize_assembly(text: str | None) -> str | None:
    """``GRCh37`` or ``GRCh38`` for the usual spellings of either; None if ``text`` names neither.

    Older assemblies (NCBI36/hg18) are recognised only to be refused by :func:`require_assembly`.
    """
    if not text or not text.strip():
        return None
    value = text.strip()
    if _ASSEMBLY_38.search(value):
        return "GRCh38"
    if _ASSEMBLY_37.search(value):
        return "GRCh37"
    return None


def is_old_assembly(text: str) -> bool:
    return bool(_ASSEMBLY_OLD.search(text)) and normalize_assembly(text) is None


def declared_assembly(text: str | None) -> str | None:
    """The assembly a user declared (``--assembly``); SourceFileError-free: raises ValueError if unknown."""
    if text is None:
        return None
    assembly = normalize_assembly(text)
    if assembly is None:
        raise ValueError(f"unknown assembly {text!r}; expected GRCh37 (hg19) or GRCh38 (hg38)")
    return assembly


def settle_assembly(report: ReadReport, found: str | None, source: str, declared: str | None) -> None:
    """Record the file's assembly; a file that says one thing and a user who declared another fail clearly."""
    if found and declared and found != declared:
        raise SourceFileError(
            report.path,
            None,
            f"the file says {found} ({source}) but --assembly {declared} was declared; "
            "check which reference the variants were called on",
        )
    if found:
        report.assembly, report.assembly_source = found, source
    elif declared:
        report.assembly, report.assembly_source = declared, "declared (--assembly)"
    else:
        report.assembly, report.assembly_source = None, "unknown: declare it with --assembly GRCh37|GRCh38"


# MISSING in the spellings files use, so most fields are decided by one set lookup.
_PLACEHOLDERS = frozenset(MISSING | {m.upper() for m in MISSING} | {m.title() for m in MISSING} | {"NaN", "N/A"})


def clean(value: str | None) -> str | None:
    """A field's value, or None if it is empty or one of the usual placeholders (``.``, ``NA``, ``NULL``…)."""
    if value is None or value in _PLACEHOLDERS:
        return None
    if value[0] not in ' "\t' and value[-1] not in ' "\t':
        return value  # the common case: nothing to trim
    value = value.strip()
    if len(value) > 1 and value[0] == value[-1] == '"':
        value = value[1:-1].strip()
    return None if value.lower() in MISSING else value


def parse_position(value: str) -> int:
    """A 1-based genomic position; ``116412043.0`` (a spreadsheet's float) is accepted.  ValueError if not one."""
    text = value.strip()
    if text.endswith(".0"):
        text = text[:-2]
    number = int(text)
    if number < 1:
        raise ValueError(f"{value!r} is not a 1-based position")
    return number


_EXON = re.compile(r"(?i)^(?:exon\s*)?(\d+)(?:[/-]\d+)?$")


@functools.lru_cache(maxsize=4096)
def parse_exon(value: str | None) -> int | None:
    """The exon number of ``19/28``, ``19`` or ``exon19``; None when there is none."""
    if not value:
        return None
    match = _EXON.match(value.strip())
    return int(match.group(1)) if match else None


class Columns:
    """A header's column positions, looked up by any of several names, ignoring case."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = [n.strip() for n in names]
        self._index: dict[str, int] = {}
        for i, name in enumerate(self.names):
            self._index.setdefault(name.lstrip("#").strip().lower(), i)

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def find(self, *names: str) -> int | None:
        """Position of the first of ``names`` the header has, or None."""
        for name in names:
            index = self._index.get(name.lower())
            if index is not None:
                return index
        return None

    def name(self, index: int) -> str:
        return self.names[index].lstrip("#")


def sample_name_of(path: Path) -> str:
    """A sample name for files that name none: the file name without its data suffixes."""
    name = path.name
    for suffix in (".gz", ".bgz", ".vcf", ".maf", ".txt", ".tsv", ".csv"):
        name = name.removesuffix(suffix)
    return name or path.name


class PatientText:
    """A patient file opened once (a path, ``-`` for stdin, or a pipe such as ``<(zcat x.vcf.gz)``).

    The lines read while recognising the layout and checking the header are kept and replayed to
    the reader, so nothing is read twice from a stream that cannot be rewound.  Lines that are not
    UTF-8 text, or hold binary junk, never reach a reader: they wait in :attr:`bad_lines` (with
    their line number) for the reader to report, and read as blank lines.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.bad_lines: list[SourceFileError] = []
        self._open()

    def _open(self) -> None:
        self.opened = textfiles.OpenedFile(self.path)
        self.name = self.opened.name
        self._reader = textfiles.LineReader(
            self.opened.binary, self.name, on_bad=self.bad_lines.append, strict_controls=True, closer=self.opened.close
        )
        self._kept: list[tuple[int, str]] = []
        self._consumed = False

    def attach(self, report: ReadReport) -> None:
        """Let ``report`` tell how far reading got (a progress bar) and how big the file is."""
        report.size = self.opened.size
        report._position = self.opened.position

    def lines(self, *, keep: bool = False) -> Iterator[tuple[int, str]]:
        """``(line number, text without its line ending)`` from the first line; a damaged gzip stream
        fails with the line reached.  ``keep``: remember what is read, for the next call to replay."""
        if self._consumed:
            if not self.opened.regular:
                raise SourceFileError(self.name, None, "was already read: a pipe or stdin can be read only once")
            self.close()
            self._open()
        yield from list(self._kept)
        if not keep:
            self._consumed = True
            self._kept = []
        number = self._reader.line
        try:
            for text in self._reader:
                number = self._reader.line
                line = (number, text.rstrip("\r\n"))
                if keep:
                    self._kept.append(line)
                yield line
        except (OSError, EOFError, zlib.error) as exc:
            raise SourceFileError(
                self.name, number + 1, f"the compressed file is damaged or truncated ({exc})"
            ) from exc

    def close(self) -> None:
        self._reader.close()


def read_header(lines: Iterator[tuple[int, str]], path: str, known: Iterable[str]) -> tuple[Columns, list[str], int]:
    """The header row of a tab-separated file and the comment lines before it.

    Leading ``#`` lines are comments (``#version 2.4``, cBioPortal's ``#Sample Identifier``
    rows) unless they name a column the reader knows (STAR-Fusion's ``#FusionName``).
    Returns ``(columns, comment lines, header line number)``.
    """
    wanted = {k.lower() for k in known}
    comments: list[str] = []
    for number, line in lines:
        if not line.strip():
            continue
        if line.startswith("#"):
            names = [n.strip().lstrip("#").lower() for n in line.split("\t")]
            if "\t" in line and wanted.intersection(names):
                return Columns(line.split("\t")), comments, number
            comments.append(line)
            continue
        return Columns(line.split("\t")), comments, number
    raise SourceFileError(path, None, "has no header row (the file is empty or holds only comments)")


def split_row(line: str, width: int) -> list[str] | None:
    """The fields of a data line padded to ``width``; None if it has more non-empty fields than the header."""
    fields = line.split("\t")
    if len(fields) < width:
        fields.extend([""] * (width - len(fields)))
    elif len(fields) > width and any(f.strip() for f in fields[width:]):
        return None
    return fields


def too_many_fields(path: str, number: int, line: str, width: int) -> LineProblem:
    return LineProblem(path, number, f"has {len(line.split(chr(9)))} tab-separated fields; the header has {width}")


def data_rows(
    lines: Iterator[tuple[int, str]], path: str, width: int, report: ReadReport
) -> Iterator[tuple[int, list[str]] | LineProblem]:
    """The rows after the header: ``(line number, fields)``, or a :class:`LineProblem` for a row
    with more fields than the header (counted in ``report.problems``).  Blank and ``#`` lines are
    skipped; every other line is counted in ``report.rows``."""
    for number, line in lines:
        if not line.strip() or line[0] == "#":
            continue
        report.rows += 1
        fields = split_row(line, width)
        if fields is None:
            report.problems += 1
            yield too_many_fields(path, number, line, width)
            continue
        yield number, fields
