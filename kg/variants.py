"""Canonical names and ids of variants and variant classes, shared by loaders and queries.

Every source spells one alteration its own way (``V600E``, ``p.V600E``, ``p.Val600Glu``,
``BRAF V600E``); the graph keeps one node per alteration, so ids are built here from a
normalised form and nowhere else:

>>> normalize_protein_change("p.Val600Glu")
'V600E'
>>> variant_id("BRAF", "p.V600E")
'PMKG:variant/BRAF:V600E'
>>> fusion_id("EML4", "ALK")
'PMKG:variant/EML4::ALK'
>>> class_id("BRAF", "V600")
'PMKG:class/BRAF:V600'
>>> codon_of("V600E")
('V', 600)
"""

from __future__ import annotations

import re

from kg.errors import SchemaError

THREE_TO_ONE = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
    "Sec": "U", "Pyl": "O", "Xaa": "X",
}  # fmt: skip
AMINO_ACIDS = frozenset(THREE_TO_ONE.values())
_THREE = re.compile("|".join(sorted(THREE_TO_ONE, key=len, reverse=True)))
# One residue and position: V600, V600E, V600*, V600fs, E746_A750del, ...
_SIMPLE = re.compile(r"^(?P<ref>[A-Z*])(?P<pos>\d+)(?P<rest>.*)$")
COPY_NUMBER_EVENTS = {
    "amplification": "amplification",
    "amp": "amplification",
    "gain": "gain",
    "deletion": "deletion",
    "del": "deletion",
    "homozygous deletion": "deletion",
    "deep deletion": "deletion",
    "loss": "loss",
}


def normalize_protein_change(text: str) -> str:
    """One-letter protein change without ``p.`` or parentheses; raise SchemaError if not one."""
    change = text.strip()
    if change.startswith("p."):
        change = change[2:]
    if change.startswith("(") and change.endswith(")"):
        change = change[1:-1]
    change = _THREE.sub(lambda m: THREE_TO_ONE[m.group(0)], change)
    if re.fullmatch(r"[A-Z]\d+X", change):  # old nonsense spelling R248X
        change = change[:-1] + "*"
    match = _SIMPLE.match(change)
    if not match or not change.isascii():
        raise SchemaError(f"{text!r} is not a protein change (expected e.g. V600E, p.V600E or p.Val600Glu)")
    alt = match.group("rest")
    if len(alt) == 1 and alt.isalpha() and alt not in AMINO_ACIDS:
        raise SchemaError(f"{text!r}: {alt!r} is not an amino acid")
    return change


def codon_of(change: str) -> tuple[str, int]:
    """Reference residue and position of a normalised protein change."""
    match = _SIMPLE.match(change)
    if not match:
        raise SchemaError(f"{change!r} has no codon")
    return match.group("ref"), int(match.group("pos"))


def _slug(text: str) -> str:
    return re.sub(r"\s+", "-", text.strip())


def variant_id(gene_symbol: str, protein_change: str) -> str:
    """Id of one protein-level alteration of a gene."""
    return f"PMKG:variant/{gene_symbol.upper()}:{normalize_protein_change(protein_change)}"


def fusion_id(five_prime: str, three_prime: str) -> str:
    return f"PMKG:variant/{five_prime.upper()}::{three_prime.upper()}"


def copy_number_id(gene_symbol: str, event: str) -> str:
    kind = COPY_NUMBER_EVENTS.get(event.strip().lower())
    if kind is None:
        raise SchemaError(f"{event!r} is not a copy-number event; expected one of {sorted(COPY_NUMBER_EVENTS)}")
    return f"PMKG:variant/{gene_symbol.upper()}:{kind}"


def genomic_id(assembly: str, chrom: str, pos: int, ref: str, alt: str) -> str:
    """Id of a genomic alteration with no protein form (``GRCh38:7-140753336-A-T``)."""
    chrom = chrom.removeprefix("chr")
    return f"PMKG:variant/{assembly}:{chrom}-{pos}-{ref.upper()}-{alt.upper()}"


def biomarker_id(name: str) -> str:
    """Id of a gene-less biomarker (``MSI-H``, ``TMB-high``)."""
    return f"PMKG:variant/{_slug(name)}"


def class_id(gene_symbol: str, class_name: str) -> str:
    """Id of a variant class of a gene (``BRAF V600``, ``EGFR exon-19-deletion``, ``ALK fusion``)."""
    return f"PMKG:class/{gene_symbol.upper()}:{_slug(class_name)}"
