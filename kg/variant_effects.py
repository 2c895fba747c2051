"""What one variant does, as the class rules read it: its facts, its effect, and the consequence vocabulary.

:class:`VariantFacts` is what a source (or a patient's row) says about one concrete variant;
:func:`variant_effect` reads from it whether the change is silent, truncating, a loss, a recurrent
cancer hotspot (:mod:`kg.hotspots`), an internal tandem duplication, or an in-frame change inside
a source-cited exon range (:data:`EXON_TABLE`).  Which classes those effects put a variant in is
decided in :mod:`kg.variant_classes`, the one place for class rules.

>>> variant_effect(VariantFacts("BRAF", protein_change="R509*")).truncating
True
>>> variant_effect(VariantFacts("BRAF", protein_change="V600E")).hotspot
True
>>> variant_effect(VariantFacts("EGFR", protein_change="E746_A750del")).cited_inframe
True

Imports ``kg`` only; reads no file but the packaged hotspot table, through :mod:`kg.hotspots`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from kg.errors import SchemaError
from kg.hotspots import is_hotspot
from kg.variants import ProteinChange, parse_protein_change

FRAMESHIFT_TERMS = frozenset(
    {"frameshift_variant", "frameshift_truncation", "frameshift_elongation", "minus_1_frameshift_variant",
     "minus_2_frameshift_variant", "plus_1_frameshift_variant", "plus_2_frameshift_variant"}
)  # fmt: skip
SPLICE_TERMS = frozenset({"splice_acceptor_variant", "splice_donor_variant"})  # canonical ±1/±2 only
# OncoKB's "truncating mutations": nonsense, frameshift and canonical splice-site changes.
TRUNCATING_TERMS = FRAMESHIFT_TERMS | SPLICE_TERMS | {"stop_gained", "feature_truncation"}
LOSS_OF_FUNCTION_TERMS = TRUNCATING_TERMS | {
    "start_lost", "transcript_ablation", "exon_loss_variant", "loss_of_function_variant",
}  # fmt: skip
ITD_TERM = "internal_tandem_duplication"  # pmkg's consequence word for an ITD (FLT3 ITD)
DELETION_TERMS = frozenset({"inframe_deletion", "disruptive_inframe_deletion", "conservative_inframe_deletion"})
INSERTION_TERMS = frozenset(
    {"inframe_insertion", "disruptive_inframe_insertion", "conservative_inframe_insertion", "direct_tandem_duplication"}
)
# Consequences that change the protein or its splicing: what "a mutation of the gene" means.
NONSILENT_TERMS = LOSS_OF_FUNCTION_TERMS | DELETION_TERMS | INSERTION_TERMS | {
    "missense_variant", "non_conservative_missense_variant", "inframe_indel", "inframe_variant", "stop_lost",
    "protein_altering_variant", "nonsynonymous_variant", "amino_acid_substitution", "amino_acid_deletion",
    "sequence_variant_causing_missense_codon_change_in_transcript", "delins", ITD_TERM,
} - {"transcript_ablation", "loss_of_function_variant"}  # fmt: skip
SYNONYMOUS_TERMS = frozenset({"synonymous_variant", "stop_retained_variant", "start_retained_variant"})
FUSION_TERMS = frozenset({"transcript_fusion", "gene_fusion", "transcript_regulatory_region_fusion"})

# Protein (codon) range of each exon class sources name, with where the range comes from.
# Exon numbers are those of the transcript the source uses (CIViC: Ensembl 75 representative).
EXON_TABLE: dict[tuple[str, int], tuple[int, int, str]] = {
    ("EGFR", 19): (729, 761, "CIViC VID 133 (EGFR EXON 19 DELETION) ENST00000275493.2:c.2185_2283del; "
                   "CGI biomarkers 'EGFR exon 19 deletions' = inframe_deletion:729-761"),
    ("EGFR", 20): (762, 823, "CGI biomarkers 'EGFR exon 20 insertions' = inframe_insertion:762-823"),
    ("KRAS", 2): (1, 37, "CIViC VID 75 (KRAS EXON 2 MUTATION) GRCh37 chr12:25398208-25398329 read through "
                  "KRAS G12C c.34G>T at chr12:25398285 (minus strand): c.-10..c.111"),
    ("KIT", 9): (449, 514, "CGI biomarkers 'KIT mutation in exon 9,11,13,14 or 17' = 449-514,…"),
    ("KIT", 11): (550, 592, "CGI biomarkers 'KIT mutation in exon 11' = KIT:550-592; CIViC VID 66 coordinates"),
    ("KIT", 13): (627, 664, "CGI biomarkers 'KIT mutation in exon 9,11,13,14 or 17' = …,627-664,…"),
    ("KIT", 14): (664, 714, "CGI biomarkers 'KIT mutation in exon 9,11,13,14 or 17' = …,664-714,…; "
                  "CIViC VID 69 coordinates"),
    ("KIT", 17): (788, 828, "CGI biomarkers 'KIT mutation in exon 17' = KIT:788-828"),
    ("KIT", 18): (829, 860, "CGI biomarkers 'KIT mutation in exon 17 or 18' = 788-828,829-860"),
    ("PDGFRA", 12): (552, 596, "CGI biomarkers 'PDGFRA (552-596,631-668,814-854)', the GIST exons 12, 14, 18"),
    ("PDGFRA", 14): (631, 668, "CGI biomarkers 'PDGFRA (552-596,631-668,814-854)', the GIST exons 12, 14, 18"),
    ("PDGFRA", 18): (814, 854, "CGI biomarkers 'PDGFRA (552-596,631-668,814-854)', the GIST exons 12, 14, 18"),
    ("PIK3CA", 10): (514, 555, "CIViC VID 106 (PIK3CA EXON 10 MUTATION) GRCh37 chr3:178935998-178936122 read "
                     "through E545K c.1633G>A at chr3:178936091 (ENST00000263967 numbering; legacy exon 9)"),
    ("PIK3CA", 21): (979, 1068, "CIViC VID 105 (PIK3CA EXON 21 MUTATION) GRCh37 chr3:178951882-178952495 read "
                     "through H1047R c.3140A>G at chr3:178952085, to the protein's end (1068 aa; legacy exon 20)"),
}  # fmt: skip

# Where an in-frame insertion is an internal tandem duplication (ITD): FLT3's juxtamembrane domain
# (residues 572-603) and the start of its first kinase domain, exons 14-15, where ITDs of 3 to
# 400+ bases insert (Kiyoi et al. 1998; Schnittger et al. 2002).  Clinical assays call any in-frame
# insertion there an ITD.  Genomic spans cover exons 14-15 (minus strand); GRCh38 = GRCh37 - 574,137
# here (FLT3 D835 is 13:28592642 on GRCh37 and 13:28018505 on GRCh38).
ITD_REGIONS: dict[str, tuple[tuple[int, int], dict[str, tuple[str, int, int]]]] = {
    "FLT3": ((570, 650), {"GRCh37": ("13", 28607950, 28608400), "GRCh38": ("13", 28033813, 28034263)}),
}


@dataclass(frozen=True, slots=True)
class Region:
    """An interval on one assembly (1-based, inclusive)."""

    assembly: str
    chromosome: str
    start: int
    stop: int

    def contains(self, other: Region) -> bool:
        return (
            self.assembly.lower() == other.assembly.lower()
            and self.chromosome == other.chromosome
            and self.start <= other.start
            and other.stop <= self.stop
        )


@dataclass(frozen=True, slots=True)
class VariantFacts:
    """What a source knows about one concrete variant; give what you have."""

    gene: str
    protein_change: str = ""
    consequences: tuple[str, ...] = ()  # SO term names, e.g. ("missense_variant",)
    fusion: tuple[str, str] | None = None  # (5' gene, 3' gene)
    copy_number: str = ""  # amplification, gain, deletion or loss
    position: Region | None = None
    pathogenic: bool = False  # a source calls this variant itself (likely) pathogenic (ClinVar)
    acts_by_loss: bool = False  # the gene's own classes say its loss matters (see acts_by_loss())


@dataclass(frozen=True, slots=True)
class VariantEffect:
    """What the rules can tell about one variant's effect (see the module docstring)."""

    silent: bool = False
    truncating: bool = False
    frameshift: bool = False
    loss: bool = False
    hotspot: bool = False
    itd: bool = False
    cited_inframe: bool = False

    @property
    def activating(self) -> bool:
        return (self.hotspot or self.itd or self.cited_inframe) and not self.loss


