"""The embedded store finds a node by its id by comparing the id's bytes, not by decoding the node.

Ids that JSON must escape (quotes, backslashes), non-ASCII ids, ids that are prefixes of
other ids, and ids whose CRC-32 collide must each still resolve to their own node and no other.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from kg.builds import run_build
from kg.records import Edge, Node, Provenance
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from tests.kg.conftest import ListSource

PROV = (Provenance("test", "1", "CC0-1.0", "r", 1),)
# Two ids with the same CRC-32 (found by search): the store's id index cannot tell them apart by hash.
COLLIDING = ("HGNC:plumless", "HGNC:buckeroo")  # equal-length suffixes: the prefix keeps the collision
IDS = ['HGNC:"quoted"', "HGNC:back\\slash", "HGNC:é-ñ-中", "HGNC:1", "HGNC:10", "HGNC:1,",
       *COLLIDING]  # fmt: skip


def test_colliding_ids_really_collide() -> None:
    assert zlib.crc32(COLLIDING[0].encode()) == zlib.crc32(COLLIDING[1].encode())


def test_every_id_resolves_to_its_own_node(
    embedded_store: EmbeddedStore, list_source: Callable[..., ListSource]
) -> None:
    nodes = [Node(node_id, Label.GENE, f"name {number}", props={"symbol": f"G{number}"}, provenance=PROV)
             for number, node_id in enumerate(IDS)]  # fmt: skip
    run_build(embedded_store, [list_source("genes", nodes)])  # type: ignore[list-item]
    for number, node_id in enumerate(IDS):
        found = embedded_store.get_node(node_id)
        assert found is not None
        assert (found.id, found.name) == (node_id, f"name {number}")
    for missing in ("HGNC:", "HGNC:100", 'HGNC:"quoted', "HGNC:é", "HGNC:plumles"):
        assert embedded_store.get_node(missing) is None


def test_ids_read_from_the_start_of_each_node_without_decoding_it_are_the_nodes_ids(
    embedded_store: EmbeddedStore, list_source: Callable[..., ListSource]
) -> None:
    # Hierarchy walks return ids read from the first bytes of each node (kg.stores.embedded.graph.node_id_at):
    # escaped, non-ASCII and very long ids must come back exactly as written.
    parents = [*(i.replace("HGNC:", "DOID:") for i in IDS), "DOID:" + "x" * 400]
    child = "DOID:child"
    nodes = [Node(node_id, Label.DISEASE, f"disease {number}", provenance=PROV)
             for number, node_id in enumerate([child, *parents])]  # fmt: skip
    edges = [Edge(child, RelType.SUBCLASS_OF, parent, provenance=PROV) for parent in parents]
    run_build(embedded_store, [list_source("diseases", [*nodes, *edges])])  # type: ignore[list-item]
    assert embedded_store.ancestors([child], [RelType.SUBCLASS_OF]) == set(parents)
    assert embedded_store.descendants(parents[:3], [RelType.SUBCLASS_OF]) == {child}
    assert {e.end for e in embedded_store.edges(RelType.SUBCLASS_OF)} == set(parents)
