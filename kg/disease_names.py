"""Disease names as keys: the one normalisation loaders map by and queries look up by.

Disease names are written many ways for one term: ``Breast Invasive Ductal Carcinoma``,
``breast invasive ductal carcinoma``, ``B-Lymphoblastic Leukemia/Lymphoma, BCR-ABL1 Like``
against DO's ``B-lymphoblastic leukemia/lymphoma, BCR-ABL1–like`` (an en dash), ``Wilms'
Tumor`` against ``Wilms tumor``.  :func:`name_key` folds case, punctuation and dashes;
:func:`token_key` also ignores word order and filler words, so ``Carcinoma of the Lacrimal
Gland`` and ``lacrimal gland carcinoma`` meet.  :func:`without_qualifiers` drops the words
that narrow a name without changing what it is a kind of (``High-Grade``, ``Invasive``,
``NOS``), for mappings onto a *broader* term.

These functions never guess between terms: they only make keys.  Deciding what a key may
match (and whether a match is exact or broader) is the caller's job.

>>> name_key("B-Lymphoblastic Leukemia/Lymphoma, BCR-ABL1 Like")
'b lymphoblastic leukemia lymphoma bcr abl1 like'
>>> token_key("Adenoid Cystic Carcinoma of the Lacrimal Gland") == token_key("lacrimal gland adenoid cystic carcinoma")
True
>>> name_key("HR+/HER2- breast cancer"), name_key("HER2-negative/HR-negative breast cancer")
('hr+ her2- breast cancer', 'her2- hr- breast cancer')
>>> name_key("Extranodal NK-/T-Cell Lymphoma")  # a dash before "/" is a sign only between signed markers
'extranodal nk t cell lymphoma'
>>> without_qualifiers("High-Grade Serous Ovarian Cancer")
'serous ovarian cancer'
"""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = re.compile(r"[^0-9a-z]+")
_HYPHENATED_WORD = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)*")
_DASHES = re.compile("[\u2010-\u2015\u2212]")  # hyphens, en and em dashes, minus: one hyphen
_POSITIVE = re.compile(r"([0-9a-z])\+")
# A trailing "-" is a sign before a space or the end, and before "/" only when the next marker has one too
# ("HR-/HER2-"): "NK-/T-cell" is NK/T-cell.
_NEGATIVE = re.compile(r"([0-9a-z])-(?=[\s,;)]|$|/[0-9a-z]+[+-](?:[\s,;)/]|$))")
_STATUS = {"positive": "+", "negative": "-"}
# What a marker's status is written as ("HR+", "EGFR-mutant", "MSI-high"): the words, and a sign at the end.
_STATUS_WORDS = r"positive|negative|mutant|mutated|amplified|rearranged|deficient|high|low"
_STATUS_MARK = re.compile(rf"[+-]$|{_STATUS_WORDS}", re.IGNORECASE)
_MARKER_STATUS = (
    r"(?-i:[A-Z][A-Z0-9]+\s+)?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
    rf"(?:[+-]|[\s-](?:{_STATUS_WORDS}))"
)
_WITH_ALTERATION = re.compile(r"(?i)(?:with|harbou?ring)\s")
_COURSE_OR_STATUS = re.compile(
    r"(?i)(?<![\w+-])(?:"
    r"(?:locally\s+)?advanced|metastatic|unresectable|inoperable|recurrent|relapsed(?:\s*/\s*refractory)?|"
    r"refractory|r/r|newly\s+diagnosed|de\s+novo|untreated|previously\s+treated|treatment[\s-]naive|progressive|"
    r"stage\s+(?:[0-4]|i{1,3}v?|iv)[abc]?|"
    r"(?:in\s+)?(?:chronic|accelerated|blast(?:ic)?)\s+(?:phase|crisis)|in\s+(?:first\s+|second\s+)?remission|"
    r"philadelphia(?:\s+chromosome)?[\s-]+(?:positive|negative)|luminal(?:[\s-]+[ab])?|basal[\s-]like|"
    r"(?:with|harbou?ring)\s+(?:mutated\s+[A-Za-z0-9]+|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?:\s+[A-Za-z0-9]+){0,3}?\s+"
    r"(?:mutations?|fusions?|rearrangements?|amplifications?|deletions?|insertions?|skipping))|"
    rf"{_MARKER_STATUS}(?:\s*/\s*{_MARKER_STATUS})*"
    r")(?![\w+])[\s,;]*"
)
_NOS = re.compile(r"(?i)[,;]?\s*\b(nos|not otherwise specified)\b\.?\s*$")
# Words that join a name without naming anything ("carcinoma OF THE lung").
# The one node for evidence written against "any solid tumour" (tumour-agnostic approvals): MOAlmanac's and CGI's
# term, CIViC's "Solid Tumor" (which has no DOID).  Queries treat it as a broader term of every solid cancer.
ANY_SOLID_TUMOR = ("NCIT:C132146", "Any solid tumor")
_ANY_SOLID_TUMOR_KEYS = frozenset({"any solid tumor", "solid tumor", "solid tumors", "any solid tumour", "solid tumour",
                                   "solid tumours", "solid neoplasm", "solid tumors advanced", "advanced solid tumors",
                                   "advanced solid tumor"})  # fmt: skip
