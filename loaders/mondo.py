"""MONDO: the Monarch disease ontology, its hierarchy and its exact matches onto the Disease Ontology.

Optional source, read from a ``mondo.obo`` the user fetched (``pmkg fetch mondo``; CC BY 4.0,
attribution in ``spec.attribution``).  No starter is bundled: a whole release is ~50 MB, far
past the starter budget, and the only MONDO file at hand is a 96-term test subset, which
would pass for MONDO while lacking nearly all of it.

Yields one ``Disease`` node per current ``MONDO:`` term (EXACT synonyms as ``synonyms``,
the other scopes as ``related_synonyms`` …, cross-references as one list property per
vocabulary: ``doid``, ``ncit``, ``umls``, ``omim``, ``orphanet`` … see
:func:`loaders.obo.xref_props`), ``SUBCLASS_OF`` for ``is_a`` between MONDO terms (is_a to
other ontologies, e.g. BFO, is not a disease hierarchy and is left out), and ``MAPS_TO``
from a term to each DO term it declares a ``skos:exactMatch`` to, when that DO term is in
the :class:`~loaders.disease_ontology.DiseaseOntologyIndex` (a minimal DO node named by DO
is yielded for it).  Obsolete terms are skipped.  It streams: only ids and pending edges
are kept, never whole terms.  It must never map through close or broad matches.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.errors import SourceFileError
from kg.records import Edge, Node, PropValue, Record
from kg.schema import DiseaseMapping, Label, RelType
from loaders.base import SourceSpec
from loaders.disease_ontology import MapsToDiseaseOntology
from loaders.obo import OboTerm, iter_terms, term_node_fields, xref_props

ATTRIBUTION = (
    "Mondo Disease Ontology, Monarch Initiative, https://mondo.monarchinitiative.org, "
    "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)."
)
_EXACT_MATCH = "skos:exactMatch"


class MondoLoader(MapsToDiseaseOntology):
    """MONDO disease terms, hierarchy and exact matches onto DO (fetched at run time)."""

    spec = SourceSpec(
        name="mondo",
        title="Mondo Disease Ontology",
        license="CC-BY-4.0",
        license_url="https://creativecommons.org/licenses/by/4.0/",
        redistributable=True,
        homepage="https://mondo.monarchinitiative.org",
        files={"mondo": "https://purl.obolibrary.org/obo/mondo.obo"},
        attribution=ATTRIBUTION,
    )

    def parse(self) -> Iterator[Record]:
        path = self.paths["mondo"]
        current: set[str] = set()
        obsolete: set[str] = set()
        parents: list[tuple[str, str, int]] = []
        mapped: set[str] = set()
        for term in iter_terms(path, on_bad=self.bad):
            if not term.id.startswith("MONDO:"):
                continue
            if term.is_obsolete:
                obsolete.add(term.id)
                continue
            if not term.name:
                self.bad(SourceFileError(str(path), term.line, f"{term.id} has no name", field="name"))
                continue
            current.add(term.id)
            provenance = self.provenance(term.id, term.line)
            yield self._node(term)
            parents.extend((term.id, parent, term.line) for parent in term.is_a if parent.startswith("MONDO:"))
            for doid in _exact_doids(term):
                name = self.do_index.name(doid)
                if name is None:  # not a current term of the DO release at hand: no guessing
                    continue
                if doid not in mapped:
                    mapped.add(doid)
                    yield Node(doid, Label.DISEASE, name, provenance=provenance)
                props: dict[str, PropValue] = {"method": str(DiseaseMapping.EXACT_MATCH), "via": "skos:exactMatch"}
                yield Edge(term.id, RelType.MAPS_TO, doid, props, provenance)
        for child, parent, line in parents:
            if parent not in current:
                state = "obsolete" if parent in obsolete else "not in the file"
                self.bad(SourceFileError(str(path), line, f"{child} is_a {parent}, which is {state}", field="is_a"))
                continue
            yield Edge(child, RelType.SUBCLASS_OF, parent, provenance=self.provenance(child, line))

    def _node(self, term: OboTerm) -> Node:
        name = term.name or term.id
        synonyms, props = term_node_fields(term, name)
        props.update(xref_props(term.xrefs))
        return Node(term.id, Label.DISEASE, name, synonyms, props, self.provenance(term.id, term.line))


def _exact_doids(term: OboTerm) -> list[str]:
    return list(dict.fromkeys(v for p, v in term.property_values if p == _EXACT_MATCH and v.startswith("DOID:")))
