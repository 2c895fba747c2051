"""Clinical shorthand that no notation reads as written, and the spellings it stands for.

Reports and tumour-board lists write ``FLT3-ITD``, ``BRAF-V600E``, ``BRAFV600E``, ``EGFRvIII``, ``KRAS G12C
mutation``, ``ALK-positive``, ``HER2+``; :mod:`queries.notation` reads none of them as meant (``FLT3-ITD`` is a
fusion of FLT3 with a gene called ITD to it).  :func:`respellings` gives the spellings such a text may stand for,
each with why, the most literal first; :func:`queries.normalize.normalize_text` tries them only when the text as
written reaches nothing, takes the first that does, and says in the answer how it read the input.  So nothing
that is read today is read differently, and a respelling that reaches nothing changes no answer.

:func:`fusion_with_change` splits a fusion named with a mutation in it (``BCR::ABL1 T315I``) into the two
alterations the text holds, and :func:`paired_changes` splits a protein change given with its c. change
(``KRAS G12C (c.34G>T)``, the way reports print both) into the two inputs, for normalisation to check that they
name the same variant.

Never looks at the graph, never raises.

>>> [r.text for r in respellings("FLT3-ITD")]
['FLT3 ITD', 'FLT3 ITD mutation']
>>> [r.text for r in respellings("BRAFV600E")]
['BRAF V600E']
>>> respellings("ALK-positive")[0]
Respelling(text='ALK fusion', why='ALK-positive reports a rearrangement of ALK, by FISH, IHC or sequencing')
>>> fusion_with_change("BCR-ABL1 T315I")
('BCR::ABL1', 'T315I')
>>> respellings("BRCA2 pathogenic variant")[0].text
'BRCA2 mutation'
>>> listed_alterations("KRAS G12C, TP53 R273H"), listed_alterations("EGFR L858R/T790M")
(['KRAS G12C', 'TP53 R273H'], ['EGFR L858R', 'EGFR T790M'])
>>> paired_changes("KRAS G12C (c.34G>T)")
('KRAS G12C', 'KRAS c.34G>T')
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Genes whose "positive" (ALK-positive lung cancer, HER2+ breast cancer) names one kind of alteration: the
# rearrangement FISH/IHC/sequencing reports for the kinase-fusion genes, and the amplification (or the
# overexpression an IHC 3+ shows, which evidence is written against as amplification) for HER2.
_POSITIVE_MEANS = {
    **dict.fromkeys(("ALK", "ROS1", "RET", "NTRK1", "NTRK2", "NTRK3", "NRG1"), "fusion"),
    **dict.fromkeys(("ERBB2", "HER2"), "amplification"),
    **dict.fromkeys(("CD274", "PD-L1", "PDL1"), "expression"),
}
_POSITIVE_WHY = {
    "fusion": "{gene}-positive reports a rearrangement of {gene}, by FISH, IHC or sequencing",
    "amplification": "{gene}-positive reports {gene} amplification or overexpression, IHC 3+ or ISH-amplified",
    "expression": "{gene}-positive reports {gene} expression, by IHC",
}
_POSITIVE = re.compile(
    r"^(?P<gene>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*?)\s*(?:[-\s]\s*(?:positive|pos)|\+)$", re.IGNORECASE
)
# A splice variant named by its number (AR-V7, AR-V567es): tests report its expression.
_SPLICE_VARIANT = re.compile(r"^(?P<gene>[A-Za-z][A-Za-z0-9]*)[-\s](?P<variant>V\d+[a-z]*)$")
# A rearranged gene written with "-r" (KMT2A-r, MLL-r), as haematology reports do.
_REARRANGED = re.compile(r"^(?P<gene>[A-Za-z][A-Za-z0-9]*)-r$")
# What a report prints after the alteration about the call, not the variant: a note in brackets ("(exon 21)",
# "(GCN 10)"), the allele frequency ("VAF 23%"), FLT3-ITD's allelic ratio.
_CALL_NOTE = re.compile(
    r"^(?P<kept>\S+\s+\S.*?)\s*(?:\((?P<note>[^()]*)\)|,?\s+(?:VAF|AF|allele\s+frequency)\s*[:=]?\s*\d+(?:\.\d+)?\s*%?"
    r"|,?\s+(?:(?:high|low)\s+allelic\s+ratio|(?:AR|allelic\s+ratio)\s*[:=]?\s*\d*\.?\d+))$",
    re.IGNORECASE,
)
_BRACKETED_FUSION = re.compile(r"^[A-Za-z][A-Za-z0-9.]*(?:::|--|-|/)[A-Za-z][A-Za-z0-9.]*$")
# A fusion with each gene's exon (Archer/FusionPlex and lab reports): EML4(13)::ALK(20), EML4 exon 13 - ALK exon 20.
_FUSION_EXONS = re.compile(
    r"^(?P<five>[A-Za-z][A-Za-z0-9.]*)\s*(?:\(\s*(?:exon\s*|e)?(?P<e5>\d+)\s*\)|\s+exon\s*(?P<x5>\d+))\s*"
    r"(?:::|--|-|/|\s)\s*(?P<three>[A-Za-z][A-Za-z0-9.]*)\s*(?:\(\s*(?:exon\s*|e)?(?P<e3>\d+)\s*\)|\s+exon\s*(?P<x3>\d+))$",
    re.IGNORECASE,
)
# A splice-site change of an exon named by the exon (MET exon 14 splice site mutation): the exon, whose class
# normalisation reads as exon skipping where that is its one class.
_EXON_SPLICE = re.compile(
    r"^(?P<gene>[A-Za-z][A-Za-z0-9-]*)\s+(?P<exon>(?:exon|ex)\s*\d+)\s+(?:splice|splicing)(?:\s+site)?"
    r"(?:\s+(?:mutations?|variants?|alterations?))?$",
    re.IGNORECASE,
)
# A protein range written with a dash (E746-A750del) instead of HGVS's underscore.
_DASHED_RANGE = re.compile(r"(?<=\d)-(?=(?:p\.)?[A-Z](?:[a-z]{2})?\d)")
# HER2 scored positive: IHC 3+, or IHC 2+ with ISH amplification.
_HER2_SCORE = re.compile(
    r"^(?P<gene>HER2|ERBB2)\s+(?:IHC\s*)?(?:3\+|(?:IHC\s*)?(?:2\+\s*/?\s*)?(?:FISH|ISH|SISH|CISH)\s*(?:\+|positive|amplified))$",
    re.IGNORECASE,
)
# A fusion followed by the name of one of its variants this graph may not give (EML4-ALK v3, EML4::ALK variant 3a,
# EML4-ALK E6;A20): nothing else after two genes is dropped (CDKN2A/B deletion is no fusion).
_FUSION_WITH_TAIL = re.compile(
    r"^(?P<five>[A-Za-z][A-Za-z0-9.]+)(?:::|--|-|/)(?P<three>[A-Za-z][A-Za-z0-9.]+)\s+"
    r"(?P<tail>(?i:v(?:ariant)?\s*\d+[a-z]?|e(?:xon)?\s*\d+[a-z]?\s*[-:;/]{1,2}\s*[ae]?(?:xon)?\s*\d+[a-z]?))$"
)
# A word after (or between) a gene and its alteration that says only that it is one: "KRAS G12C mutation".
_FILLER = r"(?:mutations?|mutant|mutated|variants?|alterations?|positive|\+)"
_FILLER_WHY = "a word that says only that it is an alteration left out"
# "BRCA2 variant", "KRAS mt", "TP53 mut.": the gene's mutation class ("ALK positive" is no mutation: _POSITIVE)
_GENE_AND_FILLER = re.compile(
    r"^(?P<gene>[A-Za-z][A-Za-z0-9-]*)\s+(?:variants?|alterations?|mutant|mutated|(?:mt|mut)\.?\+?)$", re.IGNORECASE
)
_TRAILING = re.compile(rf"^(?P<kept>\S+\s+\S.*?)\s*(?:[-\s]\s*{_FILLER}|\+)$", re.IGNORECASE)
_BETWEEN = re.compile(rf"^(?P<gene>\S+)\s+{_FILLER}\s*:?\s+(?P<change>\S+)$", re.IGNORECASE)
# A gene symbol glued to its protein change (BRAFV600E, IDH1R132H), to EGFR's vIII (EGFRvIII) or an exon (METex14).
_GLUED_GENE = re.compile(r"^[A-Z][A-Z0-9]+$")
_GLUED_CHANGE = re.compile(r"^(?:p\.)?[A-Z]\d+(?:[A-Z*]|del|ins|dup|fs)[A-Za-z0-9_*]*$|^v[IVX]+$|^ex(?:on)?\d+\w*$")
_MAX_GLUED = 2
# A region's short name that sources write with "mutation" after it (FLT3 TKD → FLT3 TKD mutation).
_SHORT_CLASS = re.compile(r"^(?P<gene>\S+)\s+(?P<word>[A-Za-z]{2,6})$")
_FUSION_WITH_CHANGE = re.compile(
    r"^(?P<five>[A-Za-z][A-Za-z0-9.]*)\s*(?:::|--|-|/)\s*(?P<three>[A-Za-z][A-Za-z0-9.]*)\s+(?:fusion\s+)?"
    r"(?P<change>(?:p\.)?[A-Z](?:[a-z]{2})?\d+\S*)$"
)
_QUOTED = re.compile(
    r"^[\"'\u2018\u2019\u201c\u201d`](?P<inner>.*)[\"'\u2018\u2019\u201c\u201d`]$|^\((?P<parenthesised>[^()]*)\)$"
    r"|^\[(?P<bracketed>[^\[\]]*)\]$"
)
_PUNCTUATION = re.compile(r"[.,;:]+$")
# Words that say where a variant comes from or how a lab classed it, not what it is ("BRCA1 germline mutation",
# "BRCA2 pathogenic variant", "germline BRCA2 mutation"); matching reads the alteration, so they are left out.
_QUALIFIER = (r"(?:germ-?line|somatic|constitutional|inherited|hereditary|(?:likely[-\s]+)?pathogenic|deleterious"
              r"|suspected[-\s]+deleterious|oncogenic|(?:likely[-\s]+)?damaging)")  # fmt: skip
_QUALIFIED = re.compile(rf"^(?P<gene>[A-Za-z]\S*)\s+(?:{_QUALIFIER}\s+)+(?P<rest>\S.*)$", re.IGNORECASE)
_LEADING_QUALIFIER = re.compile(rf"^(?:{_QUALIFIER}\s+)+(?P<rest>[A-Za-z]\S*\s+\S.*)$", re.IGNORECASE)
_QUALIFIER_WHY = "a word that says where the variant comes from or how it was classed left out"
# gBRCA2, sBRCA1, tBRCA: a germline / somatic / tumour BRCA mutation, as trial and label texts write them.
_ORIGIN_PREFIX = re.compile(r"^(?P<origin>[gst])(?P<gene>[A-Z][A-Z0-9]{2,})(?:\s+(?P<rest>\S.*))?$")
_ORIGIN_WHY = {"g": "germline", "s": "somatic", "t": "tumour"}
# Both alleles lost or inactivated, a loss-of-function change written out: the loss-of-function class sources name.
_LOSS = re.compile(
    r"^(?P<gene>[A-Za-z]\S*)\s+(?:bi-?allelic|homozygous)\s+(?:loss|inactivation|inactivating\s+mutations?)$",
    re.IGNORECASE,
)
# The change before the gene ("V600E BRAF"), as some lists and slides put it.
_CHANGE_FIRST = re.compile(r"^(?P<change>(?:p\.)?[A-Z](?:[a-z]{2})?\d+[A-Za-z*]\S*)\s+(?P<gene>[A-Z][A-Z0-9-]{1,})$")
# One text listing several alterations ("KRAS G12C, TP53 R273H"; "EGFR L858R; EGFR T790M"; "... and ...").
_LIST_SEPARATOR = re.compile(
    r"\s*[,;|]\s*|\s+(?:and|plus|\+|&)\s+|\s*\+\s*(?=[A-Za-z])|(?<=[A-Z*])/(?=(?:p\.)?[A-Z](?:[a-z]{2})?\d)",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^[A-Za-z][A-Za-z0-9-]*\s+\S")
_CHANGE_ALONE = re.compile(r"^(?:[pc]\.)?[A-Za-z*]*\d+\S*$")  # T790M, c.2369C>T, del19: the gene of the one before
_PAIRED = re.compile(r"^(?P<gene>\S+)\s+(?P<first>(?:p\.|c\.)?\S+)\s*\(\s*(?P<second>[pc]\.[^()\s]+)\s*\)$")


class Respelling(NamedTuple):
    """Another spelling of an input, and why the input may mean it."""

    text: str
    why: str


def respellings(text: str) -> list[Respelling]:
    """The spellings ``text`` may stand for, most literal first, without ``text`` itself (see the module)."""
    raw = " ".join(text.split())
    found: dict[str, str] = {}
    bases = [(raw, "")]
    if (bare := _PUNCTUATION.sub("", _unquoted(_PUNCTUATION.sub("", raw)))) and bare != raw:
        bases.append((bare, "the quotes or punctuation around it left out"))
    bases += [(dashed, "; ".join(w for w in (why, how) if w)) for base, why in list(bases)
              for dashed, how in _dash_as_space(base)]  # fmt: skip
    for base, why in bases:
        if base != raw:
            found.setdefault(base, why)
        for other, reason in _word_rules(base):
            found.setdefault(other, f"{why}; {reason}" if why else reason)
    if (tail := _FUSION_WITH_TAIL.match(raw)) and fusion_with_change(raw) is None:
        fusion = f"{tail.group('five')}::{tail.group('three')}"
        why = f"{tail.group('tail')!r} after the fusion is no name this graph gives: the fusion alone"
        found.setdefault(fusion, why)
    found.pop(raw, None)
    return [Respelling(t, w) for t, w in found.items()]


def paired_changes(text: str) -> tuple[str, str] | None:
    """``(gene + first change, gene + second change)`` for a change given with another spelling of it in brackets
    (``KRAS G12C (c.34G>T)``, ``KRAS c.34G>T (p.G12C)``, ``BRAF V600E (p.Val600Glu)``), else None."""
    match = _PAIRED.match(" ".join(text.split()))
    if match is None:
        return None
    gene = match.group("gene")
    return f"{gene} {match.group('first')}", f"{gene} {match.group('second')}"


def fusion_with_change(text: str) -> tuple[str, str] | None:
    """``BCR::ABL1 T315I`` (a kinase-domain mutation in a fusion, as haematology reports write it) →
    ``("BCR::ABL1", "T315I")``: the fusion, and the protein change in one of its genes; None for any other text."""
    match = _FUSION_WITH_CHANGE.match(" ".join(text.split()))
    if match is None:
        return None
    return f"{match.group('five')}::{match.group('three')}", match.group("change")


def _unquoted(text: str) -> str:
    match = _QUOTED.match(text)
    return next((g for g in match.groups() if g is not None), text) if match else text


def _dash_as_space(raw: str) -> list[tuple[str, str]]:
    """``FLT3-ITD`` → ``FLT3 ITD``: a dash (or slash) after the gene, read as the space between gene and alteration."""
    head, space, rest = raw.partition(" ")
    found = []
    for index, char in enumerate(head):
        if char in "-/_" and 0 < index < len(head) - 1 and head[index - 1 : index + 1] != "::":
            joined = f"{head[:index]} {head[index + 1 :]}{space}{rest}"
            mark = {"-": "a dash", "/": "a slash", "_": "an underscore"}[char]
            found.append((joined, f"{mark} read as the space between gene and alteration"))
    return found


def listed_alterations(text: str) -> list[str] | None:
    """The alterations one text lists (``KRAS G12C, TP53 R273H`` → both; ``EGFR L858R/T790M``, ``EGFR del19 +
    T790M``: a change alone is in the gene before it), each a gene and an alteration; None unless there are two or
    more and each reads as one (``CDKN2A/B deletion``, ``BRCA1/2``, ``KRAS G12D/V``, ``TP53 and KRAS`` are no
    lists)."""
    parts = [p for p in _LIST_SEPARATOR.split(" ".join(text.split()).strip(" ,;|")) if p]
    if len(parts) < 2 or not _LIST_ITEM.match(parts[0]):
        return None
    listed: list[str] = []
    for part in parts:  # "EGFR L858R and T790M": a change alone is in the gene named before it
        if _LIST_ITEM.match(part):
            listed.append(part)
        elif _CHANGE_ALONE.match(part):
            listed.append(f"{listed[-1].split()[0]} {part}")
        else:
            return None
    return listed


def _word_rules(text: str) -> list[tuple[str, str]]:
    found = []
    if qualified := _QUALIFIED.match(text):
        gene, rest = qualified.group("gene"), qualified.group("rest")
        found.append((f"{gene} mutation" if re.fullmatch(_FILLER, rest, re.IGNORECASE) else f"{gene} {rest}",
                      _QUALIFIER_WHY))  # fmt: skip
    if filler := _GENE_AND_FILLER.match(text):
        found.append((f"{filler.group('gene')} mutation", _FILLER_WHY))
    if leading := _LEADING_QUALIFIER.match(text):
        found.append((leading.group("rest"), _QUALIFIER_WHY))
        found.extend((other, f"{_QUALIFIER_WHY}; {why}") for other, why in _word_rules(leading.group("rest")))
    if prefixed := _ORIGIN_PREFIX.match(text):
        gene, rest = prefixed.group("gene"), prefixed.group("rest")
        why = f"{prefixed.group('origin')}{gene} is a {_ORIGIN_WHY[prefixed.group('origin')]} {gene} mutation"
        found.append((f"{gene} {rest}" if rest else f"{gene} mutation", why))
    if loss := _LOSS.match(text):
        found.append((f"{loss.group('gene')} loss of function", "both alleles lost or inactivated: loss of function"))
    if splice := _SPLICE_VARIANT.match(text):
        gene, variant = splice.group("gene"), splice.group("variant")
        found.append(
            (f"{gene} {variant} expression", f"{gene}-{variant}, a splice variant, reported by its expression")
        )
    if rearranged := _REARRANGED.match(text):
        gene = rearranged.group("gene")
        found.append((f"{gene} fusion", f"{gene}-r reports {gene} rearranged"))
    if noted := _CALL_NOTE.match(text):
        kept, note = noted.group("kept"), (noted.group("note") or "").strip()
        if _BRACKETED_FUSION.match(note) and kept.split()[0].upper() in note.upper():
            found.append((note, f"the fusion named in brackets, {note}"))  # ALK fusion (EML4-ALK): EML4::ALK
        found.append((kept, "what the report says about the call left out"))
    if exons := _FUSION_EXONS.match(text):
        five, three = exons.group("five"), exons.group("three")
        first, second = exons.group("e5") or exons.group("x5"), exons.group("e3") or exons.group("x3")
        found.append((f"{five}::{three} e{first}-e{second}", "each gene's exon written as CIViC names a breakpoint"))
        found.append((f"{five}::{three}", f"exons {first} and {second} are no breakpoint this graph names: the fusion"))
    if splice_site := _EXON_SPLICE.match(text):
        found.append((f"{splice_site.group('gene')} {splice_site.group('exon')}", "a splice-site change of the exon"))
    if (ranged := _DASHED_RANGE.sub("_", text)) != text:
        found.append((ranged, "a dash between the ends of a range read as HGVS's underscore"))
    if reversed_ := _CHANGE_FIRST.match(text):
        found.append((f"{reversed_.group('gene')} {reversed_.group('change')}", "the gene written after its change"))
    if score := _HER2_SCORE.match(text):
        gene = score.group("gene")
        found.append((f"{gene} amplification", _POSITIVE_WHY["amplification"].format(gene=gene)))
    if positive := _POSITIVE.match(text):
        gene = positive.group("gene")
        kind = _POSITIVE_MEANS.get(gene.upper())
        if kind is not None:
            found.append((f"{gene} {kind}", _POSITIVE_WHY[kind].format(gene=gene)))
    elif trailing := _TRAILING.match(text):
        found.append((trailing.group("kept"), _FILLER_WHY))
    if between := _BETWEEN.match(text):
        found.append((f"{between.group('gene')} {between.group('change')}", _FILLER_WHY))
    if (short := _SHORT_CLASS.match(text)) and not re.fullmatch(_FILLER, short.group("word"), re.IGNORECASE):
        found.append((f"{text} mutation", "the word mutation added, as sources name such classes"))
    found.extend((glued, "the gene and its change written without a space") for glued in _unglued(text))
    return found


def _unglued(text: str) -> list[str]:
    """``BRAFV600E`` → ``BRAF V600E``: each place a symbol-like start meets a protein change, longest symbol first
    (``H3F3AK27M`` is ``H3F3A K27M`` before it is ``H3 F3AK27M``)."""
    if " " in text:
        return []
    splits = [i for i in range(len(text) - 2, 1, -1) if _GLUED_GENE.match(text[:i]) and _GLUED_CHANGE.match(text[i:])]
    return [f"{text[:i]} {text[i:]}" for i in splits[:_MAX_GLUED]]