FILLER_WORDS = frozenset({"of", "the", "and", "with", "in", "or", "a", "an", "type", "nos"})
# Words that narrow a disease without changing what it is a kind of: dropping them gives a broader term.
QUALIFIER_WORDS = frozenset(
    {
        "invasive", "infiltrating", "high", "low", "grade", "nos", "other", "primary", "conventional",
        "classic", "classical", "adult", "pediatric", "paediatric", "childhood", "well", "moderately",
        "poorly", "differentiated", "undifferentiated", "malignant", "metastatic", "advanced", "recurrent",
        "unclassifiable", "unclassified", "type",
    }
)  # fmt: skip
# Spellings a clinician writes for one word (British and American, singular and plural).
_SPELLINGS = {
    "tumour": "tumor",
    "tumours": "tumor",
    "tumors": "tumor",
    "leukaemia": "leukemia",
    "leukaemias": "leukemia",
    "leukemias": "leukemia",
    "oesophagus": "esophagus",
    "oesophageal": "esophageal",
    "haematologic": "hematologic",
    "haematological": "hematologic",
    "hematological": "hematologic",
    "paediatric": "pediatric",
    "oestrogen": "estrogen",
    "carcinomas": "carcinoma",
    "cancers": "cancer",
    "lymphomas": "lymphoma",
    "sarcomas": "sarcoma",
    "neoplasms": "neoplasm",
    "gliomas": "glioma",
    "melanomas": "melanoma",
    "adenocarcinomas": "adenocarcinoma",
    "syndromes": "syndrome",
    "disorders": "disorder",
    "diseases": "disease",
}


def _folded(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("'s ", " ").replace("' ", " ")  # "Wilms' Tumor", "Hodgkin's lymphoma"
    # A sign after a marker is its status, not punctuation: "HR+/HER2-" is not "HR-/HER2-" (triple negative).
    return _POSITIVE.sub(r"\1 positive ", _NEGATIVE.sub(r"\1 negative ", _DASHES.sub("-", folded)))


def _words(text: str) -> list[str]:
    words = [_SPELLINGS.get(w, w) for w in _PUNCTUATION.sub(" ", _folded(text)).split()]
    # A status stays with its marker, so word order cannot swap them: "HR+/HER2-" (hr+ her2-) is not "HR-/HER2+".
    marked: list[str] = []
    for word in words:
        sign = _STATUS.get(word)
        if sign and marked and marked[-1] not in FILLER_WORDS and marked[-1][-1] not in "+-":
            marked[-1] += sign
        else:
            marked.append(word)
    return marked


def whole_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as :func:`name_key` reads them, except that a hyphenated word stays one word.

    "non-small cell" must not contain "small cell":

    >>> whole_words("Non-Small Cell Lung Carcinomas"), whole_words("B-lymphoblastic leukemia/lymphoma")
    (('non-small', 'cell', 'lung', 'carcinoma'), ('b-lymphoblastic', 'leukemia', 'lymphoma'))
    """
    words = _HYPHENATED_WORD.findall(_folded(_DASHES.sub("-", text)))
    return tuple(_SPELLINGS.get(w, w) for w in words)


def name_key(text: str) -> str:
    """``text`` lower-cased, accents and punctuation folded to single spaces, one spelling per word."""
    return " ".join(_words(text))


def is_any_solid_tumor(text: str) -> bool:
    """Whether a disease name means "any solid tumour".

    >>> is_any_solid_tumor("Solid Tumor"), is_any_solid_tumor("Solid pseudopapillary tumor")
    (True, False)
    """
    return name_key(text) in _ANY_SOLID_TUMOR_KEYS


def strip_nos(text: str) -> str:
    """``text`` without a trailing "NOS" / "not otherwise specified" (``Glioma, NOS`` → ``Glioma``)."""
    return _NOS.sub("", text).strip()


def token_key(text: str) -> str:
    """The sorted words of ``text`` without filler words: word order and "of the" do not matter."""
    return " ".join(sorted({w for w in _words(text) if w not in FILLER_WORDS}))


def without_course_and_status(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without the words that say a disease's stage, course or marker status rather than what it is
    (``metastatic``, ``stage IV``, ``relapsed/refractory``, ``HR+/HER2-``, ``EGFR-mutant``), and those words:
    a diagnosis as a clinic writes it, to read as the disease when the whole text names none.

    >>> without_course_and_status("HR+/HER2- metastatic breast cancer")
    ('breast cancer', ('HR+/HER2-', 'metastatic'))
    >>> without_course_and_status("stage IV KRAS G12C-mutant NSCLC")
    ('NSCLC', ('stage IV', 'KRAS G12C-mutant'))
    >>> without_course_and_status("CML in chronic phase"), without_course_and_status("AML with NPM1 mutation")
    (('CML', ('in chronic phase',)), ('AML', ('with NPM1 mutation',)))
    """
    dropped = tuple(m.group(0).strip(" ,;") for m in _COURSE_OR_STATUS.finditer(text))
    return " ".join(_COURSE_OR_STATUS.sub(" ", text).strip(" ,;").split()), dropped


def is_marker_status(text: str) -> bool:
    """Whether a part :func:`without_course_and_status` left out is a marker's status (``HR+/HER2-``,
    ``EGFR-mutant``) rather than a stage or course (``metastatic``, ``stage IV``)."""
    return _STATUS_MARK.search(text) is not None or is_alteration_clause(text)


def is_alteration_clause(text: str) -> bool:
    """Whether a part :func:`without_course_and_status` left out names the tumour's alteration (``with NPM1
    mutation``, ``harboring EGFR mutations``) rather than a marker's sign or word."""
    return _WITH_ALTERATION.match(text) is not None


def without_qualifiers(text: str) -> str:
    """``text`` without the words that only narrow it (:data:`QUALIFIER_WORDS`), as a :func:`name_key`."""
    return " ".join(w for w in _words(text) if w not in QUALIFIER_WORDS)
