"""A patient's alterations as entered or read from a file, before they are matched to the graph.

Typed text (``BRAF V600E``), a VCF or MAF row, a copy-number call or a fusion all become an
:class:`Alteration`: the fields the input gave, nothing inferred.  Normalisation
(:mod:`queries.normalize`) resolves an alteration to graph nodes; file readers
(:mod:`queries.inputs`) produce them with their origin (file and line) so problems are
reported where they arose.  Alterations hold patient data: never log them.
"""

from __future__ import annotations

from dataclasses import dataclass

# The origin of the form of a file row that annotation matches once for every row alike (queries.annotate
# strips the rows' own "path:line"): still a file row, not typed input.
FILE_ROW = "file row"


@dataclass(frozen=True, slots=True)
class Alteration:
    """One alteration of one sample, as given."""

    text: str  # what the user typed, or a readable rendering of the file row
    gene: str | None = None  # symbol, alias or previous symbol as given (5' partner of a fusion)
    protein_change: str | None = None  # any usual spelling: V600E, p.V600E, p.Val600Glu
    coding_change: str | None = None  # c. HGVS without the transcript: c.1799T>A
    transcript: str | None = None  # RefSeq or Ensembl transcript of coding_change
    assembly: str | None = None  # GRCh37 or GRCh38, when declared or inferred (say which)
    chromosome: str | None = None
    position: int | None = None
    ref: str | None = None
    alt: str | None = None
    copy_number: str | None = None  # amplification, deletion, gain, loss
    fusion_partner: str | None = None  # 3' partner gene; ``gene`` is the 5' partner
    consequence: str | None = None  # Sequence Ontology term or MAF Variant_Classification
    exon: int | None = None
    rsid: str | None = None
    biomarker: str | None = None  # MSI-H, TMB-high, …
    biomarker_value: float | None = None
    sample: str | None = None
    origin: str | None = None  # "path:line" for file input (FILE_ROW for a file row's shared form)
    germline: bool = False  # a germline call (germline MAF, Mutation_Status/variant_origin germline)
    not_matched: str | None = None  # why the reader reports this row without matching it (a weak fusion call)
    fusion_flag: str | None = None  # a suspected fusion artefact (read-through, same gene): matched only if named

    @property
    def typed(self) -> bool:
        """Whether someone typed this (no file row): only typed input earns the hints meant for a person typing
        (close gene symbols; what a position is on the other assembly), each a search or a second chain to read."""
        return self.origin is None
