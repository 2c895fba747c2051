"""Calls made elsewhere, as PharmCAT takes them: phenotypes, activity scores and outside-call files.

Some genes cannot be called from a VCF (CYP2D6, HLA-A/B, MT-RNR1) or have no diplotype →
phenotype table in the bundled PharmCAT data (CYP2D6, G6PD, RYR1).  A laboratory's call for them
is given as text (``pmkg pgx --diplotype`` / ``pmkg match --variant``) or in PharmCAT's
outside-call file (``gene<TAB>diplotype<TAB>phenotype<TAB>activity score``, ``#`` comments):

* ``CYP2D6 activity score 1.0``, ``CYP2D6 Intermediate Metabolizer``, ``G6PD Deficient``;
* a diplotype with its phenotype: ``CYP2D6 *1/*3 intermediate metabolizer``,
  ``CYP2D6 *1/*4 (activity score 1.0)``;
* ``MT-RNR1 m.1555A>G`` or PharmCAT's own ``1555A>G``.

A phenotype name selects CPIC's lookup keys: the phenotype's own, or for CYP2D6 (looked up by
activity score, whose table is not bundled) every score CPIC's genotype-to-phenotype standard
gives that phenotype (:data:`CYP2D6_SCORES`), so "Intermediate Metabolizer" is the range
0.25–1.0.  HLA alleles are checked against the HLA-A/HLA-B allele groups IMGT/HLA defines
(:data:`HLA_ALLELE_GROUPS`); the protein field is not checked (no allele list is bundled), and the
answer says so.

This module reads and interprets text only; it never logs or keeps a patient's calls.

>>> split_call("*1/*3 intermediate metabolizer")
('*1/*3', 'intermediate metabolizer', None)
>>> split_call("*1/*4 Intermediate Metabolizer (activity score 1.0)")
('*1/*4', 'Intermediate Metabolizer', '1.0')
>>> split_call("c.1905+1G>A (*2A)/Reference")
('c.1905+1G>A (*2A)/Reference', None, None)
>>> split_call("activity score 1.0")
('', None, '1.0')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import SourceFileError
from kg.records import Node
from queries.pgx_graph import GeneData, activity_score, lookup_keys, name_key, prop_text

# CPIC's CYP2D6 genotype → phenotype standard (Caudle et al. 2020, Clin Transl Sci 13:116-124):
# activity score ranges per phenotype (upper bound None: and above).
CYP2D6_SCORES: dict[str, tuple[float, float | None]] = {
    "Poor Metabolizer": (0.0, 0.0),
    "Intermediate Metabolizer": (0.25, 1.0),
    "Normal Metabolizer": (1.25, 2.25),
    "Ultrarapid Metabolizer": (2.5, None),
}
SCORE_PHENOTYPES = {"CYP2D6": CYP2D6_SCORES}

# HLA allele groups (the first field of an allele name) that IMGT/HLA defines for the genes CPIC uses.
HLA_ALLELE_GROUPS: dict[str, frozenset[str]] = {
    "HLA-A": frozenset({
        "01", "02", "03", "11", "23", "24", "25", "26", "29", "30", "31", "32", "33", "34", "36", "43", "66", "68",
        "69", "74", "80",
    }),
    "HLA-B": frozenset({
        "07", "08", "13", "14", "15", "18", "27", "35", "37", "38", "39", "40", "41", "42", "44", "45", "46", "47",
        "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "67", "73", "78", "81", "82", "83",
    }),
}  # fmt: skip

# Every phenotype CPIC names (tests/regressions/test_pgx_tumour_board.py reads each one in the graph through here),
# and the words reports use for them (metaboliser, deficiency, acetylator).
_PHENOTYPE_WORDS = (
    r"(?:likely\s+|possible\s+)?(?:poor|intermediate|normal|rapid|ultra-?rapid|extensive)\s+metaboli[sz]er"
    r"|(?:likely\s+)?(?:poor|decreased|normal|increased|possible\s+decreased)\s+function"
    r"|indeterminate|deficient(?:\s+with\s+cnsha)?|deficiency|variable|normal"
    r"|(?:malignant\s+hyperthermia|uncertain)\s+susceptibility"
    r"|(?:slow|intermediate|rapid|fast)\s+acetylator"
    r"|\*\d{2,3}:\d{2,4}\s+(?:positive|negative)"  # HLA: CPIC's "*57:01 positive"
    r"|(?:increased|normal|uncertain)\s+risk\s+of\s+aminoglycoside-induced\s+hearing\s+loss"  # MT-RNR1
    r"|ivacaftor\s+(?:non-)?responsive\s+in\s+CF\s+patients"  # CFTR
    r"|lpm|lim|pm|im|nm|em|rm|urm|um"  # CPIC's abbreviations (_ABBREVIATIONS)
)
_SCORE_TAIL = re.compile(
    r"^(?P<head>.*?)[\s,;(]*\b(?:activity\s+score|AS)\s*[:=]?\s*(?P<value>\d+(?:\.\d+)?)\s*\)?\s*$", re.IGNORECASE
)
_PHENOTYPE_TAIL = re.compile(
    rf"^(?P<head>.*?)[\s,;(]*(?<![\w*:])(?P<phenotype>{_PHENOTYPE_WORDS})\s*\)?\s*$", re.IGNORECASE
)
_SCORE = re.compile(r"^(?:activity\s+score|as|score)?\s*[:=]?\s*(?P<value>\d+(?:\.\d+)?)$", re.IGNORECASE)
_HLA_ALLELE = re.compile(
    r"^(?:(?:HLA-)?[A-Z]+\d?)?\*?(?P<f1>\d{2,3}):(?P<f2>\d{2,4})(?::\d{2,3})*[A-Z]?$", re.IGNORECASE
)
_GENE_FIRST = re.compile(r"^\s*(?P<gene>[A-Za-z][A-Za-z0-9-]*)\s*[:=]?\s+(?P<rest>\S.*)$")
_MT = re.compile(r"^(?:m\.)?(?P<change>\d+[ACGT]+>[ACGT]+|\d+[ACGT]*>?del\S*)$", re.IGNORECASE)


def split_call(rest: str) -> tuple[str, str | None, str | None]:
    """``(diplotype text, phenotype, activity score)`` of a call; the last two as written after the diplotype."""
    head, phenotype, score = rest.strip(), None, None
    for _ in range(2):  # either order: "Intermediate Metabolizer (activity score 1.0)" or the reverse
        found = _SCORE_TAIL.match(head) if score is None else None
        if found:
            head, score = found.group("head").strip(), found.group("value")
        found = _PHENOTYPE_TAIL.match(head) if phenotype is None else None
        if found:
            head, phenotype = found.group("head").strip(), " ".join(found.group("phenotype").split())
    return head, phenotype, score


def pgx_call_gene(text: str) -> str | None:
    """The gene of a text that reads as a PGx call without a star diplotype (``CYP2D6 activity score 1.0``,
    ``DPYD Poor Metabolizer``, ``MT-RNR1 1555A>G``), else None.  Whether the gene has PGx data is the
    caller's question."""
    match = _GENE_FIRST.match(text)
    if match is None:
        return None
    gene, rest = match.group("gene"), match.group("rest")
    if gene.upper() == "MT-RNR1" and mitochondrial_name(rest):
        return gene
    head, phenotype, score = split_call(rest)
    return gene if (phenotype is not None or score is not None) and (not head or "/" in head) else None


