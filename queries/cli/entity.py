"""``pmkg show KIND TEXT``: one gene, variant, disease, drug or evidence item, as ``GET /v1/{kind}s/{id}``
answers it (the entity service, :func:`queries.services.entity.entity`).

A thin adapter: it parses, calls the service and renders (a summary for people, ``--format json`` the
answer model).  Registered in ``LAZY_COMMANDS`` of :mod:`queries.cli.main`.
"""

from __future__ import annotations

import json

import click

from queries.cli.help import ShapedCommand
from queries.cli.support import STORES, build_option, console, fail_cleanly, literal, open_store

KINDS = ["gene", "variant", "disease", "drug", "evidence"]


@click.command("show", cls=ShapedCommand, answer="EntityAnswer", what="one object")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("text")
@click.option("--neighbours", type=click.IntRange(min=0), default=50, show_default=True,
              help="At most this many nodes listed per relationship (all are counted).")  # fmt: skip
@click.option("--store", type=STORES, default=None, help="Which store (default: PMKG_STORE or embedded).")
@build_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@fail_cleanly
def show(kind: str, text: str, neighbours: int, store: str | None, build: str | None, fmt: str) -> None:
    """One gene, variant, disease, drug or evidence item: evidence by level, neighbours, source links.

    \b
      pmkg show gene HER2               ERBB2: its variants and classes, evidence by level, HGNC/NCBI/CIViC links
      pmkg show disease LUAD            broader terms (as `pmkg ancestors`), narrower terms, evidence
      pmkg show evidence CIVIC.EID:1409 the CIViC page, PubMed, the trial

    TEXT is an id, a symbol, a name or a synonym, read as everywhere else.  The same answer as
    GET /v1/genes/{id} (…/variants, /diseases, /drugs, /evidence) on `pmkg serve`.
    """
    from kg.errors import NotFound
    from queries.models import EntityKind, EntityQuery
    from queries.services.entity import entity

    graph = open_store(store, build)
    try:
        answer = entity(graph, EntityQuery.of(text=text, kind=EntityKind(kind), neighbours=neighbours))
    except NotFound as exc:
        if exc.found_as is not None:
            raise NotFound(f"{exc}: `pmkg show {exc.found_as[1]} {exc.found_as[0]}`") from None
        raise NotFound(f"{exc}; try `pmkg search {text!r}` for names, synonyms and codes") from None
    finally:
        graph.close()
    if fmt == "json":
        click.echo(json.dumps(answer.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    out = console()
    out.print(literal(f"{answer.name} — {answer.label} {answer.id}"))
    if answer.synonyms:
        out.print(literal(f"also: {', '.join(answer.synonyms[:15])}"))
    levels = ", ".join(f"{level} {n}" for level, n in answer.evidence.by_level.items()) or "none"
    out.print(literal(f"evidence: {answer.evidence.total} ({levels})"))
    for link in answer.links:
        out.print(literal(f"  {link.title} {link.id}: {link.url}"))
    if answer.ancestors:
        out.print(literal("broader: " + "; ".join(f"{a.name} ({a.id})" for a in answer.ancestors)))
    if answer.children_count:
        more = f" … {answer.children_count - len(answer.children)} more" if answer.children_count > len(
            answer.children) else ""  # fmt: skip
        out.print(literal("narrower: " + "; ".join(f"{c.name} ({c.id})" for c in answer.children) + more))
    for group in answer.neighbours:
        arrow = "->" if group.direction == "out" else "<-"
        names = "; ".join(f"{n.name} ({n.id})" for n in group.nodes[:5])
        more = f" … {group.count - min(5, len(group.nodes))} more" if group.count > 5 else ""
        out.print(literal(f"{arrow} {group.relation} ({group.count}): {names}{more}"))
    out.print(literal(f"build {answer.build.id}"))
