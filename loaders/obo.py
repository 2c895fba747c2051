"""A small streaming reader for OBO 1.2/1.4 flat files, shared by the ontology loaders.

:func:`read_header` returns the header tags (``format-version``, ``data-version`` …);
:func:`iter_terms` yields one :class:`OboTerm` per ``[Term]`` stanza with the tags pmkg uses
(id, name, namespace, def, synonym with its scope and type, xref, is_a, alt_id, subset,
is_obsolete, replaced_by, consider, relationship, property_value).  Other stanza kinds
(``[Typedef]``, ``[Instance]``) and other tags are skipped.  Quoted text is unescaped,
trailing ``{qualifiers}`` and ``! comments`` are dropped.

It reads one line at a time and keeps only the current stanza, so memory does not grow
with the file.  It must never guess: a stanza it cannot read raises
:class:`~kg.errors.SourceFileError` naming the file, the line and the tag (or, given
``on_bad``, is reported there and skipped whole); a file cut off mid-line always raises.

>>> import pathlib, tempfile
>>> text = 'format-version: 1.2\\n\\n[Term]\\nid: SO:0001583\\nname: missense_variant\\n'
>>> text += 'synonym: "missense" EXACT []\\nis_a: SO:0001650 ! inframe_variant\\n'
>>> path = pathlib.Path(tempfile.mkdtemp()) / "mini.obo"
>>> _ = path.write_text(text)
>>> term = next(iter_terms(path))
>>> term.id, term.name, term.is_a, term.synonyms[0].scope, term.line
('SO:0001583', 'missense_variant', ('SO:0001650',), 'EXACT', 4)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.curation.terms import CONSIDER_FOR as TERM_CONSIDER_FOR
from kg.curation.terms import REPLACES as TERM_REPLACES
from kg.errors import SourceFileError
from kg.records import PropValue
from kg.schema import RESERVED_PROPERTIES
from loaders.base import open_text

SYNONYM_SCOPES = ("EXACT", "BROAD", "NARROW", "RELATED")
# The node property holding each non-EXACT synonym scope (EXACT synonyms are the node's synonyms).
SCOPE_PROPERTIES = {"RELATED": "related_synonyms", "NARROW": "narrow_synonyms", "BROAD": "broad_synonyms"}
# OBO 1.2's scoped synonym tags, read as ``synonym`` with that scope.
_LEGACY_SYNONYM_TAGS = {
    "exact_synonym": "EXACT",
    "broad_synonym": "BROAD",
    "narrow_synonym": "NARROW",
    "related_synonym": "RELATED",
}
_STANZA = re.compile(r"^\[([A-Za-z]+)\]\s*$")
_TAG = re.compile(r"^([A-Za-z0-9_-]+):(?:\s+|$)(.*)$")
_TAG_NAME = re.compile(r"[A-Za-z0-9_-]+$")
_USED_TAGS = frozenset(
    {"id", "name", "namespace", "def", "synonym", "xref", "is_a", "alt_id", "subset", "is_obsolete", "replaced_by",
     "consider", "relationship", "property_value", *_LEGACY_SYNONYM_TAGS}
)  # fmt: skip
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_BRACKETS = re.compile(r"\[((?:[^\]\\]|\\.)*)\]")
_TRAILING_QUALIFIERS = re.compile(r"\s*(?<!\\)\{[^{}]*=[^{}]*\}\s*$")
_COMMENT = re.compile(r"(?<!\\)\s!(?:\s.*)?$")
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "W": " "}
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")

BadStanza = Callable[[SourceFileError], None]


@dataclass(frozen=True, slots=True)
class Synonym:
    """One ``synonym:`` of a term: its text, scope (EXACT/BROAD/NARROW/RELATED) and type."""

    text: str
    scope: str = "RELATED"
    type: str | None = None
    xrefs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OboTerm:
    """One ``[Term]`` stanza; ``line`` is the line of its ``id:`` tag."""

    id: str
    line: int
    name: str | None = None
    namespace: str | None = None
    definition: str | None = None
    definition_xrefs: tuple[str, ...] = ()
    synonyms: tuple[Synonym, ...] = ()
    xrefs: tuple[str, ...] = ()
    is_a: tuple[str, ...] = ()
    alt_ids: tuple[str, ...] = ()
    subsets: tuple[str, ...] = ()
    is_obsolete: bool = False
    replaced_by: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()
    relationships: tuple[tuple[str, str], ...] = ()
    property_values: tuple[tuple[str, str], ...] = ()

    def synonym_texts(self, *scopes: str) -> list[str]:
        """Synonym texts of the given scopes (all scopes if none given), in file order, unique."""
        wanted = scopes or SYNONYM_SCOPES
        return list(dict.fromkeys(s.text for s in self.synonyms if s.scope in wanted))


def term_node_fields(term: OboTerm, name: str) -> tuple[tuple[str, ...], dict[str, PropValue]]:
    """The synonyms and properties of the node ``term`` becomes, as every ontology loader writes them.

    Synonyms: the EXACT ones other than ``name``.  Properties: ``definition``, the other scopes
    (:data:`SCOPE_PROPERTIES`), ``alt_ids`` and ``subsets``, each only when the term has it.
    Cross-references are left to the loader (each ontology adds its own, through :func:`xref_props`).

    >>> term = OboTerm("SO:0001583", 4, name="missense_variant", definition="A change of one amino acid.",
    ...                synonyms=(Synonym("missense", "EXACT"), Synonym("missense codon", "NARROW")))
    >>> term_node_fields(term, "missense_variant")
    (('missense',), {'definition': 'A change of one amino acid.', 'narrow_synonyms': ['missense codon']})
    """
    props: dict[str, PropValue] = {}
    if term.definition:
        props["definition"] = term.definition
    for scope, key in SCOPE_PROPERTIES.items():
        texts = term.synonym_texts(scope)
        if texts:
            props[key] = texts
    if term.alt_ids:
        props["alt_ids"] = list(term.alt_ids)
    if term.subsets:
        props["subsets"] = list(term.subsets)
    return tuple(s for s in term.synonym_texts("EXACT") if s != name), props


# Node properties that keep an obsolete term findable from the current terms it points to (named in
# kg.curation.terms, which reads them back for the curation term diff).
REPLACES = TERM_REPLACES
CONSIDER_FOR = TERM_CONSIDER_FOR


def retired_term_props(terms: Iterable[OboTerm]) -> dict[str, dict[str, list[str]]]:
    """For each current term an obsolete term points to: ``{"replaces": [...], "consider_for": [...]}``.

    ``replaced_by`` is OBO's "use this instead"; ``consider`` only lists candidates for a human, so an
    obsolete term with a ``replaced_by`` is not also listed under its ``consider`` targets.  Loaders
    merge these into the target terms' properties, so a query can read an obsolete id as its
    replacement (with a warning) or list the candidates, without an obsolete node in the graph.

    >>> old = OboTerm("DOID:625", 1, is_obsolete=True, consider=("DOID:2583", "DOID:624"))
    >>> merged = OboTerm("DOID:5709", 9, is_obsolete=True, replaced_by=("DOID:5363",))
    >>> props = retired_term_props([old, merged])
    >>> props["DOID:5363"], props["DOID:624"]
    ({'replaces': ['DOID:5709']}, {'consider_for': ['DOID:625']})
    """
    found: dict[str, dict[str, list[str]]] = {}
    for term in terms:
        if not term.is_obsolete:
            continue
        key, targets = (REPLACES, term.replaced_by) if term.replaced_by else (CONSIDER_FOR, term.consider)
        for target in targets:
            ids = found.setdefault(target, {}).setdefault(key, [])
            if term.id not in ids:
                ids.append(term.id)
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class OboHeader:
    """The header tags of an OBO file (every value of each tag, in file order)."""

    tags: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def get(self, tag: str) -> str | None:
        values = self.tags.get(tag)
        return values[0] if values else None

    @property
    def format_version(self) -> str | None:
        return self.get("format-version")

    @property
    def data_version(self) -> str | None:
        return self.get("data-version")


def read_header(path: Path) -> OboHeader:
    """The header of the OBO file at ``path`` (reads only up to the first stanza)."""
    tags: dict[str, list[str]] = {}
    for line_no, raw in _lines(path):
        line = raw.strip()
        if not line or line.startswith("!"):
            continue
        if line.startswith("["):
            break
        match = _TAG.match(line)
        if match is None:
            raise SourceFileError(str(path), line_no, f"expected a header line 'tag: value', got {line[:60]!r}")
        tags.setdefault(match.group(1), []).append(_strip_trailers(match.group(2)))
    if "format-version" not in tags:
        raise SourceFileError(
            str(path), None, "not an OBO file: the header has no 'format-version:' line (empty or truncated file?)"
        )
    return OboHeader({tag: tuple(values) for tag, values in tags.items()})


def iter_terms(path: Path, *, on_bad: BadStanza | None = None) -> Iterator[OboTerm]:
    """Yield every ``[Term]`` stanza of the OBO file at ``path``, obsolete ones included.

    A stanza that cannot be read raises SourceFileError, or goes to ``on_bad`` (e.g.
    :meth:`loaders.base.Loader.bad`) and is skipped if that returns.
    """
    kind: str | None = None
    stanza: list[tuple[int, str, str]] = []
    stanza_line = 0
    broken = False  # the current stanza already went to on_bad
    seen_header = False
    for line_no, raw in _lines(path, on_bad):
        stripped = raw.strip()
        if not stripped or stripped.startswith("!"):
            continue
        if stripped.startswith("["):
            if kind == "Term" and not broken:
                term = _finish(path, stanza_line, stanza, on_bad)
                if term is not None:
                    yield term
            elif kind is None and not seen_header:
                raise SourceFileError(
                    str(path), line_no, "expected an OBO header ('format-version: …') before the first stanza"
                )
            stanza, stanza_line, broken = [], line_no, False
            match = _STANZA.match(stripped)
            if match is None:
                kind = "?"
                broken = True
                _report(on_bad, SourceFileError(
                    str(path), line_no, f"unparseable stanza header {stripped[:60]!r}; expected e.g. '[Term]'"
                ))  # fmt: skip
                continue
            kind = match.group(1)
            continue
        if kind is None:
            seen_header = seen_header or stripped.startswith("format-version:")
            continue
        if kind != "Term" or broken:
            continue
        tag, sep, value = stripped.partition(": ")
        if sep and tag in _USED_TAGS:
            stanza.append((line_no, tag, value))
            continue
        if sep and _TAG_NAME.match(tag):
            continue  # a well-formed tag pmkg does not use (comment, creation_date, intersection_of …)
        match = _TAG.match(stripped)
        if match is None:
            broken = True
            _report(on_bad, SourceFileError(
                str(path), line_no, f"expected 'tag: value' inside the [Term] stanza of line {stanza_line}, "
                f"got {stripped[:60]!r}"
            ))  # fmt: skip
            continue
        stanza.append((line_no, match.group(1), match.group(2)))
    if kind == "Term" and not broken:
        term = _finish(path, stanza_line, stanza, on_bad)
        if term is not None:
            yield term
    elif kind is None and not seen_header:
        raise SourceFileError(str(path), None, "file is empty or has no OBO header; expected 'format-version: …'")


def _report(on_bad: BadStanza | None, error: SourceFileError) -> None:
    if on_bad is None:
        raise error
    on_bad(error)


def _lines(path: Path, on_bad: BadStanza | None = None) -> Iterator[tuple[int, str]]:
    """Numbered lines of ``path``; raise SourceFileError if the file ends mid-line or is damaged.

    A line that is not UTF-8 is reported at its own number; with ``on_bad`` it reads as a blank line.
    """
    line_no = 0
    try:
        with open_text(path, on_bad) as handle:
            for line_no, raw in enumerate(handle, start=1):
                if not raw.endswith("\n"):
                    raise SourceFileError(
                        str(path), line_no, "the file ends in the middle of a line; it looks truncated"
                    )
                yield line_no, raw
    except (EOFError, OSError, UnicodeDecodeError) as exc:
        raise SourceFileError(str(path), line_no + 1, f"cannot read the file ({exc}); is it truncated?") from None


def _finish(path: Path, stanza_line: int, tags: list[tuple[int, str, str]], on_bad: BadStanza | None) -> OboTerm | None:
    try:
        return _term(path, stanza_line, tags)
    except SourceFileError as error:
        _report(on_bad, error)
        return None


def _term(path: Path, stanza_line: int, tags: list[tuple[int, str, str]]) -> OboTerm:
    def fail(line: int, tag: str, problem: str) -> SourceFileError:
        return SourceFileError(str(path), line, problem, field=tag)

    term_id: str | None = None
    id_line = stanza_line
    name: str | None = None
    namespace: str | None = None
    definition: str | None = None
    definition_xrefs: tuple[str, ...] = ()
    synonyms: list[Synonym] = []
    lists: dict[str, list[str]] = {k: [] for k in ("xref", "is_a", "alt_id", "subset", "replaced_by", "consider")}
    relationships: list[tuple[str, str]] = []
    property_values: list[tuple[str, str]] = []
    obsolete = False
    for line, tag, value in tags:
        if tag == "id":
            if term_id is not None:
                raise fail(line, tag, f"a second 'id:' in the [Term] stanza of line {stanza_line} ({term_id} already)")
            term_id = _identifier(value)
            if not term_id:
                raise fail(line, tag, "the term id is empty; expected an identifier such as DOID:162")
            id_line = line
        elif tag == "name":
            if name is not None:
                raise fail(line, tag, f"a second 'name:' in the [Term] stanza of line {stanza_line}")
            name = _unescape(_strip_trailers(value)).strip()
        elif tag == "namespace":
            namespace = _identifier(value)
        elif tag == "def":
            text, rest = _quoted(value)
            if text is None:
                raise fail(line, tag, f"expected a quoted definition '\"text\" [xrefs]', got {value[:60]!r}")
            definition, definition_xrefs = text, _xref_list(rest)
        elif tag == "synonym" or tag in _LEGACY_SYNONYM_TAGS:
            try:
                synonyms.append(_synonym(value, _LEGACY_SYNONYM_TAGS.get(tag)))
            except _Unreadable as exc:
                raise fail(line, tag, str(exc)) from None
        elif tag in lists:
            identifier = _identifier(value)
            if not identifier:
                raise fail(line, tag, f"'{tag}:' has no value")
            lists[tag].append(identifier)
        elif tag == "is_obsolete":
            flag = _strip_trailers(value).strip()
            if flag not in ("true", "false"):
                raise fail(line, tag, f"expected 'true' or 'false', got {flag[:30]!r}")
            obsolete = flag == "true"
        elif tag == "relationship":
            parts = _strip_trailers(value).split()
            if len(parts) < 2:
                raise fail(line, tag, f"expected 'relationship: TYPE TARGET', got {value[:60]!r}")
            relationships.append((_unescape(parts[0]), _unescape(parts[1])))
        elif tag == "property_value":
            parts = value.split(None, 1)
            text, _ = _quoted(parts[1]) if len(parts) == 2 else (None, "")
            target = text if text is not None else _identifier(parts[1]) if len(parts) == 2 else ""
            if not target:
                raise fail(line, tag, f"expected 'property_value: PROPERTY VALUE', got {value[:60]!r}")
            property_values.append((_unescape(parts[0]), target))
    if term_id is None:
        raise SourceFileError(str(path), stanza_line, "the [Term] stanza has no 'id:' line", field="id")
    return OboTerm(
        id=term_id,
        line=id_line,
        name=name or None,
        namespace=namespace,
        definition=definition,
        definition_xrefs=definition_xrefs,
        synonyms=tuple(synonyms),
        xrefs=tuple(lists["xref"]),
        is_a=tuple(lists["is_a"]),
        alt_ids=tuple(lists["alt_id"]),
        subsets=tuple(lists["subset"]),
        is_obsolete=obsolete,
        replaced_by=tuple(lists["replaced_by"]),
        consider=tuple(lists["consider"]),
        relationships=tuple(relationships),
        property_values=tuple(property_values),
    )


class _Unreadable(ValueError):
    """A tag value that does not read; the caller turns it into a SourceFileError with the line."""


def _synonym(value: str, legacy_scope: str | None) -> Synonym:
    text, rest = _quoted(value)
    if text is None:
        raise _Unreadable(f"expected a quoted synonym '\"text\" SCOPE [xrefs]', got {value[:60]!r}")
    rest = _strip_trailers(rest)
    bracket = rest.find("[")
    words = (rest if bracket < 0 else rest[:bracket]).split()
    scope = legacy_scope or "RELATED"
    synonym_type: str | None = None
    if words and legacy_scope is None:
        if words[0] not in SYNONYM_SCOPES:
            raise _Unreadable(f"synonym scope {words[0]!r} is not one of {', '.join(SYNONYM_SCOPES)}")
        scope = words.pop(0)
    if words:
        synonym_type = words.pop(0)
    if words:
        raise _Unreadable(f"unexpected text {' '.join(words)[:40]!r} after the synonym's scope and type")
    return Synonym(text, scope, synonym_type, _xref_list(rest[bracket:] if bracket >= 0 else ""))


def _quoted(value: str) -> tuple[str | None, str]:
    """The unescaped quoted text at the start of ``value`` and what follows it (None if absent)."""
    match = _QUOTED.match(value.lstrip())
    if match is None:
        return None, value
    return _unescape(match.group(1)), value.lstrip()[match.end() :].strip()


def _xref_list(text: str) -> tuple[str, ...]:
    match = _BRACKETS.search(text)
    if match is None:
        return ()
    items = (_unescape(item).strip() for item in _UNESCAPED_COMMA.split(match.group(1)))
    return tuple(item.split(" ", 1)[0] for item in items if item)


def _strip_trailers(value: str) -> str:
    """``value`` without a trailing ``! comment`` and ``{qualifier=…}`` block."""
    if "!" in value:
        value = _COMMENT.sub("", value)
    if value.endswith("}"):
        value = _TRAILING_QUALIFIERS.sub("", value)
    return value.strip()


def _identifier(value: str) -> str:
    """The first word of an id-like value (``DOID:162 ! cancer`` → ``DOID:162``)."""
    head = value.split(None, 1)
    if not head:
        return ""
    if head[0].endswith("}") or head[0].startswith("{"):  # an id glued to its qualifiers
        parts = _strip_trailers(value).split()
        return _unescape(parts[0]) if parts else ""
    return _unescape(head[0])


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


# --- cross-references as properties -------------------------------------------------------

# Cross-reference prefixes as written by DO, MONDO and OncoTree → one property name per
# vocabulary, so the same code lands in the same property whichever ontology supplied it.
XREF_PROPERTIES: dict[str, str] = {
    "NCI": "ncit",
    "NCIT": "ncit",
    "NCITHESAURUS": "ncit",
    "UMLS": "umls",
    "UMLS_CUI": "umls",
    "MIM": "omim",
    "OMIM": "omim",
    "OMIMPS": "omim_ps",
    "MESH": "mesh",
    "MSH": "mesh",
    "ICD10CM": "icd10cm",
    "ICD10": "icd10",
    "ICD10WHO": "icd10",
    "ICD9CM": "icd9cm",
    "ICD9": "icd9",
    "ICDO": "icdo",
    "ICD11": "icd11",
    "SCTID": "snomedct",
    "ORDO": "orphanet",
    "ORPHANET": "orphanet",
    "GARD": "gard",
    "EFO": "efo",
    "KEGG": "kegg",
    "MEDDRA": "meddra",
    "MEDGEN": "medgen",
    "DOID": "doid",
    "MONDO": "mondo",
    "ONCOTREE": "oncotree",
}
_PROPERTY_SAFE = re.compile(r"[^a-z0-9_]+")


def xref_property(prefix: str) -> str:
    """The property name holding codes of ``prefix`` (``NCI`` → ``ncit``, ``SNOMEDCT_US_2025_09_01`` → ``snomedct``).

    >>> xref_property("UMLS_CUI"), xref_property("SNOMEDCT_US_2025_09_01"), xref_property("ICD-O")
    ('umls', 'snomedct', 'icd_o')
    """
    upper = prefix.upper()
    if upper.startswith("SNOMEDCT"):
        return "snomedct"
    known = XREF_PROPERTIES.get(upper)
    if known:
        return known
    name = _PROPERTY_SAFE.sub("_", prefix.lower()).strip("_") or "xref"
    return f"xref_{name}" if name in RESERVED_PROPERTIES else name


def xref_props(xrefs: Iterable[str]) -> dict[str, list[str]]:
    """Group ``PREFIX:code`` cross-references into ``{property: [code, …]}`` (order kept, no repeats).

    >>> xref_props(["NCI:C3512", "UMLS_CUI:C0152013", "NCI:C27745", "NCI:C3512", "no-prefix"])
    {'ncit': ['C3512', 'C27745'], 'umls': ['C0152013']}
    """
    grouped: dict[str, list[str]] = {}
    for xref in xrefs:
        prefix, sep, code = xref.partition(":")
        code = code.strip()
        if not sep or not prefix or not code:
            continue
        values = grouped.setdefault(xref_property(prefix.strip()), [])
        if code not in values:
            values.append(code)
    return grouped
