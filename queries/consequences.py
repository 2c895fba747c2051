"""What a file row's consequence says by itself: MAF/VCF consequence words → Sequence Ontology terms, and FLT3 ITDs.

A row that no source names still says what it does: MAF ``Variant_Classification``
(``Frame_Shift_Del``, ``Splice_Site``, ``Nonsense_Mutation``), VEP/SnpEff consequences
(``splice_acceptor_variant&intron_variant``), or its c. change (:func:`kg.variants.coding_consequence`).
:func:`consequence_terms` turns the words into the Sequence Ontology terms the class rules of
:mod:`kg.variant_classes` test; :func:`as_itd` recognises an FLT3 internal tandem duplication written
as an in-frame insertion without a standard protein change (TCGA LAML's ``In_Frame_Ins`` rows) and
rewrites the row as ``FLT3 ITD``.  Pure functions: no graph, no logging.

>>> consequence_terms("Splice_Site"), consequence_terms("splice_acceptor_variant&intron_variant")
(('splice_donor_variant',), ('splice_acceptor_variant', 'intron_variant'))
"""

from __future__ import annotations

from dataclasses import replace

from kg.errors import SchemaError
from kg.variant_effects import ITD_REGIONS, Region, internal_tandem_duplication
from kg.variants import ProteinChange, coding_consequence, parse_protein_change
from queries.patient import Alteration

# MAF Variant_Classification and protein-change kinds → Sequence Ontology consequences (what the rules test).
# MAF's Splice_Site does not say which side: either canonical site is a truncating splice change to the rules.
CONSEQUENCES = {
    "missense_mutation": "missense_variant", "missense": "missense_variant", "nonsense_mutation": "stop_gained",
    "nonsense": "stop_gained", "frame_shift_del": "frameshift_variant", "frame_shift_ins": "frameshift_variant",
    "frameshift": "frameshift_variant", "in_frame_del": "inframe_deletion", "in_frame_ins": "inframe_insertion",
    "splice_site": "splice_donor_variant", "silent": "synonymous_variant", "translation_start_site": "start_lost",
    "nonstop_mutation": "stop_lost", "substitution": "missense_variant", "deletion": "inframe_deletion",
    "insertion": "inframe_insertion", "duplication": "inframe_insertion", "delins": "inframe_indel",
    "synonymous": "synonymous_variant", "stop_lost": "stop_lost", "extension": "stop_lost",
}  # fmt: skip


def consequence_terms(text: str | None) -> tuple[str, ...]:
    """Sequence Ontology terms of a MAF ``Variant_Classification`` or a VCF consequence list (``a&b``)."""
    if not text:
        return ()
    if "&" not in text and "," not in text:  # one word, as every MAF row has: no splitting, no de-duplication
        word = text.strip()
        return (CONSEQUENCES.get(word.lower(), word),) if word else ()
    parts = [p.strip() for p in text.replace(",", "&").split("&") if p.strip()]
    return tuple(dict.fromkeys(CONSEQUENCES.get(p.lower(), p) for p in parts))


def as_itd(alteration: Alteration) -> Alteration | None:
    """The row as ``FLT3 ITD`` when it is an in-frame insertion where ITDs occur (``ITD_REGIONS``), else None.

    >>> row = Alteration("FLT3 13-28608262-TCATATTC", gene="FLT3", consequence="In_Frame_Ins",
    ...                  assembly="GRCh37", chromosome="13", position=28608262)
    >>> as_itd(row).consequence, as_itd(Alteration("FLT3 D835Y", gene="FLT3", protein_change="D835Y"))
    ('ITD', None)
    """
    gene = (alteration.gene or "").upper()
    if gene not in ITD_REGIONS or alteration.consequence == "ITD" or alteration.fusion_partner:
        return None
    change: ProteinChange | None = None
    if alteration.protein_change:
        try:
            change = parse_protein_change(alteration.protein_change)
        except SchemaError:
            change = None
    terms = consequence_terms(alteration.consequence)
    if change is None and alteration.coding_change:
        terms += tuple(t for t in [coding_consequence(alteration.coding_change)] if t)
    places: list[Region | None] = []
    if alteration.position is not None and alteration.chromosome:
        for assembly in [alteration.assembly] if alteration.assembly else ["GRCh37", "GRCh38"]:
            places.append(Region(assembly, alteration.chromosome, alteration.position, alteration.position))
    if any(internal_tandem_duplication(gene, change, terms, place) for place in places or [None]):
        return replace(alteration, protein_change=None, coding_change=None, consequence="ITD", position=None,
                       chromosome=None, exon=None)  # fmt: skip
    return None
