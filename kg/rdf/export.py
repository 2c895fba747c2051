"""The graph, or a part of it, streamed out as RDF: N-Triples, N-Quads, Turtle or JSON-LD.

N-Triples and N-Quads are written line by line as the records are read (nothing is held in
memory); Turtle and JSON-LD go through Oxigraph's streaming serialiser with the vocabulary's
prefixes.  N-Quads put every triple in the named graph of the build.  The vocabulary itself
(:func:`kg.rdf.vocabulary.vocabulary_turtle`) heads Turtle output and is a separate named graph
in N-Quads, so an export is self-describing.  The curation audit log (``audit``: lines from
:func:`kg.curation.export.audit_lines`) follows the graph; in N-Quads it is its own named graph, as it belongs
to no build.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Collection, Iterator, Sequence
from typing import IO

from kg.curation.export import AUDIT_GRAPH
from kg.errors import InputError
from kg.export import edges, nodes
from kg.rdf.mapping import LineStream, graph_lines, node_iri
from kg.rdf.vocabulary import PMKG_VOCAB, PREFIXES, vocabulary_turtle
from kg.schema import Label, RelType
from kg.stores.port import Store

RDF_FORMATS = ("ttl", "nt", "nq", "jsonld")


def export_lines(
    store: Store,
    labels: Collection[Label] | None = None,
    relationships: Collection[RelType] | None = None,
    sources: Collection[str] | None = None,
) -> Iterator[str]:
    """N-Triples lines of the chosen part of the current build (relationships only between kept nodes)."""
    if labels is None and sources is None:
        return graph_lines(nodes(store), edges(store, relationships))
    kept = list(nodes(store, labels, sources))
    return graph_lines(kept, edges(store, relationships, {n.id for n in kept}))


def _vocabulary_lines() -> Iterator[str]:
    from pyoxigraph import RdfFormat, parse, serialize

    triples = list(parse(vocabulary_turtle(), format=RdfFormat.TURTLE))
    yield from (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode().splitlines(keepends=True)


def write_rdf(lines: Iterator[str], fmt: str, out: IO[bytes], build_id: str, audit: Sequence[str] = ()) -> int:
    """Write ``lines`` (then ``audit``) to ``out`` as ``fmt``; return how many triples of the graph were written."""
    if fmt not in RDF_FORMATS:
        raise InputError(f"unknown RDF format {fmt!r}; expected one of {', '.join(RDF_FORMATS)}")
    count = 0
    if fmt in ("nt", "nq"):
        graph = f" <{node_iri('PMKG:build/' + build_id)}> .\n" if fmt == "nq" else None
        vocab = f" <{PMKG_VOCAB}> .\n"
        batch: list[str] = []
        for line in lines:
            batch.append(line if graph is None else line[:-3] + graph)
            count += 1
            if len(batch) >= 8192:
                out.write("".join(batch).encode())
                batch.clear()
        if fmt == "nq":
            batch.extend(line[:-3] + vocab for line in _vocabulary_lines())
            batch.extend(line[:-3] + f" <{AUDIT_GRAPH}> .\n" for line in audit)
        else:
            batch.extend(audit)
        out.write("".join(batch).encode())
        return count
    from pyoxigraph import RdfFormat, parse, serialize

    stream = LineStream(itertools.chain(lines, audit))
    triples = parse(io.BufferedReader(stream, 1 << 20), format=RdfFormat.N_TRIPLES)
    if fmt == "ttl":
        out.write(vocabulary_turtle().encode() + b"\n")
        serialize(triples, out, format=RdfFormat.TURTLE, prefixes=PREFIXES)
    else:
        serialize(triples, out, format=RdfFormat.JSON_LD)
    return stream.lines - len(audit)
