"""Which panel queries a release can change: the scope that lets the impact report skip the others.

A panel query (a variant, a diagnosis) is answered from what its variant reaches — the variant, its
classes, the molecular profiles it is part of, evidence about any of them, and, when those carry no
therapy evidence, the evidence about other alterations of the same gene(s) — filtered and ranked by how
the diagnosis relates to each evidence item's disease.  So between two builds its answer can change only if

- an evidence item, variant, variant class or molecular profile in one of its genes was added, removed or
  changed (content or outgoing relationships; profiles count for every gene of their components, a fusion
  for both partners), or a therapy or drug such evidence names changed (:func:`touched_genes`); or
- its diagnosis, or the disease of evidence in its genes, is a term whose presence, ancestors or
  mappings changed (:func:`changed_disease_terms`).

Alterations that name no gene are matched by name instead.  Everything here reads two builds through the
store port; it never runs a match and never logs a patient's data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.port import Store

_ALTERATIONS = (Label.VARIANT, Label.VARIANT_CLASS, Label.MOLECULAR_PROFILE)
_COMPARED = (Label.EVIDENCE, *_ALTERATIONS, Label.THERAPY, Label.DRUG)


@dataclass
class GeneIndex:
    """The gene ids of every alteration node of one build (a profile: its components'; a gene: itself)."""

    genes: dict[str, frozenset[str]]
    names: dict[str, str]  # alteration node id -> name
    about: dict[str, list[str]] = field(default_factory=dict)  # evidence id -> the nodes it is about
    therapy_evidence: dict[str, list[str]] = field(default_factory=dict)  # therapy or drug id -> evidence ids

    def of(self, node_id: str) -> frozenset[str]:
        return self.genes.get(node_id, frozenset())


def gene_index(store: Store) -> GeneIndex:
    """Read the alteration → gene relationships (and evidence → about, therapy → evidence) of ``store``."""
    own: dict[str, set[str]] = {}
    for edge in store.edges(RelType.IN_GENE):
        own.setdefault(edge.start, set()).add(edge.end)
    names: dict[str, str] = {}
    labels: dict[str, Label] = {}
    for label in _ALTERATIONS:
        for node in store.nodes_with_label(label):
            names[node.id], labels[node.id] = node.name, label
    for node in store.nodes_with_label(Label.GENE):
        own.setdefault(node.id, set()).add(node.id)
    components: dict[str, set[str]] = {}
    therapy_drugs: dict[str, list[str]] = {}
    for edge in store.edges(RelType.HAS_COMPONENT):
        if labels.get(edge.start) == Label.MOLECULAR_PROFILE:
            components.setdefault(edge.start, set()).add(edge.end)
        else:
            therapy_drugs.setdefault(edge.end, []).append(edge.start)  # drug -> therapies
    genes = {node: frozenset(found) for node, found in own.items()}
    for profile, parts in components.items():
        genes[profile] = frozenset(g for part in parts for g in own.get(part, ()))
    about: dict[str, list[str]] = {}
    for edge in store.edges(RelType.ABOUT):
        about.setdefault(edge.start, []).append(edge.end)
    therapy_evidence: dict[str, list[str]] = {}
    for edge in store.edges(RelType.WITH_THERAPY):
        therapy_evidence.setdefault(edge.end, []).append(edge.start)
    for drug, therapies in therapy_drugs.items():
        therapy_evidence[drug] = [e for t in therapies for e in therapy_evidence.get(t, [])]
    return GeneIndex(genes, names, about, therapy_evidence)


def _signatures(store: Store) -> dict[str, str]:
    """A text that changes whenever a compared node's content or outgoing relationships change, by id."""
    wanted: dict[str, Node] = {n.id: n for label in _COMPARED for n in store.nodes_with_label(label)}
    out: dict[str, list[tuple[str, str, str]]] = {}
    for rel in RelType:
        for edge in store.edges(rel):
            if edge.start in wanted:
                out.setdefault(edge.start, []).append(
                    (str(rel), edge.end, json.dumps(dict(edge.props), sort_keys=True))
                )
    return {
        node_id: json.dumps(
            [str(node.label), node.name, sorted(node.synonyms), dict(node.props), sorted(out.get(node_id, []))],
            sort_keys=True,
            default=str,
        )
        for node_id, node in wanted.items()
    }


@dataclass(frozen=True)
class Touched:
    """What a release changed, as panel queries see it: gene ids, and names of gene-less alterations."""

    genes: frozenset[str]
    names: frozenset[str]
    nodes: int  # how many compared nodes were added, removed or changed


def touched_genes(old: Store, new: Store, indexes: tuple[GeneIndex, GeneIndex]) -> Touched:
    """The genes (and gene-less alteration names) of every evidence item, alteration, therapy or drug that
    differs between the two builds (see the module docstring)."""
    before, after = _signatures(old), _signatures(new)
    differing = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    genes: set[str] = set()
    names: set[str] = set()
    for index in indexes:
        for node_id in differing:
            evidence = [node_id, *index.therapy_evidence.get(node_id, ())]
            reached = [a for e in evidence for a in index.about.get(e, ())]
            for alteration in (node_id, *reached) if node_id in index.names else reached:
                found = index.of(alteration)
                genes |= found
                if not found and alteration in index.names:
                    names.add(index.names[alteration])
    return Touched(frozenset(genes), frozenset(names), len(differing))


def changed_disease_terms(old: Store, new: Store) -> set[str]:
    """Disease ids whose presence, parents or mappings differ between the two builds, and every descendant
    of those (a new name changes no answer to a query by id)."""
    before = {n.id for n in old.nodes_with_label(Label.DISEASE)}
    after = {n.id for n in new.nodes_with_label(Label.DISEASE)}
    changed = before ^ after
    moved: set[str] = set()
    for rel in (RelType.SUBCLASS_OF, RelType.MAPS_TO):
        links_old, links_new = _links(old, rel), _links(new, rel)
        for term in links_old.keys() | links_new.keys():
            was, now = links_old.get(term, frozenset()), links_new.get(term, frozenset())
            if was != now:
                moved.add(term)
                if rel == RelType.MAPS_TO:  # an equivalence reads both ways
                    moved |= was ^ now
    # A term whose parents changed changes the ancestors of every descendant too.
    return (
        changed
        | moved
        | old.descendants(moved, (RelType.SUBCLASS_OF,))
        | new.descendants(moved, (RelType.SUBCLASS_OF,))
    )


def _links(store: Store, rel: RelType) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for edge in store.edges(rel):
        found.setdefault(edge.start, set()).add(edge.end)
    return {k: frozenset(v) for k, v in found.items()}


def evidence_pairs(store: Store, index: GeneIndex) -> Iterator[tuple[str, str, str]]:
    """(alteration node id, its name, disease id) of every evidence item about an alteration in a disease."""
    diseases: dict[str, list[str]] = {}
    for edge in store.edges(RelType.IN_DISEASE):
        diseases.setdefault(edge.start, []).append(edge.end)
    for evidence, targets in index.about.items():
        for target in targets:
            name = index.names.get(target)
            if name:
                for disease in diseases.get(evidence, ()):
                    yield target, name, disease
