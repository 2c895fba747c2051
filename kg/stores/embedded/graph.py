"""The embedded store's graph in its compact, frozen, memory-mapped form.

:func:`freeze` turns one build's :class:`~kg.merge.MergedGraph` into flat arrays:

* nodes in insertion order; each node's label in ``node_label`` and the rest (name,
  synonyms, properties, provenance) as one JSON blob in a string heap, decoded on access;
* ``id_hash``/``id_node``: CRC-32 of every id, sorted, so an id resolves with one
  ``searchsorted`` and a comparison; ``alias_hash``/``alias_node`` likewise for the
  lower-cased id, name and synonyms;
* relationships in compressed-sparse-row form both ways (``out_*`` by start node,
  ``in_*`` by end node), with each relationship's properties in a second heap.

:class:`FrozenGraph` answers the store's read operations from those arrays.  Opening it
is a memory-map plus checksums: no per-node Python objects are built, so a graph of
millions of nodes opens in about a second and pages in only what queries touch.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import orjson

from kg.merge import LABELS, REL_CODE, MergedGraph, lookup_keys, prov_tuple
from kg.records import Edge, Node, Provenance
from kg.schema import Label, RelType
from kg.stores.embedded.fileformat import bytes_of


def _prov_from(items: Iterable[Sequence[Any]]) -> tuple[Provenance, ...]:
    return tuple(Provenance(s, v, lic, rid, line) for s, v, lic, rid, line in items)


def _encode_heap(items: Iterable[Any], count: int) -> tuple[np.ndarray, np.ndarray]:
    """JSON-encode ``items`` one after another into one buffer; return it and the offsets."""
    # Appending to one buffer, not keeping a list of small bytes objects: orjson hands back
    # each result in a buffer of a few KiB, so millions of them would cost gigabytes.
    heap = bytearray()
    offsets = np.zeros(count + 1, dtype=np.int64)
    dumps = orjson.dumps
    for position, item in enumerate(items, start=1):
        heap += dumps(item) if item is not None else b""
        offsets[position] = len(heap)
    return np.frombuffer(heap, dtype=np.uint8), offsets


def _key_hash(text: str) -> int:
    return zlib.crc32(text.encode())


def _sorted_hash_index(hashes: list[int], nodes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    hash_array = np.fromiter(hashes, dtype=np.uint32, count=len(hashes))
    node_array = np.fromiter(nodes, dtype=np.int32, count=len(nodes))
    order = np.argsort(hash_array, kind="stable")
    return hash_array[order], node_array[order]


def freeze(graph: MergedGraph) -> dict[str, np.ndarray]:
    """The arrays of the frozen graph (see the module docstring)."""
    ids, data = graph.ids, graph.data
    node_count = len(ids)
    node_heap, node_offsets = _encode_heap(
        (
            [node_id, name, synonyms, props, [prov_tuple(p) for p in provenance]]
            for node_id, (name, synonyms, props, provenance) in zip(ids, data, strict=True)
        ),
        node_count,
    )
    id_hash, id_node = _sorted_hash_index([_key_hash(i) for i in ids], list(range(node_count)))
    alias_hashes: list[int] = []
    alias_nodes: list[int] = []
    for position, (node_id, entry) in enumerate(zip(ids, data, strict=True)):
        for key in lookup_keys(node_id, entry[0], entry[1]):
            alias_hashes.append(_key_hash(key))
            alias_nodes.append(position)
    alias_hash, alias_node = _sorted_hash_index(alias_hashes, alias_nodes)
    del alias_hashes, alias_nodes

    edge_count = len(graph.edges)
    triples = np.array(list(graph.edges.keys()), dtype=np.int64).reshape(edge_count, 3)
    src, typ, dst = triples[:, 0].astype(np.int32), triples[:, 1].astype(np.int8), triples[:, 2].astype(np.int32)
    out_order = np.lexsort((dst, typ, src))
    edge_values = list(graph.edges.values())
    edge_heap, edge_offsets = _encode_heap(
        (
            [props, [prov_tuple(p) for p in provenance]] if props or provenance else None
            for props, provenance in (edge_values[i] for i in out_order.tolist())
        ),
        edge_count,
    )
    del edge_values
    src, typ, dst = src[out_order], typ[out_order], dst[out_order]
    out_offsets = np.zeros(node_count + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=node_count), out=out_offsets[1:])
    in_order = np.lexsort((src, typ, dst))
    in_offsets = np.zeros(node_count + 1, dtype=np.int64)
    np.cumsum(np.bincount(dst, minlength=node_count), out=in_offsets[1:])
    return {
        "node_label": np.array(graph.labels, dtype=np.int8),
        "node_heap": node_heap,
        "node_offsets": node_offsets,
        "id_hash": id_hash,
        "id_node": id_node,
        "alias_hash": alias_hash,
        "alias_node": alias_node,
        "out_offsets": out_offsets,
        "out_type": typ,
        "out_end": dst,
        "in_offsets": in_offsets,
        "in_type": typ[in_order],
        "in_start": src[in_order],
        "in_edge": in_order.astype(np.int32),
        "edge_heap": edge_heap,
        "edge_offsets": edge_offsets,
    }


SECTIONS = (
    "node_label", "node_heap", "node_offsets", "id_hash", "id_node", "alias_hash", "alias_node", "out_offsets",
    "out_type", "out_end", "in_offsets", "in_type", "in_start", "in_edge", "edge_heap", "edge_offsets",
)  # fmt: skip


class FrozenGraph:
    """Read operations over the arrays of a frozen graph."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        missing = [name for name in SECTIONS if name not in arrays]
        if missing:
            # The checksums can all be right and a section still be absent (a file written by another tool).
            raise ValueError(f"the graph file lacks section(s) {', '.join(missing)}")
        self._a = arrays
        self.node_label = arrays["node_label"]
        self._node_heap = arrays["node_heap"]
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
        self._heap_bytes = bytes_of(self._node_heap)
        self._edge_heap_bytes = bytes_of(arrays["edge_heap"])
        self._edge_offsets = arrays["edge_offsets"]

    @property
    def node_count(self) -> int:
        return int(self.node_label.shape[0])

    @property
    def edge_count(self) -> int:
        return int(self._out_end.shape[0])

    def _raw(self, position: int) -> list[Any]:
        start, end = self._node_offsets[position], self._node_offsets[position + 1]
        raw: list[Any] = orjson.loads(self._heap_bytes[start:end])
        return raw

    def node_at(self, position: int) -> Node:
        node_id, name, synonyms, props, provenance = self._raw(position)
        return Node(node_id, LABELS[self.node_label[position]], name, tuple(synonyms), props, _prov_from(provenance))

    def _candidates(self, hashes: np.ndarray, nodes: np.ndarray, key: str) -> Iterator[int]:
        # A uint32 needle: a Python int would make numpy cast the whole array on every call.
        code = np.uint32(_key_hash(key))
        position = int(hashes.searchsorted(code))
        while position < hashes.shape[0] and hashes[position] == code:
            yield int(nodes[position])
            position += 1

    def position(self, node_id: str) -> int | None:
        # A node's blob begins with its id exactly as orjson wrote it (``["<id>",``): compared as bytes, not decoded.
        prefix = orjson.dumps([node_id])[:-1] + b","
        for candidate in self._candidates(self._id_hash, self._id_node, node_id):
            start = int(self._node_offsets[candidate])
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
        return [int(e) for t, e in zip(types.tolist(), ends.tolist(), strict=True) if t in rel_codes]

    def _in(self, position: int, rel_codes: frozenset[int]) -> list[int]:
        start, end = self._in_offsets[position], self._in_offsets[position + 1]
        types, starts = self._in_type[start:end], self._in_start[start:end]
        return [int(s) for t, s in zip(types.tolist(), starts.tolist(), strict=True) if t in rel_codes]

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
        code = LABELS.index(label)
        positions = np.flatnonzero(self.node_label == code).tolist()
        return sorted((self.node_at(int(p)) for p in positions), key=lambda n: n.id)

    def edges(self, rel: RelType) -> Iterator[Edge]:
        """Every relationship of type ``rel``, with its properties and provenance, by start node."""
        indices = np.flatnonzero(self._out_type == REL_CODE[rel])
        starts = np.searchsorted(self._out_offsets, indices, side="right") - 1
        ids: dict[int, str] = {}
        for index, start in zip(indices.tolist(), starts.tolist(), strict=True):
            end = int(self._out_end[index])
            for position in (start, end):
                if position not in ids:
                    ids[position] = self.node_id_at(position)
            low, high = int(self._edge_offsets[index]), int(self._edge_offsets[index + 1])
            props, provenance = orjson.loads(self._edge_heap_bytes[low:high]) if high > low else ({}, [])
            yield Edge(ids[start], rel, ids[end], props, _prov_from(provenance))

    def label_counts(self) -> dict[str, int]:
        counts = np.bincount(self.node_label, minlength=len(LABELS))
        return {str(label): int(counts[code]) for code, label in enumerate(LABELS)}

    def node_id_at(self, position: int) -> str:
        node_id: str = self._raw(position)[0]
        return node_id
