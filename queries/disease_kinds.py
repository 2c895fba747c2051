"""Site and histology: what a disease's name says it is a kind of, where the Disease Ontology's tree does not.

DO files most cancers once, by site ("urinary bladder cancer" → "bladder carcinoma" → "bladder
urothelial carcinoma"), and keeps a second branch by cell type ("cell type cancer" → "carcinoma" →
"transitional cell carcinoma") without saying that a bladder urothelial carcinoma is a transitional
cell carcinoma.  Sources file evidence on both axes: CIViC puts erdafitinib's approval under
"transitional cell carcinoma", a tumour board types "bladder urothelial carcinoma" or "bladder
cancer".  DO's names say what its tree leaves out: a term whose name (or exact synonym) contains the
name of a cell-type term, word for word, is a kind of it.  :func:`kinds_named` reads that; the
disease resolver (:mod:`queries.diseases`) turns it into "a broader term" (the patient's tumour is
of that histology), "a subtype" (the evidence is about a site-specific form of the patient's
histology) or "an overlap" (some tumours of the patient's diagnosis are of the evidence's kind, and
sources file evidence under that site's form of it: :func:`kinds_with_evidence`).

Words are whole words: a hyphenated word is one word ("non-small cell lung carcinoma" does not
contain "small cell lung carcinoma"), and "cell" before carcinoma/tumor/neoplasm is not required
("urothelial cell carcinoma", a synonym of transitional cell carcinoma, is what OncoTree's "Bladder
Urothelial Carcinoma" names).  Acronyms and ids among synonyms are never read as names.  It reads
graph nodes through a :class:`~queries.graph_view.GraphView` only, keeps what it reads per view (a
build never changes), and never logs.

What it reads depends on the build alone, so ``pmkg build`` works it out for every disease at once
(:func:`kinds_state`: the cell-type terms, what each disease's names say it is a kind of, which diseases have
evidence filed under them) and keeps it beside the build (:mod:`queries.kept_names`); a new process reads that
(~10-40 ms less of its first answer than decoding the disease and evidence nodes it meets), and reads the nodes
as before when the build has no such file or it cannot be trusted.  The answers are the same either way.
"""

from __future__ import annotations

import itertools
import operator
import threading
import weakref
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from kg.disease_names import whole_words
from kg.records import Node
from kg.schema import RelType
from kg.stores.port import Direction
from queries.graph_view import GraphView

CELL_TYPE_CANCER = "DOID:0050687"  # DO's branch of cancers named by the cell they come from
_AFTER_CELL = frozenset({("carcinoma",), ("tumor",), ("neoplasm",), ("cancer",)})  # "cell" is not needed before these


def phrase(text: str) -> tuple[str, ...]:
    """The words a name is compared by: whole words, without "cell" before carcinoma/tumor/neoplasm.

    >>> phrase("Urothelial Cell Carcinoma") == phrase("urothelial carcinoma")
    True
    >>> phrase("non-small cell lung carcinoma")
    ('non-small', 'cell', 'lung', 'carcinoma')
    """
    words = whole_words(text)
    return tuple(w for i, w in enumerate(words) if not (w == "cell" and words[i + 1 : i + 2] in _AFTER_CELL))


def names_of(node: Node) -> list[str]:
    """A term's name and exact synonyms, without ids (``NCIT:C2930``) or acronyms (``TCC``, ``NSCLC``)."""
    names = [node.name]
    for synonym in node.synonyms:
        if ":" in synonym and " " not in synonym:
            continue  # an id or cross-reference
        if synonym.isupper() and " " not in synonym:
            continue  # an acronym: its letters are not words of a name
        names.append(synonym)
    return names


@dataclass(frozen=True)
class _Histologies:
    """The cell-type terms of one build: each one's phrases, and each one with its cell-type ancestors."""

    by_phrase: dict[tuple[str, ...], frozenset[str]]
    lengths: tuple[int, ...]  # the phrase lengths to try, longest first
    terms: frozenset[str]
    upward: dict[str, frozenset[str]]  # a cell-type term → itself and every cell-type term above it (on first need)

    def above(self, view: GraphView, term: str) -> frozenset[str]:
        """``term`` and every cell-type term above it."""
        found = self.upward.get(term)
        if found is None:
            found = self.upward[term] = frozenset({term} | (view.disease_ancestors(frozenset({term})) & self.terms))
        return found


