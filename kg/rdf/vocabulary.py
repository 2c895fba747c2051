"""The RDF vocabulary of the graph: one class per label, one predicate per relationship type.

Generated from :mod:`kg.schema` and written nowhere else.  Biolink Model classes and
predicates are used where one means the same thing (a ``Gene`` is ``biolink:Gene``,
``SUBCLASS_OF`` is ``biolink:subclass_of``); the rest is pmkg's small vocabulary under
:data:`PMKG_VOCAB`.  Node properties become ``pmkg:<property>`` datatype properties, the
node's ``name`` is ``rdfs:label`` and its synonyms ``skos:altLabel``.

This module holds names and their documentation only; :mod:`kg.rdf.mapping` turns records
into triples with them and :func:`vocabulary_turtle` publishes them as an RDFS/OWL file.

>>> class_iri(Label.GENE)
'https://w3id.org/biolink/vocab/Gene'
>>> predicate_iri(RelType.ABOUT)
'https://w3id.org/pmkg/vocab/about'
>>> property_iri("significance")
'https://w3id.org/pmkg/vocab/significance'
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.schema import LABELS, METAEDGES, Label, RelType

PMKG_VOCAB = "https://w3id.org/pmkg/vocab/"
BIOLINK = "https://w3id.org/biolink/vocab/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"

# Prefixes written at the head of Turtle output and offered to SPARQL users.
PREFIXES: dict[str, str] = {
    "pmkg": PMKG_VOCAB,
    "biolink": BIOLINK,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
}


@dataclass(frozen=True)
class Term:
    """One vocabulary term: its IRI and the comment the vocabulary file gives it."""

    iri: str
    comment: str


# Biolink where one fits; pmkg otherwise.
_CLASSES: dict[Label, str] = {
    Label.GENE: BIOLINK + "Gene",
    Label.VARIANT: BIOLINK + "SequenceVariant",
    Label.VARIANT_CLASS: PMKG_VOCAB + "VariantClass",
    Label.MOLECULAR_PROFILE: PMKG_VOCAB + "MolecularProfile",
    Label.CONSEQUENCE: PMKG_VOCAB + "Consequence",
    Label.DISEASE: BIOLINK + "Disease",
    Label.DRUG: BIOLINK + "Drug",
    Label.THERAPY: PMKG_VOCAB + "Therapy",
    Label.EVIDENCE: PMKG_VOCAB + "Evidence",
    Label.ALLELE: BIOLINK + "Haplotype",
    Label.PHENOTYPE: PMKG_VOCAB + "MetaboliserPhenotype",
    Label.RECOMMENDATION: PMKG_VOCAB + "Recommendation",
    Label.SOURCE: PMKG_VOCAB + "Source",
    Label.BUILD: PMKG_VOCAB + "Build",
}

_PREDICATES: dict[RelType, Term] = {
    RelType.IN_GENE: Term(PMKG_VOCAB + "in_gene", "The gene a variant, class, star allele or phenotype is of."),
    RelType.MEMBER_OF: Term(BIOLINK + "member_of", "Variant in class, class in wider class, allele in phenotype."),
    RelType.HAS_COMPONENT: Term(BIOLINK + "has_part", "A profile's variants and classes; a therapy's drugs."),
    RelType.HAS_CONSEQUENCE: Term(PMKG_VOCAB + "has_consequence", "The Sequence Ontology consequence of a variant."),
    RelType.SUBCLASS_OF: Term(BIOLINK + "subclass_of", "The is-a hierarchy of diseases and consequence terms."),
    RelType.MAPS_TO: Term(PMKG_VOCAB + "maps_to", "A disease or drug term mapped onto another vocabulary's term."),
    RelType.TARGETS: Term(BIOLINK + "interacts_with", "A drug whose target is the gene."),
    RelType.ABOUT: Term(PMKG_VOCAB + "about", "What an evidence item or recommendation is about."),
    RelType.IN_DISEASE: Term(PMKG_VOCAB + "in_disease", "The disease an evidence item is stated in."),
    RelType.WITH_THERAPY: Term(PMKG_VOCAB + "with_therapy", "The therapy an evidence item concerns."),
    RelType.FOR_DRUG: Term(PMKG_VOCAB + "for_drug", "The drug a dosing recommendation concerns."),
    RelType.USES_SOURCE: Term(PMKG_VOCAB + "uses_source", "A source release that went into a build."),
}  # fmt: skip

# Terms that are not labels, relationships or node properties.
ID = Term(PMKG_VOCAB + "id", "The node's CURIE as pmkg writes it (e.g. DOID:3910): the key every surface shares.")
STATEMENT = Term(
    PMKG_VOCAB + "EdgeStatement",
    "A relationship that carries properties, reified so that none is lost: rdf:subject, rdf:predicate, rdf:object.",
)
RECORD = Term(PMKG_VOCAB + "source_record", "The source's own record id a node or relationship came from.")

# The curation audit log as exports carry it (kg.curation.export): classes, then properties.
AUDIT_CLASSES: dict[str, str] = {
    "AuditLog": "The curation audit log of the store an export came from; its head: entries written, last hash.",
    "AuditEntry": "One audited curation step (stage, apply, approve, rollback, supersede, complete).",
}
AUDIT_PROPERTIES: dict[str, str] = {
    "inAuditLog": "The log an entry belongs to.",
    "auditRecord": "The entry exactly as written (JSON): its SHA-256 is recomputed from it to verify the chain.",
    "auditEntries": "How many entries the log had written when exported.",
    "auditHead": "The hash of the log's last entry when exported.",
    "auditAt": "When the step was recorded (UTC).",
    "auditSeq": "The entry's number in the log, from 1.",
    "auditAction": "stage, apply, approve, rollback, supersede or complete.",
    "auditState": "pending on the first entry of a step that changes the current build; a complete entry's outcome.",
    "auditCompletes": "On a complete entry: the number of the pending entry it completes.",
    "auditCurator": "Who: the curator's name or the API key's name.",
    "auditMessage": "Why, in the curator's words.",
    "auditTracker": "The tracker link given.",
    "auditSource": "The source whose release changed.",
    "auditBeforeBuild": "The build that answered before the step.",
    "auditAfterBuild": "The build that answers after it (staged: the candidate).",
    "auditPreviousHash": "SHA-256 of the entry before (64 zeros for the first).",
    "auditHash": "SHA-256 of the entry's other fields.",
}


def audit_iri(name: str) -> str:
    """The IRI of an audit class or property declared above (a typo is an error, not a new term)."""
    if name not in AUDIT_CLASSES and name not in AUDIT_PROPERTIES:
        raise KeyError(f"{name!r} is not an audit term of the pmkg vocabulary")
    return PMKG_VOCAB + name


def class_iri(label: Label) -> str:
    """The RDF class of nodes of ``label``."""
    return _CLASSES[label]


def predicate_iri(rel: RelType) -> str:
    """The RDF predicate of relationships of type ``rel``."""
    return _PREDICATES[rel].iri


def property_iri(key: str) -> str:
    """The datatype property of the node or relationship property ``key``."""
    return PMKG_VOCAB + key


def sparql_prefixes() -> str:
    """``PREFIX`` lines for every prefix in :data:`PREFIXES`, to put before a query."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def vocabulary_turtle() -> str:
    """The vocabulary as an RDFS/OWL document in Turtle: classes, predicates with domains and ranges."""
    lines = [f"@prefix {name}: <{iri}> ." for name, iri in PREFIXES.items()]
    lines += [
        "",
        f"<{PMKG_VOCAB}> a owl:Ontology ;",
        '    rdfs:label "pmkg vocabulary" ;',
        "    rdfs:comment "
        + _literal(
            "Classes and predicates of the pmkg precision-medicine knowledge graph, generated from kg/schema.py."
        )
        + " .",
        "",
    ]
    for label, spec in LABELS.items():
        lines.append(f"<{class_iri(label)}> a owl:Class ;")
        lines.append(f"    rdfs:label {_literal(str(label))} ;")
        lines.append(f"    rdfs:comment {_literal(spec.description)} .")
    lines.append("")
    for rel, term in _PREDICATES.items():
        domains = sorted({class_iri(s) for s, r, _ in METAEDGES if r == rel})
        ranges = sorted({class_iri(e) for _, r, e in METAEDGES if r == rel})
        lines.append(f"<{term.iri}> a owl:ObjectProperty ;")
        lines.append(f"    rdfs:label {_literal(str(rel))} ;")
        lines.append(f"    rdfs:comment {_literal(term.comment)} ;")
        lines.append("    pmkg:domainIncludes " + ", ".join(f"<{d}>" for d in domains) + " ;")
        lines.append("    pmkg:rangeIncludes " + ", ".join(f"<{r}>" for r in ranges) + " .")
    lines.append("")
    for term, kind in ((ID, "owl:DatatypeProperty"), (RECORD, "owl:DatatypeProperty"), (STATEMENT, "owl:Class")):
        lines.append(f"<{term.iri}> a {kind} ;")
        lines.append(f"    rdfs:comment {_literal(term.comment)} .")
    for names, kind in ((AUDIT_CLASSES, "owl:Class"), (AUDIT_PROPERTIES, "rdf:Property")):
        for name, comment in names.items():
            lines.append(f"<{audit_iri(name)}> a {kind} ;")
            lines.append(f"    rdfs:comment {_literal(comment)} .")
    return "\n".join(lines) + "\n"
