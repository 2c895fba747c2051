"""Disease text → a disease of the graph, with its equivalents, broader and narrower terms.

The one disease resolver: ``match --disease``, ``annotate`` (``--disease`` and clinical
tables), ``search`` and ``ancestors`` all read disease text through :func:`resolve_disease`
(abbreviation, name, synonym, DOID, OncoTree code or name, NCIt id, spelling variants, ids and
codes earlier releases retired), so one text is one disease everywhere.

Terms of other vocabularies reach the Disease Ontology through ``MAPS_TO``, whose method
(``do_mapping`` on the mapped term, :class:`~kg.schema.DiseaseMapping`) says how they relate:
the same disease (a shared NCIt code, the same name), a broader DO term (an OncoTree type mapped
through its name's core or its ancestor: that term is an ancestor, never the same disease), or
DO terms that are parts of it (an OncoTree tissue of several organs).  :meth:`DiseaseMatch.proximity`
then says whether evidence is in the same disease (the term, an equivalent, or a subtype: the
diagnosis "melanoma" as given includes skin melanoma), a broader one (``ancestor``) or another,
and :meth:`DiseaseMatch.distance` how far up a broader one is: the number of steps from the
patient's disease (non-small cell lung carcinoma is 1 above lung adenocarcinoma), or
:data:`~queries.ranking_rules.BROAD_DISTANCE` for the very broad terms in :data:`BROAD_TERMS`
and for "any solid tumour" evidence, which the ranking treats apart (see its module docstring).
It never logs or keeps what it is given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.disease_names import is_alteration_clause, is_marker_status, without_course_and_status
from kg.errors import AmbiguousName
from kg.records import Node
from kg.schema import DiseaseMapping, Label
from kg.stores.port import Store
from queries.disease_index import curated_alias
from queries.disease_kinds import (
    histologies,
    histology_depth,
    kinds_named,
    kinds_with_evidence,
    specific_histologies,
)
from queries.graph_view import GraphView, view_for
from queries.ranking_rules import BROAD_DISTANCE
from queries.retired_diseases import locally_deprecated, read_retired, replaced_ids_in_graph

_DISEASE_PREFERENCE = ("DOID", "ONCOTREE", "NCIT", "MONDO")
_MAX_SUGGESTIONS = 5


_PROXIMITIES = ("exact", "ancestor", "overlap", "other")
# How far up a cell-type term counts when only the patient's disease's name says it is a kind of it
# (queries.disease_kinds): after every broader term of the tree, before the very broad ones.
_ACROSS_AXES_DISTANCE = 50
_AXES = "site and histology"  # the key of the patient's _Axes in the view's disease memo


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
    notes: tuple[str, ...] = ()  # how the term reaches the Disease Ontology, when the user must know
    steps_up: Mapping[str, int] = field(default_factory=dict, compare=False)  # each ancestor: fewest steps up

    def as_json(self) -> dict[str, Any]:
        return {"input": self.input, "id": self.id, "name": self.name}

    def proximity(self, view: GraphView, disease_id: str) -> str:
        """``exact``, ``ancestor``, ``overlap`` or ``other`` for evidence written against ``disease_id``."""
        memo = view.disease_memo(self.same)  # what follows from the graph and the patient's terms: kept per build
        known = memo.get(disease_id)
        if known is None:
            known = memo[disease_id] = self._proximity(view, disease_id)
        return known

    def nearest(self, view: GraphView, disease_ids: tuple[str, ...]) -> tuple[str, str, int]:
        """Of the diseases an evidence item names (at least one), the nearest to the patient's: its proximity,
        id and distance (exact first, then ancestor, then other; fewer steps up, then id)."""
        memo = view.disease_memo(self.same)
        known = memo.get(disease_ids)
        if known is None:
            best = min(disease_ids, key=lambda d: (_PROXIMITIES.index(self.proximity(view, d)),
                                                   self.distance(view, d), d))  # fmt: skip
            known = memo[disease_ids] = (self.proximity(view, best), best, self.distance(view, best))
        return known

    def distance(self, view: GraphView, disease_id: str) -> int:
        """Steps up to a broader term (through mappings too); BROAD_DISTANCE for a very broad one; else 0."""
        if self.proximity(view, disease_id) != "ancestor":
            return 0
        across = view.disease_memo(self.same).get((_AXES, disease_id))
        if across is not None:
            return int(across)
        terms = {disease_id, *view.maps_to(disease_id), *view.mapped_from(disease_id)}
        if terms & BROAD_TERMS:
            return BROAD_DISTANCE
        steps = [self.steps_up[t] for t in terms if t in self.steps_up]
        if not steps:  # a term that counts as its parent (_counts_as_its_parent)
            parents = [p for p in view.broader(disease_id) if p not in BROAD_TERMS]
            steps = [max(1, self.steps_up.get(p, 0)) for p in parents if p in self.same or p in self.steps_up]
        return min(steps, default=BROAD_DISTANCE)  # none: "any solid tumour" matched as a broader term

    def _proximity(self, view: GraphView, disease_id: str) -> str:
        if disease_id in self.same or disease_id in self.narrower:
            return "exact"
        if disease_id in self.ancestors:
            return "ancestor"
        # DO ↔ OncoTree, both hierarchies.  A term mapped only onto a broader DO term is a subtype of it:
        # the same disease when that term is the patient's (or narrower), otherwise unknown from the mapping.
        if _maps_broadly(view, disease_id):
            if set(view.maps_to(disease_id)) & (self.same | self.narrower):
                return "exact"
            mapped = {s for s in view.mapped_from(disease_id) if _maps_exactly(view, s)}
        elif _maps_to_parts(view, disease_id):  # evidence filed under a whole tissue of several organs
            return "ancestor" if set(view.maps_to(disease_id)) & (self.same | self.ancestors) else "other"
        else:
            mapped = equivalent_diseases(view, disease_id) - {disease_id}
        if mapped & self.same or mapped & self.narrower:
            return "exact"
        if mapped & self.ancestors:
            return "ancestor"
        node = view.node(disease_id)
        if self.solid and node is not None and node.props.get("solid_tumor") is True:
            return "ancestor"
        if (
            node is not None
            and _counts_as_its_parent(node)
            and set(view.broader(disease_id)) & (self.same | self.ancestors)
        ):
            return "ancestor"
        return self._across_axes(view, disease_id)

    def _across_axes(self, view: GraphView, disease_id: str) -> str:
        """Site against histology (:mod:`queries.disease_kinds`), for evidence the tree calls another disease.

        ``ancestor``: the patient's disease is named as a kind of the evidence's cell type ("bladder urothelial
        carcinoma" and "transitional cell carcinoma"); ``exact``: the evidence's disease is named as a kind of the
        patient's cell type (a site's form of it); ``overlap``: some tumours of the one are of the other ("urinary
        bladder cancer" and "transitional cell carcinoma": bladder urothelial carcinoma is both, and sources file
        evidence under it).
        """
        memo = view.disease_memo(self.same)
        axes = memo.get(_AXES)
        if axes is None:
            axes = memo[_AXES] = _Axes(view, self)
        terms = frozenset(equivalent_diseases(view, disease_id))
        cell_types = terms & histologies(view)
        if cell_types & axes.kinds:
            memo[(_AXES, disease_id)] = _ACROSS_AXES_DISTANCE - max(histology_depth(view, t) for t in cell_types)
            return "ancestor"
        if axes.cell_types:
            if kinds_named(view, terms | (broader_diseases(view, terms) - BROAD_TERMS)) & axes.cell_types:
                return "exact"
            specific = specific_histologies(view, axes.cell_types)
            if specific and not cell_types and kinds_with_evidence(view, narrower_diseases(view, terms)) & specific:
                return "overlap"  # a histology and a site: "transitional cell carcinoma", "urinary bladder cancer"
            return "other"  # two histologies (melanoma, sarcoma) never overlap: a rare tumour may be named as both
        specific = specific_histologies(view, cell_types)
        if specific and specific & axes.narrower_kinds(view):
            return "overlap"  # a site and a histology: "urinary bladder cancer", "transitional cell carcinoma"
        return "other"


class _Axes:
    """What the names of a patient's disease terms say across site and histology (queries.disease_kinds)."""

    def __init__(self, view: GraphView, disease: DiseaseMatch) -> None:
        # the cell types the patient's disease or a broader term is named as a kind of
        self.kinds = kinds_named(view, disease.same | (disease.ancestors - BROAD_TERMS))
        self.cell_types = disease.same & histologies(view)  # the patient's terms that are cell-type terms themselves
        self._narrower = disease.narrower
        self._narrower_kinds: frozenset[str] | None = None

    def narrower_kinds(self, view: GraphView) -> frozenset[str]:
        """The cell types a subtype with evidence filed under it is named as a kind of (read on first need)."""
        if self._narrower_kinds is None:
            self._narrower_kinds = kinds_with_evidence(view, self._narrower)
        return self._narrower_kinds


