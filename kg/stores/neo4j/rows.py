"""How a pmkg node or relationship is laid out in Neo4j's properties, both ways.

A node is stored with its record properties plus the store's own keys: ``id``, ``build`` (the
build it belongs to), ``pmkg_label`` (its schema label, which reads use: a kept build's nodes
carry no schema label), ``name``, ``synonyms``, ``provenance`` (JSON, one string per source
record), ``sources`` and ``pmkg_lookup`` (lower-cased id, name and synonyms, for ``find``).
This module never talks to the database.

>>> prov = [("hgnc", "1", "CC0-1.0", "1097", 2)]
>>> row = node_row("HGNC:1097", "Gene", "BRAF", ["B-RAF1"], {"symbol": "BRAF"}, prov, "b1")
>>> row["pmkg_lookup"], row["pmkg_label"]
(['b-raf1', 'braf', 'hgnc:1097'], 'Gene')
>>> node_from(row).props
{'symbol': 'BRAF'}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from kg.merge import ProvTuple, lookup_keys
from kg.records import Edge, Node, Provenance
from kg.schema import Label, RelType

# Relationship properties the store sets itself.
EDGE_STORE_KEYS = frozenset({"build", "sources", "provenance"})
# Node properties the store sets itself; everything else on a node is a record property.
STORE_KEYS = frozenset({"id", "build", "pmkg_label", "name", "synonyms", "sources", "provenance", "pmkg_lookup"})
_LABELS = {str(label): label for label in Label}


def _prov_json(p: ProvTuple) -> str:
    # The embedded store's encoding: [source, version, license, record_id, line].
    return orjson.dumps(p).decode()


def _sources(provenance: Iterable[ProvTuple]) -> list[str]:
    return list(dict.fromkeys(p[0] for p in provenance))


def node_row(
    node_id: str,
    label: str,
    name: str,
    synonyms: list[str],
    props: Mapping[str, Any],
    provenance: list[ProvTuple],
    build: str,
) -> dict[str, Any]:
    """The properties of one node as Neo4j stores them."""
    row = dict(props)
    row.update(
        id=node_id,
        build=build,
        pmkg_label=str(Label(label)),
        name=name,
        synonyms=synonyms,
        provenance=[_prov_json(p) for p in provenance],
        sources=_sources(provenance),
        pmkg_lookup=sorted(lookup_keys(node_id, name, synonyms)),
    )
    return row


def edge_row(start: str, end: str, props: Mapping[str, Any], provenance: list[ProvTuple], build: str) -> dict[str, Any]:
    """One relationship to write: its end ids and the properties Neo4j stores on it."""
    stored = dict(props)
    stored.update(build=build, provenance=[_prov_json(p) for p in provenance], sources=_sources(provenance))
    return {"start": start, "end": end, "props": stored}


def node_from(props: Mapping[str, Any], labels: Iterable[str] = ()) -> Node:
    """Rebuild a :class:`~kg.records.Node` from a Neo4j node's properties (``labels``: a fallback
    for nodes without ``pmkg_label``)."""
    stored = props.get("pmkg_label")
    label = _LABELS[stored] if stored in _LABELS else next(_LABELS[name] for name in labels if name in _LABELS)
    provenance = tuple(Provenance(*orjson.loads(p)) for p in props.get("provenance") or ())
    return Node(
        id=props["id"],
        label=label,
        name=props["name"],
        synonyms=tuple(props.get("synonyms") or ()),
        props={k: v for k, v in props.items() if k not in STORE_KEYS},
        provenance=provenance,
    )


def edge_from(start: str, rel: RelType, end: str, stored: Mapping[str, Any]) -> Edge:
    """Rebuild an :class:`~kg.records.Edge` from a Neo4j relationship's properties."""
    provenance = tuple(Provenance(*orjson.loads(p)) for p in stored.get("provenance") or ())
    props = {k: v for k, v in stored.items() if k not in EDGE_STORE_KEYS}
    return Edge(start, RelType(rel), end, props, provenance)
