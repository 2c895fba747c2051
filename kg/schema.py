"""The graph's metagraph, written once.

Node labels, relationship types, the (label, type, label) triples that may exist, the
CURIE prefixes each label accepts and the properties each label requires.  Neo4j
constraints, loader validation, the RDF mapping and the docs are generated from here;
nothing else in pmkg spells a label or a relationship type.

Prefixes are bioregistry prefixes (``hgnc``, ``doid``, ``civic.eid`` …); the form written
in an id is :data:`DISPLAY_PREFIX` of each (``HGNC:1097``, ``CIVIC.EID:1409``).  Two prefixes
that bioregistry lacks, ``pmkg`` (nodes pmkg computes: variant classes, therapies, builds)
and ``moalmanac``, are declared in :mod:`kg.identifiers`.

Validation raises :class:`kg.errors.SchemaError` naming the record and the rule broken.

>>> validate_node_fields("DOID:3910", Label.DISEASE, "lung adenocarcinoma", {})
>>> sorted(allowed_ends(Label.EVIDENCE, RelType.IN_DISEASE))
[<Label.DISEASE: 'Disease'>]
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.errors import SchemaError

SCHEMA_VERSION = 1


class Label(enum.StrEnum):
    GENE = "Gene"
    VARIANT = "Variant"
    VARIANT_CLASS = "VariantClass"
    MOLECULAR_PROFILE = "MolecularProfile"
    CONSEQUENCE = "Consequence"
    DISEASE = "Disease"
    DRUG = "Drug"
    THERAPY = "Therapy"
    EVIDENCE = "Evidence"
    ALLELE = "Allele"
    PHENOTYPE = "Phenotype"
    RECOMMENDATION = "Recommendation"
    SOURCE = "Source"
    BUILD = "Build"


class RelType(enum.StrEnum):
    IN_GENE = "IN_GENE"
    MEMBER_OF = "MEMBER_OF"
    HAS_COMPONENT = "HAS_COMPONENT"
    HAS_CONSEQUENCE = "HAS_CONSEQUENCE"
    SUBCLASS_OF = "SUBCLASS_OF"
    MAPS_TO = "MAPS_TO"
    TARGETS = "TARGETS"
    ABOUT = "ABOUT"
    IN_DISEASE = "IN_DISEASE"
    WITH_THERAPY = "WITH_THERAPY"
    FOR_DRUG = "FOR_DRUG"
    USES_SOURCE = "USES_SOURCE"


# Relationship types whose transitive closure is a hierarchy (ancestors/descendants).
HIERARCHY_TYPES: tuple[RelType, ...] = (RelType.SUBCLASS_OF, RelType.MEMBER_OF)

EVIDENCE_TYPES = frozenset({"predictive", "prognostic", "diagnostic", "predisposing", "oncogenic", "functional"})
PGX_ACTIONS = frozenset(
    {
        "avoid",
        "alternative",
        "reduce_dose",
        "increase_dose",
        "standard_dose",
        "monitor",
        "no_recommendation",
    }
)
BUILD_STATUSES = frozenset({"complete"})


class DiseaseMapping(enum.StrEnum):
    """How a disease term was mapped onto the Disease Ontology: the ``method`` of its ``MAPS_TO`` edges.

    The mapping loaders also write it on the mapped term as ``do_mapping`` (the query layer reads
    nodes, not edge properties), with ``mapped_through`` naming the ancestor whose DO terms an
    ``oncotree_ancestor`` mapping borrows.
    """

    NCIT_XREF = "ncit_xref"  # the term's NCI Thesaurus code is a DO cross-reference
    UMLS_XREF = "umls_xref"  # the term's UMLS CUI is a DO cross-reference
    EXACT_MATCH = "exact_match"  # the source declares skos:exactMatch to the DO term (MONDO)
    NAME = "name"  # same name or exact DO synonym (case, punctuation, word order, "NOS" ignored)
    TISSUE_NAME = "tissue_name"  # an OncoTree tissue ("Breast") is the DO "<tissue> cancer"
    TISSUE_PARTS = "tissue_parts"  # a tissue of several organs ("Esophagus/Stomach") holds each organ's DO cancer
    BROADER_NAME = "broader_name"  # the name without its qualifiers ("High-Grade", "Invasive") is a DO term
    ONCOTREE_ANCESTOR = "oncotree_ancestor"  # nothing maps: the nearest mapped OncoTree ancestor's DO terms
    LOCAL_CURATION = "local_curation"  # a curator of this installation said so (pmkg curate edit map)

    @property
    def broader(self) -> bool:
        """True when the DO term is broader than the mapped term (an ancestor, not the same disease)."""
        return self in (DiseaseMapping.BROADER_NAME, DiseaseMapping.ONCOTREE_ANCESTOR)

    @property
    def narrower(self) -> bool:
        """True when each DO term is narrower than the mapped term (a part of it, not the same disease)."""
        return self == DiseaseMapping.TISSUE_PARTS


# Node properties written by local curation edits (loaders.local_curation) and read by the query layer.
CURATED_MAPS_TO = "curated_maps_to"  # the DO terms a curator mapped the term to: they replace its MAPS_TO edges
LOCALLY_DEPRECATED_BY = "locally_deprecated_by"  # the term a curator deprecated this one in favour of
LOCALLY_REPLACES = "locally_replaces"  # the terms a curator deprecated in favour of this one
CURATED_BY = "local_curation"  # which edit, by whom, why


@dataclass(frozen=True)
class LabelSpec:
    """What a node of one label must look like."""

    label: Label
    prefixes: tuple[str, ...]
    required: tuple[str, ...] = ()
    vocabularies: tuple[tuple[str, frozenset[str]], ...] = ()
    description: str = ""


LABELS: dict[Label, LabelSpec] = {
    spec.label: spec
    for spec in (
        LabelSpec(Label.GENE, ("hgnc",), ("symbol",), description="A human gene (HGNC)."),
        LabelSpec(
            Label.VARIANT,
            ("pmkg", "civic.vid", "clinvar", "dbsnp", "moalmanac"),
            description="One concrete alteration, copy-number event, fusion or biomarker.",
        ),
        LabelSpec(
            Label.VARIANT_CLASS,
            ("pmkg", "civic.vid"),
            ("class_type",),
            description="A codon, exon or gene-level class that evidence is written against.",
        ),
        LabelSpec(
            Label.MOLECULAR_PROFILE,
            ("civic.mpid", "pmkg"),
            description="A boolean combination of variants and classes.",
        ),
        LabelSpec(Label.CONSEQUENCE, ("so",), description="A Sequence Ontology consequence term."),
        LabelSpec(
            Label.DISEASE,
            ("doid", "mondo", "ncit", "oncotree"),
            description="A disease term with cross-references and an is-a hierarchy.",
        ),
        LabelSpec(
            Label.DRUG,
            ("ncit", "chembl.compound", "rxnorm", "drugbank", "iuphar.ligand", "civic.tid", "pmkg"),
            description="A single drug.",
        ),
        LabelSpec(
            Label.THERAPY,
            ("pmkg", "civic.tid"),
            description="A drug or a combination of drugs given together.",
        ),
        LabelSpec(
            Label.EVIDENCE,
            ("civic.eid", "civic.aid", "moalmanac", "pmkg"),
            ("evidence_type",),
            (("evidence_type", EVIDENCE_TYPES),),
            description="One source statement linking a molecular feature, disease and therapy.",
        ),
        LabelSpec(Label.ALLELE, ("pmkg", "pharmvar"), ("gene",), description="A star allele."),
        LabelSpec(Label.PHENOTYPE, ("pmkg",), ("gene",), description="A metaboliser phenotype."),
        LabelSpec(
            Label.RECOMMENDATION,
            ("pmkg",),
            ("action",),
            (("action", PGX_ACTIONS),),
            description="A pharmacogenomic dosing recommendation.",
        ),
        LabelSpec(Label.SOURCE, ("pmkg",), ("version", "license"), description="A source release."),
        LabelSpec(
            Label.BUILD,
            ("pmkg",),
            ("status",),
            (("status", BUILD_STATUSES),),
            description="One completed build of the graph.",
        ),
    )
}

_L = Label
_R = RelType
METAEDGES: frozenset[tuple[Label, RelType, Label]] = frozenset(
    {
        (_L.VARIANT, _R.IN_GENE, _L.GENE),
        (_L.VARIANT_CLASS, _R.IN_GENE, _L.GENE),
        (_L.ALLELE, _R.IN_GENE, _L.GENE),
        (_L.PHENOTYPE, _R.IN_GENE, _L.GENE),
        (_L.VARIANT, _R.MEMBER_OF, _L.VARIANT_CLASS),
        (_L.VARIANT_CLASS, _R.MEMBER_OF, _L.VARIANT_CLASS),
        (_L.MOLECULAR_PROFILE, _R.HAS_COMPONENT, _L.VARIANT),
        (_L.MOLECULAR_PROFILE, _R.HAS_COMPONENT, _L.VARIANT_CLASS),
        (_L.THERAPY, _R.HAS_COMPONENT, _L.DRUG),
        (_L.VARIANT, _R.HAS_CONSEQUENCE, _L.CONSEQUENCE),
        (_L.CONSEQUENCE, _R.SUBCLASS_OF, _L.CONSEQUENCE),
        (_L.DISEASE, _R.SUBCLASS_OF, _L.DISEASE),
        (_L.DISEASE, _R.MAPS_TO, _L.DISEASE),
        (_L.DRUG, _R.MAPS_TO, _L.DRUG),
        (_L.DRUG, _R.TARGETS, _L.GENE),
        (_L.EVIDENCE, _R.ABOUT, _L.VARIANT),
        (_L.EVIDENCE, _R.ABOUT, _L.VARIANT_CLASS),
        (_L.EVIDENCE, _R.ABOUT, _L.MOLECULAR_PROFILE),
        (_L.EVIDENCE, _R.ABOUT, _L.GENE),
        (_L.EVIDENCE, _R.IN_DISEASE, _L.DISEASE),
        (_L.EVIDENCE, _R.WITH_THERAPY, _L.THERAPY),
        (_L.ALLELE, _R.MEMBER_OF, _L.PHENOTYPE),
        (_L.RECOMMENDATION, _R.ABOUT, _L.PHENOTYPE),
        (_L.RECOMMENDATION, _R.FOR_DRUG, _L.DRUG),
        (_L.BUILD, _R.USES_SOURCE, _L.SOURCE),
    }
)

# Property names every store sets itself; a record may not carry them in ``props``.
RESERVED_PROPERTIES = frozenset({"id", "label", "name", "synonyms", "build", "sources", "provenance", "pmkg_lookup"})

_CURIE = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_.]*):(?P<local>\S+)$")
_SCALARS = (str, int, float, bool)


def allowed_ends(start: Label, rel: RelType) -> frozenset[Label]:
    """Labels a ``start -[rel]->`` relationship may point at."""
    return frozenset(e for s, r, e in METAEDGES if s == start and r == rel)


def prefix_of(curie: str) -> str | None:
    """The prefix as written in ``curie`` (``"HGNC"`` of ``"HGNC:1097"``), or None if not a CURIE."""
    match = _CURIE.match(curie)
    return match.group("prefix") if match else None


def display_prefix(prefix: str) -> str:
    """The form a bioregistry prefix takes inside pmkg ids.

    >>> display_prefix("civic.eid")
    'CIVIC.EID'
    """
    return prefix.upper()


def _label_by_display_prefix() -> dict[str, frozenset[Label]]:
    table: dict[str, set[Label]] = {}
    for spec in LABELS.values():
        for prefix in spec.prefixes:
            table.setdefault(display_prefix(prefix), set()).add(spec.label)
    return {k: frozenset(v) for k, v in table.items()}


_LABELS_BY_PREFIX: dict[str, frozenset[Label]] | None = None


def labels_for_prefix(display: str) -> frozenset[Label]:
    """Labels whose ids may start with ``display:`` (e.g. ``NCIT`` → Disease and Drug)."""
    global _LABELS_BY_PREFIX
    if _LABELS_BY_PREFIX is None:
        _LABELS_BY_PREFIX = _label_by_display_prefix()
    return _LABELS_BY_PREFIX.get(display, frozenset())


# (label, prefix) pairs already checked: the prefix rules then cost one set lookup per node.
_ALLOWED_PAIRS: set[tuple[str, str]] = set()


def _check_prefix(node_id: str, label: Label, spec: LabelSpec) -> None:
    prefix = prefix_of(node_id)
    if prefix is None:
        raise SchemaError(f"{label} {node_id!r}: id is not a CURIE (expected PREFIX:local, e.g. HGNC:1097)")
    if label not in labels_for_prefix(prefix):
        expected = ", ".join(display_prefix(p) + ":" for p in spec.prefixes)
        raise SchemaError(f"{label} {node_id!r}: prefix {prefix}: is not allowed for {label}; expected {expected}")
    _ALLOWED_PAIRS.add((label, prefix))


def validate_node_fields(node_id: str, label: Label, name: str, props: Mapping[str, Any]) -> None:
    """Check one node against its label's rules; raise SchemaError naming the rule."""
    spec = LABELS.get(label)
    if spec is None:
        raise SchemaError(f"node {node_id!r}: unknown label {label!r}; expected one of {sorted(LABELS)}")
    prefix, _, local = node_id.partition(":")
    if (label, prefix) not in _ALLOWED_PAIRS or not local.isprintable() or " " in local:
        _check_prefix(node_id, label, spec)
    if not isinstance(name, str) or not name.strip():
        raise SchemaError(f"{label} {node_id!r}: 'name' is required and must be non-empty text")
    for key in spec.required:
        value = props.get(key)
        if value is None or value == "" or value == []:
            raise SchemaError(f"{label} {node_id!r}: required property {key!r} is missing")
    for key, vocabulary in spec.vocabularies:
        value = props.get(key)
        if value is not None and value not in vocabulary:
            raise SchemaError(
                f"{label} {node_id!r}: property {key!r} is {value!r}; expected one of {sorted(vocabulary)}"
            )
    if props:
        problem = property_problem(props)
        if problem:
            raise SchemaError(f"{label} {node_id!r}: {problem}")


