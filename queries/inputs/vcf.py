"""VCF files: single-sample, multi-sample and sites-only, GRCh37 or GRCh38, plain or gzip/bgzip.

One :class:`~queries.patient.Alteration` per ALT allele per sample whose genotype carries it
(``0/1``, ``1|1``, ``1/2`` for the second ALT …); samples that are homozygous reference or
have no call get none.  A sites-only VCF (no samples) gives one alteration per ALT allele,
attributed to the file's sample name.  Records whose FILTER is set and not ``PASS`` are
skipped and counted, as are symbolic ALT alleles (``<DEL>``, breakends, ``*``): the report
says how many and why.

Genomic fields (``chromosome``, ``position``, ``ref``, ``alt``) are always set.  Gene,
protein and coding change, transcript, exon and consequence come from annotation fields
when the file has them:

- ``CSQ`` (Ensembl VEP): the entry for this allele (``ALLELE_NUM`` if present, else VEP's
  trimmed allele), preferring ``PICK``, then ``MANE_SELECT``, then ``CANONICAL=YES``, then
  the first entry with a protein change;
- ``ANN`` (SnpEff/SnpSift): the first entry for this allele with a protein change
  (SnpEff lists the most severe effect first), else the first;
- ``GENEINFO`` (ClinVar, dbSNP) for the gene and ``MC`` for the consequence; ``RS`` or an
  ``rs`` id in the ID column for ``rsid``;
- ``variant_origin=germline`` or the VCF-reserved somatic status ``SS=1`` mark a germline call
  (so does opening the file as a germline file).

The assembly is taken, in this order, from ``##reference``, the ``assembly`` of
``##contig`` lines, the lengths of ``##contig`` lines (every human chromosome has a different
length on GRCh37 and GRCh38), or VEP/SnpEff header lines; else from ``--assembly``; the
report says which.  A file whose header says one assembly while ``--assembly`` declares the
other fails clearly.  A record that cannot be read (too few fields, a position that is not a
number, bases that are not bases, a sample column count that does not match the header) is
reported with its line and field, and reading goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from kg.errors import SourceFileError
from queries.inputs.base import Item, PatientFile
from queries.inputs.maf import clean_protein_change, render
from queries.inputs.tabular import clean, normalize_assembly, parse_exon, settle_assembly
from queries.inputs.vcf_layout import POSITION_PROBLEM, read_vcf_header, record_fields, vcf_position
from queries.patient import Alteration

_BASES = re.compile(r"^[ACGTNacgtn]+$")
_GT_SPLIT = re.compile(r"[/|]")
_META_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^,>]*)')
_FORMAT = re.compile(r"Format:\s*'?([^'\"]+)|'([^']+)'")

# Chromosome lengths of GRCh37 and GRCh38 (primary assembly, from their .fai indexes).
CONTIG_LENGTHS = {
    "GRCh37": {
        "1": 249250621, "2": 243199373, "3": 198022430, "4": 191154276, "5": 180915260, "6": 171115067,
        "7": 159138663, "8": 146364022, "9": 141213431, "10": 135534747, "11": 135006516, "12": 133851895,
        "13": 115169878, "14": 107349540, "15": 102531392, "16": 90354753, "17": 81195210, "18": 78077248,
        "19": 59128983, "20": 63025520, "21": 48129895, "22": 51304566, "X": 155270560, "Y": 59373566,
    },
    "GRCh38": {
        "1": 248956422, "2": 242193529, "3": 198295559, "4": 190214555, "5": 181538259, "6": 170805979,
        "7": 159345973, "8": 145138636, "9": 138394717, "10": 133797422, "11": 135086622, "12": 133275309,
        "13": 114364328, "14": 107043718, "15": 101991189, "16": 90338345, "17": 83257441, "18": 80373285,
        "19": 58617616, "20": 64444167, "21": 46709983, "22": 50818468, "X": 156040895, "Y": 57227415,
    },
}  # fmt: skip


def header_assembly(meta: Sequence[str]) -> tuple[str | None, str]:
    """The assembly a VCF's ``##`` lines name or imply, and which line said so.

    >>> header_assembly(["##contig=<ID=21,length=46709983>"])
    ('GRCh38', '##contig length of 21 (46709983)')
    >>> header_assembly(["##reference=file:///refs/human_g1k_v37.fasta"])
    ('GRCh37', '##reference')
    """
    found: list[tuple[int, str, str]] = []
    for line in meta:
        key, _, value = line[2:].partition("=")
        if key == "reference" and (assembly := normalize_assembly(value)):
            found.append((0, assembly, "##reference"))
        elif key == "contig":
            attrs = dict(_META_ATTR.findall(value))
            if assembly := normalize_assembly(attrs.get("assembly", "").strip('"')):
                found.append((1, assembly, "##contig assembly"))
            name = attrs.get("ID", "").removeprefix("chr")
            length = attrs.get("length", "")
            if length.isdigit():
                for build, lengths in CONTIG_LENGTHS.items():
                    if lengths.get(name) == int(length):
                        found.append((2, build, f"##contig length of {attrs['ID']} ({length})"))
        elif key in ("VEP", "SnpEffCmd", "assembly", "genome"):
            quoted = re.search(r'assembly="([^"]+)"', value)
            if assembly := normalize_assembly(quoted.group(1) if quoted else value):
                found.append((3, assembly, f"##{key}"))
    if not found:
        return None, ""
    builds = {assembly for _, assembly, _ in found}
    if len(builds) > 1:
        said = "; ".join(f"{source} says {assembly}" for _, assembly, source in found[:4])
        raise ValueError(f"the header names both GRCh37 and GRCh38 ({said})")
    _, assembly, source = min(found)
    return assembly, source


def annotation_fields(meta: Sequence[str], key: str) -> list[str] | None:
    """The ``|``-separated field names of a ``CSQ`` or ``ANN`` INFO header, or None if absent."""
    prefix = f"##INFO=<ID={key},"
    for line in meta:
        if line.startswith(prefix):
            match = _FORMAT.search(line)
            if match:
                return [name.strip() for name in (match.group(1) or match.group(2)).split("|")]
    return None


def _vep_alleles(ref: str, alts: Sequence[str]) -> list[str]:
    """The alleles VEP writes in CSQ: a first base shared by REF and every ALT is trimmed (``-`` if none is left)."""
    if all(alt and ref and alt[0] == ref[0] and len(alt) != len(ref) for alt in alts):
        return [alt[1:] or "-" for alt in alts]
    return list(alts)


class _Annotation:
    """Gene, protein/coding change, transcript, exon and consequence from one CSQ/ANN entry."""

    __slots__ = ("coding", "consequence", "exon", "gene", "protein", "transcript")

    def __init__(self) -> None:
        self.gene: str | None = None
        self.protein: str | None = None
        self.coding: str | None = None
        self.transcript: str | None = None
        self.exon: int | None = None
        self.consequence: str | None = None


class VcfFile(PatientFile):
    """A VCF file; see the module docstring."""

    layout = "VCF"

    def _check_header(self, lines: Iterator[tuple[int, str]]) -> object:
        return self._header(lines)

    def _header(self, lines: Iterator[tuple[int, str]]) -> tuple[list[str], list[str], int, str | None]:
        header = read_vcf_header(self.name, lines)
        return header.meta, header.samples, header.line, header.fileformat_note

    def _read(self, lines: Iterator[tuple[int, str]]) -> Iterator[Item]:
        meta, samples, number, fileformat_note = self._header(lines)
        if fileformat_note:
            self.report.notes.append(fileformat_note)
        try:
            found, source = header_assembly(meta)
        except ValueError as exc:
            raise SourceFileError(self.name, None, str(exc)) from exc
        settle_assembly(self.report, found, source, self.declared)
        csq, ann = annotation_fields(meta, "CSQ"), annotation_fields(meta, "ANN")
        self.report.layout = "VCF" + (" (VEP CSQ)" if csq else " (SnpEff ANN)" if ann else "")
        for sample in samples:
            self.report.samples[sample] = None
        if not samples:
            self.report.notes.append(f"sites-only VCF (no samples): every record is sample {self.default_sample!r}")
        width = 9 + len(samples) if samples else 8
        for number, line in lines:
            if not line.strip() or line[0] == "#":
                continue
            self.report.rows += 1
            yield from self._record(number, line, samples, width, csq, ann)

    def _record(
        self, number: int, line: str, samples: list[str], width: int, csq: list[str] | None, ann: list[str] | None
    ) -> Iterator[Item]:
        fields = record_fields(line, width)
        if isinstance(fields, str):
            yield self._problem(number, fields)
            return
        chrom, pos_text, record_id, ref, alt_text, _, filters, info = fields[:8]
        position = vcf_position(pos_text)
        if position is None:
            yield self._problem(number, POSITION_PROBLEM.format(pos_text), "POS")
            return
        if not _BASES.match(ref):
            yield self._problem(number, f"{ref!r} is not a reference allele (expected A, C, G, T or N)", "REF")
            return
        if filters not in ("PASS", ".", ""):
            self.report.skip("FILTER is not PASS")
            return
        alts = alt_text.split(",")
        if alts == ["."]:
            self.report.skip("no ALT allele (reference-only record)")
            return
        info_map = _parse_info(info)
        chromosome = chrom.removeprefix("chr")
        rsid = (
            record_id
            if record_id.startswith("rs")
            else (f"rs{info_map['RS'].split('|')[0]}" if "RS" in info_map else None)
        )
        gt_index: int | None = None
        if samples:
            keys = fields[8].split(":")
            gt_index = keys.index("GT") if "GT" in keys else None
            no_genotype = "records without GT in FORMAT: every sample is taken to carry every ALT allele"
            if gt_index is None and no_genotype not in self.report.notes:
                self.report.notes.append(no_genotype)
        vep = _vep_alleles(ref, alts) if csq else []
        for allele_number, alt in enumerate(alts, start=1):
            if alt.startswith("<") or alt == "*" or "[" in alt or "]" in alt:
                self.report.skip(f"symbolic ALT allele {alt.split(':')[0][:12]} not assessed")
                continue
            if not _BASES.match(alt):
                yield self._problem(
                    number, f"{alt!r} is not an ALT allele (expected bases or a symbolic allele)", "ALT"
                )
                continue
            note = self._annotation(
                info_map, csq, ann, alt, vep[allele_number - 1] if vep else alt, allele_number, len(alts) == 1
            )
            base = Alteration(
                text=render(note.gene, note.protein, note.coding, chromosome, position, ref, alt),
                gene=note.gene,
                protein_change=note.protein,
                coding_change=note.coding,
                transcript=note.transcript,
                assembly=self.report.assembly,
                chromosome=chromosome,
                position=position,
                ref=ref,
                alt=alt,
                consequence=note.consequence,
                exon=note.exon,
                rsid=rsid,
                origin=f"{self.name}:{number}",
                germline=_germline(info_map),
            )
            if not samples:
                self.report.alterations += 1
                yield _with_sample(base, self.default_sample)
                continue
            wanted = str(allele_number)
            for sample, value in zip(samples, fields[9:], strict=False):
                if gt_index is not None:
                    parts = value.split(":")
                    genotype = parts[gt_index] if gt_index < len(parts) else "."
                    alleles = _GT_SPLIT.split(genotype)
                    if wanted not in alleles:
                        self.report.skip(
                            "no genotype called"
                            if all(a == "." for a in alleles)
                            else "genotype without this ALT allele"
                        )
                        continue
                self.report.alterations += 1
                yield _with_sample(base, sample)

    def _annotation(
        self,
        info: dict[str, str],
        csq: list[str] | None,
        ann: list[str] | None,
        alt: str,
        vep_allele: str,
        allele_number: int,
        only_alt: bool,
    ) -> _Annotation:
        note = _Annotation()
        entry: dict[str, str] | None = None
        if csq and "CSQ" in info:
            entry = _pick_csq(info["CSQ"], csq, vep_allele, allele_number, only_alt)
            if entry:
                note.gene = clean(entry.get("SYMBOL"))
                note.protein = clean_protein_change(entry.get("HGVSp"))
                coding = clean(entry.get("HGVSc"))
                note.transcript = clean(entry.get("Feature"))
                note.exon = parse_exon(entry.get("EXON"))
                note.consequence = clean((entry.get("Consequence") or "").split("&")[0])
                if coding:
                    transcript, _, note.coding = coding.rpartition(":")
                    note.transcript = transcript or note.transcript
        elif ann and "ANN" in info:
            entry = _pick_ann(info["ANN"], ann, alt, only_alt)
            if entry:
                note.gene = clean(entry.get("Gene_Name"))
                note.protein = clean_protein_change(entry.get("HGVS.p"))
                note.coding = clean(entry.get("HGVS.c"))
                note.transcript = clean(entry.get("Feature_ID"))
                note.exon = parse_exon(entry.get("Rank")) if note.protein else None
                note.consequence = clean((entry.get("Annotation") or "").split("&")[0])
        if note.gene is None and "GENEINFO" in info:
            note.gene = clean(info["GENEINFO"].split("|")[0].split(":")[0])
        if note.consequence is None and "MC" in info:
            note.consequence = clean(info["MC"].split(",")[0].partition("|")[2])
        return note


def _with_sample(base: Alteration, sample: str) -> Alteration:
    return Alteration(
        base.text, base.gene, base.protein_change, base.coding_change, base.transcript, base.assembly,
        base.chromosome, base.position, base.ref, base.alt, base.copy_number, base.fusion_partner,
        base.consequence, base.exon, base.rsid, base.biomarker, base.biomarker_value, sample, base.origin,
        base.germline,
    )  # fmt: skip


def _germline(info: dict[str, str]) -> bool:
    """Whether INFO says the call is germline: ``variant_origin=germline`` or somatic status ``SS=1``."""
    origin = info.get("variant_origin") or info.get("VARIANT_ORIGIN") or ""
    return origin.lower() == "germline" or info.get("SS") == "1"


def _parse_info(info: str) -> dict[str, str]:
    if info in (".", ""):
        return {}
    result: dict[str, str] = {}
    for part in info.split(";"):
        key, _, value = part.partition("=")
        result[key] = value
    return result


def _pick_csq(value: str, names: list[str], allele: str, allele_number: int, only_alt: bool) -> dict[str, str] | None:
    entries = [dict(zip(names, item.split("|"), strict=False)) for item in value.split(",")]
    if "ALLELE_NUM" in names:
        mine = [e for e in entries if e.get("ALLELE_NUM") == str(allele_number)]
    else:
        mine = [e for e in entries if e.get("Allele") == allele] or (entries if only_alt else [])
    if not mine:
        return None
    for key, wanted in (("PICK", "1"), ("MANE_SELECT", None), ("CANONICAL", "YES")):
        chosen = [e for e in mine if (e.get(key) == wanted if wanted else bool(e.get(key)))]
        if chosen:
            return chosen[0]
    with_protein = [e for e in mine if clean(e.get("HGVSp"))]
    return with_protein[0] if with_protein else mine[0]


def _pick_ann(value: str, names: list[str], allele: str, only_alt: bool) -> dict[str, str] | None:
    entries = [dict(zip(names, (p.strip() for p in item.split("|")), strict=False)) for item in value.split(",")]
    mine = [e for e in entries if e.get("Allele") == allele] or (entries if only_alt else [])
    if not mine:
        return None
    with_protein = [e for e in mine if clean(e.get("HGVS.p"))]
    return with_protein[0] if with_protein else mine[0]