@dataclass(frozen=True)
class KeptKinds:
    """What :func:`kinds_state` worked out for every disease of the build, as read back from its kept file.

    Most diseases (~11,700 of ~13,100 in the starter) are named as a kind of no cell-type term: they are kept as the
    sorted list the file gives and found by bisection, not hashed into a dict by every process that reads the file
    (a first answer reads it for a handful of diseases)."""

    above: dict[str, frozenset[str]]  # each cell-type term → itself and every cell-type term above it
    terms: frozenset[str]
    named: dict[str, frozenset[str]]  # each Disease node named as a kind of some cell-type term → those terms
    plain: list[str]  # every other Disease node, sorted
    filed: frozenset[str]  # the diseases some evidence is filed under

    def kinds_of(self, disease_id: str) -> frozenset[str] | None:
        """The cell-type terms the Disease node ``disease_id``'s names say it is a kind of; None when it is not a
        Disease node of the build."""
        found = self.named.get(disease_id)
        if found is None:
            at = bisect_left(self.plain, disease_id)
            if at < len(self.plain) and self.plain[at] == disease_id:
                return _NO_KINDS
        return found

    @classmethod
    def from_state(cls, state: Any) -> KeptKinds:
        """The kept state ``state`` (parsed JSON); ValueError when it is not one :func:`kinds_state` made."""
        if not isinstance(state, dict):
            raise ValueError("not an object")
        above, sets, diseases, filed = (state.get(k) for k in ("histologies", "sets", "diseases", "filed"))
        if not (isinstance(above, dict) and isinstance(sets, list) and isinstance(diseases, list)
                and isinstance(filed, list) and len(sets) == len(diseases)):  # fmt: skip
            raise ValueError("not the disease kinds of a build")
        kept_above = {term: frozenset(_ids(terms)) for term, terms in above.items()}
        named: dict[str, frozenset[str]] = {}
        plain: list[str] | None = None
        for kind_ids, disease_ids in zip(sets, diseases, strict=True):
            kinds = frozenset(_ids(kind_ids))
            if not kinds <= kept_above.keys():
                raise ValueError("a disease is named as a kind of a term that is not a cell type")
            if kinds:
                named.update(dict.fromkeys(_ids(disease_ids), kinds))
            elif plain is None:
                plain = _sorted_ids(disease_ids)
            else:
                raise ValueError("two lists of diseases named as a kind of nothing")
        return cls(kept_above, frozenset(kept_above), named, plain or [], frozenset(_ids(filed)))


_NO_KINDS: frozenset[str] = frozenset()


