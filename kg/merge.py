"""One build's records merged by id: the single place where repeats of a node or relationship meet.

Repeats of one node id merge so: the first name wins, synonyms are united keeping order,
later properties overwrite earlier ones, provenance is united.  Relationships merge on
(start, type, end) the same way.  Both stores write what :class:`MergedGraph` hands out,
so the embedded store and Neo4j hold the same graph for the same records.

>>> from kg.records import Node
>>> graph = MergedGraph()
>>> graph.add_nodes(Label.GENE, [Node("HGNC:3430", Label.GENE, "ERBB2", ("HER2",), {"symbol": "ERBB2"}),
...                              Node("HGNC:3430", Label.GENE, "erbb2", ("NEU",), {"chromosome": "17"})])
>>> next(graph.merged_nodes())[2:5]
('ERBB2', ['HER2', 'NEU'], {'symbol': 'ERBB2', 'chromosome': '17'})
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from kg.records import Edge, Node, Provenance
from kg.schema import Label, RelType

LABELS: tuple[Label, ...] = tuple(Label)
RELS: tuple[RelType, ...] = tuple(RelType)
LABEL_CODE = {label: code for code, label in enumerate(LABELS)}
REL_CODE = {rel: code for code, rel in enumerate(RELS)}

ProvTuple = tuple[str, str, str, str, "int | None"]


def prov_tuple(p: Provenance) -> ProvTuple:
    return (p.source, p.version, p.license, p.record_id, p.line)


def lookup_keys(node_id: str, name: str, synonyms: Iterable[str]) -> set[str]:
    """The texts ``Store.find`` matches a node by: its id, name and synonyms, lower-cased."""
    return {node_id.lower(), name.lower(), *(s.lower() for s in synonyms)}


def _merge_unique(existing: list[Any], new: Iterable[Any]) -> None:
    for item in new:
        if item not in existing:
            existing.append(item)


class MergedGraph:
    """One build's nodes and relationships, merged as they arrive."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.ids: list[str] = []
        self.labels: list[int] = []  # label codes: positions in LABELS
        # Per node: [name, synonyms, props, provenance].  The first record's props mapping and
        # provenance tuple are kept as they are (records are never changed); a repeat replaces
        # them with merged copies.  Sharing instead of copying is most of a large build's speed.
        self.data: list[list[Any]] = []
        # (start position, type code, end position) -> [props, provenance]
        self.edges: dict[tuple[int, int, int], list[Any]] = {}

    def add_nodes(self, label: Label, nodes: Sequence[Node]) -> None:
        code = LABEL_CODE[label]
        index, data, ids, labels = self.index, self.data, self.ids, self.labels
        for node in nodes:
            position = index.get(node.id)
            if position is None:
                index[node.id] = len(ids)
                ids.append(node.id)
                labels.append(code)
                data.append([node.name, list(dict.fromkeys(node.synonyms)), node.props, node.provenance])
                continue
            entry = data[position]
            _merge_unique(entry[1], node.synonyms)
            entry[2] = {**entry[2], **node.props}
            entry[3] = tuple(dict.fromkeys((*entry[3], *node.provenance)))

    def add_edges(self, rel: RelType, edges: Sequence[Edge]) -> None:
        code = REL_CODE[rel]
        index, store = self.index, self.edges
        for edge in edges:
            key = (index[edge.start], code, index[edge.end])
            entry = store.get(key)
            if entry is None:
                store[key] = [edge.props, edge.provenance]
                continue
            entry[0] = {**entry[0], **edge.props}
            entry[1] = tuple(dict.fromkeys((*entry[1], *edge.provenance)))

    @property
    def node_count(self) -> int:
        return len(self.ids)

    def merged_nodes(self) -> Iterator[tuple[str, Label, str, list[str], Mapping[str, Any], list[ProvTuple]]]:
        """Every node once, repeats merged: (id, label, name, synonyms, props, provenance)."""
        for node_id, code, (name, synonyms, props, provenance) in zip(self.ids, self.labels, self.data, strict=True):
            yield node_id, LABELS[code], name, synonyms, props, [prov_tuple(p) for p in provenance]

    def merged_edges(self) -> Iterator[tuple[str, RelType, str, Mapping[str, Any], list[ProvTuple]]]:
        """Every relationship once, repeats merged: (start id, type, end id, props, provenance)."""
        ids = self.ids
        for (start, code, end), (props, provenance) in self.edges.items():
            yield ids[start], RELS[code], ids[end], props, [prov_tuple(p) for p in provenance]
