"""Disease names of one build, for lookups the store's exact ``find`` cannot answer.

:class:`DiseaseNames` indexes every ``Disease`` node's name and synonyms by
:func:`~kg.disease_names.name_key` (case, punctuation, British spellings, plurals) and
:func:`~kg.disease_names.token_key` (word order, "of the"), and answers partial text by
token prefix (``adenocarc lung`` → lung adenocarcinoma), exact hits first, and reads a misspelt name as the
names it may be (:meth:`DiseaseNames.respellings`: ``melanomma`` → melanoma).  It is built once
per build (:meth:`queries.graph_view.GraphView.disease_names`) from
:meth:`~kg.stores.port.Store.nodes_with_label`, so both stores give the same answers; later processes
read what it is made of from the file the first one kept (:mod:`queries.kept_names`).

:func:`curated_alias` reads ``queries/data/disease_aliases.tsv``: the few abbreviations and
names clinicians type that neither DO nor OncoTree carries (``CRC``, ``mCRPC``, ``glioma``),
or that DO gives to another disease (DO's synonym ``MDS`` is Miller–Dieker syndrome).  That
file is the one place for such names; each row says why.

It never keeps what a user typed.
"""

from __future__ import annotations

import functools
import importlib.resources
import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kg.disease_names import FILLER_WORDS, name_key, token_key
from kg.merge import lookup_keys
from kg.records import Node

_ALIASES_FILE = "disease_aliases.tsv"
_PREFERENCE = ("DOID", "ONCOTREE", "NCIT", "MONDO")
_SHORTEST_SEARCH = 3
# Respelling a misspelt disease name: words this long or longer, this many edits, at most this many readings.
_SHORTEST_RESPELLED = 5
_TWO_EDITS_FROM = 9
_MAX_RESPELLED_WORDS = 8
_MAX_READINGS = 64


# Node property holding earlier ids or codes of a term → the field of its source that says so.
RETIRED_ID_PROPERTIES = {
    "alt_ids": "alt_id",
    "replaces": "replaced_by",
    "consider_for": "consider",
    "previous_codes": "history",
    "precursors": "precursors",
    "revocations": "revocations",
}


def _retired_keys(code: str, node_id: str) -> tuple[str, ...]:
    """Lookup keys of an earlier id: itself, and an OncoTree code with and without its prefix."""
    code = code.strip().lower()
    if node_id.startswith("ONCOTREE:") and ":" not in code:
        return (code, f"oncotree:{code}")
    return (code,)


@dataclass(frozen=True, slots=True)
class _Entry:
    node_id: str
    text: str
    words: tuple[str, ...]
    is_name: bool


@dataclass(frozen=True, slots=True)
class _NameIndex:
    by_key: dict[str, list[str]]
    by_tokens: dict[str, list[str]]
    entries: list[_Entry]


def _name_index(named: Iterable[tuple[str, str, tuple[str, ...]]]) -> _NameIndex:
    """Every ``(id, name, synonyms)`` by normalised key, by word-order key, and as word entries."""
    by_key: dict[str, list[str]] = {}
    by_tokens: dict[str, list[str]] = {}
    entries: list[_Entry] = []
    for node_id, name, synonyms in named:
        for text, is_name in ((name, True), *((s, False) for s in synonyms)):
            if ":" in text and " " not in text:
                continue  # an id written as a synonym (NCIT:C3512) is found by ``find``, not by words
            key = name_key(text)
            if not key:
                continue
            for table, value in ((by_key, key), (by_tokens, token_key(text))):
                ids = table.setdefault(value, [])
                if node_id not in ids:
                    ids.append(node_id)
            words = tuple(w for w in key.split() if w not in FILLER_WORDS) or tuple(key.split())
            entries.append(_Entry(node_id, text, words, is_name))
    return _NameIndex(by_key, by_tokens, entries)