def _counts_as_its_parent(node: Node) -> bool:
    """A term that for the disease tree is its parent, so broader than its parent's other subtypes.

    "HER2 positive breast cancer" is breast cancer told apart by a biomarker the variants themselves match, not
    by histology: broader than an invasive breast carcinoma although DO files it beside breast carcinoma.
    OncoTree's "Glioma, NOS" is a glioma whose type was not given: evidence filed under it (CIViC's vorasidenib
    approval names "Glioma") is about Diffuse Glioma, broader than an astrocytoma or oligodendroglioma although
    OncoTree files the NOS code beside them.
    """
    if node.id.startswith("ONCOTREE:") and node.name.endswith(", NOS"):
        return True
    return bool(_BIOMARKER_SUBTYPE.search(node.name))


_CANCER, _HEMATOLOGIC = "DOID:162", "DOID:2531"
_BROADER_MAPPINGS = frozenset(str(m) for m in DiseaseMapping if m.broader)
_NARROWER_MAPPINGS = frozenset(str(m) for m in DiseaseMapping if m.narrower)
# DO names of subtypes defined by a biomarker (receptor status, a mutation), not by site or histology.
_BIOMARKER_SUBTYPE = re.compile(
    r"(?i)\b(positive|negative|mutant|mutated|wildtype|wild-type|amplified|rearranged|deficient)\b"
)
# Terms too broad to say anything about a tumour type: DO's root, its cancer groupings by organ system and by cell
# type (melanoma's parent is "cell type cancer"), and OncoTree's root.  Evidence written against them is "any cancer".
BROAD_TERMS = frozenset({"DOID:4", "DOID:14566", _CANCER, "DOID:0050686", "DOID:0050687", "ONCOTREE:TISSUE"})