_INFRAME_KINDS = frozenset({"deletion", "insertion", "duplication", "delins"})


@functools.lru_cache(maxsize=8192)
def variant_effect(facts: VariantFacts, change: ProteinChange | None = None) -> VariantEffect:
    """The effect the rules read from a variant's protein change and consequences.

    >>> variant_effect(VariantFacts("BRAF", protein_change="R509*")).truncating
    True
    >>> variant_effect(VariantFacts("BRAF", protein_change="V600E")).hotspot
    True
    """
    if change is None and facts.protein_change:
        try:
            change = parse_protein_change(facts.protein_change)
        except SchemaError:
            change = None
    terms = set(facts.consequences)
    kind = change.kind if change is not None else ""
    silent = kind == "synonymous" or (change is None and bool(terms) and terms <= SYNONYMOUS_TERMS)
    if silent or facts.fusion is not None or facts.copy_number:
        return VariantEffect(silent=silent, loss=facts.copy_number == "deletion")
    frameshift = kind == "frameshift" or (not kind and bool(terms & FRAMESHIFT_TERMS))
    truncating = kind in ("nonsense", "frameshift") or bool(terms & TRUNCATING_TERMS)
    start_lost = change is not None and change.start == 1 and change.ref == "M" and kind in ("substitution", "unknown")
    loss = truncating or start_lost or bool(terms & LOSS_OF_FUNCTION_TERMS)
    hotspot = kind == "substitution" and change is not None and is_hotspot(facts.gene, change.start, change.ref)
    cited = (
        change is not None
        and kind in _INFRAME_KINDS
        and any(
            gene == facts.gene and start <= change.start and change.end <= end
            for (gene, _), (start, end, _) in EXON_TABLE.items()
        )
    )
    return VariantEffect(False, truncating, frameshift, loss, hotspot, ITD_TERM in terms, cited)


