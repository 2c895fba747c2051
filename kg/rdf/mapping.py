"""Records as RDF: each node and relationship of a store as triples, with nothing lost.

- A node is the IRI of its CURIE (bioregistry's IRI for the prefix, see
  :func:`kg.identifiers.iri_prefixes`: OBO PURLs for DOID, MONDO, NCIT, SO), typed with its
  label's class (:mod:`kg.rdf.vocabulary`); ``pmkg:id`` keeps the CURIE as text (the key every
  surface shares), ``rdfs:label`` the name, ``skos:altLabel`` each synonym, ``pmkg:<key>``
  each property (one triple per list element, numbers and booleans typed).
- Provenance: ``prov:wasDerivedFrom`` the ``Source`` node of each source the node came from,
  ``pmkg:source_record`` the source's record id where it is not the node's own id.
- A relationship is one triple; when it carries properties it is also reified as a
  ``pmkg:EdgeStatement`` (``rdf:subject/predicate/object``) holding them and its provenance,
  so that relationship properties are not lost (neosemantics loses them).

Evidence stays a node: its significance, level, tier, citation and record id are properties.
This module never opens a store or a file; :mod:`kg.stores.rdf` does.

Triples are written as N-Triples lines (the fastest road into Oxigraph's bulk loader and the
``nt`` export; other formats are serialised from them).

>>> from kg.records import Node
>>> from kg.schema import Label
>>> lines = list(node_lines(Node("DOID:3910", Label.DISEASE, "lung adenocarcinoma", ("LUAD",))))
>>> lines[0].split()[0], lines[0].split()[2]
('<http://purl.obolibrary.org/obo/DOID_3910>', '<https://w3id.org/biolink/vocab/Disease>')
>>> lines[3].split(" ", 2)[2]
'"LUAD" .\\n'
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import orjson

from kg.identifiers import iri_prefixes, split_curie
from kg.rdf import vocabulary as v
from kg.records import Edge, Node, PropValue, Provenance
from kg.schema import Label, RelType

_TYPE = f"<{v.RDF}type>"
_LABEL = f"<{v.RDFS}label>"
_ALT = f"<{v.SKOS}altLabel>"
_DERIVED = f"<{v.PROV}wasDerivedFrom>"
_ID = f"<{v.ID.iri}>"
_RECORD = f"<{v.RECORD.iri}>"
_STATEMENT = f"<{v.STATEMENT.iri}>"
_SUBJECT = f"<{v.RDF}subject>"
_PREDICATE = f"<{v.RDF}predicate>"
_OBJECT = f"<{v.RDF}object>"
_INTEGER = f"^^<{v.XSD}integer>"
_DOUBLE = f"^^<{v.XSD}double>"
_BOOLEAN = f"^^<{v.XSD}boolean>"
_dumps = orjson.dumps
# Characters an IRI may carry unescaped in a path (RFC 3987 iunreserved/sub-delims, plus / : @).
_IRI_SAFE = "/:@!$&'()*+,;=-._~"


def node_iri(curie: str) -> str:
    """The IRI of the node with id ``curie`` (the local part percent-encoded where an IRI needs it).

    >>> node_iri("PMKG:variant/BRAF:c.1799T>A")
    'https://w3id.org/pmkg/id/variant/BRAF:c.1799T%3EA'
    """
    prefix, local = split_curie(curie)
    base = iri_prefixes().get(prefix)
    if base is None:  # a prefix the schema does not declare: keep it resolvable under pmkg's namespace
        base = f"https://w3id.org/pmkg/id/{quote(prefix.lower(), safe='')}/"
    return base + quote(local, safe=_IRI_SAFE)


@functools.lru_cache(maxsize=200_000)
def _ref(curie: str) -> str:
    return f"<{node_iri(curie)}>"


def source_iri(source: str) -> str:
    """The IRI of the ``Source`` node of ``source`` (``PMKG:source/<name>``)."""
    return node_iri(f"PMKG:source/{source}")


@functools.cache
def _class(label: Label) -> str:
    return f"<{v.class_iri(label)}>"


@functools.cache
def _property(key: str) -> str:
    return f"<{v.property_iri(quote(key, safe=''))}>"


@functools.cache
def _predicate(rel: RelType) -> str:
    return f"<{v.predicate_iri(rel)}>"


def literal(value: PropValue) -> str:
    """A property value as an N-Triples literal (text plain, numbers and booleans typed).

    >>> print(literal('say "hi"'), literal(3), literal(True))
    "say \\"hi\\"" "3"^^<http://www.w3.org/2001/XMLSchema#integer> "true"^^<http://www.w3.org/2001/XMLSchema#boolean>
    """
    if type(value) is str:  # most values: tested first, as writing the view is a tight loop
        # JSON string escapes (\" \\ \n \uXXXX …) are N-Triples escapes too.
        return _dumps(value).decode()
    if isinstance(value, bool):
        return ('"true"' if value else '"false"') + _BOOLEAN
    if isinstance(value, int):
        return f'"{value}"{_INTEGER}'
    if isinstance(value, float):
        return f'"{value!r}"{_DOUBLE}'
    return _dumps(str(value)).decode()


def _property_lines(out: list[str], subject: str, props: Mapping[str, PropValue]) -> None:
    for key, value in props.items():
        predicate = _property(key)
        if type(value) is list:
            out += [f"{subject} {predicate} {literal(item)} .\n" for item in value]
        else:
            out.append(f"{subject} {predicate} {literal(value)} .\n")


def _provenance(out: list[str], subject: str, own_id: str | None, provenance: Iterable[Provenance]) -> None:
    for source in sorted({p.source for p in provenance}):
        out.append(f"{subject} {_DERIVED} <{source_iri(source)}> .\n")
    for record in sorted({p.record_id for p in provenance if p.record_id and p.record_id != own_id}):
        out.append(f"{subject} {_RECORD} {literal(record)} .\n")


def node_lines(node: Node) -> list[str]:
    """The N-Triples lines of one node: type, id, name, synonyms, properties, provenance."""
    subject = _ref(node.id)
    out = [
        f"{subject} {_TYPE} {_class(node.label)} .\n",
        f"{subject} {_ID} {literal(node.id)} .\n",
        f"{subject} {_LABEL} {literal(node.name)} .\n",
    ]
    out += [f"{subject} {_ALT} {literal(synonym)} .\n" for synonym in node.synonyms]
    _property_lines(out, subject, node.props)
    _provenance(out, subject, node.id, node.provenance)
    return out


def edge_lines(edge: Edge) -> list[str]:
    """The N-Triples line of one relationship, and its reified statement when it carries properties."""
    subject, predicate, obj = _ref(edge.start), _predicate(edge.type), _ref(edge.end)
    out = [f"{subject} {predicate} {obj} .\n"]
    if not edge.props:
        return out
    digest = hashlib.blake2b(f"{edge.start}|{edge.type}|{edge.end}".encode(), digest_size=12).hexdigest()
    statement = f"<https://w3id.org/pmkg/id/edge/{digest}>"
    out += (
        f"{statement} {_TYPE} {_STATEMENT} .\n",
        f"{statement} {_SUBJECT} {subject} .\n",
        f"{statement} {_PREDICATE} {predicate} .\n",
        f"{statement} {_OBJECT} {obj} .\n",
    )
    _property_lines(out, statement, edge.props)
    _provenance(out, statement, None, edge.provenance)
    return out


def graph_chunks(nodes: Iterable[Node], edges: Iterable[Edge], size: int) -> Iterator[list[str]]:
    """The N-Triples lines of ``nodes`` then ``edges``, in lists of about ``size`` lines (a record is never split)."""
    chunk: list[str] = []
    for node in nodes:
        chunk += node_lines(node)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    for edge in edges:
        chunk += edge_lines(edge)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def graph_lines(nodes: Iterable[Node], edges: Iterable[Edge]) -> Iterator[str]:
    """Every N-Triples line of ``nodes`` then ``edges``."""
    for chunk in graph_chunks(nodes, edges, 8192):
        yield from chunk


class LineStream(io.RawIOBase):
    """A binary file over an iterator of text lines: streams a graph into a parser without holding it."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._pending = b""
        self.lines = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        while len(self._pending) < len(view):
            chunk = "".join(itertools.islice(self._lines, 4096))
            if not chunk:
                break
            self.lines += chunk.count("\n")
            self._pending += chunk.encode()
        size = min(len(view), len(self._pending))
        view[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
