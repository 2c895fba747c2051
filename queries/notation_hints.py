"""Why a text that no reader of :mod:`queries.notation` took is not a variant: the reason, not a shrug.

:func:`unreadable` is the last word of :func:`queries.notation.parse_variant`.  It recognises the
shapes users type that pmkg does not read, and says which part is wrong and what to write instead:
several variants in one input (``BRAF V600E; KRAS G12C``), a genomic position on a contig the gene
model does not hold (``chrZ``, ``chrUn_gl000220``, ``chr1_KI270706v1_random``), a base that is not
A, C, G or T (``chr7:g.140753336N>T``), HGVS kinds that are not read after a gene (``n.``, ``r.``,
``g.``, ``m.``), protein changes that claim nothing to match (``p.?``, ``p.(=)``) and a count of
copies where a copy-number call belongs (``ERBB2 CN=8``: whether 8 copies are an amplification or a
gain depends on the tumour's ploidy and purity, which the text does not give).  Anything else
keeps the general advice.  It never looks at the graph and never raises.

>>> unreadable("chrZ:g.1A>T").reason
"'chrZ' is not a chromosome pmkg reads (1-22, X, Y or MT, with or without chr, or an NC_ accession)"
>>> unreadable("BRAF V600E; KRAS G12C").reason
"'BRAF V600E; KRAS G12C' holds 2 inputs separated by ';'"
"""

from __future__ import annotations

import re
from typing import NamedTuple

_GENERAL = (
    "write a gene and an alteration, e.g. BRAF V600E, BRAF c.1799T>A, ERBB2 amplification, "
    "EGFR exon 19 deletion or EML4::ALK"
)
# Genes of one family written as one (BRCA1/2, CDKN2A/B, NTRK1/2/3): each gene's last character after a slash.
_GENE_FAMILY = re.compile(
    r"^(?P<stem>[A-Za-z][A-Za-z0-9]*?)(?P<first>[0-9]|[A-Z])(?P<others>(?:/(?:[0-9]|[A-Z]))+)(?P<rest>\s+.+)?$"
)
_SEPARATORS = re.compile(r"\s*(;|\|)\s*")
_BRACKETED = re.compile(r"\[[^\]]*\]")  # an HGVS allele, c.[76A>C;83G>C], is one input
_CONTIG = re.compile(
    r"^(?:(?:GRCh3[78]|hg19|hg38|b37)\s*[:/ ]\s*)?(?P<contig>(?!NC_)[A-Za-z0-9_.]+)"
    r"(?::g\.\d|[-:_\s]\d+[-:_\s][A-Za-z]+[-:_\s>/][A-Za-z<>]+$)",
    re.IGNORECASE,
)
_KNOWN_CONTIG = re.compile(r"^(?:chr)?(?:[0-9]{1,2}|X|Y|MT|M)$", re.IGNORECASE)
_BASES = re.compile(r"(?:g\.\d+(?:_\d+)?|[-:_\s]\d+[-:_\s])(?P<ref>[A-Za-z]+)[-:_\s>/]?(?:>)?(?P<alt>[A-Za-z]+)$")
_KIND_AFTER_GENE = re.compile(r"^(?P<gene>\S+)\s+(?P<kind>[nrgm])\.\S", re.IGNORECASE)
_NO_CLAIM = re.compile(r"^\S+\s+p\.\(?(?P<what>\?|=)\)?$")
_COPY_COUNT = re.compile(  # a gene, then "CN=8", "copy number 12" (or "... copies"), or "12 copies"
    r"^(?P<gene>\S+)\s+(?:(?:CN|CNV|copy[\s_-]*numbers?|copies)\s*(?:=|:|of)?\s*(?=\d)|(?=[\d.]+\s*copies$))"
    r"(?P<count>\d+(?:\.\d+)?)(?:\s*copies)?$",
    re.IGNORECASE,
)
_KIND_ADVICE = {
    "n": ("n. positions (on a non-coding transcript) are not read",
          "give the c. change on the coding transcript, the protein change, or the genomic position "
          "(e.g. chr7:g.140753336A>T)"),
    "r": ("r. (RNA) changes are not read", "give the c. change or the protein change"),
    "g": ("a g. position is read on its chromosome, not after a gene",
          "write e.g. chr7:g.140753336A>T or NC_000007.14:g.140753336A>T"),
    "m": ("m. positions are on the mitochondrial genome, not on a nuclear gene",
          "write e.g. MT-RNR1 m.1555A>G (pharmacogenomic) or chrM:g.1555A>G"),
}  # fmt: skip


