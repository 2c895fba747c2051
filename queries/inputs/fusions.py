"""Fusion and structural-variant files.

:class:`FusionFile` reads, recognising the layout from the header:

- oncokb-annotator fusions: ``Tumor_Sample_Barcode`` and ``Fusion`` (``BCR-ABL1 fusion``,
  ``ALK-EML4``, ``EGFR-intragenic``);
- STAR-Fusion ``*.star.fusions.txt``: ``#FusionName`` (``EML4--ALK``) with ``JunctionReads``
  and ``SpanningFragCount``; no sample column (the file's sample).  The read support is kept
  in the alteration's text (``EML4::ALK (STAR-Fusion: 10 junction reads, 0 spanning
  fragments)``); every row is read, whatever its support;
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
    known_columns = (*SAMPLE, *FUSION, *FIVE, *THREE, *SV_TYPE, *JUNCTION, *SPANNING)

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
                item = Alteration(
                    f"{item.text} (STAR-Fusion: {reads[0]} junction reads, {reads[1]} spanning fragments)",
                    gene=item.gene, fusion_partner=item.fusion_partner, consequence=item.consequence,
                    sample=sample, origin=origin,
                )  # fmt: skip
            if isinstance(item, Alteration):
                self.report.alterations += 1
                self.report.samples[sample] = None
            yield item

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
