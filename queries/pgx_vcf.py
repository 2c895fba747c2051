"""Reading a VCF for star-allele calling: each sample's genotypes at the positions asked for, and every bad line.

Only the genotypes at PharmCAT's defining positions are kept; nothing else of the file is.  As
``pmkg annotate`` does, a line that cannot be read (wrong number of columns, a POS that is not a
number, bytes that are not UTF-8, a GT that is not a genotype or names an ALT allele the line
does not have, such as ``7/9`` at a biallelic site) is reported with its line number and what
was expected, and reading goes on: a position on such a line is read as missing, so the call
says whether it depends on it.  Only a file that cannot be read as a VCF at all (no ``#CHROM``
header, data before it, a damaged gzip stream) raises :class:`kg.errors.SourceFileError`.

Lines are split from bytes and decoded one by one, so a bad byte on line 5 is reported on line 5.
Sample names are not repeated in problems (they may identify a patient): a sample is named by its
column.  Genotypes are never logged.

>>> normal_chromosome("chr10"), normal_chromosome("MT")
('10', 'M')
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from kg.errors import SourceFileError

FIXED = ["CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"]


def normal_chromosome(name: str) -> str:
    """``chr10``/``10`` → ``10``; ``chrM``/``MT`` → ``M``."""
    bare = name[3:] if name.lower().startswith("chr") else name
    return "M" if bare.upper() in ("M", "MT") else bare.upper()


@dataclass(frozen=True)
class Genotype:
    bases: tuple[str, ...]  # one (haploid) or two alleles, as the VCF spells them
    phased: bool
    phase_set: str | None = None


@dataclass(frozen=True)
class VcfProblem:
    """One line (or one sample's field on it) that could not be read; the rest of the file still was."""

    path: str
    line: int
    problem: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" + (f" (field {self.field})" if self.field else "")
        return f"{where}: {self.problem}"


@dataclass
class VcfGenotypes:
    """Genotypes of every sample at the positions asked for, and the lines that could not be read."""

    path: str
    samples: tuple[str, ...]
    calls: dict[str, dict[tuple[str, int], Genotype]] = field(default_factory=dict)
    notes: dict[str, dict[tuple[str, int], str]] = field(default_factory=dict)  # per sample
    ref_mismatches: dict[tuple[str, int], str] = field(default_factory=dict)
    problems: list[VcfProblem] = field(default_factory=list)


def _open_binary(path: Path) -> IO[bytes]:
    try:
        with open(path, "rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
        if gzipped:
            return cast(IO[bytes], gzip.open(path, "rb"))
        return open(path, "rb")
    except OSError as exc:
        raise SourceFileError(str(path), None, f"cannot be read: {exc.strerror or exc}") from None


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    number = 0
    try:
        with _open_binary(path) as handle:
            for number, raw in enumerate(handle, start=1):
                yield number, raw.rstrip(b"\r\n")
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceFileError(str(path), number + 1, f"cannot read the file ({exc}); is it truncated?") from None


def read_vcf(path: Path, wanted: Mapping[tuple[str, int], str]) -> VcfGenotypes:
    """Genotypes at ``wanted`` ((chromosome, position) → expected REF) of every sample of ``path``.

    Every data line is checked (columns, POS, UTF-8; GT where it is read); each bad one is in
    :attr:`VcfGenotypes.problems` and the rest of the file is read.
    """
    where = str(path)
    header: list[str] | None = None
    result = VcfGenotypes(where, ())
    matched: set[tuple[str, int]] = set()
    for number, raw in _lines(path):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if header is None:
                raise SourceFileError(where, number, f"not UTF-8 text ({exc.reason}); is this a VCF?") from None
            result.problems.append(VcfProblem(where, number, f"not UTF-8 text (byte {exc.start + 1} of the line); "
                                              "the line is skipped"))  # fmt: skip
            continue
        if line.startswith("##") or not line.strip():
            continue
        if line.startswith("#") and header is not None:
            result.problems.append(VcfProblem(where, number, "a '#' line after the #CHROM header line; skipped"))
            continue
        if line.startswith("#"):
            header = _header(where, number, line)
            result.samples = tuple(header[9:])
            result.calls = {s: {} for s in result.samples}
            result.notes = {s: {} for s in result.samples}
            continue
        if header is None:
            raise SourceFileError(where, number, "data before the #CHROM header line; is this a VCF?")
        fields = line.split("\t")
        if len(fields) != len(header):
            result.problems.append(VcfProblem(where, number, f"expected {len(header)} tab-separated columns (as the "
                                              f"#CHROM line says), got {len(fields)}"))  # fmt: skip
            continue
        if not fields[1].isdigit():
            result.problems.append(VcfProblem(where, number, f"POS {fields[1]!r} is not a position", "POS"))
            continue
        key = (normal_chromosome(fields[0]), int(fields[1]))
        if key in wanted:
            _record(result, number, fields, key, wanted[key], matched)
    if header is None:
        raise SourceFileError(where, None, "no #CHROM header line; is this a VCF?")
    for key in matched:
        result.ref_mismatches.pop(key, None)
    return result


def _header(where: str, number: int, line: str) -> list[str]:
    header = line[1:].split("\t")
    if header[:8] != FIXED:
        raise SourceFileError(where, number, "the header line must start #CHROM POS ID REF ALT QUAL FILTER INFO")
    return header


def _record(result: VcfGenotypes, number: int, fields: list[str], key: tuple[str, int], expected: str,
            matched: set[tuple[str, int]]) -> None:  # fmt: skip
    ref = fields[3].upper()
    if ref != expected:
        result.ref_mismatches.setdefault(key, f"REF {ref} where GRCh38 has {expected}")
        return
    matched.add(key)
    alleles = [ref, *(a.upper() for a in fields[4].split(",") if a not in (".", ""))]
    formats = fields[8].split(":") if len(fields) > 8 else []
    if "GT" not in formats:
        for sample in result.samples:
            result.notes[sample][key] = "no GT field"
        return
    gt_at, ps_at = formats.index("GT"), formats.index("PS") if "PS" in formats else None
    for column, (sample, text) in enumerate(zip(result.samples, fields[9:], strict=True), start=10):
        values = text.split(":")
        gt = values[gt_at] if gt_at < len(values) else "."
        ps = values[ps_at] if ps_at is not None and ps_at < len(values) and values[ps_at] not in ("", ".") else None
        genotype, note, problem = _genotype(gt, alleles, ps)
        if problem is not None:
            result.problems.append(VcfProblem(result.path, number, f"sample column {column}: {problem}; read as "
                                              "missing", "GT"))  # fmt: skip
            result.notes[sample][key] = f"line {number}: unreadable GT (read as missing)"
            continue
        if genotype is None:
            if note:
                result.notes[sample][key] = note
            continue
        calls = result.calls[sample]
        earlier = calls.get(key)
        if earlier is None or set(earlier.bases) == {ref}:
            calls[key] = genotype
        elif set(genotype.bases) != {ref} and earlier != genotype:
            del calls[key]  # two records disagree: the position is unknown
            result.notes[sample][key] = "two VCF records at this position disagree"


def _genotype(gt: str, alleles: list[str], ps: str | None) -> tuple[Genotype | None, str | None, str | None]:
    """``(genotype, note, problem)``: a problem is a GT that cannot be a genotype of this line."""
    parts = gt.replace("|", "/").split("/")
    if all(p == "." for p in parts):
        return None, None, None
    if any(p == "." for p in parts):
        return None, f"partial genotype {gt}", None
    if not all(p.isdigit() for p in parts):
        return None, None, f"GT {gt!r} is not a genotype (e.g. 0/1, 1|0)"
    indexes = [int(p) for p in parts]
    if max(indexes) >= len(alleles):
        return None, None, f"GT {gt!r} names allele {max(indexes)} but the line has {len(alleles) - 1} ALT allele(s)"
    if len(indexes) > 2:
        return None, f"ploidy {len(indexes)} is not supported", None
    return Genotype(tuple(alleles[i] for i in indexes), "|" in gt and "/" not in gt, ps), None, None
