"""Reading a VCF for star-allele calling: each sample's genotypes at the positions asked for, and every bad line.

Only the genotypes at PharmCAT's defining positions are kept; nothing else of the file is.  The file
is read as ``pmkg annotate`` reads a VCF — the same line reader and the same header and record checks
(:mod:`queries.inputs.vcf_layout`), so the same bad file gets the same messages: a line that cannot be
read (wrong number of columns, a POS that is not a number, bytes that are not UTF-8, a GT that is not a
genotype or names an ALT allele the line does not have, such as ``7/9`` at a biallelic site) is reported
with its line number and what was expected, and reading goes on: a position on such a line is read as
missing, so the call says whether it depends on it.  Only a file that cannot be read as a VCF at all (no
``#CHROM`` header, data before it, a damaged gzip stream) raises :class:`kg.errors.SourceFileError`.
Sample names are not repeated in problems (they may identify a patient): a sample is named by its
column.  Genotypes are never logged.

>>> normal_chromosome("chr10"), normal_chromosome("MT")
('10', 'M')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from queries.inputs.tabular import PatientText
from queries.inputs.vcf_layout import POSITION_PROBLEM, read_vcf_header, record_fields, vcf_position


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
    fileformat_note: str | None = None  # read without a ##fileformat line: said, as pmkg annotate says it


def read_vcf(path: Path, wanted: Mapping[tuple[str, int], str]) -> VcfGenotypes:
    """Genotypes at ``wanted`` ((chromosome, position) → expected REF) of every sample of ``path``.

    Every data line is checked (columns, POS, UTF-8; GT where it is read) as ``pmkg annotate`` checks it
    (:mod:`queries.inputs.vcf_layout`); each bad one is in :attr:`VcfGenotypes.problems` and the rest of the
    file is read.
    """
    text = PatientText(path)
    try:
        lines = text.lines()
        header = read_vcf_header(text.name, lines)
        result = VcfGenotypes(text.name, tuple(header.samples), fileformat_note=header.fileformat_note)
        result.calls = {s: {} for s in result.samples}
        result.notes = {s: {} for s in result.samples}
        matched: set[tuple[str, int]] = set()
        for number, line in lines:
            _bad_lines(result, text)
            if not line.strip() or line.startswith("#"):
                continue
            fields = record_fields(line, header.width)
            if isinstance(fields, str):
                result.problems.append(VcfProblem(text.name, number, fields))
                continue
            position = vcf_position(fields[1])
            if position is None:
                result.problems.append(VcfProblem(text.name, number, POSITION_PROBLEM.format(fields[1]), "POS"))
                continue
            key = (normal_chromosome(fields[0]), position)
            if key in wanted:
                _record(result, number, fields, key, wanted[key], matched)
        _bad_lines(result, text)
    finally:
        text.close()
    for key in matched:
        result.ref_mismatches.pop(key, None)
    return result


def _bad_lines(result: VcfGenotypes, text: PatientText) -> None:
    """Lines that were not text (reported on their own line number, read as blank)."""
    result.problems.extend(VcfProblem(text.name, e.line or 0, e.problem) for e in text.bad_lines)
    text.bad_lines.clear()


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
