"""Autocomplete: what a user is typing → genes, variants, diseases, drugs and therapies, best first.

The service behind ``GET /v1/search`` and the web page's search box.  One index per build, built
on first use from the store's nodes (``nodes_with_label``) and kept until the build changes:
every id, name and synonym under a case- and space-folded key, sorted so that a prefix is a
binary search, plus every word of a name for word-prefix hits ("adenocarc" → lung adenocarcinoma).

Order: the node whose id is the text; then names and synonyms equal to the text (and, for
diseases, what :func:`queries.diseases.resolve_disease` resolves the text to, as ``match
--disease`` would); then names beginning with it; then names with a word beginning with it.
Within each group what the knowledge speaks about comes first (:func:`spoken_of`: evidence or
guidance names it, its gene, or — for a disease — a broader or narrower term: "oligo" lists
oligodendroglioma before oligospermia); then hits on a name before hits on a synonym, genes before
diseases, drugs, therapies, variants and classes, shorter names first.  One letter finds only exact hits (it begins
a tenth of all names).  Never logs what was typed.

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
from typing import TYPE_CHECKING, Any

from kg.errors import AmbiguousName, NoBuild
from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.port import BuildManifest, Store

if TYPE_CHECKING:
    from queries.graph_view import GraphView

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
# One letter begins a tenth of all names: it completes nothing useful, so it finds only exact hits.
_SHORTEST_PREFIX = 2


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


class _LabelIndex:
    """The texts of one label's nodes, sorted by folded key, and every later word of them."""

    def __init__(self, label: Label, nodes: Iterable[Node], spoken: frozenset[str]) -> None:
        self.label = str(label)
        self.nodes: list[tuple[str, str, bool]] = []  # (id, name, whether nothing in the knowledge speaks of it)
        texts: list[tuple[str, str, int, int]] = []  # (folded key, text as written, node, 0 name / 1 other)
        for node in nodes:
            index = len(self.nodes)
            self.nodes.append((node.id, node.name, node.id not in spoken))
            for text, kind in ((node.name, 0), (node.id, 1), *((s, 1) for s in node.synonyms)):
                key = fold(text)
                if key:
                    texts.append((key, text, index, kind))
        texts.sort()
        self.keys = [t[0] for t in texts]
        self.texts = texts
        words = sorted(
            (word, entry)
            for entry, (key, _, _, _) in enumerate(texts)
            for word in key.replace("-", " ").replace("/", " ").split()[1:]
            if len(word) >= 2
        )
        self.words = [w[0] for w in words]
        self.word_entries = [w[1] for w in words]

    def rank(self, entry: int) -> tuple[bool, int, int, int]:
        """Within a match kind: what the knowledge speaks of first, names before synonyms, shorter texts, names."""
        _, text, node, kind = self.texts[entry]
        _, name, unspoken = self.nodes[node]
        return unspoken, kind, len(text), len(name)

    def hit(self, entry: int, match: str) -> SearchHit:
        _, text, node, kind = self.texts[entry]
        node_id, name, _ = self.nodes[node]
        return SearchHit(node_id, self.label, name, text, match, kind == 0)

    def exact(self, key: str) -> range:
        start = bisect.bisect_left(self.keys, key)
        return range(start, bisect.bisect_right(self.keys, key, lo=start))

    def prefixed(self, key: str, most: int) -> list[int]:
        start = bisect.bisect_right(self.keys, key)  # equal keys are exact hits
        found = []
        for entry in range(start, min(len(self.keys), start + most)):
            if not self.keys[entry].startswith(key):
                break
            found.append(entry)
        return found

    def word_prefixed(self, key: str, most: int) -> list[int]:
        start = bisect.bisect_left(self.words, key)
        found = []
        for position in range(start, min(len(self.words), start + most)):
            if not self.words[position].startswith(key):
                break
            found.append(self.word_entries[position])
        return found


class AutocompleteIndex:
    """Every id, name and synonym of the searched labels of one build, one sorted index per label."""

    def __init__(self, build_id: str, nodes: Iterable[Node], spoken: frozenset[str] = frozenset()) -> None:
        """``spoken``: the ids evidence or guidance speaks about (:func:`spoken_of`), listed first."""
        self.build_id = build_id
        by_label: dict[Label, list[Node]] = {label: [] for label in SEARCHED}
        for node in nodes:
            if node.label in by_label:
                by_label[node.label].append(node)
        self.labels = {label: _LabelIndex(label, found, spoken) for label, found in by_label.items()}
        self.ids = {node_id: (label, name) for label, index in self.labels.items() for node_id, name, _ in index.nodes}

    def by_id(self, node_id: str) -> SearchHit | None:
        """The hit for a node of this build whose id is exactly ``node_id`` (without asking the store)."""
        found = self.ids.get(node_id)
        return None if found is None else SearchHit(node_id, str(found[0]), found[1], node_id, "id")

    def __len__(self) -> int:
        return sum(len(index.nodes) for index in self.labels.values())

    def candidates(self, key: str, labels: Iterable[Label], limit: int) -> list[tuple[tuple[Any, ...], SearchHit]]:
        """(rank, hit) of the exact, prefix and word hits of ``key``, at most ``limit`` per kind and label."""
        scan = limit * _SCAN_PER_HIT
        ranked: list[tuple[tuple[Any, ...], SearchHit]] = []
        for label in labels:
            index = self.labels[label]
            label_rank = _LABEL_RANK[label]
            kinds: list[tuple[str, Iterable[int]]] = [("exact", index.exact(key))]
            if len(key) >= _SHORTEST_PREFIX:
                kinds += [("prefix", index.prefixed(key, scan)), ("word", index.word_prefixed(key, scan))]
            for match, entries in kinds:
                best = sorted(entries, key=index.rank)[:limit]
                for entry in best:
                    unspoken, kind, text_length, name_length = index.rank(entry)
                    rank = (_MATCH_RANK[match], unspoken, kind, label_rank, text_length, name_length)
                    ranked.append((rank, index.hit(entry, match)))
        return ranked