def _steps_up(view: GraphView, same: frozenset[str]) -> dict[str, int]:
    """Each broader term of ``same`` and the fewest steps up to it (breadth first)."""
    steps: dict[str, int] = {}
    frontier, depth = set(same), 0
    while frontier:
        depth += 1
        parents = {p for term in frontier for p in view.broader(term)} - same - steps.keys()
        steps.update(dict.fromkeys(parents, depth))
        frontier = parents
    return steps


def resolve_disease(store: Store, text: str, *, view: GraphView | None = None) -> DiseaseMatch | None:
    """The disease ``text`` names (name, synonym, abbreviation, DOID, OncoTree code or name, NCIt id), or None.

    Tried in order: the curated list of names DO and OncoTree lack (``CRC``, ``mCRPC``:
    :func:`queries.disease_index.curated_alias`), an exact id, name or synonym, an id or code a
    release retired (:mod:`queries.retired_diseases`: read as its replacement, with a warning naming
    the release), then the same text up to case, punctuation, spelling and word order.  A retired id
    that now names several terms raises :class:`~kg.errors.AmbiguousName` listing them: never a guess.
    Evidence a source files under a merged or obsolete id counts as its replacement's (``same``).
    A term mapped onto DO only through a broader term (an OncoTree type whose DO term is its
    parent's) keeps that DO term among its ancestors, not as the same disease, and the match says so
    in ``notes``.
    """
    view = view or view_for(store)
    query = " ".join(text.split())
    if not query:
        return None
    candidates, notes = _disease_candidates(view, query)
    if not candidates:
        return None
    rank = {prefix: i for i, prefix in enumerate(_DISEASE_PREFERENCE)}
    # A term named by its own id wins over terms that list that id as a synonym or cross-reference.
    typed = {query.lower(), f"ncit:{query.lower()}", f"doid:{query.lower()}"}
    candidates.sort(key=lambda n: (n.id.lower() not in typed, rank.get(n.id.split(":")[0], len(rank)), n.id))
    primary = candidates[0]
    deprecated = locally_deprecated(view, primary)
    if deprecated is not None:
        primary, warning = deprecated
        candidates.insert(0, primary)
        notes = (*notes, warning)
    same = equivalent_diseases(view, primary.id) | replaced_ids_in_graph(view, primary.id)
    for other in candidates[1:]:
        if other.id in same or equivalent_diseases(view, other.id) & same:
            same.add(other.id)
    alternatives = tuple(c.id for c in candidates if c.id not in same)
    ancestors = broader_diseases(view, frozenset(same)) - same
    narrower = narrower_diseases(view, frozenset(same)) - same
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
        (*notes, *mapping_notes(view, primary)),
        _steps_up(view, frozenset(same)),
    )


