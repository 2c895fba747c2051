"""Term diff: the typed changes between two releases of an ontology, read from two builds.

A release's terms are the nodes of its source (provenance) whose ids are in the ontology's namespace
(``DOID:`` for the Disease Ontology …), with their name, EXACT synonyms, cross-references, ``alt_ids``,
parents (``SUBCLASS_OF`` from the same source) and the obsolete terms: as nodes flagged ``obsolete``
with ``replaced_by`` / ``consider``, or (the Disease Ontology loader) as ``replaces`` / ``consider_for``
on the current terms they point to.  :func:`diff_terms` classifies every
difference the way OAK's ``kdiff`` does:

==========================  ==================================================================
``created``                 a term only the new release has
``obsoleted``               a term the new release marks obsolete, no replacement (``consider``
                            targets listed for a human)
``obsoleted_replaced``      obsolete with ``replaced_by`` (one target: migrate; several: a human)
``merged``                  the old id is now an ``alt_id`` of another term (DO also marks it
                            obsolete, ``replaced_by`` that term: still a merge)
``deleted``                 gone from the release without an obsolete record or an ``alt_id``
``unobsoleted``             obsolete before, current again
``renamed``                 the name changed
``synonym_added/removed``   an EXACT synonym (identifiers among synonyms are left to the xref kinds)
``moved``                   the parents changed
``xref_changed``            the codes of one vocabulary (NCIt, OncoTree, MONDO, UMLS …) changed
==========================  ==================================================================

It must never guess a replacement: only ``replaced_by`` and ``alt_id`` name one.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.port import Store

# The namespace of each ontology source's own terms (other ids its nodes mention belong to other sources).
TERM_NAMESPACES: Mapping[str, tuple[Label, tuple[str, ...]]] = {
    "disease_ontology": (Label.DISEASE, ("DOID:",)),
    "mondo": (Label.DISEASE, ("MONDO:",)),
    "ncit": (Label.DISEASE, ("NCIT:",)),
    "sequence_ontology": (Label.CONSEQUENCE, ("SO:",)),
}
# Node properties a loader that keeps obsolete terms as nodes writes (the names of the OBO tags).
OBSOLETE_FLAGS = ("obsolete", "is_obsolete", "deprecated")
REPLACED_BY = "replaced_by"
CONSIDER = "consider"
# Properties of a current term naming the obsolete terms that point to it (loaders.obo.retired_term_props):
# the Disease Ontology loader keeps obsolete terms this way, not as nodes.
REPLACES = "replaces"  # obsolete ids whose ``replaced_by`` is this term
CONSIDER_FOR = "consider_for"  # obsolete ids (without replacement) that name this term under ``consider``
ALT_IDS = "alt_ids"
# Cross-reference properties compared (see loaders.obo.XREF_PROPERTIES for how codes are filed).
XREF_PROPERTIES = ("ncit", "oncotree", "mondo", "umls", "doid", "omim", "mesh", "icd10cm", "icd_o", "snomedct",
                   "orphanet", "gard", "efo", "medgen")  # fmt: skip
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*:\S+$")


class ChangeKind(enum.StrEnum):
    CREATED = "created"
    OBSOLETED = "obsoleted"
    OBSOLETED_REPLACED = "obsoleted_replaced"
    MERGED = "merged"
    DELETED = "deleted"
    UNOBSOLETED = "unobsoleted"
    RENAMED = "renamed"
    SYNONYM_ADDED = "synonym_added"
    SYNONYM_REMOVED = "synonym_removed"
    MOVED = "moved"
    XREF_CHANGED = "xref_changed"


# Kinds after which the old id no longer names a current term: what evidence about it must migrate from.
RETIRING_KINDS = frozenset({ChangeKind.OBSOLETED, ChangeKind.OBSOLETED_REPLACED, ChangeKind.MERGED, ChangeKind.DELETED})


@dataclass(frozen=True)
class TermState:
    """One term of one release, as the graph holds it."""

    id: str
    name: str
    parents: frozenset[str] = frozenset()
    synonyms: frozenset[str] = frozenset()
    xrefs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    alt_ids: frozenset[str] = frozenset()
    obsolete: bool = False
    replaced_by: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()
    replaces: frozenset[str] = frozenset()
    consider_for: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TermChange:
    """One typed change of one term.  ``before``/``after``: the old and new value (name, parents, codes);
    ``targets``: the terms a retired id points to (``replaced_by``, the merging term, ``consider``)."""

    kind: ChangeKind
    term_id: str
    name: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    vocabulary: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": str(self.kind),
            "term_id": self.term_id,
            "name": self.name,
            "before": list(self.before),
            "after": list(self.after),
            "targets": list(self.targets),
            "vocabulary": self.vocabulary,
        }


@dataclass(frozen=True)
class TermDiff:
    """Every change between two releases of one ontology source, terms in id order."""

    source: str
    old_terms: int
    new_terms: int
    changes: tuple[TermChange, ...]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(str(c.kind) for c in self.changes)
        return {str(kind): counted[str(kind)] for kind in ChangeKind if counted[str(kind)]}

    def of_kind(self, *kinds: ChangeKind) -> list[TermChange]:
        return [c for c in self.changes if c.kind in kinds]


def is_term_source(source: str) -> bool:
    return source in TERM_NAMESPACES


def term_snapshot(store: Store, source: str) -> dict[str, TermState]:
    """The terms of ontology ``source`` in the build ``store`` answers from, by id."""
    label, prefixes = TERM_NAMESPACES[source]
    nodes = [n for n in store.nodes_with_label(label) if n.id.startswith(prefixes) and _from(n, source)]
    own = {n.id for n in nodes}
    parents: dict[str, set[str]] = {}
    for edge in store.edges(RelType.SUBCLASS_OF):
        if edge.start in own and any(p.source == source for p in edge.provenance):
            parents.setdefault(edge.start, set()).add(edge.end)
    return {n.id: _state(n, frozenset(parents.get(n.id, ()))) for n in nodes}


def _from(node: Node, source: str) -> bool:
    return any(p.source == source for p in node.provenance)


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value if v is not None and str(v))
    return (str(value),)


def _state(node: Node, parents: frozenset[str]) -> TermState:
    props = node.props
    obsolete = any(props.get(flag) in (True, "true", "True") for flag in OBSOLETE_FLAGS)
    return TermState(
        id=node.id,
        name=node.name,
        parents=parents,
        synonyms=frozenset(s for s in node.synonyms if not _IDENTIFIER.match(s)),
        xrefs={p: frozenset(_strings(props.get(p))) for p in XREF_PROPERTIES if props.get(p)},
        alt_ids=frozenset(_strings(props.get(ALT_IDS))),
        obsolete=obsolete,
        replaced_by=_strings(props.get(REPLACED_BY)),
        consider=_strings(props.get(CONSIDER)),
        replaces=frozenset(_strings(props.get(REPLACES))),
        consider_for=frozenset(_strings(props.get(CONSIDER_FOR))),
    )


def diff_terms(source: str, old: Mapping[str, TermState], new: Mapping[str, TermState]) -> TermDiff:
    """The typed changes from release ``old`` to release ``new`` of ``source`` (both by term id).

    >>> a = {"DOID:1": TermState("DOID:1", "tumour", frozenset({"DOID:4"}))}
    >>> b = {"DOID:2": TermState("DOID:2", "neoplasm", frozenset({"DOID:4"}), alt_ids=frozenset({"DOID:1"}))}
    >>> [(c.kind.value, c.term_id, c.targets) for c in diff_terms("disease_ontology", a, b).changes]
    [('merged', 'DOID:1', ('DOID:2',)), ('created', 'DOID:2', ())]
    """
    merged_into: dict[str, list[str]] = {}
    replaced_into: dict[str, list[str]] = {}
    consider: dict[str, list[str]] = {}
    for term in new.values():
        if not term.obsolete:
            for alt in term.alt_ids:
                merged_into.setdefault(alt, []).append(term.id)
            for retired in term.replaces:
                replaced_into.setdefault(retired, []).append(term.id)
            for retired in term.consider_for:
                consider.setdefault(retired, []).append(term.id)
    changes: list[TermChange] = []
    for term_id in sorted(set(old) | set(new)):
        before, after = old.get(term_id), new.get(term_id)
        pointers = _Pointers(merged_into.get(term_id, []), replaced_into.get(term_id, []), consider.get(term_id, []))
        changes.extend(_changes(term_id, before, after, pointers))
    return TermDiff(source, sum(not t.obsolete for t in old.values()), sum(not t.obsolete for t in new.values()),
                    tuple(changes))  # fmt: skip


@dataclass(frozen=True)
class _Pointers:
    """What the new release's current terms say of an id: it is their alt_id, they replace it, or consider it."""

    merged_into: list[str]
    replaced_by: list[str]
    consider: list[str]


