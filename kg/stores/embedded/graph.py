"""The embedded store's graph in its compact, frozen, memory-mapped form.

:func:`kg.stores.embedded.freeze.freeze` turns one build's :class:`~kg.merge.MergedGraph` into flat arrays:

* nodes in insertion order; each node's label in ``node_label`` and the rest (name,
  synonyms, properties, provenance) as one JSON blob in a string heap, decoded on access;
* ``id_hash``/``id_node``: CRC-32 of every id, sorted, so an id resolves with one
  binary search and a comparison; ``alias_hash``/``alias_node`` likewise for the
  lower-cased id, name and synonyms;
* relationships in compressed-sparse-row form both ways (``out_*`` by start node,
  ``in_*`` by end node), with each relationship's properties in a second heap.

:class:`FrozenGraph` answers the store's read operations from those arrays.  Opening it
is a memory-map plus checksums: no per-node Python objects are built, so a graph of
millions of nodes opens in about a second and pages in only what queries touch.  It reads the
sections as typed ``memoryview`` s (:func:`~kg.stores.embedded.fileformat.map_graph_file`) with
:mod:`bisect` and ``bytes.find``, never numpy: a query process then never pays numpy's import
(50-150 ms of its first answer), and one-element lookups are cheaper on a memoryview.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import orjson

from kg.merge import LABELS, REL_CODE, lookup_keys
from kg.records import Edge, Node, Provenance
from kg.schema import Label, RelType


def _prov_from(items: Iterable[Sequence[Any]]) -> tuple[Provenance, ...]:
    return tuple(Provenance(s, v, lic, rid, line) for s, v, lic, rid, line in items)


def key_hash(text: str) -> int:
    """The 32-bit hash the id and alias indexes are sorted by."""
    return zlib.crc32(text.encode())


SECTIONS = (
    "node_label", "node_heap", "node_offsets", "id_hash", "id_node", "alias_hash", "alias_node", "out_offsets",
    "out_type", "out_end", "in_offsets", "in_type", "in_start", "in_edge", "edge_heap", "edge_offsets",
)  # fmt: skip


_ID_HEAD = 256  # bytes read to find a node's id at the start of its blob; a longer id is decoded whole


def _positions_of(codes: memoryview, code: int) -> Iterator[int]:
    """Indexes of the one-byte ``code`` in the one-byte ``codes``, in order (a C-speed scan)."""
    data, needle = codes.cast("B"), bytes((code & 0xFF,))
    raw = bytes(data)  # one copy of a byte per node or edge: a few MB for millions
    index = raw.find(needle)
    while index != -1:
        yield index
        index = raw.find(needle, index + 1)


class FrozenGraph:
    """Read operations over the sections of a frozen graph (typed memoryviews, or anything indexable alike)."""

    def __init__(self, arrays: Mapping[str, memoryview]) -> None:
        missing = [name for name in SECTIONS if name not in arrays]
        if missing:
            # The checksums can all be right and a section still be absent (a file written by another tool).
            raise ValueError(f"the graph file lacks section(s) {', '.join(missing)}")
        self.node_label = arrays["node_label"]
        self._node_offsets = arrays["node_offsets"]
        self._id_hash = arrays["id_hash"]
        self._id_node = arrays["id_node"]
        self._alias_hash = arrays["alias_hash"]
        self._alias_node = arrays["alias_node"]
        self._out_offsets = arrays["out_offsets"]
        self._out_type = arrays["out_type"]
        self._out_end = arrays["out_end"]
        self._in_offsets = arrays["in_offsets"]
        self._in_type = arrays["in_type"]
        self._in_start = arrays["in_start"]
        self._heap_bytes = arrays["node_heap"].cast("B")
        self._edge_heap_bytes = arrays["edge_heap"].cast("B")
        self._edge_offsets = arrays["edge_offsets"]

    @property
    def node_count(self) -> int:
        return len(self.node_label)

    @property
    def edge_count(self) -> int:
        return len(self._out_end)

    def _raw(self, position: int) -> list[Any]:
        start, end = self._node_offsets[position], self._node_offsets[position + 1]
        raw: list[Any] = orjson.loads(self._heap_bytes[start:end])
        return raw

    def node_at(self, position: int) -> Node:
        node_id, name, synonyms, props, provenance = self._raw(position)
        return Node(node_id, LABELS[self.node_label[position]], name, tuple(synonyms), props, _prov_from(provenance))

    def _candidates(self, hashes: memoryview, nodes: memoryview, key: str) -> Iterator[int]:
        code = key_hash(key)
        position = bisect_left(hashes, code)
        count = len(hashes)
        while position < count and hashes[position] == code:
            yield nodes[position]
            position += 1

    def position(self, node_id: str) -> int | None:
        # A node's blob begins with its id exactly as orjson wrote it (``["<id>",``): compared as bytes, not decoded.
        prefix = orjson.dumps([node_id])[:-1] + b","
        for candidate in self._candidates(self._id_hash, self._id_node, node_id):
            start = self._node_offsets[candidate]
            if self._heap_bytes[start : start + len(prefix)] == prefix:
                return candidate
        return None

    def positions(self, node_ids: Iterable[str]) -> list[int]:
        found = (self.position(node_id) for node_id in node_ids)
        return [p for p in found if p is not None]

    def find(self, text: str, label: Label | None) -> list[Node]:
        key = text.strip().lower()
        matches = []
        for candidate in set(self._candidates(self._alias_hash, self._alias_node, key)):
            if label is not None and LABELS[self.node_label[candidate]] != label:
                continue
            node = self.node_at(candidate)
            if key in lookup_keys(node.id, node.name, node.synonyms):
                matches.append(node)
        return sorted(matches, key=lambda n: n.id)

    def _out(self, position: int, rel_codes: frozenset[int]) -> list[int]:
        start, end = self._out_offsets[position], self._out_offsets[position + 1]
        types, ends = self._out_type[start:end], self._out_end[start:end]
        return [e for t, e in zip(types.tolist(), ends.tolist(), strict=True) if t in rel_codes]

    def _in(self, position: int, rel_codes: frozenset[int]) -> list[int]:
        start, end = self._in_offsets[position], self._in_offsets[position + 1]
        types, starts = self._in_type[start:end], self._in_start[start:end]
        return [s for t, s in zip(types.tolist(), starts.tolist(), strict=True) if t in rel_codes]

    def neighbour_positions(self, position: int, rels: Sequence[RelType], outgoing: bool, incoming: bool) -> set[int]:
        codes = frozenset(REL_CODE[r] for r in rels)
        found: set[int] = set()
        if outgoing:
            found.update(self._out(position, codes))
        if incoming:
            found.update(self._in(position, codes))
        return found

    def closure(self, starts: Iterable[int], rels: Sequence[RelType], upward: bool) -> set[int]:
        """Positions reachable in one step or more from ``starts`` along ``rels`` (out-edges if upward)."""
        codes = frozenset(REL_CODE[r] for r in rels)
        step = self._out if upward else self._in
        seen: set[int] = set()
        frontier = list(set(starts))
        while frontier:
            following: list[int] = []
            for position in frontier:
                for reached in step(position, codes):
                    if reached not in seen:
                        seen.add(reached)
                        following.append(reached)
            frontier = following
        return seen

    def nodes_with_label(self, label: Label) -> list[Node]:
        positions = _positions_of(self.node_label, LABELS.index(label))
        return sorted((self.node_at(p) for p in positions), key=lambda n: n.id)

    def edges(self, rel: RelType) -> Iterator[Edge]:
        """Every relationship of type ``rel``, with its properties and provenance, by start node."""
        ids: dict[int, str] = {}
        for index in _positions_of(self._out_type, REL_CODE[rel]):
            start = bisect_right(self._out_offsets, index) - 1
            end = self._out_end[index]
            for position in (start, end):
                if position not in ids:
                    ids[position] = self.node_id_at(position)
            low, high = self._edge_offsets[index], self._edge_offsets[index + 1]
            props, provenance = orjson.loads(self._edge_heap_bytes[low:high]) if high > low else ({}, [])
            yield Edge(ids[start], rel, ids[end], props, _prov_from(provenance))

    def label_counts(self) -> dict[str, int]:
        codes = bytes(self.node_label.cast("B"))
        return {str(label): codes.count(bytes((code,))) for code, label in enumerate(LABELS)}

    def node_id_at(self, position: int) -> str:
        # The blob begins ``["<id>",`` (orjson): an id without escapes is read from there, without decoding a
        # whole node (an evidence blob is kilobytes; hierarchy walks and exports ask for thousands of ids).
        start = self._node_offsets[position]
        head = bytes(self._heap_bytes[start : min(start + _ID_HEAD, self._node_offsets[position + 1])])
        close = head.find(b'"', 2)
        if close > 2 and head.startswith(b'["') and b"\\" not in head[2:close]:
            return head[2:close].decode()
        node_id: str = self._raw(position)[0]
        return node_id