def spoken_of(store: Store) -> frozenset[str]:
    """The ids of what evidence or guidance speaks about: its diseases (with every broader and narrower term, and
    the terms mapped onto them), therapies, drugs, variants, classes and profiles, the variants and genes of those,
    and genes a drug targets.  A disease no source files anything near (oligospermia) is not among them."""
    edges = {rel: list(store.edges(rel)) for rel in (RelType.IN_DISEASE, RelType.WITH_THERAPY, RelType.FOR_DRUG,
                                                     RelType.ABOUT, RelType.HAS_COMPONENT, RelType.MEMBER_OF,
                                                     RelType.IN_GENE, RelType.TARGETS, RelType.MAPS_TO)}  # fmt: skip
    spoken = {e.end for rel in (RelType.WITH_THERAPY, RelType.FOR_DRUG, RelType.ABOUT) for e in edges[rel]}
    diseases = {e.end for e in edges[RelType.IN_DISEASE]}
    diseases |= store.ancestors(diseases, [RelType.SUBCLASS_OF]) | store.descendants(diseases, [RelType.SUBCLASS_OF])
    mapped = [(e.start, e.end) for e in edges[RelType.MAPS_TO]]
    diseases |= {a for a, b in mapped if b in diseases} | {b for a, b in mapped if a in diseases}
    for rel in (RelType.HAS_COMPONENT, RelType.MEMBER_OF, RelType.IN_GENE):  # profile → variant → class → gene
        spoken |= {e.end for e in edges[rel] if e.start in spoken}
    spoken |= {e.end for e in edges[RelType.TARGETS]}
    return frozenset(spoken | diseases)


_INDEXES: weakref.WeakKeyDictionary[Any, AutocompleteIndex] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def index_for(store: Store, manifest: BuildManifest | None = None) -> AutocompleteIndex:
    """The index of ``store``'s current build (built once per build and store); ``manifest``, when the caller
    has just read it, saves asking the store again (a round trip on Neo4j)."""
    manifest = manifest if manifest is not None else store.current_build()
    if manifest is None:
        raise NoBuild("the store holds no graph yet: run `pmkg build` first")
    with _LOCK:
        index = _INDEXES.get(store)
        if index is None or index.build_id != manifest.build_id:
            nodes = [node for label in SEARCHED for node in store.nodes_with_label(label)]
            index = AutocompleteIndex(manifest.build_id, nodes, spoken_of(store))
            _INDEXES[store] = index
        return index


def autocomplete(
    store: Store, text: str, labels: Sequence[Label] = (), limit: int = 10, *, build: BuildManifest | None = None
) -> list[SearchHit]:
    """The best ``limit`` hits for ``text`` among ``labels`` (all searched labels when empty).

    ``build`` is the current build's manifest when the caller has just read it: a warm call then asks the store
    nothing more (on Neo4j, the only round trip of a search is the caller's "which build is current").
    """
    wanted = [label for label in SEARCHED if label in set(labels or SEARCHED)]
    key = fold(text)
    if not key:
        return []
    from queries.graph_view import view_for

    manifest = build if build is not None else store.current_build()  # the index and the disease view share it
    index = index_for(store, manifest)
    view = view_for(store, manifest)
    candidates = index.candidates(key, wanted, limit)
    by_id = index.by_id(text.strip())  # an id typed: found in the index, never asked of the store
    if by_id is not None and by_id.label in wanted:
        candidates.append(((_MATCH_RANK["id"], False, 0, 0, 0, 0), by_id))
    if Label.DISEASE in wanted:
        for order, hit in enumerate(_resolved_diseases(view, text)):
            candidates.append(((_MATCH_RANK["resolved"], False, 0, _LABEL_RANK[Label.DISEASE], order, 0), hit))
    best: dict[str, tuple[tuple[Any, ...], SearchHit]] = {}
    for rank, hit in candidates:
        ranked = (*rank, hit.id)
        known = best.get(hit.id)
        if known is None or ranked < known[0]:
            best[hit.id] = (ranked, hit)
    return [hit for _, hit in sorted(best.values(), key=lambda item: item[0])][:limit]


def _resolved_diseases(view: GraphView, text: str) -> list[SearchHit]:
    """What ``match --disease TEXT`` would take the text for (OncoTree codes, abbreviations, spellings)."""
    from queries.diseases import resolve_disease

    try:
        found = resolve_disease(view.store, text, view=view)
    except AmbiguousName as exc:  # a retired code that now names several terms: offer each, pick none
        ids = [c[0] for c in exc.candidates]
    else:
        if found is None:
            return []
        ids = [found.id, *sorted(found.same - {found.id})]
    hits = []
    for node_id in ids:
        node = view.node(node_id)
        if node is not None:
            hits.append(SearchHit(node.id, str(node.label), node.name, text.strip(), "resolved"))
    return hits
