"""Fusion and structural-variant files.

:class:`FusionFile` reads, recognising the layout from the header:

- oncokb-annotator fusions: ``Tumor_Sample_Barcode`` and ``Fusion`` (``BCR-ABL1 fusion``,
  ``ALK-EML4``, ``EGFR-intragenic``);
- STAR-Fusion ``*.star.fusions.txt``: ``#FusionName`` (``EML4--ALK``) with ``JunctionReads``
  and ``SpanningFragCount``; no sample column (the file's sample).  The read support is kept
  in the alteration's text (``EML4::ALK (STAR-Fusion: 10 junction reads, 0 spanning
  fragments)``).  Every row is read and reported; a row below the support threshold
  (:data:`MIN_SPANNING_FRAGMENTS` spanning fragments, MOAlmanac's filter, and
  :data:`MIN_JUNCTION_READS` junction reads; settings of :func:`queries.inputs.open_patient_file`
  and ``pmkg annotate``) is not matched (``not_matched`` says why).  Suspected artefacts are
  flagged (``fusion_flag``): a fusion of a gene with itself, and read-through transcripts of
  adjacent genes that STAR-Fusion's ``annots`` column names (``NEIGHBORS…``, ``ConjoinG``,
  ``readthrough``); :mod:`queries.normalize` adds adjacent genes on one strand from the graph's
  gene coordinates, and matches a flagged fusion only when a source names that very fusion;
- structural variants: oncokb-annotator's ``GeneA``/``GeneB``/``Sv_Type`` and cBioPortal's
  ``Site1_Hugo_Symbol``/``Site2_Hugo_Symbol``/``Class``.  Two different genes are a fusion
  (5' partner first, as written); one gene (or the same gene twice) is an intragenic event of
  the type given (``EGFR intragenic deletion``);
- CivicAnnotator fusions: ``Sample_Id`` with ``Fusion_Id`` (``ESR1--CCDC170``) and/or ``Gene_1``
  and ``Gene_2``.

Fusion names are split on ``::``, ``--``, or a single ``-``; where a gene's own hyphen makes a
name ambiguous (``HLA-A-ROS1``) the row is reported, asking for ``GENE1::GENE2``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from queries.inputs.base import Item, PatientFile
from queries.inputs.tabular import (
    Columns,
    LineProblem,
    clean,
    data_rows,
)
from queries.patient import Alteration

SAMPLE = ("Tumor_Sample_Barcode", "Sample_Id", "SAMPLE_ID", "Subject_Id", "Sample")
FUSION = ("Fusion", "FusionName", "Fusion_Id", "Fusion_Name")
FIVE = ("GeneA", "Site1_Hugo_Symbol", "Gene_1", "Gene1", "LeftGene")
THREE = ("GeneB", "Site2_Hugo_Symbol", "Gene_2", "Gene2", "RightGene")
SV_TYPE = ("Sv_Type", "SV_Type", "Class", "Event_Type")
JUNCTION, SPANNING = ("JunctionReads", "JunctionReadCount"), ("SpanningFragCount",)
ANNOTS = ("annots", "Annots")
# MOAlmanac keeps STAR-Fusion calls with at least 5 spanning fragments (its example keeps exactly
# the four fusions its summary reports; EML4--ALK with 10 junction reads and no spanning fragment
# is dropped).  Junction reads are not required by default.
MIN_SPANNING_FRAGMENTS = 5
MIN_JUNCTION_READS = 0
# FusionAnnotator words that mark a read-through of adjacent genes (CTAT human fusion lib).
_READ_THROUGH = re.compile(r"NEIGHBORS|ConjoinG|read-?through", re.IGNORECASE)
_GENE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SUFFIX = re.compile(r"(?i)\s*fusion\s*$")
_INTRAGENIC = re.compile(r"(?i)^(?P<gene>.+?)[-_ ]intragenic$")


def split_fusion(name: str) -> tuple[str, str | None] | None:
    """``(5' gene, 3' gene)`` of a fusion name; ``(gene, None)`` for a one-gene name; None if ambiguous.

    >>> split_fusion("BCR-ABL1 fusion"), split_fusion("EML4--ALK"), split_fusion("NKX2-1::ALK")
    (('BCR', 'ABL1'), ('EML4', 'ALK'), ('NKX2-1', 'ALK'))
    >>> split_fusion("NKX2-1-ALK"), split_fusion("ALK fusion"), split_fusion("HLA-A-ROS1") is None
    (('NKX2-1', 'ALK'), ('ALK', None), True)
    """
    text = _SUFFIX.sub("", name.strip()).strip()
    for separator in ("::", "--", "/"):
        if separator in text:
            five, _, three = text.partition(separator)
            return (five.strip(), three.strip()) if five.strip() and three.strip() else None
    if "-" not in text:
        return (text, None) if _GENE.match(text) else None
    parts = text.split("-")
    candidates = []
    for cut in range(1, len(parts)):
        five, three = "-".join(parts[:cut]), "-".join(parts[cut:])
        # A gene's own hyphen is followed by a number (NKX2-1): never cut there.
        if three[0].isdigit() or not (_GENE.match(five) and _GENE.match(three)):
            continue
        candidates.append((five, three))
    return candidates[0] if len(candidates) == 1 else None


class FusionFile(PatientFile):
    """Fusions and structural variants in any of the layouts of the module docstring."""

    layout = "fusions"
    known_columns = (*SAMPLE, *FUSION, *FIVE, *THREE, *SV_TYPE, *JUNCTION, *SPANNING, *ANNOTS)
    min_spanning_fragments = MIN_SPANNING_FRAGMENTS
    min_junction_reads = MIN_JUNCTION_READS

    def _require(self, columns: Columns, number: int) -> None:
        if columns.find(*FUSION) is None and (columns.find(*FIVE) is None or columns.find(*THREE) is None):
            raise self._header_error(
                number,
                "needs a fusion column (Fusion, #FusionName or Fusion_Id) or two gene columns "
                "(GeneA and GeneB, Site1_Hugo_Symbol and Site2_Hugo_Symbol, or Gene_1 and Gene_2)",
            )

    def _read(self, lines: Iterator[tuple[int, str]]) -> Iterator[Item]:
        columns = self._gene_level_header(lines, "fusions")
        sample_index = columns.find(*SAMPLE)
        name_index = columns.find(*FUSION)
        five_index, three_index = columns.find(*FIVE), columns.find(*THREE)
        type_index = columns.find(*SV_TYPE)
        junction, spanning = columns.find(*JUNCTION), columns.find(*SPANNING)
        annots = columns.find(*ANNOTS)
        star = junction is not None and spanning is not None and name_index is not None
        if star:
            self.report.layout = "fusions (STAR-Fusion)"
        elif type_index is not None:
            self.report.layout = "structural variants"
        if sample_index is None:
            self.report.notes.append(f"no sample column: every row is sample {self.default_sample!r}")
        for row in data_rows(lines, self.name, len(columns), self.report):
            if isinstance(row, LineProblem):
                yield row
                continue
            number, fields = row
            sample = fields[sample_index].strip() if sample_index is not None else self.default_sample
            if not sample:
                yield self._problem(number, "has no sample", columns.name(sample_index or 0))
                continue
            origin = f"{self.name}:{number}"
            five = clean(fields[five_index]) if five_index is not None and not star else None
            three = clean(fields[three_index]) if three_index is not None and not star else None
            name = clean(fields[name_index]) if name_index is not None else None
            sv_type = clean(fields[type_index]) if type_index is not None else None
            item = self._alteration(number, sample, origin, name, five, three, sv_type)
            if isinstance(item, Alteration) and star:
                reads = [fields[i].strip() for i in (junction, spanning) if i is not None]
                notes = fields[annots] if annots is not None else ""
                item = self._star_call(number, item, reads, notes)
            if isinstance(item, Alteration):
                self.report.alterations += 1
                self.report.samples[sample] = None
            yield item

    def _star_call(self, number: int, item: Alteration, reads: list[str], notes: str) -> Item:
        """A STAR-Fusion row with its read support; below the threshold it is reported, not matched."""
        try:
            junction, spanning = (int(value) for value in reads)
        except ValueError:
            return self._problem(number, f"read counts {reads[0]!r}/{reads[1]!r} are not whole numbers",
                                 JUNCTION[0], item.sample)  # fmt: skip
        text = f"{item.text} (STAR-Fusion: {junction} junction reads, {spanning} spanning fragments)"
        weak = []
        if spanning < self.min_spanning_fragments:
            weak.append(f"{spanning} spanning fragments (at least {self.min_spanning_fragments} needed)")
        if junction < self.min_junction_reads:
            weak.append(f"{junction} junction reads (at least {self.min_junction_reads} needed)")
        not_matched = f"fusion call below the support threshold: {', '.join(weak)}" if weak else None
        flag = None
        if item.gene and item.fusion_partner and item.gene.upper() == item.fusion_partner.upper():
            flag = "same-gene artefact: both breakpoints are in one gene"
        elif _READ_THROUGH.search(notes):
            flag = f"read-through of adjacent genes (STAR-Fusion annotation {notes.strip()[:80]})"
        return Alteration(text, gene=item.gene, fusion_partner=item.fusion_partner, consequence=item.consequence,
                          sample=item.sample, origin=item.origin, not_matched=not_matched,
                          fusion_flag=flag)  # fmt: skip

    def _alteration(
        self,
        number: int,
        sample: str,
        origin: str,
        name: str | None,
        five: str | None,
        three: str | None,
        sv_type: str | None,
    ) -> Item:
        if five is None and three is None:
            if name is None:
                return self._problem(number, "has no fusion name", None, sample)
            if match := _INTRAGENIC.match(name.strip()):
                gene = match.group("gene").strip()
                return Alteration(
                    f"{gene} intragenic rearrangement", gene=gene, consequence="intragenic_variant",
                    sample=sample, origin=origin,
                )  # fmt: skip
            split = split_fusion(name)
            if split is None:
                return self._problem(
                    number, f"cannot tell the two genes of {name!r} apart: write it GENE1::GENE2", None, sample
                )
            five, three = split
            if three is None:
                return Alteration(f"{five} fusion", gene=five, consequence="gene_fusion", sample=sample, origin=origin)
            return Alteration(f"{five}::{three}", gene=five, fusion_partner=three, sample=sample, origin=origin)
        if five and three and five.upper() != three.upper():
            return Alteration(f"{five}::{three}", gene=five, fusion_partner=three, sample=sample, origin=origin)
        gene = five or three
        kind = (sv_type or "rearrangement").lower()
        return Alteration(
            f"{gene} intragenic {kind}", gene=gene, consequence="intragenic_variant", sample=sample, origin=origin
        )