class Hint(NamedTuple):
    """A reason and a suggestion, in the shape of :class:`queries.notation.Unparsed`; ``vague`` when the reason
    says only that the text is not read (see :attr:`queries.notation.Unparsed.vague`)."""

    reason: str
    suggestion: str | None
    vague: bool = False


def several_inputs(raw: str) -> Hint | None:
    """Why ``raw`` is several inputs in one (``BRAF V600E; KRAS G12C``, ``CDKN2A/B deletion``), or None if it is one.

    >>> several_inputs("CDKN2A/B deletion").suggestion
    'give each as its own input: CDKN2A deletion, CDKN2B deletion'
    """
    if family := _GENE_FAMILY.match(raw):
        stem, rest = family.group("stem"), family.group("rest") or ""
        genes = [stem + family.group("first"), *(stem + m for m in family.group("others").split("/") if m)]
        return Hint(f"{raw!r} names {len(genes)} genes ({', '.join(genes)})",
                    f"give each as its own input: {', '.join(g + rest for g in genes)}")  # fmt: skip
    outside = _BRACKETED.sub("", raw)
    separator = _SEPARATORS.search(outside)
    parts = [p for p in _SEPARATORS.split(outside) if p.strip() and not _SEPARATORS.fullmatch(p)]
    if separator is None or len(parts) < 2:
        return None
    return Hint(
        f"{raw!r} holds {len(parts)} inputs separated by {separator.group(1)!r}",
        "give each variant as its own input (one --variant each, one line each, or one list item each)",
    )


def unreadable(raw: str) -> Hint:
    """The reason ``raw`` is not a variant pmkg reads, and what to write instead."""
    if several := several_inputs(raw):
        return several
    if (contig := _CONTIG.match(raw)) and not _KNOWN_CONTIG.match(contig.group("contig")):
        name = contig.group("contig")
        return Hint(
            f"{name!r} is not a chromosome pmkg reads (1-22, X, Y or MT, with or without chr, or an NC_ accession)",
            "unplaced and alternate contigs are not in the gene model; give the gene and protein change instead",
        )
    if contig and (bases := _BASES.search(raw)):
        wrong = sorted({b for b in (bases.group("ref") + bases.group("alt")).upper() if b not in "ACGT"})
        if wrong:
            return Hint(f"{', '.join(wrong)} in {raw!r} is not a DNA base", "write the alleles with A, C, G and T")
    kind = _KIND_AFTER_GENE.match(raw)
    if kind and not (kind.group("kind").lower() == "m" and kind.group("gene").upper().startswith("MT-")):
        return Hint(*_KIND_ADVICE[kind.group("kind").lower()])
    if count := copy_count(raw):
        return count
    if claim := _NO_CLAIM.match(raw):
        if claim.group("what") == "?":
            return Hint(f"{raw!r} says the effect on the protein is unknown: there is nothing to match",
                        "give the c. change or the genomic position")  # fmt: skip
        return Hint(f"{raw!r} says the protein does not change (synonymous): it matches no variant or class",
                    "give the protein change at its position (e.g. V600=) or the c. change")  # fmt: skip
    return Hint(f"cannot read {raw!r} as a variant", _GENERAL, vague=True)


def copy_count(raw: str) -> Hint | None:
    """Why a number of copies (``ERBB2 CN=8``) is not read, or None if ``raw`` gives none.

    A count is not a call: the same 4 copies are a gain in a diploid tumour and neutral in a tetraploid one.
    """
    count = _COPY_COUNT.match(raw)
    if count is None:
        return None
    gene, copies = count.group("gene"), count.group("count")
    return Hint(
        f"{raw!r} gives a number of copies ({copies}), not a copy-number call: which call that is "
        "depends on the tumour's ploidy and purity, which pmkg is not told",
        f"write the call your lab made: {gene} amplification, {gene} gain, {gene} loss or {gene} deletion "
        "(a CNA file with discrete calls, -2 to 2, is read by pmkg annotate --cna)",
    )