def mitochondrial_name(text: str) -> str | None:
    """``1555A>G`` and ``m.1555A>G`` → ``m.1555A>G`` (MT-RNR1 variants as CPIC names them)."""
    match = _MT.match(text.strip())
    return f"m.{match.group('change')}" if match else None


def hla_allele(gene: str, text: str) -> tuple[str | None, str | None]:
    """``(*57:01, None)`` for an HLA allele ``text`` of ``gene``, or ``(None, why not)``."""
    match = _HLA_ALLELE.match(text.strip())
    if match is None:
        return None, f"{text!r} is not an HLA allele (expected two-field typing such as '*57:01')"
    group = match.group("f1")
    groups = HLA_ALLELE_GROUPS.get(gene)
    if groups is not None and group not in groups:
        return None, f"{gene} has no allele group *{group} (IMGT/HLA); {text!r} is not a {gene} allele"
    return f"*{group}:{match.group('f2')}", None


@dataclass(frozen=True)
class PhenotypeCall:
    """What a phenotype or activity-score text selects in CPIC's lookup keys."""

    phenotype: str | None
    activity_score: float | None
    lookup_values: tuple[str, ...]
    phenotype_ids: tuple[str, ...]
    note: str | None = None


def phenotype_call(gene: GeneData, text: str) -> PhenotypeCall | None:
    """The phenotype ``text`` names for ``gene`` (a phenotype name, or an activity score); None if none."""
    score = _SCORE.match(text.strip())
    if score and (gene.scored or any(_scores(n) for n in gene.phenotypes)):
        return _score_call(gene, float(score.group("value")))
    wanted = _canonical(text)
    named = [n for n in gene.phenotypes if wanted in _names(gene, n)]
    if named:
        values = tuple(dict.fromkeys(v for n in named for v in lookup_keys(n)))
        phenotype = prop_text(named[0], "phenotype") or named[0].name.removeprefix(f"{gene.symbol} ")
        scores = [s for v in values if (s := activity_score(v)) is not None]
        single = scores[0] if len(scores) == 1 and gene.scored else None
        note = _range_note(gene, phenotype, values) if len(values) > 1 else None
        return PhenotypeCall(phenotype, single, values, tuple(n.id for n in named), note)
    ranges = SCORE_PHENOTYPES.get(gene.symbol, {})
    for phenotype, (low, high) in ranges.items():
        if _canonical(phenotype) == wanted:
            nodes = [n for n in gene.phenotypes if _within(n, low, high)]
            values = tuple(dict.fromkeys(v for n in nodes for v in lookup_keys(n)))
            note = _range_note(gene, phenotype, values) if len(values) > 1 else None
            single = low if high == low else None
            return PhenotypeCall(phenotype, single, values, tuple(n.id for n in nodes), note)
    return None


