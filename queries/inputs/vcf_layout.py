"""The VCF layout, read once for every VCF pmkg takes: the header and the shape of a record.

Both VCF readers — patient variants (:mod:`queries.inputs.vcf`, ``pmkg annotate``) and star-allele calling
(:mod:`queries.pgx_vcf`, ``pmkg pgx --vcf``) — read lines through :class:`queries.inputs.tabular.PatientText`
(plain or gzip, a byte that is not UTF-8 reported on its own line, a damaged gzip stream said with the line
reached) and check the header and each record here, so the same bad file gets the same error, with the same
line, whichever command reads it.

>>> columns = "\\t".join([*FIXED, "FORMAT", "S1"])
>>> header = read_vcf_header("x.vcf", iter([(1, "##fileformat=VCFv4.2"), (2, columns)]))
>>> header.samples, header.width, record_fields("7\\t1\\t.\\tA\\tT", header.width)
(['S1'], 10, 'has 5 tab-separated fields; the header says 10')
>>> vcf_position("12O"), vcf_position("1200")
(None, 1200)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import SourceFileError

NO_FILEFORMAT = "no ##fileformat header line: read as VCF 4.x by its columns"
FIXED = ("#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO")


@dataclass(frozen=True)
class VcfHeader:
    """The ``##`` lines, the sample names and the line number of the ``#CHROM`` line."""

    meta: list[str]
    samples: list[str]
    line: int

    @property
    def fileformat_note(self) -> str | None:
        """What to tell the user when the file does not say it is a VCF (read all the same by its columns)."""
        if any(line.startswith("##fileformat=") for line in self.meta):
            return None
        return NO_FILEFORMAT

    @property
    def width(self) -> int:
        """Fields a record must have: the eight fixed ones, FORMAT and one per sample (8 when sites-only)."""
        return 9 + len(self.samples) if self.samples else 8


def read_vcf_header(name: str, lines: Iterator[tuple[int, str]]) -> VcfHeader:
    """The header of a VCF (``lines`` is left at the first record); SourceFileError saying where it is not one."""
    meta: list[str] = []
    for number, line in lines:
        if line.startswith("##"):
            meta.append(line)
            continue
        if not line.strip():
            continue
        columns = line.split("\t")
        if not line.startswith("#CHROM"):
            raise SourceFileError(name, number, "expected the #CHROM header line after the ## lines: this is not a VCF")
        if tuple(c.strip() for c in columns[:8]) != FIXED:
            raise SourceFileError(
                name, number, f"the header must start with {' '.join(FIXED)}; found {' '.join(columns[:8])}"
            )
        if len(columns) > 8 and columns[8].strip() != "FORMAT":
            raise SourceFileError(name, number, f"the ninth header column must be FORMAT, not {columns[8]!r}")
        return VcfHeader(meta, [c.strip() for c in columns[9:]], number)
    raise SourceFileError(name, None, "has no #CHROM header line: this is not a VCF")


def record_fields(line: str, width: int) -> list[str] | str:
    """The ``width`` fields of a record line (empty trailing fields dropped), or what is wrong with it."""
    fields = line.split("\t")
    if len(fields) < width or (len(fields) > width and any(f.strip() for f in fields[width:])):
        return f"has {len(fields)} tab-separated fields; the header says {width}"
    return fields[:width]


def vcf_position(text: str) -> int | None:
    """POS as a number, or None when it is not a whole number (the record is then reported, field POS)."""
    return int(text) if text.isdigit() else None


POSITION_PROBLEM = "{!r} is not a position (expected a whole number)"
