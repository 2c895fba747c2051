"""The metagraph documented for researchers: labels, relationship types, allowed triples, RDF IRIs.

Generated from :mod:`kg.schema` and :mod:`kg.rdf.vocabulary` (never written by hand) as JSON,
Markdown with a Mermaid picture, or the RDFS/OWL vocabulary in Turtle (``pmkg schema``).

>>> doc = schema_json()
>>> doc["labels"]["Disease"]["rdf_class"]
'https://w3id.org/biolink/vocab/Disease'
>>> ["Evidence", "IN_DISEASE", "Disease"] in doc["triples"]
True
"""

from __future__ import annotations

from typing import Any

from kg.identifiers import display_prefix
from kg.rdf.vocabulary import PREFIXES, class_iri, predicate_iri, vocabulary_turtle
from kg.schema import LABELS, METAEDGES, SCHEMA_VERSION, RelType

SCHEMA_FORMATS = ("md", "json", "ttl")


def schema_json() -> dict[str, Any]:
    """The metagraph as one JSON-ready dict."""
    return {
        "schema_version": SCHEMA_VERSION,
        "rdf_prefixes": PREFIXES,
        "labels": {
            str(label): {
                "description": spec.description,
                "id_prefixes": [display_prefix(p) for p in spec.prefixes],
                "required_properties": list(spec.required),
                "vocabularies": {key: sorted(values) for key, values in spec.vocabularies},
                "rdf_class": class_iri(label),
            }
            for label, spec in LABELS.items()
        },
        "relationships": {str(rel): {"rdf_predicate": predicate_iri(rel)} for rel in RelType},
        "triples": sorted([str(s), str(r), str(e)] for s, r, e in METAEDGES),
    }


def schema_mermaid() -> str:
    """A Mermaid flowchart of the allowed triples."""
    lines = ["flowchart LR"]
    for start, rel, end in sorted(METAEDGES):
        lines.append(f"    {start} -- {rel} --> {end}")
    return "\n".join(lines)


def schema_markdown() -> str:
    """The metagraph as Markdown: a picture, the labels, the relationship types."""
    doc = schema_json()
    out = ["# The pmkg graph schema", "", f"Schema version {doc['schema_version']}, generated from `kg/schema.py`.", ""]
    out += ["```mermaid", schema_mermaid(), "```", "", "## Labels", ""]
    out += ["| label | id prefixes | required | RDF class | description |", "|---|---|---|---|---|"]
    for name, spec in doc["labels"].items():
        out.append(
            f"| {name} | {', '.join(spec['id_prefixes'])} | {', '.join(spec['required_properties'])} "
            f"| `{spec['rdf_class']}` | {spec['description']} |"
        )
    out += ["", "## Relationships", "", "| type | allowed (start → end) | RDF predicate |", "|---|---|---|"]
    for rel, spec in doc["relationships"].items():
        pairs = "; ".join(f"{s} → {e}" for s, r, e in doc["triples"] if r == rel)
        out.append(f"| {rel} | {pairs} | `{spec['rdf_predicate']}` |")
    return "\n".join(out) + "\n"


def render_schema(fmt: str) -> str:
    """The schema in ``fmt``: ``md``, ``json`` or ``ttl``."""
    if fmt == "json":
        import json

        return json.dumps(schema_json(), indent=2) + "\n"
    if fmt == "ttl":
        return vocabulary_turtle()
    return schema_markdown()
