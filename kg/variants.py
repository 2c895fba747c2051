"""Canonical names and ids of variants, variant classes and molecular profiles.

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

Protein changes follow HGVS short forms with one-letter residues.  Edit keywords are
lower-case (``E746_A750del``, ``L747_P753delinsS``, ``A767_V769dup``), a deletion or
duplication does not repeat the residues, and every frameshift is written by its first
changed codon only (``E55fs``): sources disagree on the new residue and the distance to
the stop codon (``E55RfsTer11``, ``E55FS``, ``p.Glu55fs``), but not on where it starts.

>>> [normalize_protein_change(t) for t in ("K159FS*16", "M774DELINSWLV", "E746_T751>I", "R248X", "S1436S")]
['K159fs', 'M774delinsWLV', 'E746_T751delinsI', 'R248*', 'S1436=']
>>> parse_protein_change("L747_P753delinsS").kind
'delins'

A molecular profile is a boolean expression over node ids (``AND``, ``OR``, ``NOT``,
parentheses); :func:`evaluate_profile` decides it for the set of ids a patient has:

>>> evaluate_profile("PMKG:variant/EGFR:L858R AND NOT PMKG:variant/EGFR:T790M", {"PMKG:variant/EGFR:L858R"})
True

Each expression is read once per process and kept (a bounded memo of expressions, which are graph content; the
ids a patient has never are): a match asks about the same profiles for every patient.

This module never touches files or the network; it only computes names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass

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
# A residue and position, optionally a range end (the end residue is sometimes left out:
# CIViC writes V769_770insASV), then the edit.
_CHANGE = re.compile(r"^(?P<ref>[A-Z*])(?P<pos>\d+)(?:_(?P<ref2>[A-Z*])?(?P<pos2>\d+))?(?P<edit>.*)$")
_FRAMESHIFT = re.compile(r"^(?P<alt>[A-Z*])?fs(?:(?:\*|X|Ter)(?:\d+|\?)?)?$", re.IGNORECASE)
_DELINS = re.compile(r"^(?:delins|>)(?P<alt>[A-Z*]+)$", re.IGNORECASE)
_DEL = re.compile(r"^del[A-Z]*$", re.IGNORECASE)
_DUP = re.compile(r"^dup[A-Z]*$", re.IGNORECASE)
_INS = re.compile(r"^ins(?P<alt>[A-Z*]*)$", re.IGNORECASE)
# HGVS writes the residue the stop becomes before ``ext``: p.*757Lext*?, p.Ter110GlnextTer17; N-terminal p.M1ext-5.
_EXT = re.compile(r"^(?P<alt>[A-Z])?ext(?P<rest>\S*)$", re.IGNORECASE)
# Sequence Ontology ids of the consequence names sources write (SO release 2024-11-18).
SO_TERMS: dict[str, str] = {
    "3_prime_UTR_truncation": "SO:0002015", "3_prime_UTR_variant": "SO:0001624",
    "5_prime_UTR_exon_variant": "SO:0002092", "5_prime_UTR_variant": "SO:0001623",
    "DNA_binding_site": "SO:0001429", "SNP": "SO:0000694", "amino_acid_deletion": "SO:0001604",
    "amino_acid_substitution": "SO:0001606", "coding_sequence_variant": "SO:0001580",
    "coding_transcript_intron_variant": "SO:0001969", "coding_transcript_variant": "SO:0001968",
    "conservative_inframe_deletion": "SO:0001825", "conservative_inframe_insertion": "SO:0001823",
    "copy_number_change": "SO:0001563", "deletion": "SO:0000159", "delins": "SO:1000032",
    "direct_tandem_duplication": "SO:1000039", "disruptive_inframe_deletion": "SO:0001826",
    "disruptive_inframe_insertion": "SO:0001824", "dominant_negative_variant": "SO:0002052",
    "exon_loss_variant": "SO:0001572", "exon_variant": "SO:0001791", "feature_truncation": "SO:0001906",
    "frameshift_elongation": "SO:0001909", "frameshift_truncation": "SO:0001910",
    "frameshift_variant": "SO:0001589", "gain_of_function_variant": "SO:0002053",
    "gene_fusion": "SO:0001565", "gene_silenced_by_DNA_methylation": "SO:0000129",
    "gene_variant": "SO:0001564", "inframe_deletion": "SO:0001822", "inframe_indel": "SO:0001820",
    "inframe_insertion": "SO:0001821", "inframe_variant": "SO:0001650", "intron_variant": "SO:0001627",
    "loss_of_function_variant": "SO:0002054", "loss_of_heterozygosity": "SO:0001786",
    "microsatellite": "SO:0000289", "minus_1_frameshift_variant": "SO:0001592",
    "minus_2_frameshift_variant": "SO:0001593", "missense_variant": "SO:0001583",
    "non_conservative_missense_variant": "SO:0001586", "nonsynonymous_variant": "SO:0001992",
    "plus_1_frameshift_variant": "SO:0001594", "polymorphic_sequence_variant": "SO:0001025",
    "protein_altering_variant": "SO:0001818", "regulatory_region_variant": "SO:0001566",
    "sequence_variant_causing_missense_codon_change_in_transcript": "SO:1000059",
    "short_tandem_repeat_variation": "SO:0002096", "splice_acceptor_variant": "SO:0001574",
    "splice_donor_variant": "SO:0001575", "splicing_variant": "SO:0001568", "start_lost": "SO:0002012",
    "stop_gained": "SO:0001587", "stop_lost": "SO:0001578", "synonymous_variant": "SO:0001819",
    "transcript_ablation": "SO:0001893", "transcript_amplification": "SO:0001889",
    "transcript_fusion": "SO:0001886", "transcript_regulatory_region_fusion": "SO:0001890",
    "transcript_variant": "SO:0001576", "transcription_variant": "SO:0001549", "wild_type": "SO:0000817",
}  # fmt: skip
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


@dataclass(frozen=True, slots=True)
class ProteinChange:
    """A parsed, normalised protein change.

    ``kind`` is one of ``substitution``, ``nonsense``, ``synonymous``, ``unknown`` (``M1?``),
    ``stop_lost`` (``*214L``), ``deletion``, ``insertion``, ``duplication``, ``delins``,
    ``frameshift``, ``extension`` or ``position`` (a codon or range with no edit: ``V600``).
    """

    text: str
    ref: str
    start: int
    end: int
    kind: str
    alt: str = ""
    end_ref: str = ""

    @property
    def length_change(self) -> int:
        """Residues gained (positive) or lost (negative) by an in-frame change."""
        span = self.end - self.start + 1
        if self.kind == "deletion":
            return -span
        if self.kind == "duplication":
            return span
        if self.kind == "insertion":
            return len(self.alt)
        if self.kind == "delins":
            return len(self.alt) - span
        return 0


def _clean(text: str) -> str:
    change = text.strip()
    if change.startswith("p."):
        change = change[2:]
    if change.startswith("(") and change.endswith(")"):
        change = change[1:-1]
    change = _THREE.sub(lambda m: THREE_TO_ONE[m.group(0)], change)
    if re.fullmatch(r"[A-Z]\d+X", change):  # old nonsense spelling R248X
        change = change[:-1] + "*"
    return change


# The commonest spelling by far (every MAF row: ``p.V600E``, ``p.R248*``): one residue, a position in ASCII digits,
# one edit character; read without the general path's rewriting and matching (a third of a 500-row patient's parse).
_ONE_RESIDUE = re.compile(r"(?:p\.)?([A-Z*])([0-9]+)([A-Z*=?])")


def parse_protein_change(text: str) -> ProteinChange:
    """Parse a protein change in any usual spelling; raise SchemaError if it is not one."""
    simple = _ONE_RESIDUE.fullmatch(text)
    if simple is not None:
        ref, digits, edit = simple.groups()
        if edit == "X" and ref != "*":  # old nonsense spelling R248X (as _clean rewrites it)
            edit = "*"
        return _one_residue(text, ref, int(digits), edit)
    change = _clean(text)
    match = _CHANGE.match(change)
    if not match or not change.isascii():
        raise SchemaError(f"{text!r} is not a protein change (expected e.g. V600E, p.V600E or p.Val600Glu)")
    ref, start, edit = match.group("ref"), int(match.group("pos")), match.group("edit")
    pos2 = match.group("pos2")
    end = int(pos2) if pos2 else start
    ref2 = match.group("ref2") or ""
    if end < start:
        raise SchemaError(f"{text!r}: the range ends ({end}) before it starts ({start})")
    head = f"{ref}{start}" + (f"_{ref2}{end}" if pos2 else "")
    if edit == "":
        return ProteinChange(head, ref, start, end, "position", end_ref=ref2)
    if len(edit) == 1 and not pos2:
        return _one_residue(text, ref, start, edit)
    if _FRAMESHIFT.match(edit):
        return ProteinChange(f"{ref}{start}fs", ref, start, start, "frameshift")
    if delins := _DELINS.match(edit):
        alt = delins.group("alt").upper()
        return ProteinChange(f"{head}delins{alt}", ref, start, end, "delins", alt=alt, end_ref=ref2)
    if _DEL.match(edit):
        return ProteinChange(f"{head}del", ref, start, end, "deletion", end_ref=ref2)
    if _DUP.match(edit):
        return ProteinChange(f"{head}dup", ref, start, end, "duplication", end_ref=ref2)
    if ins := _INS.match(edit):
        alt = ins.group("alt").upper()
        return ProteinChange(f"{head}ins{alt}", ref, start, end, "insertion", alt=alt, end_ref=ref2)
    if ext := _EXT.match(edit):
        alt = (ext.group("alt") or "").upper()
        if alt and alt not in AMINO_ACIDS:
            raise SchemaError(f"{text!r}: {alt!r} is not an amino acid")
        return ProteinChange(f"{head}{alt}ext{ext.group('rest')}", ref, start, end, "extension", alt=alt, end_ref=ref2)
    raise SchemaError(
        f"{text!r} is not a protein change: cannot read the edit {edit!r} "
        "(expected a residue, del, ins, dup, delins, fs or ext)"
    )


def _one_residue(text: str, ref: str, start: int, edit: str) -> ProteinChange:
    """A change of one residue at ``start`` to the one-character ``edit`` (substitution, nonsense, =, ?)."""
    head = f"{ref}{start}"
    if edit == "=":
        kind = "synonymous"
    elif edit == "?":
        kind = "unknown"
    elif edit == "*":
        kind = "nonsense"
    elif edit == ref:  # S1436S: written as a substitution, but nothing changes
        return ProteinChange(head + "=", ref, start, start, "synonymous", alt=ref)
    elif edit in AMINO_ACIDS and edit.isalpha():
        kind = "stop_lost" if ref == "*" else "substitution"
    else:
        raise SchemaError(f"{text!r}: {edit!r} is not an amino acid")
    return ProteinChange(head + edit, ref, start, start, kind, alt=edit)


_C_POSITION = r"[-*]?\d+(?:[+-]\d+)?"
_C_CHANGE = re.compile(rf"^c\.(?P<start>{_C_POSITION})(?:_(?P<end>{_C_POSITION}))?(?P<edit>.*)$", re.IGNORECASE)
_C_POINT = re.compile(r"^(?P<base>[-*]?\d+)(?P<offset>[+-]\d+)?$")
_C_SUBSTITUTION = re.compile(r"^[ACGTN]>[ACGTN]$", re.IGNORECASE)
_C_SIZED = re.compile(r"^(?P<edit>delins|del|dup|ins)(?P<bases>[ACGTN]*|\d+)?$", re.IGNORECASE)
# The older delins spelling that names the deleted bases too: c.1799_1800delTGinsAA is c.1799_1800delinsAA.
_C_DEL_INS = re.compile(r"^del(?P<deleted>[ACGT]+)ins(?P<inserted>[ACGT]+)$", re.IGNORECASE)


def plain_delins(coding: str) -> str:
    """``coding`` with the older delins spelling's deleted bases dropped, as given otherwise.

    >>> plain_delins("c.1799_1800delTGinsaa"), plain_delins("c.1799T>A")
    ('c.1799_1800delinsAA', 'c.1799T>A')
    """
    match = _C_CHANGE.match(coding)
    if not match:
        return coding
    edit = _C_DEL_INS.sub(lambda m: f"delins{m.group('inserted').upper()}", match.group("edit"))
    return coding[: match.start("edit")] + edit


def coding_consequence(text: str) -> str | None:
    """The Sequence Ontology consequence a c. HGVS change implies by itself, or None if it implies none.

    A deletion, duplication or insertion in coding sequence whose length is not a multiple of three
    shifts the frame; a change at the first two bases of an intron (``c.97-1G>A``, ``c.5467+2T>C``)
    hits the canonical splice site; further into the intron it is intronic, before ``c.1`` or after
    the stop (``c.-12``, ``c.*30``) it is UTR.  A substitution inside the coding sequence is a
    ``coding_sequence_variant``: without the reference sequence pmkg cannot say which residue it makes.

    >>> [coding_consequence(t) for t in ("c.68_69delAG", "c.97-1G>A", "c.5467+2T>C", "c.2235_2249del15")]
    ['frameshift_variant', 'splice_acceptor_variant', 'splice_donor_variant', 'inframe_deletion']
    >>> [coding_consequence(t) for t in ("c.5946delT", "c.1813dupA", "c.93+5G>A", "c.-12C>T", "c.1799T>A")]
    ['frameshift_variant', 'frameshift_variant', 'intron_variant', '5_prime_UTR_variant', 'coding_sequence_variant']
    """
    match = _C_CHANGE.match(text.strip())
    if not match:
        return None
    points = [_C_POINT.match(p) for p in (match.group("start"), match.group("end") or match.group("start"))]
    if None in points:
        return None
    bases = [p.group("base") for p in points if p is not None]
    offsets = [int(p.group("offset")) if p is not None and p.group("offset") else 0 for p in points]
    if any(offsets):
        splice = [o for o in offsets if o and abs(o) <= 2]
        spans_boundary = len(set(offsets)) > 1 and (min(offsets) <= 0 <= max(offsets))
        if splice or spans_boundary:
            return "splice_donor_variant" if (splice or offsets)[0] > 0 else "splice_acceptor_variant"
        return "intron_variant"
    if bases[0].startswith("-"):
        return "5_prime_UTR_variant"
    if bases[0].startswith("*") or bases[1].startswith("*"):
        return "3_prime_UTR_variant"
    edit = _C_DEL_INS.sub(r"delins\g<inserted>", match.group("edit"))
    if _C_SUBSTITUTION.match(edit):
        return "coding_sequence_variant"
    sized = _C_SIZED.match(edit)
    if not sized:
        return None
    kind, given = sized.group("edit").lower(), sized.group("bases") or ""
    span = int(bases[1]) - int(bases[0]) + 1
    inserted = int(given) if given.isdigit() else len(given)
    if kind in ("del", "dup"):
        change = span if not inserted or kind == "dup" else inserted
        if span < 1:
            return None
    elif kind == "ins":
        if not inserted:
            return None
        change = inserted
    else:  # delins
        change = inserted - span
    if change % 3:
        return "frameshift_variant"
    if kind == "del":
        return "inframe_deletion"
    return "inframe_insertion" if change > 0 else ("inframe_deletion" if change < 0 else "inframe_indel")


@dataclass(frozen=True, slots=True)
class CodingEdit:
    """A c. change inside the coding sequence (no intron offset, no UTR), as :func:`parse_coding_edit` reads it.

    ``kind`` is ``substitution``, ``del``, ``dup``, ``ins`` or ``delins``; ``deleted`` holds the
    reference bases the text gives (``c.1799T>A``: T; ``c.2235_2249del``: none), ``inserted`` the new
    bases (empty when only a count is given: ``ins3``).
    """

    start: int
    end: int
    kind: str
    deleted: str = ""
    inserted: str = ""

    @property
    def length_change(self) -> int | None:
        """Bases gained (positive) or lost (negative); None when an insertion gives only a count."""
        span = self.end - self.start + 1
        if self.kind == "substitution":
            return 0
        if self.kind == "del":
            return -span
        if self.kind == "dup":
            return span
        if not self.inserted:
            return None
        return len(self.inserted) - (span if self.kind == "delins" else 0)


def parse_coding_edit(text: str) -> CodingEdit | None:
    """The c. change ``text`` when it lies inside the coding sequence and its edit is readable, else None.

    >>> parse_coding_edit("c.1799_1800delinsAA")
    CodingEdit(start=1799, end=1800, kind='delins', deleted='', inserted='AA')
    >>> parse_coding_edit("c.2573T>G").deleted, parse_coding_edit("c.2235_2249del15").length_change
    ('T', -15)
    >>> parse_coding_edit("c.1799_1800delTGinsAA")
    CodingEdit(start=1799, end=1800, kind='delins', deleted='TG', inserted='AA')
    >>> [parse_coding_edit(t) for t in ("c.97-1G>A", "c.-12C>T", "c.*30del", "c.10_5del", "c.1799_1800delTinsAA")]
    [None, None, None, None, None]
    """
    match = _C_CHANGE.match(text.strip())
    if not match or not all(
        p is None or p.isdigit() for p in (match.group("start"), match.group("end"))
    ):  # an intron offset (c.97-1), 5' or 3' UTR (c.-12, c.*30): outside the codons
        return None
    start = int(match.group("start"))
    end = int(match.group("end") or start)
    edit = match.group("edit")
    if end < start or start < 1:
        return None
    if _C_SUBSTITUTION.match(edit):
        return CodingEdit(start, end, "substitution", edit[0].upper(), edit[2].upper()) if start == end else None
    if del_ins := _C_DEL_INS.match(edit):
        deleted = del_ins.group("deleted").upper()
        inserted = del_ins.group("inserted").upper()
        return CodingEdit(start, end, "delins", deleted, inserted) if len(deleted) == end - start + 1 else None
    sized = _C_SIZED.match(edit)
    if not sized:
        return None
    kind, bases = sized.group("edit").lower(), (sized.group("bases") or "").upper()
    if bases.isdigit():
        if kind in ("del", "dup") and int(bases) != end - start + 1:
            return None  # c.2235_2249del10: the count contradicts the span
        return CodingEdit(start, end, kind)
    if "N" in bases or (kind in ("ins", "delins") and not bases):
        return None
    if kind in ("del", "dup"):
        if bases and len(bases) != end - start + 1:
            return None
        return CodingEdit(start, end, kind, deleted=bases)
    if kind == "ins" and end != start + 1:
        return None  # an insertion lies between two adjacent bases
    return CodingEdit(start, end, kind, inserted=bases)


def normalize_protein_change(text: str) -> str:
    """One-letter protein change without ``p.`` or parentheses; raise SchemaError if not one."""
    return parse_protein_change(text).text


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
    return protein_variant_id(gene_symbol, parse_protein_change(protein_change))


def protein_variant_id(gene_symbol: str, change: ProteinChange) -> str:
    """:func:`variant_id` of a change parsed already (its ``text`` is the normal form: parsing it again gives it).

    >>> protein_variant_id("braf", parse_protein_change("p.Val600Glu"))
    'PMKG:variant/BRAF:V600E'
    """
    return f"PMKG:variant/{gene_symbol.upper()}:{change.text}"


def fusion_id(
    five_prime: str, three_prime: str, *, five_prime_exon: int | None = None, three_prime_exon: int | None = None
) -> str:
    """Id of a fusion, optionally of one breakpoint (last 5' exon, first 3' exon).

    >>> fusion_id("EML4", "ALK", five_prime_exon=13, three_prime_exon=20)
    'PMKG:variant/EML4::ALK:e13-e20'
    """
    base = f"PMKG:variant/{five_prime.upper()}::{three_prime.upper()}"
    if five_prime_exon is None and three_prime_exon is None:
        return base
    five = f"e{five_prime_exon}" if five_prime_exon is not None else "e?"
    three = f"e{three_prime_exon}" if three_prime_exon is not None else "e?"
    return f"{base}:{five}-{three}"


def copy_number_id(gene_symbol: str, event: str) -> str:
    return f"PMKG:variant/{gene_symbol.upper()}:{copy_number_event(event)}"


def copy_number_event(event: str) -> str:
    """The canonical copy-number event of a spelling (``amp`` → ``amplification``)."""
    kind = COPY_NUMBER_EVENTS.get(event.strip().lower())
    if kind is None:
        raise SchemaError(f"{event!r} is not a copy-number event; expected one of {sorted(COPY_NUMBER_EVENTS)}")
    return kind


def coordinate_key(assembly: str, chrom: str, pos: int, ref: str, alt: str) -> str:
    """The synonym every loader gives a variant whose position it knows, and queries look up.

    >>> coordinate_key("GRCh37", "chr7", 140453136, "a", "t")
    'GRCh37:7-140453136-A-T'
    """
    return f"{assembly}:{chrom.removeprefix('chr')}-{pos}-{ref.upper()}-{alt.upper()}"


def genomic_id(assembly: str, chrom: str, pos: int, ref: str, alt: str) -> str:
    """Id of a genomic alteration with no protein form (``PMKG:variant/GRCh38:7-140753336-A-T``)."""
    return f"PMKG:variant/{coordinate_key(assembly, chrom, pos, ref, alt)}"


def biomarker_id(name: str) -> str:
    """Id of a gene-less biomarker (``MSI-H``, ``TMB-high``)."""
    return f"PMKG:variant/{_slug(name)}"


def dbsnp_id(rs: str) -> str:
    """The dbSNP CURIE of an rs number in any case (``RS113488022`` → ``DBSNP:rs113488022``)."""
    match = re.fullmatch(r"(?i)(?:dbsnp:)?rs(\d+)", rs.strip())
    if not match:
        raise SchemaError(f"{rs!r} is not a dbSNP rs id (expected e.g. rs113488022)")
    return f"DBSNP:rs{match.group(1)}"


def class_id(gene_symbol: str, class_name: str) -> str:
    """Id of a variant class of a gene (``BRAF V600``, ``EGFR exon-19-deletion``, ``ALK fusion``)."""
    return f"PMKG:class/{gene_symbol.upper()}:{_slug(class_name)}"


def coordinate_props(
    assembly: str, chromosome: str, start: int, stop: int | None = None, ref: str = "", alt: str = ""
) -> dict[str, str | int]:
    """Node properties for a position on one assembly, named by it so builds never collide.

    >>> sorted(coordinate_props("GRCh37", "chr7", 140453136, ref="A", alt="T").items())[:3]
    [('grch37_alt', 'T'), ('grch37_chromosome', '7'), ('grch37_ref', 'A')]
    """
    key = assembly.lower()
    props: dict[str, str | int] = {
        f"{key}_chromosome": chromosome.removeprefix("chr"),
        f"{key}_start": start,
        f"{key}_stop": stop if stop is not None else start,
    }
    if ref:
        props[f"{key}_ref"] = ref.upper()
    if alt:
        props[f"{key}_alt"] = alt.upper()
    return props


# ----------------------------------------------------------------------- molecular profiles

_TOKEN = re.compile(r"\(|\)|[^\s()]+")
OPERATORS = frozenset({"AND", "OR", "NOT"})


def profile_id(expression: str) -> str:
    """Id of a molecular profile pmkg computes from a boolean expression over node ids.

    AND-only expressions are order-independent, so two sources writing the same combination
    meet in one node.

    >>> profile_id("PMKG:variant/BRAF:V600E AND PMKG:class/BRAF:amplification")
    'PMKG:profile/class:BRAF:amplification_AND_BRAF:V600E'
    """
    components = profile_components(expression)
    tokens = _TOKEN.findall(expression)
    if set(tokens) - {"AND"} == set(components) and tokens[1::2] == ["AND"] * (len(tokens) // 2):
        tokens = " AND ".join(sorted(components)).split()
    local = "_".join(_short(t) for t in tokens)
    return f"PMKG:profile/{local}"


def _short(token: str) -> str:
    if token.startswith("PMKG:variant/"):
        return token[len("PMKG:variant/") :]
    if token.startswith("PMKG:class/"):
        return "class:" + token[len("PMKG:class/") :]
    return token


def profile_components(expression: str) -> list[str]:
    """The node ids an expression mentions, in order of first appearance."""
    return list(dict.fromkeys(t for t in _TOKEN.findall(expression) if t not in OPERATORS and t not in "()"))


def evaluate_profile(expression: str, present: Container[str]) -> bool:
    """Whether a profile holds when exactly the ids in ``present`` are present.

    Precedence is NOT, then AND, then OR; raise SchemaError for a malformed expression.

    >>> evaluate_profile("(A OR B) AND NOT C", {"B"})
    True
    """
    return _holds_in(_compiled(expression), present)


# A read expression: a node id, or (operator, operand) for NOT, or (operator, operands) for AND and OR.
_Tree = str | tuple[str, "_Tree"] | tuple[str, tuple["_Tree", ...]]


@functools.lru_cache(maxsize=4096)
def _compiled(expression: str) -> _Tree:
    """``expression`` read once (a build's profiles are asked about for every patient; a malformed one is not kept)."""
    reader = _ProfileReader(expression, _TOKEN.findall(expression))
    tree = reader.disjunction()
    if reader.position != len(reader.tokens):
        raise SchemaError(f"profile {expression!r}: unexpected {reader.tokens[reader.position]!r}")
    return tree


def _holds_in(tree: _Tree, present: Container[str]) -> bool:
    if isinstance(tree, str):
        return tree in present
    operator, operands = tree
    if operator == "NOT":
        return not _holds_in(operands, present)  # type: ignore[arg-type]
    wanted = operator == "OR"  # the value that decides: any operand true for OR, any false for AND
    for operand in operands:
        if _holds_in(operand, present) is wanted:  # type: ignore[arg-type]
            return wanted
    return not wanted


class _ProfileReader:
    """A recursive-descent reading of one profile expression into a :data:`_Tree`.  A class, not nested functions:
    closures that call each other form reference cycles, which only the cyclic collector frees."""

    __slots__ = ("expression", "position", "tokens")

    def __init__(self, expression: str, tokens: list[str]) -> None:
        self.expression = expression
        self.tokens = tokens
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        if self.position >= len(self.tokens):
            raise SchemaError(f"profile {self.expression!r} ends too early")
        self.position += 1
        return self.tokens[self.position - 1]

    def disjunction(self) -> _Tree:
        operands = [self.conjunction()]
        while self.peek() == "OR":
            self.take()
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else ("OR", tuple(operands))

    def conjunction(self) -> _Tree:
        operands = [self.negation()]
        while self.peek() == "AND":
            self.take()
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else ("AND", tuple(operands))

    def negation(self) -> _Tree:
        if self.peek() == "NOT":
            self.take()
            return ("NOT", self.negation())
        token = self.take()
        if token == "(":
            tree = self.disjunction()
            if self.take() != ")":
                raise SchemaError(f"profile {self.expression!r}: expected ')'")
            return tree
        if token in OPERATORS or token == ")":
            raise SchemaError(f"profile {self.expression!r}: unexpected {token!r}")
        return token


def check_profile(expression: str, known: Mapping[str, object] | Container[str] | None = None) -> None:
    """Raise SchemaError unless ``expression`` is well formed (and names only ``known`` ids)."""
    evaluate_profile(expression, set())
    if known is not None:
        missing = [c for c in profile_components(expression) if c not in known]
        if missing:
            raise SchemaError(f"profile {expression!r} names unknown component(s) {missing}")