def score_phenotype(gene: str, score: float) -> str | None:
    """CPIC's phenotype for an activity score of a gene whose phenotype table is not bundled (CYP2D6)."""
    for phenotype, (low, high) in SCORE_PHENOTYPES.get(gene, {}).items():
        if score >= low - 1e-9 and (high is None or score <= high + 1e-9):
            return phenotype
    return None


def phenotype_names(gene: GeneData) -> list[str]:
    """The phenotype names a user may give for ``gene``."""
    return sorted({*gene.phenotype_names(), *SCORE_PHENOTYPES.get(gene.symbol, {})})


def _score_call(gene: GeneData, value: float) -> PhenotypeCall | None:
    for node in gene.phenotypes:
        for key in lookup_keys(node):
            if activity_score(key) == value:
                phenotype = prop_text(node, "phenotype") or score_phenotype(gene.symbol, value)
                return PhenotypeCall(phenotype, value, (key,), (node.id,))
    return None


def _scores(node: Node) -> list[str]:
    value = node.props.get("activity_scores")
    return [str(v) for v in value] if isinstance(value, list) else []


def _within(node: Node, low: float, high: float | None) -> bool:
    scores = [s for v in _scores(node) if (s := activity_score(v)) is not None]
    return bool(scores) and all(s >= low - 1e-9 and (high is None or s <= high + 1e-9) for s in scores)


# The abbreviations of lab reports and PharmCAT's own (CPIC's terms: PM, IM, NM, RM, UM; EM the old word for NM).
_ABBREVIATIONS = {
    "pm": "poor metabolizer", "im": "intermediate metabolizer", "nm": "normal metabolizer",
    "em": "normal metabolizer", "rm": "rapid metabolizer", "um": "ultrarapid metabolizer",
    "urm": "ultrarapid metabolizer", "lpm": "likely poor metabolizer", "lim": "likely intermediate metabolizer",
}  # fmt: skip


def _canonical(text: str) -> str:
    """Phenotype names compared without case, spaces, hyphens or the British spelling; abbreviations spelled out."""
    text = _ABBREVIATIONS.get(" ".join(text.lower().split()), text)
    key = name_key(text).replace("-", "").replace("metaboliser", "metabolizer").replace("extensive", "normal")
    return key.replace("deficiency", "deficient")


def _names(gene: GeneData, node: Node) -> set[str]:
    names = {_canonical(node.name), _canonical(node.name.removeprefix(f"{gene.symbol} "))}
    phenotype = prop_text(node, "phenotype")
    if phenotype:
        names.add(_canonical(phenotype))
    return names


def _range_note(gene: GeneData, phenotype: str, values: tuple[str, ...]) -> str:
    return (f"{gene.symbol} {phenotype} covers CPIC lookup values {', '.join(values)}; where CPIC's advice differs "
            "between them each is shown: give the activity score to choose one")  # fmt: skip


# --------------------------------------------------------------------- outside-call files


@dataclass(frozen=True)
class OutsideCall:
    """One line of an outside-call file, as the text :func:`queries.pgx.interpret` reads."""

    line: int
    gene: str
    text: str  # "GENE diplotype phenotype activity score N", the parts the line gives


def read_outside_calls(path: Path) -> Iterator[OutsideCall | tuple[int, str]]:
    """PharmCAT's outside-call TSV: an :class:`OutsideCall` per line, or ``(line, problem)`` for a bad one.

    A file that cannot be read at all raises :class:`kg.errors.SourceFileError`.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceFileError(str(path), None, f"cannot be read: {exc.strerror or exc}") from exc
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SourceFileError(str(path), 1, "is UTF-16 text; save it as UTF-8 (tab-separated)")
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            line = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            yield number, "not UTF-8 text (the line is skipped)"
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) > 4:
            yield number, f"expected at most 4 tab-separated fields (gene, diplotype, phenotype, activity score), " \
                f"got {len(fields)}"  # fmt: skip
            continue
        gene, diplotype, phenotype, score = (*fields, "", "", "")[:4]
        if not gene or " " in gene:
            yield number, f"the first field must be a gene symbol, got {gene!r}"
            continue
        if not (diplotype or phenotype or score):
            yield number, f"{gene}: give a diplotype, a phenotype or an activity score"
            continue
        if score and not re.fullmatch(r"\d+(?:\.\d+)?", score):
            yield number, f"{gene}: activity score {score!r} is not a number"
            continue
        parts = [gene, diplotype, phenotype, f"activity score {score}" if score else ""]
        yield OutsideCall(number, gene, " ".join(p for p in parts if p))
