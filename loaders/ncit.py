"""NCI Thesaurus (NCIt): its disease concepts, their hierarchy and their mapping onto the Disease Ontology.

Optional source, read from the NCIt OWL release the user fetched (``Thesaurus.OWL.zip`` from
NCI EVS, or the ``.owl`` inside it, plain or gzipped; CC BY 4.0, attribution in
``spec.attribution``).  No starter is bundled: a release is ~1 GB of OWL, and the only NCIt
file at hand is a 15-class test subset.

The release is RDF/XML in NCI's own vocabulary: each concept is an ``owl:Class`` whose
``P108`` is the preferred name, ``P90`` the synonyms, ``P106`` the semantic types, ``P207``
the UMLS CUI, ``P97`` the definition, ``P310`` the concept status; parents are the named
``rdfs:subClassOf`` classes and the named classes of an ``owl:equivalentClass``
intersection.  NCIt holds drugs, genes and anatomy too, so only concepts with a disease
semantic type (:data:`DISEASE_SEMANTIC_TYPES`) become ``Disease`` nodes (``NCIT:C2926``), and
``SUBCLASS_OF`` edges join two of them (a parent outside that set, e.g. a "Classification"
grouping, is not a disease and its edge is left out).  Retired and obsolete concepts are
skipped.  A concept whose code a DO term lists as an ``NCI:`` xref gets ``MAPS_TO`` that
DO term (with a minimal DO node).

It streams with ``iterparse`` and clears each concept once read; it keeps only the ids of
disease concepts and the pending parent edges.  It must never load the whole document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from kg.errors import SourceFileError
from kg.records import Edge, Node, PropValue, Provenance, Record
from kg.schema import DiseaseMapping, Label, RelType
from loaders.base import SourceSpec
from loaders.disease_ontology import MapsToDiseaseOntology
from loaders.ncit_owl import (
    ABOUT,
    ATTRIBUTION,
    AXIOM,
    CLASS,
    NCIT,
    OWL,
    RDF,
    RDFS,
    RESOURCE,
    ncit_tag,
    open_owl,
    owl_texts,
    top_level_elements,
)

_INTERSECTION_PARENTS = f"{{{OWL}}}equivalentClass/{{{OWL}}}Class/{{{OWL}}}intersectionOf/{{{RDF}}}Description"
# UMLS semantic types NCIt gives its disease, disorder and finding concepts.
DISEASE_SEMANTIC_TYPES = frozenset(
    {
        "Neoplastic Process",
        "Disease or Syndrome",
        "Mental or Behavioral Dysfunction",
        "Pathologic Function",
        "Cell or Molecular Dysfunction",
        "Congenital Abnormality",
        "Acquired Abnormality",
        "Anatomical Abnormality",
        "Injury or Poisoning",
        "Sign or Symptom",
        "Finding",
        "Experimental Model of Disease",
    }
)
_RETIRED = frozenset({"Retired_Concept", "Obsolete_Concept"})


class NcitLoader(MapsToDiseaseOntology):
    """NCIt disease concepts and their hierarchy, read from the OWL release (fetched at run time)."""

    spec = SourceSpec(
        name="ncit",
        title="NCI Thesaurus",
        license="CC-BY-4.0",
        license_url="https://creativecommons.org/licenses/by/4.0/",
        redistributable=True,
        homepage="https://ncithesaurus.nci.nih.gov",
        files={"thesaurus": "https://evs.nci.nih.gov/ftp1/NCI_Thesaurus/Thesaurus.OWL.zip"},
        attribution=ATTRIBUTION,
    )

    def parse(self) -> Iterator[Record]:
        path = self.paths["thesaurus"]
        diseases: set[str] = set()
        parents: list[tuple[str, str]] = []
        mapped: set[str] = set()
        pending: _Concept | None = None
        with open_owl(path) as handle:
            for element in top_level_elements(handle, path):
                if element.tag == AXIOM:
                    if pending is not None:
                        pending.read_axiom(element)
                    continue
                if element.tag != CLASS:
                    continue
                if pending is not None:
                    yield from self._finish(pending, diseases, parents, mapped)
                pending = self._concept(element, path)
        if pending is not None:
            yield from self._finish(pending, diseases, parents, mapped)
        for child, parent in parents:
            if parent in diseases:
                yield Edge(child, RelType.SUBCLASS_OF, parent, provenance=self.provenance(child.removeprefix("NCIT:")))

    def _finish(
        self, concept: _Concept, diseases: set[str], parents: list[tuple[str, str]], mapped: set[str]
    ) -> Iterator[Record]:
        node = concept.node(self.provenance(concept.code))
        diseases.add(node.id)
        yield node
        parents.extend((node.id, parent) for parent in concept.parents)
        for doid in self.do_index.by_xref("NCI", concept.code):
            name = self.do_index.name(doid)
            if name is None:
                continue
            if doid not in mapped:
                mapped.add(doid)
                yield Node(doid, Label.DISEASE, name, provenance=node.provenance)
            props: dict[str, PropValue] = {"method": str(DiseaseMapping.NCIT_XREF), "via": f"NCIT:{concept.code}"}
            yield Edge(node.id, RelType.MAPS_TO, doid, props, node.provenance)

    def _concept(self, element: ElementTree.Element, path: Path) -> _Concept | None:
        """What a disease concept needs from its ``owl:Class`` (None for other concepts)."""
        about = element.get(ABOUT, "")
        if not about.startswith(NCIT):
            return None  # an anonymous or foreign class
        semantic_types = owl_texts(element, "P106")
        if not DISEASE_SEMANTIC_TYPES.intersection(semantic_types):
            return None
        if _RETIRED.intersection(owl_texts(element, "P310")) or element.findtext(f"{{{OWL}}}deprecated") == "true":
            return None
        code = (element.findtext(ncit_tag("NHC0")) or about.removeprefix(NCIT)).strip()
        name = (element.findtext(ncit_tag("P108")) or element.findtext(f"{{{RDFS}}}label") or "").strip()
        if not code or not name:
            self.bad(SourceFileError(str(path), None, f"concept {about} has no code or no preferred name (P108)",
                                     field="P108"))  # fmt: skip
            return None
        props: dict[str, PropValue] = {"semantic_types": semantic_types}
        for code_tag, prop in (("P207", "umls"), ("P363", "neoplastic_status"), ("P322", "contributing_sources")):
            values = owl_texts(element, code_tag)
            if values:
                props[prop] = values
        definition = element.findtext(ncit_tag("P97"))
        if definition:
            props["definition"] = definition.strip()
        display = element.findtext(ncit_tag("P107"))
        if display and display.strip() != name:
            props["display_name"] = display.strip()
        return _Concept(about, code, name, owl_texts(element, "P90"), props, _parents(element))


@dataclass
class _Concept:
    """A disease concept read from its class, waiting for the axioms that follow it."""

    about: str
    code: str
    name: str
    full_synonyms: list[str]
    props: dict[str, PropValue]
    parents: list[str]
    sources: dict[str, set[str]] = field(default_factory=dict)

    def read_axiom(self, axiom: ElementTree.Element) -> None:
        """Note which source (``P384``) asserts each synonym (``P90``) of this concept."""
        source = axiom.find(f"{{{OWL}}}annotatedSource")
        prop = axiom.find(f"{{{OWL}}}annotatedProperty")
        if source is None or prop is None or source.get(RESOURCE) != self.about:
            return
        if prop.get(RESOURCE) != NCIT + "P90":
            return
        target = (axiom.findtext(f"{{{OWL}}}annotatedTarget") or "").strip()
        self.sources.setdefault(target, set()).update(owl_texts(axiom, "P384"))

    def node(self, provenance: tuple[Provenance, ...]) -> Node:
        """Synonyms NCI asserts itself (or whose source is not stated) name the concept; others are kept apart."""
        own: list[str] = []
        others: list[str] = []
        for text in self.full_synonyms:
            if text == self.name:
                continue
            sources = self.sources.get(text)
            (own if not sources or "NCI" in sources else others).append(text)
        props = dict(self.props)
        if others:
            props["other_source_synonyms"] = others
        return Node(f"NCIT:{self.code}", Label.DISEASE, self.name, tuple(own), props, provenance)


def _parents(concept: ElementTree.Element) -> list[str]:
    named = [e.get(RESOURCE, "") for e in concept.findall(f"{{{RDFS}}}subClassOf")]
    named += [e.get(ABOUT, "") for e in concept.findall(_INTERSECTION_PARENTS)]
    return list(dict.fromkeys(f"NCIT:{iri.removeprefix(NCIT)}" for iri in named if iri.startswith(NCIT)))