def _mapping(view: GraphView, node_id: str) -> object:
    node = view.node(node_id)
    return node.props.get("do_mapping") if node is not None else None


def _maps_broadly(view: GraphView, node_id: str) -> bool:
    """The term's DO terms are broader than it (an OncoTree type mapped through its name's core or an ancestor)."""
    return _mapping(view, node_id) in _BROADER_MAPPINGS


def _maps_to_parts(view: GraphView, node_id: str) -> bool:
    """The term's DO terms are parts of it (an OncoTree tissue of several organs)."""
    return _mapping(view, node_id) in _NARROWER_MAPPINGS


def _maps_exactly(view: GraphView, node_id: str) -> bool:
    mapping = _mapping(view, node_id)
    return mapping not in _BROADER_MAPPINGS and mapping not in _NARROWER_MAPPINGS


def equivalent_diseases(view: GraphView, disease_id: str) -> set[str]:
    """The term and the terms mapped onto it or from it as the same disease (not as a broader or narrower term)."""
    same = {disease_id}
    if _maps_exactly(view, disease_id):
        same.update(view.maps_to(disease_id))
    same.update(source for source in view.mapped_from(disease_id) if _maps_exactly(view, source))
    return same


def narrower_diseases(view: GraphView, same: frozenset[str]) -> frozenset[str]:
    """Every subtype of ``same``: its hierarchies, and the DO terms a tissue of several organs holds, with theirs."""
    parts = {target for term in same if _maps_to_parts(view, term) for target in view.maps_to(term)}
    below = set(view.disease_descendants(same)) | parts
    if parts:
        below |= view.disease_descendants(frozenset(parts))
    return frozenset(below)


def broader_diseases(view: GraphView, same: frozenset[str]) -> frozenset[str]:
    """Every broader term of ``same``: its hierarchies and, when it has no DO term of its own, the DO terms
    its broader terms map to (with theirs).  A term with a DO equivalent takes DO's own hierarchy only:
    another vocabulary's tree above an equivalent may file it elsewhere (OncoTree's MT under brain tumours)."""
    # A tissue of several organs (Esophagus/Stomach) holds esophageal cancer: broader than it.
    above = set(view.disease_ancestors(same))
    above |= {s for term in same for s in view.mapped_from(term) if _maps_to_parts(view, s)}
    above |= view.disease_ancestors(frozenset(above))
    if any(term.startswith("DOID:") for term in same):
        return frozenset(above)
    mapped = {target for term in same | above if not _maps_to_parts(view, term) for target in view.maps_to(term)}
    mapped -= same | above
    if mapped:
        above |= mapped | view.disease_ancestors(frozenset(mapped))
    return frozenset(above)


def mapping_notes(view: GraphView, node: Node) -> tuple[str, ...]:
    """What a user must know about how an OncoTree type reaches the Disease Ontology."""
    if not node.id.startswith("ONCOTREE:"):
        return ()
    code = node.id.removeprefix("ONCOTREE:")
    method = node.props.get("do_mapping")
    if method is None:
        return (f"OncoTree {code} ({node.name}) maps to no Disease Ontology term: evidence filed under DO terms "
                "is matched to it only through other OncoTree types",)  # fmt: skip
    if method == str(DiseaseMapping.ONCOTREE_ANCESTOR):
        through = str(node.props.get("mapped_through", "")).removeprefix("ONCOTREE:")
        targets = ", ".join(_named(view, t) for t in view.maps_to(node.id))
        return (f"OncoTree {code} has no Disease Ontology term of its own: it maps through its ancestor {through} "
                f"to {targets}, a broader disease",)  # fmt: skip
    return ()


def _named(view: GraphView, node_id: str) -> str:
    node = view.node(node_id)
    return f"{node.name} ({node_id})" if node is not None else node_id


def _name_of(view: GraphView, node_id: str) -> str:
    node = view.node(node_id)
    return node.name if node is not None else node_id