def _changes(term_id: str, before: TermState | None, after: TermState | None, pointers: _Pointers) -> list[TermChange]:
    if before is not None and not before.obsolete and (after is None or after.obsolete):
        return [_retirement(before, after, pointers)]
    if after is None or after.obsolete:
        return []  # obsolete (or absent) in both releases
    name = after.name
    if before is None:
        return [TermChange(ChangeKind.CREATED, term_id, name, after=tuple(sorted(after.parents)))]
    if before.obsolete:
        return [TermChange(ChangeKind.UNOBSOLETED, term_id, name, after=tuple(sorted(after.parents)))]
    found: list[TermChange] = []
    if before.name != after.name:
        found.append(TermChange(ChangeKind.RENAMED, term_id, name, (before.name,), (after.name,)))
    for text in sorted(after.synonyms - before.synonyms):
        found.append(TermChange(ChangeKind.SYNONYM_ADDED, term_id, name, after=(text,)))
    for text in sorted(before.synonyms - after.synonyms):
        found.append(TermChange(ChangeKind.SYNONYM_REMOVED, term_id, name, before=(text,)))
    if before.parents != after.parents:
        found.append(TermChange(ChangeKind.MOVED, term_id, name, tuple(sorted(before.parents)),
                                tuple(sorted(after.parents))))  # fmt: skip
    for vocabulary in sorted(set(before.xrefs) | set(after.xrefs)):
        old_codes, new_codes = before.xrefs.get(vocabulary, frozenset()), after.xrefs.get(vocabulary, frozenset())
        if old_codes != new_codes:
            found.append(TermChange(ChangeKind.XREF_CHANGED, term_id, name, tuple(sorted(old_codes)),
                                    tuple(sorted(new_codes)), vocabulary=vocabulary))  # fmt: skip
    return found


def _retirement(before: TermState, after: TermState | None, pointers: _Pointers) -> TermChange:
    """How a term left the current terms: merged (an alt_id of a current term; DO also marks it obsolete with
    replaced_by), obsoleted with replacement, obsoleted (``consider`` targets for a human) or deleted."""
    name = before.name
    parents = tuple(sorted(before.parents))
    replaced = tuple(dict.fromkeys([*(after.replaced_by if after else ()), *sorted(pointers.replaced_by)]))
    if pointers.merged_into:
        return TermChange(ChangeKind.MERGED, before.id, name, parents, targets=tuple(sorted(pointers.merged_into)))
    if replaced:
        return TermChange(ChangeKind.OBSOLETED_REPLACED, before.id, name, parents, targets=replaced)
    considered = tuple(dict.fromkeys([*(after.consider if after else ()), *sorted(pointers.consider)]))
    if after is not None or considered:
        return TermChange(ChangeKind.OBSOLETED, before.id, name, parents, targets=considered)
    return TermChange(ChangeKind.DELETED, before.id, name, parents)
