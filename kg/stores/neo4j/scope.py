"""Keep a researcher's Cypher on the build that answers: refuse plans that would read kept builds.

Neo4j keeps several builds in one database (:mod:`kg.stores.neo4j.store`): only the current build's nodes
carry the live labels (``Entity`` and their schema label), so a pattern that starts from a labelled node
sees the current build alone — and so does everything it reaches, because a relationship never joins two
builds.  What does not start from a live label sees every build: ``MATCH (n)``, ``MATCH ()-[r]->()``,
``MATCH ()-[r:ABOUT]->()`` (the relationship-type index holds every build's relationships), counts from the
count store without a label, ``PmkgNode``/``PmkgState`` (the kept builds and pmkg's bookkeeping), element-id
seeks and the full-text lookup index.

:func:`out_of_scope` reads the ``EXPLAIN`` plan of a query: each operator that reads nodes or
relationships without a live label is in scope only if one of its variables is given a live label
somewhere in the plan (``MATCH (g:Gene)<-[:IN_GENE]-(v)`` is planned as a relationship-type scan filtered
on ``g:Gene``).  A query that names ``$build`` filters by build itself and is left alone.  The limit, stated
in the README: a label test inside ``OR`` (``WHERE n:Gene OR n.x = 1``) counts as a live label.

Pure Python over the plan's dict (the driver's ``summary.plan``): it never imports the driver.

>>> scan = {"operatorType": "AllNodesScan@neo4j", "args": {"Details": "n"}, "children": []}
>>> out_of_scope({"operatorType": "ProduceResults@neo4j", "args": {"Details": "n"}, "children": [scan]}, "")
['AllNodesScan: n']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kg.schema import Label

LIVE_LABELS = frozenset({"Entity", *(str(label) for label in Label)})

_NODE_SCANS = {"AllNodesScan", "PartitionedAllNodesScan", "NodeByIdSeek", "NodeByElementIdSeek"}
_RELATIONSHIP_SCAN = re.compile(
    r"(Directed|Undirected)(Partitioned)?(AllRelationshipsScan|RelationshipTypeScan|"
    r"UnionRelationshipTypesScan|RelationshipBy(Element)?IdSeek|RelationshipIndex\w*)$"
)
_LABELLED_NODE_OPS = re.compile(
    r"(Partitioned)?(NodeByLabelScan|\w*NodeByLabelsScan|NodeIndex\w*|NodeUniqueIndex\w*|MultiNodeIndexSeek)$"
)
_COUNTS = {"NodeCountFromCountStore", "RelationshipCountFromCountStore"}
_PATTERN = re.compile(r"\(`?(\w*)`?\)\s*<?-\[`?(\w*)`?[^\]]*\]->?\s*\(`?(\w*)`?\)")
# A label test on a variable; a negated one (NOT n:Gene, n:!Gene) does not match.
_LABEL_AFTER = r"(?<!NOT )(?<!NOT \()(?<![\w`]){var}`?:\(?`?([A-Za-z_]\w*)"
_BUILD_PARAMETER = re.compile(r"\$`?build\b`?")


def names_build(query: str) -> bool:
    """Whether ``query`` uses the ``$build`` parameter (and so filters by build itself)."""
    return bool(_BUILD_PARAMETER.search(query))


def out_of_scope(plan: Mapping[str, Any], query: str) -> list[str]:
    """The operators of ``plan`` that would read builds other than the current one (empty: none).

    Each is named ``Operator: details`` for the error message.  A query that uses ``$build`` is its own filter.
    """
    if names_build(query):
        return []
    operators = list(_walk(plan))
    text = "\n".join(str(op.get("args", {}).get("Details", "")) for op in operators)
    found = []
    for op in operators:
        kind = str(op.get("operatorType", "")).split("@")[0]
        details = str(op.get("args", {}).get("Details", ""))
        variables = _scope_variables(kind, details)
        if variables is None:
            continue
        if not any(_has_live_label(text, var) for var in variables if var):
            found.append(f"{kind}: {details}")
    return found


def loads_files(plan: Mapping[str, Any]) -> bool:
    """Whether ``plan`` reads a file or URL (``LOAD CSV``): the planner calls that a read, but it reads the
    database server's files or fetches a URL from the server's network, not the graph.

    >>> loads_files({"operatorType": "ProduceResults@neo4j", "children": [{"operatorType": "LoadCSV@neo4j"}]})
    True
    """
    return any(str(op.get("operatorType", "")).split("@")[0] == "LoadCSV" for op in _walk(plan))


def _walk(plan: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield plan
    for child in plan.get("children", []) or []:
        yield from _walk(child)


def _scope_variables(kind: str, details: str) -> list[str] | None:
    """The variables an operator reads without a live label (None: it reads within one, or reads no graph)."""
    if kind in _NODE_SCANS:
        return [details.split()[0].strip("`")] if details.strip() else [""]
    if _RELATIONSHIP_SCAN.match(kind):
        found = _PATTERN.search(details)
        return list(found.groups()) if found else [""]
    if _LABELLED_NODE_OPS.match(kind):
        labels = set(re.findall(r"[:|&]`?([A-Za-z_]\w*)", details))
        return None if labels and labels <= LIVE_LABELS else [""]
    if kind in _COUNTS:
        labels = set(re.findall(r"\(:`?([A-Za-z_]\w*)", details))
        return None if labels & LIVE_LABELS and not labels - LIVE_LABELS else [""]
    if kind == "ProcedureCall" and "db.index." in details:
        return [""]
    return None


def _has_live_label(plan_text: str, var: str) -> bool:
    pattern = re.compile(_LABEL_AFTER.format(var=re.escape(var)))
    return any(label in LIVE_LABELS for label in pattern.findall(plan_text))