class DiseaseNames:
    """Every disease name and synonym of a build, by normalised key and by word.

    Names, and the earlier ids and codes (:meth:`retired`), are read when it is made; the keys of every name
    and synonym (the costly part: about 100,000 texts) only when a lookup first needs them, so resolving a
    disease by its id, code or exact name never pays for them.  Made from kept parts (:meth:`from_parts`), even
    the names are read only when first needed: most first answers ask for earlier ids only.
    """

    def __init__(self, diseases: Iterable[Node]) -> None:
        self._named: list[tuple[str, str, tuple[str, ...]]] = []
        self._index: _NameIndex | None = None
        self._lock = threading.Lock()
        self._names: dict[str, str] = {}
        self._retired: dict[str, list[tuple[str, str]]] = {}
        self._words: dict[int, frozenset[str]] | None = None  # every word of the names, by length (on first use)
        self._pending_names: Callable[[], list[Any]] | None = None  # where the names come from, until read
        self._names_lock = threading.Lock()
        self._found_by: dict[str, tuple[str, ...]] | None = None  # lookup key → ids (on first use: found_by)
        for node in diseases:
            self._names[node.id] = node.name
            self._named.append((node.id, node.name, node.synonyms))
            for prop, via in RETIRED_ID_PROPERTIES.items():
                values = node.props.get(prop)
                for code in values if isinstance(values, list) else ():
                    for key in _retired_keys(str(code), node.id):
                        entries = self._retired.setdefault(key, [])
                        if (node.id, via) not in entries:
                            entries.append((node.id, via))

    def state(self) -> dict[str, Any]:
        """What it is made of, as JSON-ready lists (what :meth:`from_state` reads: :mod:`queries.kept_names`)."""
        self.read_names()
        return {"named": [[i, n, list(s)] for i, n, s in self._named], "retired": self._retired}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> DiseaseNames:
        """The names :meth:`state` describes, without reading a node."""
        named = state["named"]
        return cls.from_parts(state["retired"], lambda: named)

    @classmethod
    def from_parts(cls, retired: dict[str, Any], named: Callable[[], list[Any]]) -> DiseaseNames:
        """The names of :meth:`state`'s two parts: ``retired`` now, and ``named`` (a callable giving the
        ``"named"`` list) only when a name is first needed.  Malformed parts raise TypeError or ValueError."""
        made = cls(())
        made._retired = {str(k): [(str(i), str(v)) for i, v in entries] for k, entries in retired.items()}
        made._pending_names = named
        return made

    def read_names(self) -> None:
        """Read the names now if they are not yet (a server reads them before its first request)."""
        if self._pending_names is None:
            return
        with self._names_lock:
            pending = self._pending_names
            if pending is None:
                return
            named = [(str(i), str(n), tuple(str(s) for s in synonyms)) for i, n, synonyms in pending()]
            self._named.extend(named)
            self._names.update((i, n) for i, n, _ in named)
            self._pending_names = None

    def _keys(self) -> _NameIndex:
        index = self._index
        if index is None:
            self.read_names()
            with self._lock:
                if self._index is None:
                    self._index = _name_index(self._named)
                index = self._index
        return index

    def __len__(self) -> int:
        self.read_names()
        return len(self._names)

    def name(self, node_id: str) -> str | None:
        self.read_names()
        return self._names.get(node_id)

    def found_by(self, text: str) -> list[str]:
        """Ids of the diseases whose id, name or a synonym is ``text`` ignoring case, sorted: what
        :meth:`Store.find` finds among ``Disease`` nodes (:func:`kg.merge.lookup_keys`), without asking the store."""
        found_by = self._found_by
        if found_by is None:
            self.read_names()
            with self._lock:
                if self._found_by is None:
                    keyed: dict[str, set[str]] = {}
                    for node_id, name, synonyms in self._named:
                        for key in lookup_keys(node_id, name, synonyms):
                            keyed.setdefault(key, set()).add(node_id)
                    self._found_by = {k: tuple(sorted(v)) for k, v in keyed.items()}
                found_by = self._found_by
        return list(found_by.get(text.strip().lower(), ()))

    def lookup(self, text: str) -> list[str]:
        """Ids of diseases named ``text`` up to case, punctuation and spelling, else up to word order."""
        index = self._keys()
        for table, key in ((index.by_key, name_key(text)), (index.by_tokens, token_key(text))):
            found = table.get(key) if key else None
            if found:
                return sorted(found, key=_preference)
        return []

    def retired(self, text: str) -> list[tuple[str, str]]:
        """``(disease id, how)`` for each current term an earlier id or code ``text`` now points to.

        ``how`` names the field that says so (:data:`RETIRED_ID_PROPERTIES`): ``alt_id`` and ``replaced_by``
        (Disease Ontology, a merged or obsolete id), ``consider`` (an obsolete id's candidates), and OncoTree's
        ``history``, ``precursors`` and ``revocations``.  Case is ignored; ``ONCOTREE:`` may prefix a code.
        """
        return sorted(self._retired.get(text.strip().lower(), []))

    def respellings(self, text: str) -> dict[str, list[str]]:
        """The disease names ``text`` may be a misspelling of (name → ids): each word that is no word of any name,
        and is five letters or more, read as the closest words one edit away (two for words of nine or more).
        Empty when no word needs respelling or no reading names a disease.  Callers use a single reading and
        offer several as suggestions: a guess between two diseases is never made.

        >>> from kg.records import Node
        >>> from kg.schema import Label
        >>> names = DiseaseNames([Node("DOID:1909", Label.DISEASE, "melanoma"),
        ...                       Node("DOID:1612", Label.DISEASE, "breast cancer"),
        ...                       Node("DOID:0050467", Label.DISEASE, "CREST syndrome")])
        >>> names.respellings("melanomma"), names.respellings("brest cancer"), names.respellings("mel")
        ({'melanoma': ['DOID:1909']}, {'breast cancer': ['DOID:1612']}, {})
        """
        words = name_key(text).split()
        if not words or len(words) > _MAX_RESPELLED_WORDS:
            return {}
        vocabulary = self._vocabulary()
        options: list[list[str]] = []
        for word in words:
            if len(word) < _SHORTEST_RESPELLED or word in vocabulary.get(len(word), ()):
                options.append([word])
                continue
            close = _closest(word, vocabulary)
            if not close:
                return {}
            options.append(close)
        if all(len(o) == 1 and o[0] == w for o, w in zip(options, words, strict=True)):
            return {}
        readings: dict[str, list[str]] = {}
        for combination in itertools.islice(itertools.product(*options), _MAX_READINGS):
            reading = " ".join(combination)
            ids = self.lookup(reading)
            if ids:
                readings[reading] = ids
        return readings

    def _vocabulary(self) -> dict[int, frozenset[str]]:
        if self._words is None:
            by_length: dict[int, set[str]] = {}
            for key in self._keys().by_key:
                for word in key.split():
                    by_length.setdefault(len(word), set()).add(word)
            self._words = {length: frozenset(words) for length, words in by_length.items()}
        return self._words

    def search(self, text: str, limit: int = 25) -> list[str]:
        """Ids of diseases whose name or a synonym matches ``text`` by word prefix, best first.

        Every word typed must begin a different word of the name (``breast carc`` finds "breast
        carcinoma" and "carcinoma of breast"; ``adenocarc lung`` finds "lung adenocarcinoma").
        Exact names first, then names with fewest words beside those typed, then words in the order typed.
        """
        wanted = [w for w in name_key(text).split() if w not in FILLER_WORDS] or name_key(text).split()
        if sum(len(w) for w in wanted) < _SHORTEST_SEARCH:
            return []  # one or two letters begin half the names: not a search
        exact = set(self.lookup(text))
        best: dict[str, tuple[int, int, int, int, str]] = {}
        for entry in self._keys().entries:
            order = _prefix_match(wanted, entry.words)
            if order is None:
                continue
            rank = (0 if entry.node_id in exact else 1, len(entry.words), order, 0 if entry.is_name else 1,
                    _preference(entry.node_id))  # fmt: skip
            known = best.get(entry.node_id)
            if known is None or rank < known:
                best[entry.node_id] = rank
        return sorted(best, key=lambda i: best[i])[:limit]


