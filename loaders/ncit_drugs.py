"""NCI Thesaurus drug concepts: the thesaurus that gives every source's drugs one identity.

Reads the NCIt OWL release (``Thesaurus.OWL.zip``, the ``.owl`` inside it, plain or gzipped;
CC BY 4.0) and yields one ``Drug`` record per substance concept, marked as a thesaurus entry
(``thesaurus: "NCIt"``): NCIt code (``NCIT:C82386``), preferred name (``P108``), every full
synonym (``P90``) with brand names (term types ``BR``/``FB``) also listed apart, FDA UNII
(``P319``), CAS (``P210``), NSC (``P175``), UMLS CUI (``P207``), and the salt forms NCIt links
to the concept (``Has_Salt_Form``).  :mod:`kg.drug_identity` keeps an entry only when a
source's drug resolves to it, so the thesaurus adds names and codes, never drugs of its own.

A substance is a concept with a pharmacologic or chemical semantic type and a registry code
(UNII, CAS or NSC); drug classes ("BRAF Inhibitor", "Platinum Compound") have none and are
skipped, as are retired concepts.  The starter bundles the NCIt 23.09d subset that
cancervariants/therapy-normalization cut for its tests (``loaders/starter/ncit_drugs/``).

It streams the release; it keeps only the current concept and the map of association codes.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self
from xml.etree import ElementTree

from kg.drug_identity import THESAURUS_PROP
from kg.errors import SourceFileError
from kg.records import Node, PropValue, Record
from kg.schema import Label
from loaders.base import Loader, SourceSpec
from loaders.ncit_owl import (
    ABOUT,
    ATTRIBUTION,
    AXIOM,
    CLASS,
    NCIT,
    OWL,
    RDFS,
    RESOURCE,
    ncit_tag,
    open_owl,
    owl_texts,
    top_level_elements,
)

STARTER_FILE = "ncit_drugs_23.09d.owl.gz"
STARTER_VERSION = "23.09d-subset"
# Registry codes that make a concept a substance rather than a class of drugs.
_REGISTRY_CODES = {"P319": "fda_unii", "P210": "cas_registry", "P175": "nsc_code", "P207": "umls"}
_BRAND_TERM_TYPES = frozenset({"BR", "FB"})
_RETIRED = frozenset({"Retired_Concept", "Obsolete_Concept"})
_ANNOTATION_PROPERTY = f"{{{OWL}}}AnnotationProperty"
_SALT_ASSOCIATION = "Has_Salt_Form"


class NcitDrugLoader(Loader):
    """NCIt drug concepts (names, synonyms, brand names, registry codes) as thesaurus ``Drug`` entries."""

    spec = SourceSpec(
        name="ncit_drugs",
        title="NCI Thesaurus (drug concepts)",
        license="CC-BY-4.0",
        license_url="https://creativecommons.org/licenses/by/4.0/",
        redistributable=True,
        homepage="https://ncithesaurus.nci.nih.gov",
        files={"thesaurus": "https://evs.nci.nih.gov/ftp1/NCI_Thesaurus/Thesaurus.OWL.zip"},
        attribution=ATTRIBUTION,
    )

    @classmethod
    def starter(cls, *, skip_bad_rows: bool = False) -> Self:
        folder = importlib.resources.files("loaders") / "starter" / "ncit_drugs"
        return cls({"thesaurus": Path(str(folder / STARTER_FILE))}, version=STARTER_VERSION,
                   skip_bad_rows=skip_bad_rows)  # fmt: skip

    def parse(self) -> Iterator[Record]:
        path = self.paths["thesaurus"]
        association_codes: dict[str, str] = {}
        pending: _DrugConcept | None = None
        with open_owl(path) as handle:
            for element in top_level_elements(handle, path):
                if element.tag == AXIOM:
                    if pending is not None:
                        pending.read_axiom(element)
                    continue
                if element.tag == _ANNOTATION_PROPERTY:
                    label = element.findtext(f"{{{RDFS}}}label") or ""
                    code = element.findtext(ncit_tag("NHC0")) or ""
                    if label and code:
                        association_codes[label.strip()] = code.strip()
                    continue
                if element.tag != CLASS:
                    continue
                if pending is not None:
                    yield pending.node(self)
                pending = self._concept(element, path, association_codes.get(_SALT_ASSOCIATION, ""))
        if pending is not None:
            yield pending.node(self)

    def _concept(self, element: ElementTree.Element, path: Path, salt_code: str) -> _DrugConcept | None:
        about = element.get(ABOUT, "")
        if not about.startswith(NCIT):
            return None
        if _RETIRED.intersection(owl_texts(element, "P310")) or element.findtext(f"{{{OWL}}}deprecated") == "true":
            return None
        registry = {prop: values for code, prop in _REGISTRY_CODES.items() if (values := owl_texts(element, code))}
        if not {"fda_unii", "cas_registry", "nsc_code"} & registry.keys():
            return None  # a class of drugs, an activity or a procedure: not one substance
        code = (element.findtext(ncit_tag("NHC0")) or about.removeprefix(NCIT)).strip()
        name = (element.findtext(ncit_tag("P108")) or element.findtext(f"{{{RDFS}}}label") or "").strip()
        if not code or not name:
            self.bad(SourceFileError(str(path), None, f"concept {about} has no code or no preferred name (P108)",
                                     field="P108"))  # fmt: skip
            return None
        props: dict[str, PropValue] = {THESAURUS_PROP: "NCIt", "ncit_id": code}
        for prop, values in registry.items():
            props[prop] = values[0] if len(values) == 1 else values
        salts = [e.get(RESOURCE, "") for e in element.findall(ncit_tag(salt_code))] if salt_code else []
        salt_ids = [f"NCIT:{iri.removeprefix(NCIT)}" for iri in salts if iri.startswith(NCIT)]
        if salt_ids:
            props["salt_forms"] = salt_ids
        return _DrugConcept(about, code, name, owl_texts(element, "P90"), props)


@dataclass
class _DrugConcept:
    """A drug concept read from its class, waiting for the axioms (synonym term types) that follow it."""

    about: str
    code: str
    name: str
    synonyms: list[str]
    props: dict[str, PropValue]
    brands: list[str] = field(default_factory=list)

    def read_axiom(self, axiom: ElementTree.Element) -> None:
        source = axiom.find(f"{{{OWL}}}annotatedSource")
        prop = axiom.find(f"{{{OWL}}}annotatedProperty")
        if source is None or prop is None or source.get(RESOURCE) != self.about or prop.get(RESOURCE) != NCIT + "P90":
            return
        target = (axiom.findtext(f"{{{OWL}}}annotatedTarget") or "").strip()
        if target and _BRAND_TERM_TYPES.intersection(owl_texts(axiom, "P383")) and target not in self.brands:
            self.brands.append(target)

    def node(self, loader: Loader) -> Node:
        props = dict(self.props)
        if self.brands:
            props["brand_names"] = list(self.brands)
        synonyms = tuple(s for s in self.synonyms if s != self.name)
        return Node(f"NCIT:{self.code}", Label.DRUG, self.name, synonyms, props, loader.provenance(self.code))