def _ids(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("not a list of ids")
    return value


def _sorted_ids(value: Any) -> list[str]:
    """``value`` if it is a list of ids in increasing order (what bisection needs), in one pass of comparisons: a
    JSON value that is not a string cannot be compared with one (TypeError), so a first string vouches for all."""
    try:
        starts_with_an_id = isinstance(value, list) and (not value or isinstance(value[0], str))
        if starts_with_an_id and all(map(operator.lt, value, itertools.islice(value, 1, None))):
            return value
    except TypeError:
        pass
    raise ValueError("not a sorted list of ids")


def kinds_state(view: GraphView, disease_nodes: Iterable[Node]) -> dict[str, Any]:
    """What this module reads from the build, worked out for every disease at once from the build's
    ``disease_nodes`` (JSON-ready; what :mod:`queries.kept_names` keeps beside a build and
    :meth:`KeptKinds.from_state` reads back)."""
    diseases = {node.id: node for node in disease_nodes}  # one read, not one a node
    index = _build_index(view, diseases.get)
    grouped: dict[frozenset[str], list[str]] = {}
    for node in diseases.values():
        grouped.setdefault(_kinds_of_node(view, node, index), []).append(node.id)
    sets = sorted(grouped, key=lambda kinds: (len(kinds), sorted(kinds)))
    filed = {edge.end for edge in view.store.edges(RelType.IN_DISEASE)}
    return {
        "histologies": {term: sorted(index.above(view, term)) for term in sorted(index.terms)},
        "sets": [sorted(kinds) for kinds in sets],
        "diseases": [sorted(grouped[kinds]) for kinds in sets],
        "filed": sorted(filed),
    }


# An overlap needs a histology below the first level ("transitional cell carcinoma", "adenocarcinoma"): "carcinoma"
# or "sarcoma" against a site says nothing (a kidney sarcoma exists; sarcoma evidence is not kidney cancer's).
_SPECIFIC_DEPTH = 2
_INDEXES: weakref.WeakKeyDictionary[GraphView, _Histologies] = weakref.WeakKeyDictionary()
_KEPT: weakref.WeakKeyDictionary[GraphView, KeptKinds | None] = weakref.WeakKeyDictionary()
_NAMED: weakref.WeakKeyDictionary[GraphView, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()
_FILED: weakref.WeakKeyDictionary[GraphView, dict[str, bool]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
T = TypeVar("T")


def histologies(view: GraphView) -> frozenset[str]:
    """Every cell-type term of the build (below DO's "cell type cancer")."""
    kept = _kept(view)
    return kept.terms if kept is not None else _index(view).terms


def histology_depth(view: GraphView, term: str) -> int:
    """How many cell-type terms ``term`` is below or at (carcinoma 1, transitional cell carcinoma 2); 0 if none."""
    kept = _kept(view)
    if kept is not None:
        return len(kept.above.get(term, ()))
    index = _index(view)
    return len(index.above(view, term)) if term in index.terms else 0


def specific_histologies(view: GraphView, terms: Iterable[str]) -> frozenset[str]:
    """Those of ``terms`` that are cell types below the first level (transitional cell carcinoma, not carcinoma)."""
    return frozenset(t for t in terms if histology_depth(view, t) >= _SPECIFIC_DEPTH)


def kinds_with_evidence(view: GraphView, disease_ids: Iterable[str]) -> frozenset[str]:
    """:func:`kinds_named` of those of ``disease_ids`` that some evidence is filed under.

    What an overlap needs: "urinary bladder cancer" overlaps "transitional cell carcinoma" through bladder urothelial
    carcinoma, which sources write evidence about; "ovarian cancer" does not overlap melanoma through ovarian
    melanoma, a rarity no source files anything under.
    """
    filed = _memo(_FILED, view)
    kept = _kept(view)
    kinds: set[str] = set()
    for disease_id in disease_ids:
        named = kinds_named(view, (disease_id,))
        if not named or named <= kinds:
            continue
        has = filed.get(disease_id)
        if has is None and kept is not None:
            has = disease_id in kept.filed
        if has is None:
            has = filed[disease_id] = bool(view.store.neighbour_ids(disease_id, RelType.IN_DISEASE, Direction.IN))
        if has:
            kinds |= named
    return frozenset(kinds)


def kinds_named(view: GraphView, disease_ids: Iterable[str]) -> frozenset[str]:
    """The cell-type terms the names of ``disease_ids`` say they are kinds of, with every cell-type term above those.

    "bladder urothelial carcinoma" → transitional cell carcinoma, carcinoma; "lung adenocarcinoma" →
    adenocarcinoma, carcinoma; "urinary bladder cancer" → nothing.
    """
    named = _memo(_NAMED, view)
    kept = _kept(view)
    found: set[str] = set()
    for disease_id in disease_ids:
        kinds = named.get(disease_id)
        if kinds is None and kept is not None:
            kinds = kept.kinds_of(disease_id)  # None: not a Disease node of the build (read as before)
        if kinds is None:
            kinds = named[disease_id] = _kinds_of(view, disease_id)
        found |= kinds
    return frozenset(found)


def _kept(view: GraphView) -> KeptKinds | None:
    """What the build keeps of this module's reading (:func:`kinds_state`), or None: read the nodes."""
    try:
        return _KEPT[view]
    except KeyError:
        pass
    from queries.kept_names import kept_kinds

    with _LOCK:
        if view not in _KEPT:
            _KEPT[view] = kept_kinds(view.store, view.manifest, KeptKinds.from_state)
        return _KEPT[view]


def _memo(table: weakref.WeakKeyDictionary[GraphView, dict[str, T]], view: GraphView) -> dict[str, T]:
    """The view's memo in ``table`` (made on first use; a view's memos go with it)."""
    memo = table.get(view)
    if memo is None:
        with _LOCK:
            memo = table.setdefault(view, {})
    return memo


def _kinds_of(view: GraphView, disease_id: str) -> frozenset[str]:
    node = view.node(disease_id)
    return frozenset() if node is None else _kinds_of_node(view, node, _index(view))


def _kinds_of_node(view: GraphView, node: Node, index: _Histologies) -> frozenset[str]:
    found: set[str] = set()
    for name in names_of(node):
        words = phrase(name)
        for length in index.lengths:
            for start in range(len(words) - length + 1):
                for kind in index.by_phrase.get(words[start : start + length], ()):
                    found |= index.above(view, kind)
    return frozenset(found)


def _index(view: GraphView) -> _Histologies:
    index = _INDEXES.get(view)
    if index is None:
        with _LOCK:
            index = _INDEXES.get(view)
            if index is None:
                index = _INDEXES[view] = _build_index(view)
    return index


def _build_index(view: GraphView, node_of: Callable[[str], Node | None] | None = None) -> _Histologies:
    terms = view.disease_descendants(frozenset({CELL_TYPE_CANCER})) - {CELL_TYPE_CANCER}
    by_phrase: dict[tuple[str, ...], set[str]] = {}
    for term in terms:
        node = (node_of or view.node)(term)
        if node is None:
            continue
        for name in names_of(node):
            words = phrase(name)
            if words:
                by_phrase.setdefault(words, set()).add(term)
    lengths = tuple(sorted({len(p) for p in by_phrase}, reverse=True))
    return _Histologies({p: frozenset(t) for p, t in by_phrase.items()}, lengths, frozenset(terms), {})
