"""``pmkg sparql``, ``cypher``, ``export`` and ``schema``: the graph for researchers.

Registered lazily in :mod:`queries.cli.main`.  Parsing and rendering only: queries run in
:mod:`queries.gateways.sparql` and :mod:`queries.gateways.cypher`, exports are
:mod:`kg.rdf.export` and :mod:`kg.export`, the
schema is :mod:`kg.schema_docs`.  Query text is never logged.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TextIO, TypeVar, cast

import click

from kg.errors import InputError
from queries.cli.support import STORES, build_option, console, fail_cleanly, literal, open_store

SPARQL_FORMATS = ("table", "json", "xml", "csv", "tsv", "ttl", "nt", "jsonld")
QUERY_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
TIMEOUT = click.FloatRange(min=0.1)
ROWS = click.IntRange(min=1)
F = TypeVar("F", bound=Callable[..., Any])
EXPORT_FORMATS = ("ttl", "nt", "nq", "jsonld", "graphml", "gexf", "node-link-json")


def query_file(command: F) -> F:
    """``--file``: read the query from a file instead of the argument."""
    option = click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                          help="Read the query from FILE.")  # fmt: skip
    return option(command)


def query_limits(command: F) -> F:
    """``--timeout`` and ``--limit``, the same for every researcher's query language."""
    timeout = click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
                           help="Seconds before the query is stopped.")  # fmt: skip
    limit = click.option("--limit", "row_limit", type=click.IntRange(min=1), default=10_000, show_default=True,
                         help="Most rows returned (the cut is stated).")  # fmt: skip
    return timeout(limit(command))


def print_table(columns: list[str], rows: list[list[str]]) -> None:
    """A query's answer as a table on stdout (cells shown as text, never as markup)."""
    from rich.table import Table

    table = Table(*columns)
    for row in rows:
        table.add_row(*(literal(cell) for cell in row))
    console().print(table)


def note_cut(truncated: bool, row_limit: int) -> None:
    """Say on stderr that rows past --limit were left out."""
    if truncated:
        click.echo(f"note: the answer was cut at {row_limit} rows (--limit)", err=True)


def read_query(query: str | None, file: Path | None, what: str) -> str:
    """The query text from the argument or ``--file`` (exactly one of them)."""
    if (query is None) == (file is None):
        raise InputError(f"give the {what} query as an argument or with --file, not both and not neither")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{file}: not UTF-8 text (byte {exc.start})") from exc
    else:
        text = query or ""
    if not text.strip():
        raise InputError(f"the {what} query is empty")
    return text


