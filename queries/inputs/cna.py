"""Copy-number files: GISTIC-style gene × sample matrices and one-row-per-event tables.

:class:`CnaMatrix` reads discrete GISTIC calls (``all_thresholded.by_genes``, cBioPortal's
``data_cna_discrete.txt``, oncokb-annotator's ``example_cna.txt``): a gene column
(``Hugo_Symbol`` or ``Gene Symbol``), optional annotation columns (``Entrez_Gene_Id``,
``Locus ID``, ``Cytoband``), then one column per sample.  ``-2`` is a deletion and ``2`` an
amplification; ``-1``/``1`` (shallow loss/gain) are left out and counted unless
``include_shallow=True`` (then ``loss``/``gain``); ``0`` and empty cells are no event.  A cell
that is not a discrete call is reported with its line and sample column.

:class:`CnaEvents` reads one event per row: oncokb-annotator's individual layout
(``Tumor_Sample_Barcode``, ``Hugo_Symbol``, ``Copy_Number_Alteration``), MOAlmanac's called
copy number (``gene``, ``call``; no sample column: the file's sample), CivicAnnotator's
(``Sample_Id``, ``Hugo_Symbol``, ``Alteration``), cBioPortal's long discrete layout
(``Hugo_Symbol``, ``Sample_Id``, ``Value``).  Calls are numbers (as above) or words
(``Amplification``, ``Deletion``, ``Gain``, ``Loss``; a word is taken as written, so a
``Gain`` written out is kept while a numeric ``1`` is shallow and left out by default;
``Wild type``/``Neutral`` is no event, counted).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import cast

from kg.variants import COPY_NUMBER_EVENTS
from queries.inputs.base import Item, PatientFile
from queries.inputs.tabular import (
    Columns,
    LineProblem,
    PatientText,
    clean,
    data_rows,
)
from queries.patient import Alteration

GENE = ("Hugo_Symbol", "Gene Symbol", "Gene_Symbol", "HUGO_SYMBOL", "gene", "Gene")
ANNOTATION = frozenset(
    name.lower()
    for name in ("Entrez_Gene_Id", "Locus ID", "Locus_ID", "Cytoband", "Gene ID", "Entrez_Id", "Description")
)
SAMPLE = ("Tumor_Sample_Barcode", "Sample_Id", "SAMPLE_ID", "Subject_Id", "Sample")
EVENT = ("Copy_Number_Alteration", "call", "Alteration", "CNA", "Copy_Number", "Event", "Value")
DISCRETE = {-2: "deletion", -1: "loss", 0: None, 1: "gain", 2: "amplification"}
NO_EVENT = frozenset({"wild type", "wildtype", "wild-type", "neutral", "diploid", "none", "no change"})
SHALLOW = {-1: "shallow loss (-1) not assessed", 1: "shallow gain (+1) not assessed"}


def discrete_call(text: str) -> int | None:
    """The GISTIC call of a cell (``2``, ``-2.0``); None if it is empty; ValueError if it is not a call.

    >>> discrete_call("-2.0"), discrete_call(""), discrete_call("NA")
    (-2, None, None)
    """
    value = clean(text)
    if value is None:
        return None
    number = float(value)
    if number not in DISCRETE:
        raise ValueError(value)
    return int(number)


class _CopyNumberFile(PatientFile):
    """A copy-number file: shallow (±1) calls are left out unless ``include_shallow``."""

    def _event_of(self, call: int | None) -> str | None:
        """The event a discrete call names; None for no event, or a shallow call left out (counted)."""
        if not call:
            return None
        if call in SHALLOW and not self.include_shallow:
            self.report.skip(SHALLOW[call])
            return None
        return cast(str, DISCRETE[call])

    def __init__(
        self,
        path: Path | str,
        *,
        assembly: str | None = None,
        default_sample: str | None = None,
        include_shallow: bool = False,
        text: PatientText | None = None,
    ) -> None:
        super().__init__(path, assembly=assembly, default_sample=default_sample, text=text)
        self.include_shallow = include_shallow


class CnaMatrix(_CopyNumberFile):
    """A gene × sample matrix of discrete copy-number calls; see the module docstring."""

    layout = "copy-number matrix (GISTIC)"
    known_columns = GENE

    def _require(self, columns: Columns, number: int) -> None:
        if columns.find(*GENE) is None:
            raise self._header_error(number, "needs a gene column (Hugo_Symbol or Gene Symbol)")
        if not self._sample_columns(columns):
            raise self._header_error(number, "has no sample columns after the gene and annotation columns")

    @staticmethod
    def _sample_columns(columns: Columns) -> list[int]:
        gene = columns.find(*GENE)
        return [
            i for i, name in enumerate(columns.names)
            if i != gene and name.strip() and name.strip().lower() not in ANNOTATION
        ]  # fmt: skip

    def _read(self, lines: Iterator[tuple[int, str]]) -> Iterator[Item]:
        columns = self._gene_level_header(lines, "copy number")
        gene_index = cast(int, columns.find(*GENE))  # _require checked it is there
        sample_columns = [(i, columns.names[i].strip()) for i in self._sample_columns(columns)]
        for _, sample in sample_columns:
            self.report.samples[sample] = None
        for row in data_rows(lines, self.name, len(columns), self.report):
            if isinstance(row, LineProblem):
                yield row
                continue
            number, fields = row
            gene = clean(fields[gene_index])
            if gene is None:
                yield self._problem(number, "has no gene symbol", columns.name(gene_index))
                continue
            origin = f"{self.name}:{number}"
            for index, sample in sample_columns:
                try:
                    call = discrete_call(fields[index])
                except ValueError:
                    yield self._problem(
                        number,
                        f"{fields[index].strip()!r} is not a discrete copy-number call (-2, -1, 0, 1 or 2)",
                        sample,
                        sample,
                    )
                    continue
                event = self._event_of(call)
                if event is None:
                    continue
                self.report.alterations += 1
                yield Alteration(f"{gene} {event}", gene=gene, copy_number=event, sample=sample, origin=origin)


class CnaEvents(_CopyNumberFile):
    """One copy-number event per row; see the module docstring."""

    layout = "copy-number events"
    known_columns = (*GENE, *SAMPLE, *EVENT)

    def _require(self, columns: Columns, number: int) -> None:
        if columns.find(*GENE) is None or columns.find(*EVENT) is None:
            raise self._header_error(
                number,
                "needs a gene column (Hugo_Symbol or gene) and a call column "
                "(Copy_Number_Alteration, call or Alteration)",
            )

    def _read(self, lines: Iterator[tuple[int, str]]) -> Iterator[Item]:
        columns = self._gene_level_header(lines, "copy number")
        gene_index = cast(int, columns.find(*GENE))  # _require checked both are there
        event_index = cast(int, columns.find(*EVENT))
        sample_index = columns.find(*SAMPLE)
        if sample_index is None:
            self.report.notes.append(f"no sample column: every row is sample {self.default_sample!r}")
        for row in data_rows(lines, self.name, len(columns), self.report):
            if isinstance(row, LineProblem):
                yield row
                continue
            number, fields = row
            sample = fields[sample_index].strip() if sample_index is not None else self.default_sample
            gene = clean(fields[gene_index])
            call_text = clean(fields[event_index])
            if not sample:
                yield self._problem(number, "has no sample", columns.name(sample_index or 0))
                continue
            if gene is None:
                yield self._problem(number, "has no gene symbol", columns.name(gene_index), sample)
                continue
            if call_text is None:
                self.report.skip("no copy-number call")
                continue
            event = COPY_NUMBER_EVENTS.get(call_text.lower())
            if event is None and call_text.lower() in NO_EVENT:
                self.report.skip(f"no copy-number change ({call_text})")
                continue
            if event is None:
                try:
                    call = discrete_call(call_text)
                except ValueError:
                    yield self._problem(
                        number,
                        f"{call_text!r} is not a copy-number call (expected -2, -1, 1, 2, Amplification, "
                        "Deletion, Gain or Loss)",
                        columns.name(event_index),
                        sample,
                    )
                    continue
                event = self._event_of(call)
                if event is None:
                    continue
            self.report.alterations += 1
            self.report.samples[sample] = None
            yield Alteration(
                f"{gene} {event}", gene=gene, copy_number=event, sample=sample, origin=f"{self.name}:{number}"
            )