def _disease_candidates(view: GraphView, query: str) -> tuple[list[Node], tuple[str, ...]]:
    """The disease nodes ``query`` names, and what the user must know about how it was read."""
    curated = curated_alias(query)
    node = view.node(curated) if curated is not None else None
    if node is not None and node.label == Label.DISEASE:
        return [node], ()
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
    retired = read_retired(view, query, found)
    if retired is not None:
        if not retired.resolved:
            raise AmbiguousName(retired.message, [(i, str(Label.DISEASE), _name_of(view, i)) for i in retired.node_ids])
        node = view.node(retired.node_ids[0])
        if node is not None:
            return [node], (retired.message,)
    if not found:
        for disease_id in view.disease_names().lookup(query):
            node = view.node(disease_id)
            if node is not None:
                found[node.id] = node
    if not found:
        readings = view.disease_names().respellings(query)
        if len(readings) == 1:  # one disease name the text can be a misspelling of: read it so, and say so
            reading, ids = next(iter(readings.items()))
            nodes = [n for n in map(view.node, ids) if n is not None]
            return nodes, (f"{query!r} is not a disease name in this graph; read as {reading!r}: check the spelling",)
    if not found:
        for written in filter(None, (_with_mutated(query), _cancer_or_carcinoma(query))):
            nodes = [n for n in map(view.node, view.disease_names().lookup(written)) if n is not None]
            if nodes:
                return nodes, (f"{query!r} is not a disease name in this graph; read as {written!r}",)
        return _without_course_and_status(view, query)
    return list(found.values()), ()


_WITH_GENE_MUTATION = re.compile(r"(?i)\bwith\s+(?P<gene>[A-Za-z][A-Za-z0-9]*)\s+mutations?\b")


def _with_mutated(query: str) -> str | None:
    """``AML with NPM1 mutation`` → ``AML with mutated NPM1``, WHO's and OncoTree's name; None without such a
    clause."""
    mutated = _WITH_GENE_MUTATION.search(query)
    if mutated is None:
        return None
    return f"{query[: mutated.start()]}with mutated {mutated.group('gene')}{query[mutated.end() :]}"


def _cancer_or_carcinoma(query: str) -> str | None:
    """``high-grade serous ovarian carcinoma`` → ``… cancer`` (OncoTree's name), and the reverse: the two words
    clinics use for one another in a diagnosis; None when the text has neither."""
    swapped = re.sub(r"(?i)\b(carcinoma|cancer)\b", lambda m: "cancer" if m.group(1).lower() == "carcinoma"
                     else "carcinoma", query)  # fmt: skip
    return swapped if swapped != query else None


def _without_course_and_status(view: GraphView, query: str) -> tuple[list[Node], tuple[str, ...]]:
    """``metastatic colorectal cancer``, ``HR+/HER2- breast cancer``: the disease the text names without its stage,
    course and marker status, with a note saying what was left out (a status no term names: its other subtypes
    count as the patient's disease, as when the disease alone is given)."""
    disease, dropped = without_course_and_status(query)
    if not dropped or not disease:
        return [], ()
    nodes, notes = _disease_candidates(view, disease)
    if not nodes:
        return [], ()
    left_out = ", ".join(repr(d) for d in dropped)
    note = f"{query!r} is not a disease name in this graph; read as {disease!r} ({left_out} left out"
    statuses = [
        f"{disease} {d}" if is_alteration_clause(d) else f"the {d} kind" for d in dropped if is_marker_status(d)
    ]
    if statuses:
        note += f": no term here names {' or '.join(statuses)}, so evidence in any kind of {disease} counts"
    return nodes, (f"{note})", *notes)


def disease_suggestions(view: GraphView, text: str) -> list[str]:
    """Disease names close to ``text``: simple respellings, then names whose words begin with the words typed."""
    words = text.strip()
    if not words:
        return []
    candidates = [words.lower(), words.title(), words.replace("-", " "), words.rstrip("s"), f"{words} cancer",
                  words.replace("cancer", "carcinoma"), words.replace("carcinoma", "cancer")]  # fmt: skip
    found: dict[str, None] = dict.fromkeys(view.disease_names().respellings(words))
    for candidate in dict.fromkeys(candidates):
        if candidate and candidate != words:
            for node in view.find(candidate, Label.DISEASE):
                found[node.name] = None
    names = view.disease_names()
    for disease_id in names.search(words, _MAX_SUGGESTIONS):
        found[names.name(disease_id) or disease_id] = None
    return list(found)[:_MAX_SUGGESTIONS]
