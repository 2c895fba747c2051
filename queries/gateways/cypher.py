"""Read-only Cypher for researchers, on a store that speaks it (Neo4j).

Every node and relationship in Neo4j carries the id of the build it belongs to (``build``);
the gateway binds ``$build`` to the build that answers (or the one asked for) so that a query
written ``MATCH (g:Gene {build: $build})`` sees exactly one build.  ``$parameters`` given as
``NAME=VALUE`` are read as JSON when they parse (numbers, lists, ``true``) and as text otherwise.

On the embedded store there is no Cypher: the error says how to get it (copy the embedded build into
Neo4j with ``pmkg push``, or build into Neo4j with ``pmkg build --store neo4j``).  Query text and
parameters are never logged.

>>> parse_params(["symbol=BRAF", "tier=1", 'ids=["DOID:3910"]'])
{'symbol': 'BRAF', 'tier': 1, 'ids': ['DOID:3910']}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kg.errors import InputError, NoBuild, QueryRefused
from kg.stores.port import Capability, Store

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_ROW_LIMIT = 10_000


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs as Cypher parameters (JSON values where they parse)."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise InputError(f"--param {pair!r}: expected NAME=VALUE with NAME a parameter name, e.g. symbol=BRAF")
        try:
            params[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            params[name.strip()] = value
    return params


def run_cypher(
    store: Store,
    query: str,
    params: dict[str, Any] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    row_limit: int = DEFAULT_ROW_LIMIT,
) -> Any:
    """Run a researcher's read-only ``query`` on ``store``; ``$build`` is bound to the current build."""
    if Capability.CYPHER not in store.capabilities:
        raise QueryRefused(
            "this store does not answer Cypher (the embedded store has no Cypher engine): copy the embedded build "
            "into Neo4j with `pmkg push` (PMKG_NEO4J_URI), or build into Neo4j with `pmkg build --store neo4j`, "
            "then `pmkg cypher --store neo4j …`; or ask the same graph in SPARQL with `pmkg sparql`"
        )
    if not query.strip():
        raise InputError("the Cypher query is empty")
    manifest = store.current_build()
    if manifest is None:
        raise NoBuild("no graph built yet in this store: run `pmkg build --store neo4j`")
    bound = {"build": manifest.build_id, **(params or {})}
    return store.read_only_cypher(query, bound, timeout=timeout, row_limit=row_limit)  # type: ignore[attr-defined]
