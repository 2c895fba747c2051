"""``pmkg builds``, ``pmkg rollback``, ``pmkg promote`` and ``pmkg push``: the kept builds, which one
answers, and copying an embedded build into Neo4j.

A thin adapter over the store port's build operations (:meth:`~kg.stores.port.Store.list_builds`,
``rollback``, ``promote``) and :func:`kg.push.push_build`: it parses, calls and renders; it never
decides which builds are kept or how a build becomes current.  Registered in ``LAZY_COMMANDS`` of
:mod:`queries.cli.main`.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from kg.stores.port import BuildInfo, BuildManifest, Store
from queries.cli.support import STORES, console, fail_cleanly, literal, open_store

if TYPE_CHECKING:
    from kg.push import PushProgress


def _sources(info: BuildInfo) -> str:
    return ", ".join(f"{s.name} {s.version}" for s in info.manifest.sources)


def _nodes(info: BuildInfo) -> int:
    return sum(info.manifest.counts.values())


@click.command("builds")
@click.option("--store", type=STORES, default=None, help="Which store (default: PMKG_STORE or embedded).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@fail_cleanly
def builds(store: str | None, fmt: str) -> None:
    """The kept builds, newest first: id, when built, sources and versions, counts, which one is current.

    \b
    JSON: [{"build_id", "finished_at", "current", "sources": [{"name", "version", "license",
           "records"}], "counts": {label: nodes}}, ...]
    Roll back with `pmkg rollback [BUILD]`; ask as of a build with --build ID on match, annotate,
    pgx, status, search and ancestors.  PMKG_KEEP_BUILDS (default 3) builds are kept.
    """
    target = open_store(store)
    try:
        kept = target.list_builds()
    finally:
        target.close()
    if fmt == "json":
        click.echo(json.dumps([b.as_dict() for b in kept], indent=2))
        return
    if not kept:
        click.echo("no build yet: run `pmkg build`")
        return
    from rich.table import Table

    table = Table("", "build", "built (UTC)", "sources", "nodes", title="Kept builds, newest first")
    for info in kept:
        table.add_row(
            "current" if info.current else "",
            literal(info.build_id),
            literal(info.manifest.finished_at),
            literal(_sources(info)),
            f"{_nodes(info):,}",
        )
    console().print(table)


def _changed(before: BuildManifest | None, after: BuildManifest, seconds: float, fmt: str, verb: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({"current": after.as_dict(), "previous": before.build_id if before else None}, indent=2))
        return
    was = f" (was {before.build_id})" if before is not None and before.build_id != after.build_id else ""
    click.echo(f"{verb} build {after.build_id}, built {after.finished_at}: it answers now{was} [{seconds:.2f} s]")


@click.command("rollback")
@click.argument("build", required=False, metavar="[BUILD]")
@click.option("--store", type=STORES, default=None, help="Which store (default: PMKG_STORE or embedded).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@fail_cleanly
def rollback(build: str | None, store: str | None, fmt: str) -> None:
    """Make a kept build current again, at once (default: the one built before the current one).

    Nothing is rebuilt: the current-build pointer flips.  `pmkg builds` lists the kept builds;
    `pmkg rollback NEWER_ID` goes forward again.
    """
    target = open_store(store)
    try:
        before = target.current_build()
        started = time.perf_counter()
        after = target.rollback(build)
        seconds = time.perf_counter() - started
    finally:
        target.close()
    _changed(before, after, seconds, fmt, "rolled back to" if build is None else "now current:")


@click.command("promote")
@click.argument("build", metavar="BUILD")
@click.option("--store", type=STORES, default=None, help="Which store (default: PMKG_STORE or embedded).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@fail_cleanly
def promote(build: str, store: str | None, fmt: str) -> None:
    """Make a kept build (one made with `pmkg build --stage`) the one that answers."""
    target = open_store(store)
    try:
        before = target.current_build()
        started = time.perf_counter()
        after = target.promote(build)
        seconds = time.perf_counter() - started
    finally:
        target.close()
    _changed(before, after, seconds, fmt, "promoted")


@click.command("push")
@click.option("--build", "build", default=None, metavar="ID",
              help="Push this kept embedded build (an id from `pmkg builds`) instead of the current one.")  # fmt: skip
@click.option("--stage", is_flag=True, help="Keep the build in Neo4j without making it current (`pmkg promote "
              "ID --store neo4j` later).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@fail_cleanly
def push(build: str | None, stage: bool, fmt: str) -> None:
    """Copy the current embedded build (or --build ID) into Neo4j as a build there, for Cypher on it.

    \b
      pmkg build && pmkg push        then: pmkg cypher --store neo4j 'MATCH (g:Gene {build: $build}) …'

    The build keeps its id, manifest and sources in Neo4j (PMKG_NEO4J_URI), and becomes the one that
    answers there unless --stage keeps it aside.  Pushing a build Neo4j already keeps copies nothing and
    says so.  A push that fails leaves Neo4j's current build answering.

    \b
    JSON: {"build_id", "already_there", "current", "nodes", "relationships", "seconds"}
    """
    from kg.push import build_to_push, push_build

    source = open_store("embedded", build)
    try:
        build_to_push(source)  # before reaching for Neo4j: a missing build is the first thing to fix
        target = open_store("neo4j")
        try:
            started = time.perf_counter()
            with _push_progress(source, fmt) as progress:
                result = push_build(source, target, promote=not stage, progress=progress)
            seconds = time.perf_counter() - started
        finally:
            target.close()
    finally:
        source.close()
    build_id = result.manifest.build_id
    if fmt == "json":
        click.echo(json.dumps({"build_id": build_id, "already_there": result.already_there, "current": result.current,
                               "nodes": result.nodes, "relationships": result.relationships,
                               "seconds": round(seconds, 2)}, indent=2))  # fmt: skip
        return
    where = (
        "it answers there now" if result.current else f"staged: `pmkg promote {build_id} --store neo4j` makes it answer"
    )
    if result.already_there:
        click.echo(f"Neo4j already keeps build {build_id}; nothing copied ({where})")
    else:
        click.echo(f"pushed build {build_id} into Neo4j: {result.nodes:,} nodes, {result.relationships:,} "
                   f"relationships in {seconds:.1f} s; {where}")  # fmt: skip
    if result.current:
        click.echo("ask it in Cypher: pmkg cypher --store neo4j 'MATCH (g:Gene {build: $build}) RETURN count(g)'")


@contextlib.contextmanager
def _push_progress(source: Store, fmt: str) -> Iterator[PushProgress]:
    """A rich progress display on stderr: nodes against the build's count, relationships, then the write."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from kg.push import WRITING
    from kg.schema import Label

    manifest = source.current_build()
    labels = {str(label) for label in Label}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}"),
                  TimeElapsedColumn(), transient=fmt == "json", disable=not sys.stderr.isatty(),
                  console=Console(stderr=True)) as progress:  # fmt: skip
        nodes = progress.add_task("nodes", total=sum(manifest.counts.values()) if manifest is not None else None)
        edges = progress.add_task("relationships", total=None, visible=False)

        def advance(what: str, count: int) -> None:
            if what == WRITING:
                progress.update(edges, description="relationships; writing the build into Neo4j")
            elif what in labels:
                progress.advance(nodes, count)
            else:
                progress.update(edges, visible=True)
                progress.advance(edges, count)

        yield advance