def internal_tandem_duplication(
    gene: str, change: ProteinChange | None, consequences: Sequence[str], position: Region | None = None
) -> bool:
    """Whether an in-frame insertion is an ITD of ``gene`` (:data:`ITD_REGIONS`), by protein change or position.

    MAF rows of TCGA's FLT3 ITDs carry no standard protein change (``p.601in_frame_insSSDNEYFYVDFREYEYD``
    or nothing), only ``In_Frame_Ins`` and a position; both ways are read.

    >>> internal_tandem_duplication("FLT3", parse_protein_change("D600_L601insFREYEYD"), ())
    True
    >>> internal_tandem_duplication("FLT3", None, ("inframe_insertion",), Region("GRCh37", "13", 28608262, 28608263))
    True
    >>> internal_tandem_duplication("FLT3", parse_protein_change("D835Y"), ("missense_variant",))
    False
    """
    known = ITD_REGIONS.get(gene)
    if known is None:
        return False
    (first, last), spans = known
    if change is not None and change.kind != "position":
        grows = change.kind in ("insertion", "duplication") or (change.kind == "delins" and change.length_change > 0)
        return grows and first <= change.start <= last
    if not set(consequences) & INSERTION_TERMS or position is None:
        return False
    span = spans.get(position.assembly)
    return span is not None and span[0] == position.chromosome and span[1] <= position.start <= span[2]
