"""Freezing one build: a :class:`~kg.merge.MergedGraph` turned into the flat arrays of the embedded graph file.

The arrays (what each holds, and how :class:`~kg.stores.embedded.graph.FrozenGraph` reads them) are described
in :mod:`kg.stores.embedded.graph`.  This is the writing side: it alone (with the file writer) imports numpy,
so a process that only reads a graph never does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import orjson

from kg.merge import MergedGraph, lookup_keys, prov_tuple
from kg.stores.embedded.graph import key_hash


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
    id_hash, id_node = _sorted_hash_index([key_hash(i) for i in ids], list(range(node_count)))
    alias_hashes: list[int] = []
    alias_nodes: list[int] = []
    for position, (node_id, entry) in enumerate(zip(ids, data, strict=True)):
        for key in lookup_keys(node_id, entry[0], entry[1]):
            alias_hashes.append(key_hash(key))
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
