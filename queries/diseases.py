"""Disease text → a disease of the graph, with its equivalents, broader and narrower terms.

:func:`resolve_disease` finds a disease by name, synonym, DOID, OncoTree code or name
(``LUAD``, ``Lung Adenocarcinoma``) or NCIt id, with its equivalents (OncoTree ``MAPS_TO`` the
Disease Ontology, NCIt too) and the terms above and below it, so :meth:`DiseaseMatch.proximity`
can say whether evidence is in the same disease (the term, an equivalent, or a subtype: the
diagnosis "melanoma" as given includes skin melanoma), a broader one (``ancestor``) or another.
It never logs or keeps what it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.records import Node
from kg.schema import Label
from kg.store import Store
from queries.graph_view import GraphView, view_for

_DISEASE_PREFERENCE = ("DOID", "ONCOTREE", "NCIT", "MONDO")
_MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class DiseaseMatch:
    """A patient's disease: the term, its equivalents, its broader terms."""

    input: str
    id: str
    name: str
    same: frozenset[str]  # the term and the terms mapped onto it or from it (OncoTree ↔ DO)
    ancestors: frozenset[str]  # every broader term of those
    narrower: frozenset[str] = frozenset()  # every subtype of those (the diagnosis as given includes them)
    alternatives: tuple[str, ...] = ()  # other terms the text also names (ambiguous input)
    message: str = ""
    solid: bool = False  # a cancer that is not a hematologic one (what "any solid tumor" evidence means)
    _memo: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {"input": self.input, "id": self.id, "name": self.name}

    def proximity(self, view: GraphView, disease_id: str) -> str:
        """``exact``, ``ancestor`` or ``other`` for evidence written against ``disease_id``."""
        known = self._memo.get(disease_id)
        if known is None:
            known = self._memo[disease_id] = self._proximity(view, disease_id)
        return known

    def _proximity(self, view: GraphView, disease_id: str) -> str:
        if disease_id in self.same or disease_id in self.narrower:
            return "exact"
        if disease_id in self.ancestors:
            return "ancestor"
        mapped = {*view.maps_to(disease_id), *view.mapped_from(disease_id)}  # DO ↔ OncoTree, both hierarchies
        if mapped & self.same or mapped & self.narrower:
            return "exact"
        if mapped & self.ancestors:
            return "ancestor"
        node = view.node(disease_id)
        if self.solid and node is not None and node.props.get("solid_tumor") is True:
            return "ancestor"
        return "other"


_CANCER, _HEMATOLOGIC = "DOID:162", "DOID:2531"


def resolve_disease(store: Store, text: str, *, view: GraphView | None = None) -> DiseaseMatch | None:
    """The disease ``text`` names (name, synonym, DOID, OncoTree code or name, NCIt id), or None."""
    view = view or view_for(store)
    query = " ".join(text.split())
    if not query:
        return None
    candidates = _disease_candidates(view, query)
    if not candidates:
        return None
    rank = {prefix: i for i, prefix in enumerate(_DISEASE_PREFERENCE)}
    # A term named by its own id wins over terms that list that id as a synonym or cross-reference.
    typed = {query.lower(), f"ncit:{query.lower()}", f"doid:{query.lower()}"}
    candidates.sort(key=lambda n: (n.id.lower() not in typed, rank.get(n.id.split(":")[0], len(rank)), n.id))
    primary = candidates[0]
    same = {primary.id, *view.maps_to(primary.id), *view.mapped_from(primary.id)}
    for other in candidates[1:]:
        if other.id in same or set(view.maps_to(other.id)) & same:
            same.add(other.id)
    alternatives = tuple(c.id for c in candidates if c.id not in same)
    ancestors = view.disease_ancestors(frozenset(same)) - same
    narrower = view.disease_descendants(frozenset(same)) - same
    message = f"{query} is {primary.name} ({primary.id})"
    if alternatives:
        message += f"; the text also names {', '.join(alternatives)}"
    everything = same | ancestors
    solid = _CANCER in everything and _HEMATOLOGIC not in everything
    return DiseaseMatch(
        query,
        primary.id,
        primary.name,
        frozenset(same),
        frozenset(ancestors),
        frozenset(narrower),
        alternatives,
        message,
        solid,
    )


def _disease_candidates(view: GraphView, query: str) -> list[Node]:
    keys = [query]
    if re.fullmatch(r"(?i)(doid|mondo|ncit|oncotree):\S+", query):
        prefix, _, local = query.partition(":")
        keys.append(f"{prefix.upper()}:{local.upper() if prefix.lower() in ('ncit', 'oncotree') else local}")
    if re.fullmatch(r"(?i)C\d+", query):
        keys.append(f"NCIT:{query.upper()}")
    if re.fullmatch(r"\d+", query):
        keys.append(f"DOID:{query}")
    found: dict[str, Node] = {}
    for key in keys:
        node = view.node(key)
        if node is not None and node.label == Label.DISEASE:
            found[node.id] = node
        for match in view.find(key, Label.DISEASE):
            found[match.id] = match
    return list(found.values())


def disease_suggestions(view: GraphView, text: str) -> list[str]:
    """Disease names close to ``text`` (a few exact lookups of simple respellings)."""
    words = text.strip()
    candidates = [words.lower(), words.title(), words.replace("-", " "), words.rstrip("s"), f"{words} cancer",
                  words.replace("cancer", "carcinoma"), words.replace("carcinoma", "cancer")]  # fmt: skip
    found: dict[str, None] = {}
    for candidate in dict.fromkeys(candidates):
        if candidate and candidate != words:
            for node in view.find(candidate, Label.DISEASE):
                found[node.name] = None
    return list(found)[:_MAX_SUGGESTIONS]
