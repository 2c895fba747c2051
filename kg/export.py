"""The graph as a whole, or a chosen part of it, for exports and analysis.

Walks a :class:`~kg.stores.port.Store`'s current build label by label and type by type (so the
same code serves the embedded store and Neo4j), keeping only the labels, relationship types and
sources asked for, and turns the result into a networkx ``MultiDiGraph`` (:func:`to_networkx`)
or GraphML / GEXF / node-link JSON (:func:`write_networkx`).  A relationship is kept only when
both its ends are.

>>> sorted(parse_labels("gene,Disease"))
[<Label.DISEASE: 'Disease'>, <Label.GENE: 'Gene'>]
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from kg.errors import InputError
from kg.records import Edge, Node
from kg.schema import LABELS, Label, RelType
from kg.stores.port import Store

if TYPE_CHECKING:
    import networkx

NETWORKX_FORMATS = ("graphml", "gexf", "node-link-json")


def parse_labels(text: str | None) -> frozenset[Label] | None:
    """Labels named in a comma-separated list (any case); None when ``text`` is empty."""
    if not text:
        return None
    by_name = {str(label).lower(): label for label in Label}
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [w for w in wanted if w.lower() not in by_name]
    if unknown:
        raise InputError(f"--label: unknown label(s) {', '.join(unknown)}; expected some of {', '.join(Label)}")
    return frozenset(by_name[w.lower()] for w in wanted)


def parse_relationships(text: str | None) -> frozenset[RelType] | None:
    """Relationship types named in a comma-separated list (any case); None when ``text`` is empty."""
    if not text:
        return None
    wanted = [part.strip().upper() for part in text.split(",") if part.strip()]
    unknown = [w for w in wanted if w not in {str(r) for r in RelType}]
    if unknown:
        raise InputError(f"--relationship: unknown type(s) {', '.join(unknown)}; expected some of {', '.join(RelType)}")
    return frozenset(RelType(w) for w in wanted)


def _from_sources(provenance: Iterable[Any], sources: Collection[str] | None) -> bool:
    return sources is None or any(p.source in sources for p in provenance)


def nodes(
    store: Store, labels: Collection[Label] | None = None, sources: Collection[str] | None = None
) -> Iterator[Node]:
    """Nodes of the current build with one of ``labels`` (all if None) from one of ``sources``."""
    for label in LABELS:
        if labels is None or label in labels:
            for node in store.nodes_with_label(label):
                if _from_sources(node.provenance, sources):
                    yield node


def edges(
    store: Store, relationships: Collection[RelType] | None = None, node_ids: Collection[str] | None = None
) -> Iterator[Edge]:
    """Relationships of the current build of ``relationships`` (all if None) between ``node_ids`` (all if None)."""
    for rel in RelType:
        if relationships is None or rel in relationships:
            for edge in store.edges(rel):
                if node_ids is None or (edge.start in node_ids and edge.end in node_ids):
                    yield edge


def _plain(value: Any) -> Any:
    """A property as GraphML/GEXF can hold it: lists become text joined with '|'."""
    return "|".join(str(v) for v in value) if isinstance(value, list | tuple) else value


def to_networkx(
    store: Store,
    labels: Collection[Label] | None = None,
    relationships: Collection[RelType] | None = None,
    sources: Collection[str] | None = None,
) -> networkx.MultiDiGraph[str]:
    """The chosen subgraph as a networkx ``MultiDiGraph``: node and edge attributes are the properties.

    Each node has ``label``, ``name``, ``synonyms`` (list), ``sources`` (list) and its properties;
    each edge has ``key`` = the relationship type, ``type`` and its properties.
    """
    import networkx

    graph: networkx.MultiDiGraph[str] = networkx.MultiDiGraph()
    kept: set[str] = set()
    for node in nodes(store, labels, sources):
        kept.add(node.id)
        graph.add_node(
            node.id,
            label=str(node.label),
            name=node.name,
            synonyms=list(node.synonyms),
            sources=sorted({p.source for p in node.provenance}),
            **dict(node.props),
        )
    no_filter = labels is None and sources is None
    for edge in edges(store, relationships, None if no_filter else kept):
        graph.add_edge(edge.start, edge.end, key=str(edge.type), type=str(edge.type), **dict(edge.props))
    return graph


def write_networkx(graph: networkx.MultiDiGraph[str], fmt: str, out: IO[str]) -> None:
    """Write ``graph`` as GraphML, GEXF or node-link JSON (lists flattened where the format needs it)."""
    import json

    import networkx

    if fmt == "node-link-json":
        json.dump(networkx.node_link_data(graph, edges="edges"), out, ensure_ascii=False)
        out.write("\n")
        return
    flat: networkx.MultiDiGraph[str] = networkx.MultiDiGraph(**graph.graph)
    flat.add_nodes_from((n, {k: _plain(v) for k, v in data.items()}) for n, data in graph.nodes(data=True))
    for start, end, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(start, end, key=key, **{k: _plain(v) for k, v in data.items()})
    if fmt == "graphml":
        text = "\n".join(networkx.generate_graphml(flat))
    elif fmt == "gexf":
        text = "\n".join(networkx.generate_gexf(flat))
    else:
        raise InputError(f"unknown graph format {fmt!r}; expected one of {', '.join(NETWORKX_FORMATS)}")
    out.write(text + "\n")
