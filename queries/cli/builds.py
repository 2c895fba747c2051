"""``pmkg builds``, ``pmkg rollback`` and ``pmkg promote``: the kept builds, and which one answers.

A thin adapter over the store port's build operations (:meth:`~kg.stores.port.Store.list_builds`,
``rollback``, ``promote``): it parses, calls the store and renders; it never decides which builds
are kept or how a build becomes current.  Registered in ``LAZY_COMMANDS`` of :mod:`queries.cli.main`.
"""

from __future__ import annotations

import json
import time

import click

from kg.stores.port import BuildInfo, BuildManifest
from queries.cli.support import STORES, console, fail_cleanly, literal, open_store


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
