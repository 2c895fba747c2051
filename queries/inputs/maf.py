"""MAF files (TCGA/GDC, vcf2maf, oncokb-annotator, MOAlmanac, WUSTL) and gene/alteration tables.

One :class:`~queries.patient.Alteration` per data row, with the fields the row gives:

==========================  ========================================================================
alteration field            MAF columns (first present wins; names ignore case)
==========================  ========================================================================
``sample``                  ``Tumor_Sample_Barcode`` (else ``Sample_Id``/``SAMPLE_ID``; else the file's name)
``gene``                    ``Hugo_Symbol`` (``Unknown`` → none)
``protein_change``          ``HGVSp_Short``, ``HGVSp``, ``Protein_Change``, ``Amino_Acid_Change``
                            (WUSTL ``amino_acid_change``); tool spellings cleaned, see below
``coding_change``           ``HGVSc`` (a ``ENST…:`` prefix becomes ``transcript``)
``transcript``              ``Transcript_ID``, ``Annotation_Transcript``, ``Feature``
``assembly``                ``NCBI_Build`` (``37``, ``GRCh37``, ``hg19`` …), else ``--assembly``
``chromosome`` …            ``Chromosome``, ``Start_Position``, ``Reference_Allele``, and as ``alt``
                            ``Tumor_Seq_Allele2`` unless it equals the reference, then ``Tumor_Seq_Allele1``
``consequence``             ``Variant_Classification`` (else VEP ``Consequence``), as written
``exon`` / ``rsid``         ``Exon_Number`` (``19/28`` → 19) / ``dbSNP_RS`` when it is an rs id
``germline``                ``Mutation_Status`` or ``variant_origin`` is ``Germline`` (or the file is
                            opened as a germline file)
==========================  ========================================================================

Protein spellings of older tools are rewritten to HGVS when the row says enough
(WUSTL ``p.E156in_frame_del`` with a 3-base deletion → ``E156del``; ``%3D`` → ``=``;
``ENSP…:p.`` prefix dropped) and left out when they name no protein change
(``p.X1445_splice``, ``in_frame_ins``, ``e7+3``): the row keeps its consequence and genomic
fields.  Every row is yielded, silent and intronic ones too; which consequences are worth
matching is the annotator's decision, not the reader's.

:class:`AlterationTable` reads tables of a gene and an alteration written as text
(oncokb-annotator's atypical alterations, CivicAnnotator's mixed ``example_alt`` with its
``Alteration_Category`` of ``m``/``c``/``f``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.variants import COPY_NUMBER_EVENTS
from queries.inputs.base import Item, PatientFile
from queries.inputs.tabular import (
    Columns,
    LineProblem,
    clean,
    data_rows,
    is_old_assembly,
    normalize_assembly,
    parse_exon,
    parse_position,
    settle_assembly,
)
from queries.patient import Alteration

GENE = ("Hugo_Symbol", "HUGO_SYMBOL", "Gene_Symbol", "SYMBOL")
SAMPLE = ("Tumor_Sample_Barcode", "Sample_Id", "SAMPLE_ID", "Subject_Id", "Sample")
PROTEIN = ("HGVSp_Short", "HGVSp", "Protein_Change", "Amino_Acid_Change", "aa_change")
CODING = ("HGVSc", "cDNA_Change")
TRANSCRIPT = ("Transcript_ID", "Annotation_Transcript", "Feature")
CHROMOSOME = ("Chromosome", "Chrom")
START = ("Start_Position", "Start_position", "Start")
REF = ("Reference_Allele",)
ALT2 = ("Tumor_Seq_Allele2",)
ALT1 = ("Tumor_Seq_Allele1",)
BUILD = ("NCBI_Build",)
CONSEQUENCE = ("Variant_Classification", "Consequence")
EXON = ("Exon_Number", "EXON")
RSID = ("dbSNP_RS",)
ORIGIN = ("Mutation_Status", "variant_origin", "Variant_Origin")
KNOWN = (*GENE, *SAMPLE, *PROTEIN, *CODING, *CHROMOSOME, *START, *REF, *ALT2, *BUILD, *CONSEQUENCE, *ORIGIN)

_SPLICE = re.compile(r"(?i)_splice$|^e\d+[+-]\d+$|^splice")
_WUSTL_DEL = re.compile(r"^([A-Z*]+)(\d+)in_frame_del$")
_NO_CHANGE = re.compile(r"^([A-Z*])(\d+)$")
_RSID = re.compile(r"^rs\d+$")


def clean_protein_change(value: str | None, ref: str | None = None) -> str | None:
    """A MAF protein change as HGVS text, or None when the value names no protein change.

    >>> [clean_protein_change(v, "GAG") for v in ("p.E156in_frame_del", "p.X1445_splice", "p.Pro1055%3D")]
    ['E156del', None, 'p.Pro1055=']
    >>> clean_protein_change("p.SG167in_frame_del", "AGCGGC"), clean_protein_change("p.L158in_frame_del", "CCTCCT")
    ('S167_G168del', 'L158_159del')
    >>> clean_protein_change("ENSP00000288602.6:p.Val600Glu"), clean_protein_change("p.A1036")
    ('p.Val600Glu', 'A1036=')
    """
    if value is None:
        return None
    return _clean_protein_change(value, ref)


class ProteinSpellings:
    """The protein changes one reading of one file has cleaned, so a cohort's repeats are cleaned once.

    Held by the reading, never by the module: the spellings come from patients' rows and must not outlive
    the file (a module-level memo kept them for the life of the process, across requests).
    """

    LIMIT = 100_000

    def __init__(self) -> None:
        self._cleaned: dict[str, str | None] = {}

    def clean(self, value: str, ref: str | None) -> str | None:
        if value in self._cleaned:
            return self._cleaned[value]
        cleaned = clean_protein_change(value, ref)
        if "in_frame_del" not in value:  # an in-frame deletion's spelling depends on the row's bases
            if len(self._cleaned) >= self.LIMIT:
                self._cleaned.clear()
            self._cleaned[value] = cleaned
        return cleaned


def _clean_protein_change(value: str, ref: str | None) -> str | None:
    text = clean(value)
    if text is None:
        return None
    if ":" in text:
        text = text.rsplit(":", 1)[1]
    text = text.replace("%3D", "=").replace("%3d", "=")
    if _SPLICE.search(text) or "in_frame_ins" in text:
        return None
    bare = text.removeprefix("p.")
    if match := _WUSTL_DEL.match(bare):
        residues, start = match.group(1), int(match.group(2))
        span = len(residues)
        if span == 1:  # one residue named: the deleted bases say how many went
            bases = len(ref) if ref and ref.isalpha() else 0
            if bases == 0 or bases % 3:
                return None
            span = bases // 3
        end = start + span - 1
        last = residues[-1] if len(residues) == span else ""
        return f"{residues[0]}{start}del" if span == 1 else f"{residues[0]}{start}_{last}{end}del"
    if match := _NO_CHANGE.match(bare):  # a silent change written without its new residue
        return f"{bare}="
    return text


def render(
    gene: str | None,
    protein: str | None = None,
    coding: str | None = None,
    chromosome: str | None = None,
    position: int | None = None,
    ref: str | None = None,
    alt: str | None = None,
) -> str:
    """A readable, deterministic rendering of a mutation row (``BRAF p.V600E``, ``7-140453136-A-T``)."""
    if gene and protein:
        return f"{gene} {protein}"
    if gene and coding:
        return f"{gene} {coding}"
    if chromosome and position:
        genomic = f"{chromosome}-{position}-{ref or '-'}-{alt or '-'}"
        return f"{gene} {genomic}" if gene else genomic
    return gene or ""


class _MafColumns:
    """Positions of the MAF columns one header has (None where absent)."""

    def __init__(self, columns: Columns) -> None:
        self.gene = columns.find(*GENE)
        self.sample = columns.find(*SAMPLE)
        self.proteins = [i for i in (columns.find(name) for name in PROTEIN) if i is not None]
        self.coding = columns.find(*CODING)
        self.transcript = columns.find(*TRANSCRIPT)
        self.chromosome = columns.find(*CHROMOSOME)
        self.start = columns.find(*START)
        self.ref = columns.find(*REF)
        self.alt2 = columns.find(*ALT2)
        self.alt1 = columns.find(*ALT1)
        self.build = columns.find(*BUILD)
        self.consequence = columns.find(*CONSEQUENCE)
        self.exon = columns.find(*EXON)
        self.rsid = columns.find(*RSID)
        self.origin = columns.find(*ORIGIN)
        self.spellings = ProteinSpellings()  # one reading's memo: gone with it
        self.names = columns

    @property
    def genomic(self) -> bool:
        return None not in (self.chromosome, self.start, self.ref) and (self.alt2 is not None or self.alt1 is not None)

    def missing(self) -> str | None:
        """What the header lacks to be read as mutations, or None if it has enough."""
        if self.gene is not None and (self.proteins or self.coding is not None):
            return None
        if self.genomic:
            return None
        return (
            "needs Hugo_Symbol with a protein column (HGVSp_Short, HGVSp, Protein_Change or "
            "Amino_Acid_Change) or HGVSc, or the genomic columns Chromosome, Start_Position, "
            "Reference_Allele and Tumor_Seq_Allele2"
        )


class MafFile(PatientFile):
    """A Mutation Annotation Format file: one alteration per row.  See the module docstring."""

    layout = "MAF"
    known_columns: tuple[str, ...] = KNOWN

    def _require(self, columns: Columns, number: int) -> None:
        missing = _MafColumns(columns).missing()
        if missing:
            raise self._header_error(number, f"is not a MAF this reader understands: it {missing}")

    def _read(self, lines: Iterator[tuple[int, str]]) -> Iterator[Item]:
        columns = self._table_header(lines)
        cols = _MafColumns(columns)
        if cols.sample is None:
            self.report.notes.append(f"no sample column: every row is sample {self.default_sample!r}")
        settled = cols.build is None
        if settled:
            settle_assembly(self.report, None, "", self.declared)
        for row in data_rows(lines, self.name, len(columns), self.report):
            if isinstance(row, LineProblem):
                yield row
                continue
            number, fields = row
            if not settled:
                build = clean(fields[cols.build]) if cols.build is not None else None
                if build is None or normalize_assembly(build):
                    settle_assembly(self.report, normalize_assembly(build), "NCBI_Build column", self.declared)
                    settled = True
            yield self.row(fields, cols, number)
        if not settled:
            settle_assembly(self.report, None, "", self.declared)

    def row(self, fields: list[str], cols: _MafColumns, number: int) -> Item:
        """One row as an alteration, or the reason it cannot be read."""
        sample = self.default_sample
        if cols.sample is not None:
            sample = fields[cols.sample].strip()
            if not sample:
                return self._problem(number, "has no sample barcode", cols.names.name(cols.sample))
        gene = clean(fields[cols.gene]) if cols.gene is not None else None
        assembly = self.report.assembly
        if cols.build is not None:
            build = clean(fields[cols.build])
            if build is not None:
                assembly = normalize_assembly(build)
                if assembly is None:
                    why = (
                        "is an older assembly; lift it over to GRCh37 or GRCh38"
                        if is_old_assembly(build)
                        else ("is not an assembly pmkg knows (expected GRCh37/hg19/37 or GRCh38/hg38/38)")
                    )
                    return self._problem(number, f"NCBI_Build {build!r} {why}", "NCBI_Build", sample)
        chromosome = position = ref = alt = None
        if cols.chromosome is not None and cols.start is not None:
            chromosome = clean(fields[cols.chromosome])
            start = clean(fields[cols.start])
            if chromosome is not None and start is not None:
                try:
                    position = parse_position(start)
                except ValueError:
                    return self._problem(
                        number,
                        f"{start!r} is not a genomic position (expected a whole number ≥ 1)",
                        cols.names.name(cols.start),
                        sample,
                    )
                chromosome = chromosome.removeprefix("chr")
                ref = (fields[cols.ref].strip() if cols.ref is not None else "") or None
                alt2 = fields[cols.alt2].strip() if cols.alt2 is not None else ""
                alt1 = fields[cols.alt1].strip() if cols.alt1 is not None else ""
                # Tumor_Seq_Allele2 is the alternate allele, but some tools put it in Allele1 (MOAlmanac).
                alt = alt2 if alt2 and alt2 != ref else alt1 if alt1 and alt1 != ref else None
            else:
                chromosome = None
        protein = None
        for index in cols.proteins:
            protein = cols.spellings.clean(fields[index], ref)
            if protein is not None:
                break
        coding = clean(fields[cols.coding]) if cols.coding is not None else None
        transcript = clean(fields[cols.transcript]) if cols.transcript is not None else None
        if coding and ":" in coding:
            transcript, coding = coding.rsplit(":", 1)
        if not ((gene and (protein or coding)) or position):
            return self._problem(
                number, "has neither a gene with a protein or coding change nor a genomic position", None, sample
            )
        consequence = clean(fields[cols.consequence]) if cols.consequence is not None else None
        rsid = clean(fields[cols.rsid]) if cols.rsid is not None else None
        origin = (clean(fields[cols.origin]) or "").lower() if cols.origin is not None else ""
        self.report.alterations += 1
        self.report.samples[sample] = None
        return Alteration(
            text=render(gene, protein, coding, chromosome, position, ref, alt),
            gene=gene,
            protein_change=protein,
            coding_change=coding,
            transcript=transcript,
            assembly=assembly if position else None,
            chromosome=chromosome,
            position=position,
            ref=ref,
            alt=alt,
            consequence=consequence,
            exon=parse_exon(fields[cols.exon]) if cols.exon is not None else None,
            rsid=rsid if rsid and _RSID.match(rsid) else None,
            sample=sample,
            origin=f"{self.name}:{number}",
            germline=origin == "germline",
        )


ALTERATION = ("Alteration", "ALTERATION")
CATEGORY = ("Alteration_Category",)
FUSION_GENES = (("Gene_1", "Gene1", "GeneA"), ("Gene_2", "Gene2", "GeneB"))
_BIOMARKER_GENES = frozenset({"other biomarkers", "biomarker", "biomarkers", ""})


class AlterationTable(MafFile):
    """A table of a gene and an alteration in words (``EGFR`` ``vIII``; ``Other Biomarkers`` ``MSI-H``).

    With CivicAnnotator's ``Alteration_Category`` column, ``m`` rows are read as MAF rows
    (their genomic and HGVS columns), ``c`` rows as copy-number events and ``f`` rows as
    fusions of ``Gene_1`` and ``Gene_2``.  An alteration that is a copy-number word
    (``Amplification``, ``Deletion``, ``Gain``, ``Loss``) fills ``copy_number``; anything else is
    left as text (``text`` = gene and alteration) for the normaliser to read.
    """

    layout = "gene/alteration table"
    known_columns: tuple[str, ...] = (*KNOWN, *ALTERATION, *CATEGORY)

    def _require(self, columns: Columns, number: int) -> None:
        if columns.find(*ALTERATION) is None and columns.find(*CATEGORY) is None:
            raise self._header_error(number, "needs an Alteration column (with Hugo_Symbol and a sample column)")
        if columns.find(*GENE) is None:
            raise self._header_error(number, "needs a Hugo_Symbol column")

    def _read(self, lines: Iterator[tuple[int, str]]) -> Iterator[Item]:
        columns = self._table_header(lines)
        cols = _MafColumns(columns)
        alteration = columns.find(*ALTERATION)
        category = columns.find(*CATEGORY)
        partners = [columns.find(*names) for names in FUSION_GENES]
        settle_assembly(self.report, None, "", self.declared)
        if cols.sample is None:
            self.report.notes.append(f"no sample column: every row is sample {self.default_sample!r}")
        for row in data_rows(lines, self.name, len(columns), self.report):
            if isinstance(row, LineProblem):
                yield row
                continue
            number, fields = row
            kind = (clean(fields[category]) or "").lower() if category is not None else ""
            if kind == "m":
                yield self.row(fields, cols, number)
                continue
            sample = fields[cols.sample].strip() if cols.sample is not None else self.default_sample
            if not sample:
                yield self._problem(number, "has no sample", cols.names.name(cols.sample or 0))
                continue
            gene = clean(fields[cols.gene]) if cols.gene is not None else None
            words = clean(fields[alteration]) if alteration is not None else None
            origin = f"{self.name}:{number}"
            item: Item
            if kind == "f" or (words and words.lower() == "fusion" and None not in partners):
                five = clean(fields[partners[0]]) if partners[0] is not None else None
                three = clean(fields[partners[1]]) if partners[1] is not None else None
                if not (five and three):
                    item = self._problem(number, "a fusion row needs both Gene_1 and Gene_2", "Gene_1", sample)
                else:
                    item = Alteration(f"{five}::{three}", gene=five, fusion_partner=three, sample=sample, origin=origin)
            elif not words:
                item = self._problem(number, "has no alteration", columns.name(alteration or 0), sample)
            elif words.lower() in COPY_NUMBER_EVENTS:
                if not gene:
                    item = self._problem(
                        number, "a copy-number event needs a gene", columns.name(cols.gene or 0), sample
                    )
                else:
                    item = Alteration(
                        f"{gene} {words}", gene=gene, copy_number=words.lower(), sample=sample, origin=origin
                    )
            elif gene is None or gene.lower() in _BIOMARKER_GENES:
                item = Alteration(words, sample=sample, origin=origin)
            else:
                item = Alteration(f"{gene} {words}", gene=gene, sample=sample, origin=origin)
            if isinstance(item, Alteration):
                self.report.alterations += 1
                self.report.samples[sample] = None
            yield item
