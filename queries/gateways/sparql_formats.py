"""SPARQL answers in the W3C result formats: JSON, XML, CSV and TSV; graphs in RDF formats.

``json`` is the SPARQL 1.1 Query Results JSON Format, ``xml`` the SPARQL Query Results XML
Format, ``csv``/``tsv`` the SPARQL 1.1 CSV and TSV formats, so that other tools read them.
CONSTRUCT and DESCRIBE answers are serialised as Turtle, N-Triples or JSON-LD.  Media types
for HTTP content negotiation are here too (:data:`RESULT_MEDIA_TYPES`, :data:`GRAPH_MEDIA_TYPES`).

>>> answer = SparqlAnswer("select", ["x"], [[("literal", "a,b", "", "")]])
>>> print(render_results(answer, "csv"), end="")
x
"a,b"
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from queries.gateways.sparql import SparqlAnswer, Term

RESULT_MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_MEDIA_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}


def _json_term(term: Term) -> dict[str, str]:
    kind = term[0]
    if kind == "literal":
        out = {"type": "literal", "value": term[1]}
        if term[3]:
            out["xml:lang"] = term[3]
        elif term[2]:
            out["datatype"] = term[2]
        return out
    return {"type": kind, "value": term[1]}


def to_json(answer: SparqlAnswer) -> str:
    """SPARQL 1.1 Query Results JSON (``head``/``results`` or ``head``/``boolean``)."""
    if answer.kind == "ask":
        return json.dumps({"head": {}, "boolean": answer.boolean}, separators=(",", ":"))  # as Oxigraph writes SELECT
    bindings = [
        {name: _json_term(term) for name, term in zip(answer.variables, row, strict=True) if term is not None}
        for row in answer.rows
    ]
    head: dict[str, object] = {"vars": answer.variables}
    if answer.truncated:
        head["link"] = [f"urn:pmkg:truncated:{answer.row_limit}"]
    return json.dumps({"head": head, "results": {"bindings": bindings}}, ensure_ascii=False, separators=(",", ":"))


def _xml_term(term: Term) -> str:
    if term[0] == "uri":
        return f"<uri>{escape(term[1])}</uri>"
    if term[0] == "bnode":
        return f"<bnode>{escape(term[1])}</bnode>"
    attrs = f" xml:lang={quoteattr(term[3])}" if term[3] else (f" datatype={quoteattr(term[2])}" if term[2] else "")
    return f"<literal{attrs}>{escape(term[1])}</literal>"


def to_xml(answer: SparqlAnswer) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
    out.append("</head>")
    if answer.kind == "ask":
        out.append(f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in answer.rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(answer.variables, row, strict=True)
                if t is not None
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _csv_value(term: Term | None) -> str:
    return "" if term is None else term[1]


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if term[0] == "uri":
        return f"<{term[1]}>"
    if term[0] == "bnode":
        return f"_:{term[1]}"
    text = json.dumps(term[1], ensure_ascii=False)
    if term[3]:
        return f"{text}@{term[3]}"
    return f"{text}^^<{term[2]}>" if term[2] else text


def to_csv(answer: SparqlAnswer) -> str:
    """SPARQL 1.1 CSV: plain values (IRIs without brackets, literals without datatype)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if answer.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if answer.boolean else "false"])
    else:
        writer.writerow(answer.variables)
        writer.writerows([_csv_value(t) for t in row] for row in answer.rows)
    return buffer.getvalue().replace("\r\n", "\n")


def to_tsv(answer: SparqlAnswer) -> str:
    """SPARQL 1.1 TSV: RDF terms in Turtle/N-Triples syntax, ``?var`` headers."""
    if answer.kind == "ask":
        return "?boolean\n" + ("true" if answer.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in answer.rows]
    return "\n".join(lines) + "\n"


def render_results(answer: SparqlAnswer, fmt: str) -> str:
    """A SELECT or ASK answer in ``fmt`` (json, xml, csv, tsv).

    An answer Oxigraph already wrote in ``fmt`` (:attr:`SparqlAnswer.document`) is passed on as it is.
    """
    if answer.document_format == fmt:
        return answer.document.decode()
    if answer.document_format:
        raise ValueError(f"this answer was written as {answer.document_format}, not {fmt}: ask for {fmt} in the query")
    return {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}[fmt](answer)


def render_graph(answer: SparqlAnswer, fmt: str) -> str:
    """A CONSTRUCT or DESCRIBE answer in ``fmt`` (ttl, nt, jsonld)."""
    if fmt == "nt" or not answer.ntriples:
        return answer.ntriples
    from pyoxigraph import RdfFormat, parse, serialize

    from kg.rdf.vocabulary import PREFIXES

    target = RdfFormat.TURTLE if fmt == "ttl" else RdfFormat.JSON_LD
    triples = parse(answer.ntriples, format=RdfFormat.N_TRIPLES)
    prefixes = PREFIXES if fmt == "ttl" else None
    return (serialize(triples, format=target, prefixes=prefixes) or b"").decode()


def table_cell(term: Term | None) -> str:
    """A term as a person reads it in a table: IRIs bare, literals without quotes."""
    return "" if term is None else term[1]
