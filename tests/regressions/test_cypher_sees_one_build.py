"""A researcher's Cypher on Neo4j reached the kept (non-current) builds through unlabelled patterns.

Two builds are kept in the real Neo4j: an older one with BRAF, its variant and evidence, and the current
one with other records.  Patterns that start from a live label see the current build alone; patterns that
would read every build (``MATCH (n)``, ``()-[r]->()``, a relationship type without a labelled end, the
internal labels) are refused with the way to write them; a query that names ``$build`` filters itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.builds import run_build
from kg.errors import QueryRefused
from kg.records import Edge, Node, Provenance, Record
from kg.schema import Label, RelType
from kg.stores.neo4j.store import Neo4jStore
from queries.gateways.cypher import run_cypher
from tests.conftest import wipe_neo4j
from tests.kg.conftest import ListSource

P = (Provenance("civic", "1", "CC0-1.0", "EID1409"),)


def _older() -> list[Record]:
    return [
        Node("HGNC:1097", Label.GENE, "BRAF", (), {"symbol": "BRAF"}, P),
        Node("PMKG:variant/BRAF:V600E", Label.VARIANT, "BRAF V600E", (), {}, P),
        Node("CIVIC.EID:1409", Label.EVIDENCE, "EID1409", (), {"evidence_type": "predictive"}, P),
        Edge("PMKG:variant/BRAF:V600E", RelType.IN_GENE, "HGNC:1097", provenance=P),
        Edge("CIVIC.EID:1409", RelType.ABOUT, "PMKG:variant/BRAF:V600E", provenance=P),
    ]


def _current() -> list[Record]:
    return [
        Node("HGNC:3236", Label.GENE, "EGFR", (), {"symbol": "EGFR"}, P),
        Node("PMKG:variant/EGFR:L858R", Label.VARIANT, "EGFR L858R", (), {}, P),
        Edge("PMKG:variant/EGFR:L858R", RelType.IN_GENE, "HGNC:3236", provenance=P),
    ]


@pytest.fixture(scope="module")
def two_builds(neo4j_uri: str) -> Iterator[Neo4jStore]:
    wipe_neo4j(neo4j_uri)
    store = Neo4jStore(neo4j_uri)
    run_build(store, [ListSource("civic", _older())])
    run_build(store, [ListSource("civic", _current(), version="2")])
    assert len(store.list_builds()) == 2
    yield store
    store.close()
    wipe_neo4j(neo4j_uri)  # other modules rebuild the starter graph when they find it gone


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n) RETURN count(n) AS n",
        "MATCH ()-[r]->() RETURN count(r) AS n",
        "MATCH ()-[r:ABOUT]->() RETURN count(r) AS n",
        "MATCH (a)-[r:IN_GENE]->(b) RETURN a.name AS n",
        "MATCH (n {symbol: 'BRAF'}) RETURN n.name AS n",
        "MATCH (n:PmkgNode) RETURN DISTINCT n.build AS n",
        "OPTIONAL MATCH (n) RETURN count(n) AS n",
        "MATCH (n) WHERE NOT n:Gene RETURN count(n) AS n",
        "CALL db.index.fulltext.queryNodes('pmkg_node_lookup', 'braf') YIELD node RETURN node.name AS n",
    ],
)
def test_patterns_that_would_read_kept_builds_are_refused_with_the_way_out(two_builds: Neo4jStore, query: str) -> None:
    with pytest.raises(QueryRefused, match=r"would also read the kept, non-current builds .* \{build: \$build\}"):
        run_cypher(two_builds, query)


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MATCH (n:Entity) RETURN count(n) AS n", 4),  # EGFR, L858R, the Build and Source nodes
        ("MATCH (g:Gene) RETURN g.name AS n", "EGFR"),
        ("MATCH (g:Gene {symbol: 'EGFR'})<-[:IN_GENE]-(v) RETURN v.name AS n", "EGFR L858R"),
        ("MATCH (v)-[r:IN_GENE]->(:Gene) RETURN count(r) AS n", 1),
        ("MATCH (:Evidence)-[r:ABOUT]->() RETURN count(r) AS n", 0),
        ("MATCH ()-[r]->() WHERE r.build = $build RETURN count(r) AS n", 2),  # IN_GENE and USES_SOURCE
        ("MATCH (n {build: $build, symbol: 'BRAF'}) RETURN count(n) AS n", 0),
    ],
)
def test_patterns_from_a_live_label_or_naming_the_build_see_only_the_current_build(
    two_builds: Neo4jStore, query: str, expected: object
) -> None:
    answer = run_cypher(two_builds, query)
    assert [row[0] for row in answer.rows] == [expected]
