"""Earlier disease ids and codes: read as the term that replaced them, with a warning naming the release.

Patients' records and other tools keep ids a release has since retired: a Disease Ontology id that
was merged into another term (``alt_id``) or made obsolete (``replaced_by``, or only ``consider``),
an OncoTree code that a later release renamed (``history``), folded into a type (``precursors``) or
revoked (``revocations``).  The loaders keep these on the current terms
(:data:`queries.disease_index.RETIRED_ID_PROPERTIES`); :func:`read_retired` reads them:

* one current term → that term, and a warning that says what the id was and in which release:
  "DOID:0080191 is obsolete in Disease Ontology 2026-07-31, replaced by DOID:0050657 (…)";
* several terms (an OncoTree code revoked into two types), or an obsolete DO id with only
  ``consider`` candidates → :class:`~kg.errors.AmbiguousName`, whose message lists every candidate
  with its name.  It never picks one.

OncoTree fields are read in the order OncoTree's own mapping tool reads them
(:func:`kg.oncotree_codes.forward_candidates`): ``history``, then ``precursors``, then ``revocations``.
This module never keeps what it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.oncotree_codes import Via
from kg.records import Node
from kg.schema import CURATED_BY, LOCALLY_DEPRECATED_BY, LOCALLY_REPLACES, RelType
from kg.stores.port import Direction
from queries.graph_view import GraphView

_DO_FIELDS = ("alt_id", "replaced_by")
_ONCOTREE_ORDER = (Via.HISTORY, Via.PRECURSORS, Via.REVOCATIONS)
_MAX_LISTED = 6
_ONCOTREE_HOW = {
    Via.HISTORY: "the same tumour type under its new code",
    Via.PRECURSORS: "the type that took over its cases",
    Via.REVOCATIONS: "the type OncoTree moved its cases to: check that the diagnosis fits",
}


@dataclass(frozen=True)
class RetiredReading:
    """What an earlier id or code names now: one term (``message`` is a warning) or several (an error)."""

    text: str
    node_ids: tuple[str, ...]
    message: str

    @property
    def resolved(self) -> bool:
        return len(self.node_ids) == 1


def read_retired(view: GraphView, text: str, found: Iterable[str] = ()) -> RetiredReading | None:
    """What the earlier id or code ``text`` names in this build, or None if it is no earlier id.

    ``found`` holds the diseases the text already names by id, name or synonym: a text that names a
    current term other than the ones it was retired into (``ALL`` is DO's acute lymphoblastic
    leukemia) is that term, and this returns None; so it does for a current OncoTree code.
    """
    query = " ".join(text.split())
    entries = view.disease_names().retired(query)
    if not entries:
        return None
    found = set(found)
    do_targets = _targets(e for e in entries if e[1] in _DO_FIELDS)
    if do_targets:
        # The obsolete id itself may be a node (a source still files evidence under it): it is read as its replacement.
        if found - set(do_targets) - {_as_id(query)}:
            return None
        return _do_reading(view, query, do_targets, merged=all(v == "alt_id" for _, v in entries if v in _DO_FIELDS))
    consider = _targets(e for e in entries if e[1] == "consider")
    if consider:
        if found - {_as_id(query)}:
            return None
        return _consider_reading(view, query, consider)
    code = query.split(":", 1)[1] if query.lower().startswith("oncotree:") else query
    if any(f.lower() == f"oncotree:{code.lower()}" for f in found):
        return None  # a current code (OncoTree lists a type's own code in its revocations at times: PTCL)
    for via in _ONCOTREE_ORDER:
        choices = _targets(e for e in entries if e[1] == str(via))
        if choices:
            if found - set(choices):
                return None
            return _oncotree_reading(view, code, choices, via)
    return None


def _targets(entries: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(node_id for node_id, _ in entries))


def _as_id(query: str) -> str:
    prefix, _, local = query.partition(":")
    return f"{prefix.upper()}:{local}" if local else query


def _release(node: Node | None, source: str, title: str) -> str:
    """``Disease Ontology 2026-07-31``: the release of ``source`` the node was loaded from."""
    versions = [p.version for p in (node.provenance if node is not None else ()) if p.source == source]
    return f"{title} {versions[0]}" if versions else f"the {title} release of this build"


def _named(view: GraphView, node_id: str) -> str:
    node = view.node(node_id)
    return f"{node_id} ({node.name})" if node is not None else node_id


def _do_reading(view: GraphView, query: str, targets: tuple[str, ...], *, merged: bool) -> RetiredReading:
    release = _release(view.node(targets[0]), "disease_ontology", "Disease Ontology")
    shown = _as_id(query)
    if len(targets) == 1:
        how = "merged into" if merged else "replaced by"
        return RetiredReading(query, targets, f"{shown} is obsolete in {release}, {how} {_named(view, targets[0])}")
    listed = ", ".join(_named(view, t) for t in targets)
    return RetiredReading(query, targets, f"{shown} is obsolete in {release} and now names several terms: {listed}; "
                                          "give one of them")  # fmt: skip


def _consider_reading(view: GraphView, query: str, targets: tuple[str, ...]) -> RetiredReading:
    release = _release(view.node(targets[0]), "disease_ontology", "Disease Ontology")
    listed = ", ".join(_named(view, t) for t in targets)
    return RetiredReading(query, targets, f"{_as_id(query)} is obsolete in {release} without a replacement; "
                                          f"DO suggests considering {listed}: give one of them")  # fmt: skip


def _oncotree_reading(view: GraphView, code: str, choices: tuple[str, ...], via: Via) -> RetiredReading:
    release = _release(view.node(choices[0]), "oncotree", "OncoTree")
    shown = [c.removeprefix("ONCOTREE:") for c in choices]
    if len(choices) > 1:
        listed = ", ".join(f"{s} ({_name(view, c)})" for s, c in zip(shown, choices, strict=True))
        message = (f"{code} is a retired OncoTree code, not in {release}: its cases now belong to one of "
                   f"{listed} (OncoTree's {via}); give one of them")  # fmt: skip
        return RetiredReading(code, choices, message)
    chosen = _name(view, choices[0])
    message = (
        f"{code} is a retired OncoTree code, not in {release}: read as {shown[0]} ({chosen}), {_ONCOTREE_HOW[via]}"
    )
    children = view.store.neighbours(choices[0], RelType.SUBCLASS_OF, Direction.IN)
    below = [n.id.removeprefix("ONCOTREE:") for n in children if n.id.startswith("ONCOTREE:")]
    if below and via is not Via.HISTORY:
        more = ", ".join(sorted(below)[:_MAX_LISTED]) + (", …" if len(below) > _MAX_LISTED else "")
        message += f"; more specific types now exist below it ({more}): a more specific code may fit"
    return RetiredReading(code, choices, message)


def _name(view: GraphView, node_id: str) -> str:
    node = view.node(node_id)
    return node.name if node is not None else node_id


def locally_deprecated(view: GraphView, node: Node) -> tuple[Node, str] | None:
    """The term a local curator deprecated ``node`` in favour of, and the warning to give, or None."""
    replacement_id = node.props.get(LOCALLY_DEPRECATED_BY)
    replacement = view.node(str(replacement_id)) if replacement_id else None
    if replacement is None:
        return None
    edit = node.props.get(CURATED_BY, "a local edit")
    return replacement, (f"{node.id} ({node.name}) is deprecated by local curation ({edit}): read as "
                         f"{replacement.id} ({replacement.name})")  # fmt: skip


def replaced_ids_in_graph(view: GraphView, node_id: str) -> set[str]:
    """Earlier ids of ``node_id`` (merged or replaced DO ids) that are themselves nodes of this build.

    A source may still file evidence under an id DO has since merged or obsoleted (CIViC's
    ``DOID:0080191``); that evidence is the replacement's too.
    """
    kept = view.derived("replaced_ids_in_graph")  # keyed by graph nodes only: ids not in the graph stop above
    known = kept.get(node_id)
    if known is not None:
        return set(known)
    node = view.node(node_id)
    if node is None:
        return set()
    earlier: set[str] = set()
    for prop in ("alt_ids", "replaces", LOCALLY_REPLACES):
        values = node.props.get(prop)
        if isinstance(values, list):
            earlier.update(str(v) for v in values)
    # Earlier ids the build no longer has would be asked of the store again on every answer (the node memo keeps
    # only what it finds): a round trip each on Neo4j.
    found = kept[node_id] = frozenset(e for e in earlier - {node_id} if view.node(e) is not None)
    return set(found)