@click.command()
@click.argument("query", required=False)
@query_file
@click.option(
    "--format", "fmt", type=click.Choice(SPARQL_FORMATS), default="table", show_default=True,
    help="SELECT/ASK: table, json (SPARQL 1.1 results JSON), xml, csv, tsv. CONSTRUCT/DESCRIBE: ttl, nt, jsonld.",
)  # fmt: skip
@query_limits
@click.option("--store", type=STORES, default=None, help="Build the RDF view from this store (default: PMKG_STORE).")
@build_option
@fail_cleanly
def sparql(
    query: str | None, file: Path | None, fmt: str, timeout: float, row_limit: int, store: str | None, build: str | None
) -> None:
    """Ask the graph a SPARQL 1.1 query (read-only) over its RDF view.

    The prefixes pmkg:, biolink:, rdf:, rdfs:, owl:, xsd:, skos: and prov: are declared for you;
    `pmkg schema` lists the classes and predicates. Example:

      pmkg sparql 'SELECT ?name WHERE { ?d a biolink:Disease ; rdfs:label ?name } LIMIT 5'
    """
    from queries.gateways.sparql import open_sparql
    from queries.gateways.sparql_formats import render_graph, render_results, table_cell

    text = read_query(query, file, "SPARQL")
    graph_store = open_store(store, build)
    try:
        pool = open_sparql(graph_store)
    finally:
        graph_store.close()
    try:
        results_format = fmt if fmt in ("json", "xml", "csv", "tsv") else None
        answer = pool.query(text, timeout=timeout, row_limit=row_limit, results_format=results_format)
    finally:
        pool.close()
    if answer.kind == "graph":
        graph_fmt = fmt if fmt in ("ttl", "nt", "jsonld") else "ttl"
        click.echo(render_graph(answer, graph_fmt), nl=False)
    elif fmt in ("json", "xml", "csv", "tsv"):
        click.echo(render_results(answer, fmt), nl=False)
    elif fmt in ("ttl", "nt", "jsonld"):
        raise InputError(f"--format {fmt} is for CONSTRUCT and DESCRIBE; a {answer.kind.upper()} answer is a table")
    elif answer.kind == "ask":
        click.echo("true" if answer.boolean else "false")
    else:
        print_table(answer.variables, [[table_cell(term) for term in row] for row in answer.rows])
    note_cut(answer.truncated, answer.row_limit)


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="ttl", show_default=True)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE (default: stdout).",
)
@click.option(
    "--label", "labels", default=None, help="Only nodes of these labels (comma-separated, e.g. Gene,Disease)."
)
@click.option("--relationship", "relationships", default=None, help="Only these relationship types (comma-separated).")
@click.option("--source", "sources", default=None, help="Only nodes from these sources (comma-separated, e.g. civic).")
@click.option("--store", type=STORES, default=None)
@fail_cleanly
def export(
    fmt: str, out: Path | None, labels: str | None, relationships: str | None, sources: str | None, store: str | None
) -> None:
    """Export the current build (or a part of it) as RDF or as a graph file for networkx, Gephi, Cytoscape.

    RDF: ttl, nt, nq (one named graph per build), jsonld, each with the vocabulary. Graph files:
    graphml, gexf, node-link-json (networkx). A relationship is kept when both its ends are.
    Every export carries the curation audit log (GEXF: in FILE.audit.json beside --out);
    `pmkg curate log --verify --export FILE` checks it.
    """
    from kg.curation import export as audit_export
    from kg.export import parse_labels, parse_relationships, to_networkx, write_networkx
    from kg.rdf.export import export_lines, write_rdf
    from queries.outputs import OutputFiles
    from queries.services.curation import audit_log

    chosen_labels, chosen_rels = parse_labels(labels), parse_relationships(relationships)
    chosen_sources = frozenset(s.strip() for s in sources.split(",") if s.strip()) if sources else None
    graph_store = open_store(store)
    try:
        manifest = graph_store.current_build()
        if manifest is None:
            raise InputError("no graph built yet: run `pmkg build` before exporting")
        log = audit_log(graph_store)
        entries, head = log.entries(), log.head()
        sidecar = None
        with OutputFiles() as outputs:
            target: IO[str] = outputs.open(out) if out is not None else sys.stdout
            if fmt in ("graphml", "gexf", "node-link-json"):
                graph = to_networkx(graph_store, chosen_labels, chosen_rels, chosen_sources)
                graph.graph.update(audit_export.graph_attributes(entries, head))  # GEXF drops them: sidecar
                write_networkx(graph, fmt, target)
                count = graph.number_of_nodes()
                what = f"{count:,} nodes and {graph.number_of_edges():,} relationships"
                if fmt == "gexf" and out is not None and (entries or head):
                    sidecar = audit_export.write_sidecar(out, entries, head)
            else:
                target.flush()
                lines = export_lines(graph_store, chosen_labels, chosen_rels, chosen_sources)
                audit = list(audit_export.audit_lines(entries, head))
                count = write_rdf(lines, fmt, cast(TextIO, target).buffer, manifest.build_id, audit)
                what = f"{count:,} triples"
    finally:
        graph_store.close()
    if out is not None:
        click.echo(f"wrote {what} of build {manifest.build_id} to {out}", err=True)
        if entries:
            where = f"in {sidecar}" if sidecar else "in it"
            click.echo(f"the curation audit log ({len(entries)} entries) is {where}", err=True)
    elif fmt == "gexf" and entries:
        click.echo("note: GEXF on stdout carries no audit log; give --out FILE for FILE.audit.json", err=True)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["md", "json", "ttl"]), default="md", show_default=True)
@fail_cleanly
def schema(fmt: str) -> None:
    """The graph's schema: labels, relationship types, allowed triples and their RDF IRIs."""
    from kg.schema_docs import render_schema

    click.echo(render_schema(fmt), nl=False)


def _cell(value: object) -> str:
    if isinstance(value, dict) and "properties" in value:
        return str(value.get("id") or value.get("type"))
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


@click.command()
@click.argument("query", required=False)
@query_file
@click.option(
    "--param", "params", multiple=True, metavar="NAME=VALUE", help="A $parameter (JSON value or text); repeatable."
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@query_limits
@click.option("--store", type=STORES, default=None, help="Default: PMKG_STORE; Cypher needs neo4j.")
@fail_cleanly
def cypher(
    query: str | None,
    file: Path | None,
    params: tuple[str, ...],
    fmt: str,
    timeout: float,
    row_limit: int,
    store: str | None,
) -> None:
    """Ask the graph a read-only Cypher query (Neo4j); $build is bound to the current build.

    Writes, schema changes and LOAD CSV are refused before anything runs. Example:

      pmkg cypher --store neo4j 'MATCH (g:Gene {build: $build, symbol: $s}) RETURN g.name' --param s=BRAF
    """
    from queries.gateways.cypher import parse_params, run_cypher

    text = read_query(query, file, "Cypher")
    bound = parse_params(params)
    graph_store = open_store(store)
    try:
        answer = run_cypher(graph_store, text, bound, timeout=timeout, row_limit=row_limit)
    finally:
        graph_store.close()
    if fmt == "json":
        rows = [dict(zip(answer.columns, row, strict=True)) for row in answer.rows]
        document = {"columns": answer.columns, "rows": rows, "truncated": answer.truncated}
        click.echo(json.dumps(document, ensure_ascii=False, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(answer.columns)
        writer.writerows([_cell(v) for v in row] for row in answer.rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        print_table(answer.columns, [[_cell(v) for v in row] for row in answer.rows])
    note_cut(answer.truncated, answer.row_limit)
