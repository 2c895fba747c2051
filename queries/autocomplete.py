"""Autocomplete: what a user is typing → genes, variants, diseases, drugs and therapies, best first.

The service behind ``GET /v1/search`` and the web page's search box.  One index per build, built
on first use from the store's nodes (``nodes_with_label``) and kept until the build changes:
every id, name and synonym under a case- and space-folded key, sorted so that a prefix is a
binary search, plus every word of a name for word-prefix hits ("adenocarc" → lung adenocarcinoma).

Order: the node whose id is the text; then names and synonyms equal to the text (and, for
diseases, what :func:`queries.diseases.resolve_disease` resolves the text to, as ``match
--disease`` would); then names beginning with it; then names with a word beginning with it.
Within each group hits on a name come before hits on a synonym, genes before diseases, drugs,
therapies, variants and classes, shorter names first.  Never logs what was typed.

>>> from queries.autocomplete import fold
>>> fold("  Lung   Adenocarcinoma ")
'lung adenocarcinoma'
"""

from __future__ import annotations

import bisect
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kg.errors import NoBuild
from kg.records import Node
from kg.schema import Label
from kg.stores.port import Store

# The labels a clinician searches for, in the order their hits are listed within a group.
SEARCHED: tuple[Label, ...] = (
    Label.GENE,
    Label.DISEASE,
    Label.DRUG,
    Label.THERAPY,
    Label.VARIANT,
    Label.VARIANT_CLASS,
)
_LABEL_RANK = {label: rank for rank, label in enumerate(SEARCHED)}
_MATCH_RANK = {"id": 0, "exact": 1, "resolved": 2, "prefix": 3, "word": 4}
# A prefix of one letter reaches thousands of names: look at this many per wanted hit, then stop.
_SCAN_PER_HIT = 40


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One hit: the node, the text of it that matched, and how (id, exact, resolved, prefix, word)."""

    id: str
    label: str
    name: str
    matched: str
    match: str
    by_name: bool = True  # the name matched (not a synonym or id): listed first within its group

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "name": self.name, "matched": self.matched, "match": self.match}


class AutocompleteIndex:
    """Every id, name and synonym of the searched labels of one build (see the module docstring)."""

    def __init__(self, build_id: str, nodes: Iterable[Node]) -> None:
        self.build_id = build_id
        self._nodes: list[tuple[str, str, str]] = []  # (id, label, name)
        texts: list[tuple[str, str, int, int]] = []  # (folded key, text as written, node, 0 name / 1 other)
        words: list[tuple[str, int]] = []  # (folded word, entry index into texts)
        for node in nodes:
            index = len(self._nodes)
            self._nodes.append((node.id, str(node.label), node.name))
            for text, kind in ((node.name, 0), (node.id, 1), *((s, 1) for s in node.synonyms)):
                key = fold(text)
                if key:
                    texts.append((key, text, index, kind))
        texts.sort()
        self._keys = [t[0] for t in texts]
        self._texts = texts
        for entry, (key, _, _, _) in enumerate(texts):
            for word in key.replace("-", " ").replace("/", " ").split()[1:]:
                if len(word) >= 2:
                    words.append((word, entry))
        words.sort()
        self._words = [w[0] for w in words]
        self._word_entries = [w[1] for w in words]

    def __len__(self) -> int:
        return len(self._nodes)

    def _hit(self, entry: int, match: str) -> SearchHit:
        _, text, node, kind = self._texts[entry]
        node_id, label, name = self._nodes[node]
        return SearchHit(node_id, label, name, text, match, kind == 0)

    def exact(self, key: str) -> list[SearchHit]:
        start = bisect.bisect_left(self._keys, key)
        stop = bisect.bisect_right(self._keys, key, lo=start)
        return [self._hit(entry, "exact") for entry in range(start, stop)]

    def prefixed(self, key: str, wanted: int) -> list[SearchHit]:
        start = bisect.bisect_right(self._keys, key)  # equal keys are exact hits
        hits = []
        for entry in range(start, min(len(self._keys), start + wanted * _SCAN_PER_HIT)):
            if not self._keys[entry].startswith(key):
                break
            hits.append(self._hit(entry, "prefix"))
        return hits

    def word_prefixed(self, key: str, wanted: int) -> list[SearchHit]:
        start = bisect.bisect_left(self._words, key)
        hits = []
        for position in range(start, min(len(self._words), start + wanted * _SCAN_PER_HIT)):
            if not self._words[position].startswith(key):
                break
            hits.append(self._hit(self._word_entries[position], "word"))
        return hits


_INDEXES: weakref.WeakKeyDictionary[Any, AutocompleteIndex] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def index_for(store: Store) -> AutocompleteIndex:
    """The index of ``store``'s current build (built once per build and store)."""
    manifest = store.current_build()
    if manifest is None:
        raise NoBuild("the store holds no graph yet: run `pmkg build` first")
    with _LOCK:
        index = _INDEXES.get(store)
        if index is None or index.build_id != manifest.build_id:
            nodes = [node for label in SEARCHED for node in store.nodes_with_label(label)]
            index = AutocompleteIndex(manifest.build_id, nodes)
            _INDEXES[store] = index
        return index


def autocomplete(store: Store, text: str, labels: Sequence[Label] = (), limit: int = 10) -> list[SearchHit]:
    """The best ``limit`` hits for ``text`` among ``labels`` (all searched labels when empty)."""
    wanted = set(labels or SEARCHED)
    key = fold(text)
    if not key:
        return []
    index = index_for(store)
    candidates: list[SearchHit] = []
    node = store.get_node(text.strip())
    if node is not None and node.label in wanted:
        candidates.append(SearchHit(node.id, str(node.label), node.name, node.id, "id"))
    candidates += index.exact(key)
    if Label.DISEASE in wanted:
        candidates += _resolved_diseases(store, text)
    candidates += index.prefixed(key, limit)
    candidates += index.word_prefixed(key, limit)
    best: dict[str, tuple[tuple[Any, ...], SearchHit]] = {}
    for hit in candidates:
        label = Label(hit.label)
        if label not in wanted:
            continue
        rank = (_MATCH_RANK[hit.match], not hit.by_name, _LABEL_RANK.get(label, 99), len(hit.matched), len(hit.name),
                hit.id)  # fmt: skip
        known = best.get(hit.id)
        if known is None or rank < known[0]:
            best[hit.id] = (rank, hit)
    return [hit for _, hit in sorted(best.values(), key=lambda item: item[0])][:limit]


def _resolved_diseases(store: Store, text: str) -> list[SearchHit]:
    """What ``match --disease TEXT`` would take the text for (OncoTree codes, abbreviations, spellings)."""
    from queries.diseases import resolve_disease
    from queries.graph_view import view_for

    view = view_for(store)
    found = resolve_disease(store, text, view=view)
    if found is None:
        return []
    hits = []
    for node_id in [found.id, *sorted(found.same - {found.id})]:
        node = view.node(node_id)
        if node is not None:
            hits.append(SearchHit(node.id, str(node.label), node.name, text.strip(), "resolved"))
    return hits
