"""The entity service: one gene, variant, disease, drug, evidence item … by id or name →
:class:`queries.models.EntityAnswer`, with its neighbours and the evidence that concerns it, counted by level.

Names are resolved as everywhere else: a disease by the one disease resolver
(:func:`queries.diseases.resolve_disease`), a gene by the one gene resolver (:func:`queries.genes.genes_named`:
HER2 is ERBB2, MET is HGNC:7029), a drug by the one drug resolver (:func:`queries.drug_identity.drugs_named`),
other labels by id, name or synonym.  A page kind (:class:`queries.models.EntityKind`: the ``/v1/genes/…``,
``/v1/variants/…`` … routes) tries its labels in order.

A disease's page lists its broader terms as ``pmkg ancestors`` does (:func:`queries.services.search.ancestors`)
and its narrower terms one step down; every page links to the source records it was made from
(:mod:`queries.source_links`).  Must never build URLs of pmkg's own API: the interfaces do that.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kg.errors import AmbiguousName, InputError, NotFound
from kg.records import Node
from kg.schema import METAEDGES, Label, RelType
from kg.stores.port import Direction, Store
from queries.drug_identity import drugs_named
from queries.genes import genes_named
from queries.models import (
    AncestorRow,
    BuildStamp,
    EntityAnswer,
    EntityKind,
    EntityQuery,
    EntityRef,
    EvidenceCounts,
    NeighbourGroup,
    SourceRecord,
    SourceStamp,
)
from queries.source_links import links_for

# Relationships through which evidence concerns a node directly (Evidence -[rel]-> node).
_EVIDENCE_RELS = (RelType.ABOUT, RelType.IN_DISEASE, RelType.WITH_THERAPY)


def entity(store: Store, query: EntityQuery) -> EntityAnswer:
    """The node ``query`` names, its neighbours (``query.neighbours`` listed per relationship) and evidence counts.

    Raises :class:`kg.errors.NotFound` when nothing is called that, and :class:`kg.errors.InputError` naming the
    candidates when the text names several nodes.
    """
    build = store.current_build()
    if build is None:
        from kg.errors import NoBuild

        raise NoBuild("the store holds no graph yet: run `pmkg build`")
    node = _resolve(store, query)
    groups: list[NeighbourGroup] = []
    linked: dict[tuple[RelType, Direction], list[Node]] = {}
    for rel, direction in _relations(node.label):
        found = store.neighbours(node.id, rel, direction)
        if found:
            linked[(rel, direction)] = found
            refs = [EntityRef(id=n.id, label=n.label, name=n.name) for n in sorted(found, key=lambda n: n.id)]
            groups.append(NeighbourGroup(relation=rel, direction=direction, count=len(found),
                                         nodes=refs[: query.neighbours]))  # fmt: skip
    evidence = _evidence_counts(store, node, linked)
    children = sorted(
        (n for n in linked.get((RelType.SUBCLASS_OF, Direction.IN), []) if n.label == Label.DISEASE),
        key=lambda n: n.id,
    ) if node.label == Label.DISEASE else []  # fmt: skip
    return EntityAnswer(
        id=node.id,
        label=node.label,
        name=node.name,
        synonyms=list(node.synonyms),
        properties=dict(node.props),
        provenance=[SourceRecord.model_validate(p.as_dict()) for p in node.provenance],
        neighbours=groups,
        evidence=evidence,
        links=links_for(node, in_civic="civic" in evidence.by_source),
        ancestors=_ancestors(store, node) if node.label == Label.DISEASE else [],
        children=[EntityRef(id=n.id, label=n.label, name=n.name) for n in children[: query.neighbours]],
        children_count=len(children),
        build=BuildStamp(id=build.build_id,
                         sources=[SourceStamp(name=s.name, version=s.version, license=s.license)
                                  for s in build.sources]),
    )  # fmt: skip


def _resolve(store: Store, query: EntityQuery) -> Node:
    """The node a lookup names: by ``query.label``, or by the label groups of ``query.kind`` in order."""
    if query.kind is None:
        return resolve_entity(store, query.text, query.label)
    wanted = " ".join(query.text.split())
    exact = store.get_node(wanted)
    if exact is not None and exact.label in query.kind.labels:
        return exact
    for group in query.kind.label_groups:
        found: dict[str, Node] = {}
        for label in group:
            try:
                node = resolve_entity(store, wanted, label)
            except NotFound:
                continue
            except AmbiguousName as exc:
                found.update({i: Node(i, Label(lab), name) for i, lab, name in exc.candidates})
                continue
            found[node.id] = node
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            nodes = sorted(found.values(), key=lambda n: (n.label, n.id))
            named = ", ".join(f"{n.id} ({n.label} {n.name})" for n in nodes[:10])
            raise AmbiguousName(
                f"{wanted!r} names {len(nodes)} {query.kind} nodes: {named}; ask for one of them by its id",
                [(n.id, str(n.label), n.name) for n in nodes],
            )
    if exact is not None:
        kind = EntityKind.of(exact.label)
        raise NotFound(
            f"{wanted!r} is a {exact.label} ({exact.name}), not a {query.kind}",
            wanted=wanted,
            found_as=(exact.id, kind) if kind is not None else None,
        )
    raise NotFound(f"no {query.kind} is called {wanted!r} (looked up as an id, a name and a synonym)", wanted=wanted)


def resolve_entity(store: Store, text: str, label: Label | None) -> Node:
    """The one node ``text`` names (an id first, then names and synonyms; diseases by the disease resolver)."""
    wanted = " ".join(text.split())
    if not wanted:
        raise InputError("give an id, a name or a synonym to look up")
    node = store.get_node(wanted)
    if node is not None and (label is None or node.label == label):
        return node
    if label in (None, Label.DISEASE):
        from queries.diseases import resolve_disease

        disease = resolve_disease(store, wanted)
        if disease is not None and (label == Label.DISEASE or not store.find(wanted, None)):
            found = store.get_node(disease.id)
            if found is not None:
                return found
    if label == Label.GENE:
        candidates = genes_named(store.find(wanted, Label.GENE), wanted)
    elif label == Label.DRUG:
        candidates = drugs_named(store, wanted)
    else:
        candidates = store.find(wanted, label)
    if len(candidates) == 1:
        return candidates[0]
    kind = f"{label} " if label is not None else ""
    if not candidates:
        raise NotFound(f"no {kind}node is called {wanted!r}; try `pmkg search` for names, synonyms and codes")
    named = ", ".join(f"{n.id} ({n.label} {n.name})" for n in candidates[:10])
    raise AmbiguousName(
        f"{wanted!r} names {len(candidates)} {kind}nodes: {named}; give an id or a label",
        [(n.id, str(n.label), n.name) for n in candidates],
    )


def _relations(label: Label) -> list[tuple[RelType, Direction]]:
    """Every (relationship, direction) the schema allows for ``label``, in a stable order."""
    pairs: set[tuple[RelType, Direction]] = set()
    for start, rel, end in METAEDGES:
        if start == label:
            pairs.add((rel, Direction.OUT))
        if end == label:
            pairs.add((rel, Direction.IN))
    return sorted(pairs, key=lambda p: (str(p[0]), str(p[1])))


def _evidence_counts(store: Store, node: Node, linked: dict[tuple[RelType, Direction], list[Node]]) -> EvidenceCounts:
    evidence: dict[str, Node] = {}
    if node.label == Label.EVIDENCE:
        evidence[node.id] = node
    for rel in _EVIDENCE_RELS:
        evidence.update({n.id: n for n in linked.get((rel, Direction.IN), []) if n.label == Label.EVIDENCE})
    if node.label == Label.GENE:  # evidence about the gene's variants and classes
        members = [n.id for n in linked.get((RelType.IN_GENE, Direction.IN), [])]
        for items in store.evidence_for(members).values():
            evidence.update({n.id: n for n in items})
    if node.label in (Label.VARIANT, Label.VARIANT_CLASS):  # evidence about the molecular profiles naming it
        profiles = [n.id for n in linked.get((RelType.HAS_COMPONENT, Direction.IN), [])]
        for items in store.evidence_for(profiles).values():
            evidence.update({n.id: n for n in items})
    if node.label == Label.DISEASE:  # evidence in the terms mapped as the same disease (ONCOTREE:LUAD is DOID:3910)
        for same in sorted(_same_diseases(store, node) - {node.id}):
            found = store.neighbours(same, RelType.IN_DISEASE, Direction.IN)
            evidence.update({n.id: n for n in found if n.label == Label.EVIDENCE})
    if node.label == Label.DRUG:  # evidence about the therapies the drug is part of
        for therapy in linked.get((RelType.HAS_COMPONENT, Direction.IN), []):
            found = store.neighbours(therapy.id, RelType.WITH_THERAPY, Direction.IN)
            evidence.update({n.id: n for n in found if n.label == Label.EVIDENCE})
    return EvidenceCounts(
        total=len(evidence),
        by_level=_counted(str(n.props.get("level", "none")) for n in evidence.values()),
        by_source=_counted(n.provenance[0].source if n.provenance else "unknown" for n in evidence.values()),
    )


def _ancestors(store: Store, node: Node) -> list[AncestorRow]:
    """The disease's broader terms as ``pmkg ancestors`` lists them (the node itself left out)."""
    from queries.services.search import ancestors

    try:
        rows = ancestors(store, node.id).ancestors
    except NotFound:  # a term the disease resolver does not take (none in the current sources)
        return []
    return [row for row in rows if row.id != node.id]


def _same_diseases(store: Store, node: Node) -> frozenset[str]:
    """The disease and the terms the disease resolver takes for the same disease."""
    from queries.diseases import resolve_disease

    found = resolve_disease(store, node.id)
    return frozenset(found.same) | {node.id} if found is not None else frozenset({node.id})


def _counted(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))