def _closest(word: str, vocabulary: dict[int, frozenset[str]]) -> list[str]:
    """The words of ``vocabulary`` fewest edits from ``word``, if within its allowance (see ``respellings``).

    Edits are insertions, deletions, substitutions and swaps of neighbours (optimal string alignment distance,
    rapidfuzz's ``OSA``, in C: a 14-letter word is compared with the ~3,000 words of near length in well under
    a millisecond).

    >>> _closest("tumer", {5: frozenset({"tumor", "timer", "tuner"}), 6: frozenset({"tumour"})})
    ['timer', 'tumor', 'tuner']
    """
    from rapidfuzz import process  # imported by the first misspelling only: ~10 ms of every first answer otherwise
    from rapidfuzz.distance import OSA

    allowed = 2 if len(word) >= _TWO_EDITS_FROM else 1
    near = [w for length in range(len(word) - allowed, len(word) + allowed + 1) for w in vocabulary.get(length, ())]
    found = process.extract(word, near, scorer=OSA.distance, score_cutoff=allowed, limit=None)
    if not found:
        return []
    fewest = min(edits for _, edits, _ in found)
    return sorted(w for w, edits, _ in found if edits == fewest)


def _prefix_match(wanted: list[str], words: tuple[str, ...]) -> int | None:
    """None unless each wanted word begins a distinct word; 0 when they do so in order, else 1."""
    used: list[int] = []
    for prefix in wanted:
        position = next((i for i, w in enumerate(words) if i not in used and w.startswith(prefix)), None)
        if position is None:
            return None
        used.append(position)
    return 0 if used == sorted(used) else 1


def _preference(node_id: str) -> str:
    prefix = node_id.split(":", 1)[0]
    rank = _PREFERENCE.index(prefix) if prefix in _PREFERENCE else len(_PREFERENCE)
    return f"{rank}:{node_id}"


@functools.cache
def _aliases() -> dict[str, str]:
    text = (importlib.resources.files("queries") / "data" / _ALIASES_FILE).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("alias\t"):
            continue
        alias, doid, *_ = line.split("\t")
        table[name_key(alias)] = doid.strip()
    return table


def curated_alias(text: str) -> str | None:
    """The DO id the curated list gives ``text`` (``CRC`` → DOID:9256), or None."""
    return _aliases().get(name_key(text))


def curated_aliases() -> dict[str, str]:
    """The whole curated list, alias key → DO id (for tests and docs)."""
    return dict(_aliases())