def validate_props(owner: str, props: Mapping[str, Any]) -> None:
    """Property values must be scalars or lists of one scalar type (what Neo4j can store)."""
    problem = property_problem(props)
    if problem:
        raise SchemaError(f"{owner}: {problem}")


def property_problem(props: Mapping[str, Any]) -> str | None:
    """What is wrong with ``props`` (see :func:`validate_props`), or None."""
    for key, value in props.items():
        if key in RESERVED_PROPERTIES:
            return f"property name {key!r} is reserved for the store"
        if not isinstance(key, str) or not key:
            return f"property names must be non-empty text, got {key!r}"
        if isinstance(value, _SCALARS):
            if isinstance(value, float) and value != value:
                return f"property {key!r} is NaN"
            continue
        if isinstance(value, list):
            kinds = {type(v) for v in value}
            if len(kinds) <= 1 and kinds <= _SCALAR_TYPES:
                continue
            return f"property {key!r} must be a list of one scalar type, got {value!r}"
        return f"property {key!r} has type {type(value).__name__}; expected text, number, boolean or a list of them"
    return None


_REL_TYPES = frozenset(RelType)
_SCALAR_TYPES = frozenset({str, int, float, bool})


def validate_edge_fields(
    start: str, rel: RelType, end: str, start_label: Label, end_label: Label, props: Mapping[str, Any]
) -> None:
    """Check one relationship against the metagraph."""
    if rel not in _REL_TYPES:
        raise SchemaError(f"({start})-[:{rel}]->({end}): unknown relationship type {rel!r}")
    if (start_label, rel, end_label) not in METAEDGES:
        allowed = sorted(str(e) for e in allowed_ends(start_label, rel))
        expectation = (
            f"{start_label} -[:{rel}]-> may point at {', '.join(allowed)}"
            if allowed
            else (f"{start_label} has no outgoing {rel} relationships")
        )
        raise SchemaError(
            f"({start})-[:{rel}]->({end}): {start_label} -[:{rel}]-> {end_label} is not in the schema; {expectation}"
        )
    if props:
        validate_props(f"({start})-[:{rel}]->({end})", props)
