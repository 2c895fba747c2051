"""The base of every patient-file reader: a file, its report, and a stream of alterations and problems.

>>> from pathlib import Path
>>> reader = PatientFile(Path("cohort.maf"))
>>> reader.default_sample, reader.report.path
('cohort', 'cohort.maf')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from kg.errors import SourceFileError
from queries.inputs.tabular import (
    Columns,
    LineProblem,
    PatientText,
    ReadReport,
    declared_assembly,
    read_header,
    sample_name_of,
    settle_assembly,
)
from queries.patient import Alteration

Item = Alteration | LineProblem


class PatientFile:
    """One patient file being read.  Iterate it for :class:`Alteration` and :class:`LineProblem` items.

    ``assembly`` is what the user declared (``--assembly``), used when the file does not say;
    ``default_sample`` names the sample of files that name none (default: the file's name).
    Iterating twice reads the file twice; the report describes the last complete reading.
    """

    layout = "patient file"
    known_columns: tuple[str, ...] = ()
    germline = False  # every row is a germline call (a germline MAF/VCF); rows may also say so themselves

    def __init__(
        self,
        path: Path | str,
        *,
        assembly: str | None = None,
        default_sample: str | None = None,
        text: PatientText | None = None,
    ) -> None:
        self.path = Path(path)
        self.name = "<stdin>" if str(path) == "-" else str(path)
        try:
            self.declared = declared_assembly(assembly)
        except ValueError as exc:
            raise SourceFileError(self.name, None, str(exc)) from exc
        self.default_sample = default_sample or sample_name_of(self.path)
        self.report = ReadReport(self.name, layout=self.layout)
        self._text = text

    @property
    def text(self) -> PatientText:
        """The file, opened once (on first use when no caller opened it)."""
        if self._text is None:
            self._text = PatientText(self.path)
        return self._text

    @property
    def size(self) -> int:
        """Bytes on disk (0 for a pipe or stdin, whose size is not known in advance)."""
        return self.text.opened.size

    def __iter__(self) -> Iterator[Item]:
        self.report = ReadReport(self.name, layout=self.layout)
        self.text.attach(self.report)
        bad_lines = self.text.bad_lines
        bad_lines.clear()
        for item in self._read(self.text.lines()):
            if bad_lines:
                yield from self._bad_lines()
            yield replace(item, germline=True) if self.germline and isinstance(item, Alteration) else item
        yield from self._bad_lines()
        self.text.close()

    def _bad_lines(self) -> Iterator[LineProblem]:
        for error in self.text.bad_lines:
            yield self._problem(error.line, error.problem)
        self.text.bad_lines.clear()

    def check(self) -> None:
        """Read just the header, so a wrong file fails before anything is written."""
        self._check_header(self.text.lines(keep=True))

    def _check_header(self, lines: Iterator[tuple[int, str]]) -> object:
        return self._table_header(lines)

    def _table_header(self, lines: Iterator[tuple[int, str]]) -> Columns:
        """The header of a delimited file, checked by :meth:`_require`."""
        columns, _, number = read_header(lines, str(self.path), self.known_columns)
        self._require(columns, number)
        return columns

    def _gene_level_header(self, lines: Iterator[tuple[int, str]], what: str) -> Columns:
        """The checked header of a file that names genes, not positions: no assembly is needed."""
        columns = self._table_header(lines)
        settle_assembly(self.report, None, "", None)
        self.report.assembly_source = f"not needed ({what} by gene)"
        return columns

    def _require(self, columns: Columns, number: int) -> None:
        """Raise SourceFileError if the header lacks what this reader needs."""

    def _read(self, lines: Iterator[tuple[int, str]]) -> Iterator[Item]:
        raise NotImplementedError

    # -- helpers for subclasses ------------------------------------------------------------------
    def _problem(
        self, line: int | None, problem: str, field: str | None = None, sample: str | None = None
    ) -> LineProblem:
        self.report.problems += 1
        return LineProblem(self.name, line, problem, field, sample)

    def _origin(self, line: int) -> str:
        return f"{self.name}:{line}"

    def _header_error(self, number: int, problem: str) -> SourceFileError:
        return SourceFileError(self.name, number, f"{problem} (layout: {self.layout})")
