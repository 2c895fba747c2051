"""The ``pmkg`` command line.

Configures logging (stderr, no patient data) and turns every :class:`~kg.errors.KGError`
into a one-line message and exit status 2, never a traceback.  Output formats: a table for
people, ``--format json`` (and ``tsv`` where rows fit) for scripts.

The patient commands (``match``, ``pgx``, ``annotate``) live in their own modules and are
imported only when run or asked for their help (:class:`LazyGroup`): ``pmkg --help``,
``pmkg status`` and ``pmkg build`` never import matching, PGx calling or the input readers.
This module must never import them at module level.
"""

from __future__ import annotations

import importlib
import itertools
import json
import logging
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from kg.schema import Label
from kg.stores.port import BuildManifest, Store
from queries.cli.help import ShapedCommand
from queries.cli.support import FORMATS, STORES, build_option, error_object, literal
from queries.cli.support import console as _console
from queries.cli.support import emit_rows as _emit_rows
from queries.cli.support import fail_cleanly as _fail_cleanly
from queries.cli.support import open_store as _open

# Commands in their own modules: name → (module, attribute, short help shown by ``pmkg --help``).
# The short help repeats the first line of the command's docstring (a test keeps them equal), so
# that listing the commands imports none of them.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "builds": (
        "queries.cli.builds",
        "builds",
        "The kept builds, newest first: id, when built, sources and versions, counts, which one is current.",
    ),
    "promote": (
        "queries.cli.builds",
        "promote",
        "Make a kept build (one made with `pmkg build --stage`) the one that answers.",
    ),
    "push": (
        "queries.cli.builds",
        "push",
        "Copy the current embedded build (or --build ID) into Neo4j as a build there, for Cypher on it.",
    ),
    "show": (
        "queries.cli.entity",
        "show",
        "One gene, variant, disease, drug or evidence item: evidence by level, neighbours, source links.",
    ),
    "rollback": (
        "queries.cli.builds",
        "rollback",
        "Make a kept build current again, at once (default: the one built before the current one).",
    ),
    "api-key": (
        "queries.cli.api_key",
        "api_key",
        "Keys for the HTTP API: create (shown once), list, revoke.",
    ),
    "annotate": (
        "queries.cli.annotate",
        "annotate",
        "Annotate a cohort: every alteration of FILE (and --cna, --fusions) per sample, then each sample.",
    ),
    "match": (
        "queries.cli.match",
        "match",
        "Therapies for a patient's variants (and diagnosis), ranked, with evidence and warnings.",
    ),
    "curate": (
        "queries.cli.curate",
        "curate",
        "Curators: diff a candidate release (terms, evidence, patient answers), apply, review, roll back.",
    ),
    "cypher": (
        "queries.cli.research",
        "cypher",
        "Ask the graph a read-only Cypher query (Neo4j); $build is bound to the current build.",
    ),
    "export": (
        "queries.cli.research",
        "export",
        "Export the current build (or a part of it) as RDF or as a graph file for networkx, Gephi, Cytoscape.",
    ),
    "schema": (
        "queries.cli.research",
        "schema",
        "The graph's schema: labels, relationship types, allowed triples and their RDF IRIs.",
    ),
    "sparql": (
        "queries.cli.research",
        "sparql",
        "Ask the graph a SPARQL 1.1 query (read-only) over its RDF view.",
    ),
    "pgx": (
        "queries.cli.pgx",
        "pgx",
        "A patient's star-allele diplotypes (or a VCF) → phenotypes, activity scores and CPIC recommendations.",
    ),
    "serve": (
        "queries.cli.serve",
        "serve",
        "Serve the HTTP API (/v1, /docs) and the clinicians' web page (/) with uvicorn.",
    ),
}


class PmkgGroup(click.Group):
    """The ``pmkg`` group: a usage error (unknown option, missing value) is one line and exit 2 like any
    other failure, with the JSON error object on stdout when ``--format json`` was asked for."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        given = list(sys.argv[1:] if args is None else args)
        try:
            outcome = super().main(given, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            message = exc.format_message()
            if _asks_for_json(given):
                click.echo(json.dumps(error_object(exc, message)))
            context = getattr(exc, "ctx", None)
            hint = f" (see `{context.command_path} --help`)" if context is not None else ""
            click.echo(f"error: {message}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("aborted: nothing was changed", err=True)
            sys.exit(1)
        sys.exit(outcome if isinstance(outcome, int) else 0)


def _asks_for_json(args: Sequence[str]) -> bool:
    return "--format=json" in args or any(a == "--format" and b == "json" for a, b in itertools.pairwise(args))


class LazyGroup(PmkgGroup):
    """A group whose commands in :data:`LAZY_COMMANDS` are imported on first use (click's LazyGroup)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attribute, _ = LAZY_COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}.{attribute} is not a click command")
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Every command with its short help; the lazy ones from their stated help, without importing them."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands:
                command = self.commands[name]
                if command.hidden:
                    continue
                rows.append((name, command.get_short_help_str(limit)))
            else:
                rows.append((name, click.Command(name, help=LAZY_COMMANDS[name][2]).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.version_option(package_name="pmkg")
def cli(verbose: int) -> None:
    """pmkg: a precision-medicine knowledge graph you can build offline and query.

    \b
    Start here:
      pmkg build                       build the starter graph (bundled, offline)
      pmkg status                      what the graph holds, from which sources
      pmkg search "lung adenocarcinoma"
      pmkg ancestors LUAD              a disease and every broader term above it
      pmkg match --variant "BRAF V600E" --disease melanoma
      pmkg pgx --diplotype "CYP2C19 *2/*2"
      pmkg annotate cohort.maf --clinical clinical.tsv
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(
        level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


# -- build ------------------------------------------------------------------------------------
def _parse_source(text: str, option: str) -> tuple[str, Path | None, str | None]:
    """``NAME``, ``NAME=PATH`` or ``NAME=PATH@VERSION`` (no path: the fetched files, else the bundled ones)."""
    name, sep, rest = text.partition("=")
    if not name.strip() or (sep and not rest.strip()):
        raise click.BadParameter(f"{text!r}: expected NAME, NAME=PATH or NAME=PATH@VERSION", param_hint=option)
    if not sep:
        return name.strip(), None, None
    path, _, version = rest.partition("@")
    return name.strip(), Path(path).expanduser(), version or None


def _print_manifest(manifest: BuildManifest, fmt: str, seconds: float | None = None) -> None:
    if fmt == "json":
        click.echo(json.dumps(manifest.as_dict(), indent=2))
        return
    from rich.table import Table

    console = _console()
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    console.print(literal(f"build {manifest.build_id} finished {manifest.finished_at}{took}"), style="bold")
    sources = Table("source", "version", "licence", "records", "skipped rows", title="Sources")
    for s in manifest.sources:
        sources.add_row(*(literal(c) for c in (s.name, s.version, s.license, f"{s.records:,}", f"{s.skipped_rows:,}")))
    console.print(sources)
    counts = Table("label", "nodes", title="Nodes per label")
    for label, count in sorted(manifest.counts.items(), key=lambda kv: -kv[1]):
        if count:
            counts.add_row(label, f"{count:,}")
    console.print(counts)
    _print_drug_identity(manifest.drug_identity)


def _print_drug_identity(report: Mapping[str, Any]) -> None:
    """How many drugs each source named and how they merged (kg.drug_identity's report)."""
    if not report.get("drug_records"):
        return
    from rich.table import Table

    table = Table("source", "drugs named", "merged with another record", "NCIt concept", "unmatched",
                  title="Drugs per source")  # fmt: skip
    for source, row in report.get("sources", {}).items():
        table.add_row(source, *(f"{row.get(k, 0):,}" for k in ("drugs", "merged", "to_ncit", "unmatched")))
    console = _console()
    console.print(table)
    rules = ", ".join(f"{rule} {count:,}" for rule, count in report.get("rules", {}).items())
    therapies = report.get("therapies", {})
    console.print(
        f"{report['drug_records']:,} drug records → {report['drugs']:,} drugs ({report['merged']:,} merged, "
        f"{report.get('named_by_several_sources', 0):,} named by several sources, {report.get('unmatched', 0):,} "
        f"unmatched, {report.get('conflicts', 0):,} conflicts refused); rules: {rules}; "
        f"{therapies.get('therapy_records', 0):,} therapy records → {therapies.get('therapies', 0):,} therapies"
    )


@cli.command()
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="NAME[=PATH[@VERSION]]",
    help="Build from only these sources instead of the starter (repeatable; no PATH: the files "
    "`pmkg fetch NAME` got, else the bundled ones).",
)
@click.option(
    "--add",
    "added",
    multiple=True,
    metavar="NAME[=PATH[@VERSION]]",
    help="Build the starter plus this source (repeatable; replaces the starter's own release of NAME).",
)
@click.option("--store", type=STORES, default=None, help="Where to build (default: PMKG_STORE or embedded).")
@click.option("--neo4j", "to_neo4j", is_flag=True, help="Shorthand for --store neo4j.")
@click.option("--skip-bad-rows", is_flag=True, help="Skip malformed rows and count them instead of stopping.")
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Promote the build even if a source lost more than PMKG_MAX_SHRINK (50%) of its records "
    "or skipped more than PMKG_MAX_SKIP_RATE (5%) of its rows.",
)
@click.option("--stage", is_flag=True, help="Keep the new build without making it current (`pmkg promote ID` later).")
@click.option(
    "--rdf-view/--no-rdf-view",
    default=True,
    show_default=True,
    help="Write the build's RDF view for SPARQL now (else on the first SPARQL query).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@_fail_cleanly
def build(
    sources: Sequence[str],
    added: Sequence[str],
    store: str | None,
    to_neo4j: bool,
    skip_bad_rows: bool,
    allow_shrink: bool,
    stage: bool,
    rdf_view: bool,
    fmt: str,
) -> None:
    """Build the graph: the bundled starter sources, plus any --add, or only the --source ones.

    \b
      pmkg build --add moalmanac=molecular-oncology-almanac.json --add cgi=cgi_biomarkers_per_variant.tsv
      pmkg fetch cgi && pmkg build --add cgi     the starter plus the fetched CGI files

    A failed or interrupted build changes nothing: the previous build keeps answering.  A build
    in which a source lost more than half its records, or skipped more than 5% of its rows as
    bad, is not promoted unless --allow-shrink says the loss is intended.  The new build is
    promoted (it answers from then on) unless --stage keeps it aside; the last PMKG_KEEP_BUILDS (3)
    builds are kept for `pmkg rollback` and --build.
    """
    from kg.builds import ShrinkLimits
    from kg.settings import get_settings
    from loaders.registry import loaders_for_build

    settings = get_settings()
    limits = ShrinkLimits.from_settings(allow_shrink)

    if sources and added:
        raise click.UsageError("--source builds only the sources it names and --add adds to the starter; use one")
    chosen = [_parse_source(s, "--source") for s in sources] or [_parse_source(s, "--add") for s in added]
    loaders = loaders_for_build(
        chosen, with_starter=not sources, cache_dir=settings.cache_dir, skip_bad_rows=skip_bad_rows
    )
    if not sources:  # a build on the starter carries this installation's local curation edits (pmkg curate edit)
        from loaders.local_curation import LocalCurationLoader

        local = LocalCurationLoader.from_home(settings.home)
        if local is not None:
            loaders.append(local)
    kind = "neo4j" if to_neo4j else store
    target = _open(kind)
    try:
        manifest, seconds = _run_build(target, loaders, limits, fmt, stage)
    finally:
        target.close()
    _keep_views(kind, manifest.build_id)
    _print_manifest(manifest, fmt, seconds)
    if fmt != "json":
        click.echo(
            f"build {manifest.build_id} is kept but not current: `pmkg promote {manifest.build_id}` makes it answer"
            if stage
            else f"build {manifest.build_id} promoted: it answers now (`pmkg rollback` returns to the one before)"
        )
    if rdf_view:
        _write_rdf_view(kind, manifest.build_id, fmt)


def _run_build(
    target: Store, loaders: Sequence[Any], limits: Any, fmt: str, stage: bool
) -> tuple[BuildManifest, float]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from kg.builds import run_build

    started = time.perf_counter()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} records"),
        TimeElapsedColumn(),
        transient=fmt == "json",
        disable=not sys.stderr.isatty(),
    ) as progress:
        tasks = {loader.spec.name: progress.add_task(loader.spec.name, total=None) for loader in loaders}
        manifest = run_build(
            target,
            loaders,
            progress=lambda name, n: progress.advance(tasks[name], n),
            limits=limits,
            promote=not stage,
        )
    return manifest, time.perf_counter() - started


def _keep_views(kind: str | None, build_id: str) -> None:
    """Keep what the first answer from the new build would otherwise read from every disease node
    (:mod:`queries.kept_names`); the build is complete either way, so a failure is only a warning."""
    from kg.errors import KGError
    from queries.kept_names import keep_for_build

    try:
        at_build = _open(kind, build_id)
        try:
            keep_for_build(at_build)
        finally:
            at_build.close()
    except KGError as exc:
        click.echo(f"warning: the disease names were not kept beside the build ({exc}); the first answer keeps them",
                   err=True)  # fmt: skip


def _write_rdf_view(kind: str | None, build_id: str, fmt: str) -> None:
    """Write the RDF view of the new build (SPARQL's copy of it, :mod:`kg.stores.rdf`) so its first query is fast.

    The build is already complete: a view that cannot be written is a warning, and the first
    SPARQL query tries again.
    """
    from kg.errors import KGError
    from kg.settings import get_settings
    from kg.stores.rdf import ensure_view

    started = time.perf_counter()
    try:
        at_build = _open(kind, build_id)
        try:
            ensure_view(at_build, get_settings().rdf_dir)
        finally:
            at_build.close()
    except (KGError, OSError) as exc:
        click.echo(f"warning: the RDF view was not written ({exc}); the first SPARQL query writes it", err=True)
        return
    if fmt != "json":
        click.echo(f"RDF view for SPARQL written in {time.perf_counter() - started:.1f} s")


@cli.command(cls=ShapedCommand, answer="StatusAnswer", what="the current build (null before the first)")
@click.option("--store", type=STORES, default=None)
@build_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@_fail_cleanly
def status(store: str | None, build: str | None, fmt: str) -> None:
    """The current build (or the one --build names): its sources, versions, licences and counts."""
    from queries.services.status import status as current_status

    target = _open(store, build)
    try:
        answer = current_status(target)
        manifest = target.current_build()
    finally:
        target.close()
    if answer is None or manifest is None:
        if fmt == "json":
            click.echo(json.dumps(None))
        else:
            click.echo("no graph built yet: run `pmkg build`")
        return
    if fmt == "json":
        click.echo(json.dumps(answer.model_dump(mode="json"), indent=2))
        return
    _print_manifest(manifest, fmt)


@cli.command()
@_fail_cleanly
def sources() -> None:
    """Every source pmkg can load, its licence, and whether it ships in the starter graph."""
    from rich.table import Table

    from loaders.registry import loader_class, source_names

    table = Table("name", "title", "licence", "bundled", "homepage")
    broken = []
    for name in source_names():
        try:
            spec = loader_class(name).spec
        except (ImportError, AttributeError) as exc:  # a loader that cannot be imported is listed, never hidden
            broken.append(name)
            table.add_row(name, literal(f"cannot be loaded: {type(exc).__name__}: {exc}"), "", "no", "")
            continue
        table.add_row(name, spec.title, spec.license, "yes" if spec.redistributable else "fetch", spec.homepage)
    _console().print(table)
    if broken:
        click.echo(f"warning: {len(broken)} source loader(s) cannot be loaded: {', '.join(broken)} "
                   "(reinstall pmkg, or rerun with -vv)", err=True)  # fmt: skip


@cli.command()
@click.argument("name")
@click.option("--yes", is_flag=True, help="Accept the source's licence without asking.")
@_fail_cleanly
def fetch(name: str, yes: bool) -> None:
    """Download the current release of source NAME into PMKG_HOME/cache."""
    from kg.settings import get_settings
    from loaders.fetch import fetch_source
    from loaders.registry import loader_class

    spec = loader_class(name).spec
    click.echo(f"{spec.title}: licence {spec.license} ({spec.license_url})", err=True)
    if not spec.redistributable and not yes:
        click.confirm("This licence restricts use and redistribution. Fetch for your own use?", abort=True, err=True)
    folder = fetch_source(spec, get_settings().cache_dir)
    click.echo(f"fetched into {folder}; build the starter plus it with: pmkg build --add {name}")


# -- reading ----------------------------------------------------------------------------------
@cli.command(cls=ShapedCommand, answer="SearchHit", what="a list of the nodes found")
@click.argument("text")
@click.option("--label", type=click.Choice([str(label) for label in Label]), default=None, help="Only this label.")
@click.option("--limit", type=click.IntRange(min=1), default=25, show_default=True, help="Most disease matches.")
@click.option("--store", type=STORES, default=None)
@build_option
@click.option("--format", "fmt", type=FORMATS, default="table")
@_fail_cleanly
def search(text: str, label: str | None, limit: int, store: str | None, build: str | None, fmt: str) -> None:
    """Nodes whose id, name or a synonym is TEXT (any case); diseases also by abbreviation and partial name.

    Exact matches come first; then diseases whose words begin with the words typed
    ("adenocarc lung", "breast carc").
    """
    from queries.models import SearchQuery
    from queries.services.search import search as find_nodes

    query = SearchQuery.of(text=text, label=Label(label) if label else None, limit=limit)
    target = _open(store, build)
    try:
        answer = find_nodes(target, query)
    finally:
        target.close()
    _emit_rows([hit.model_dump(mode="json") for hit in answer.hits], fmt, f"matches for {text!r}")
    if not answer.hits:
        # An empty answer is still an answer (exit 0, `[]` in JSON); the note is for people.
        click.echo(f"nothing is called {text!r}", err=True)


@cli.command(cls=ShapedCommand, answer="AncestorRow", what="a list of the broader terms")
@click.argument("text")
@click.option("--store", type=STORES, default=None)
@build_option
@click.option("--format", "fmt", type=FORMATS, default="table")
@_fail_cleanly
def ancestors(text: str, store: str | None, build: str | None, fmt: str) -> None:
    """A disease (name, synonym, abbreviation, DOID, OncoTree code…) and every broader disease, nearest first.

    Resolves TEXT as `match --disease` does; an OncoTree type that reaches the Disease Ontology
    only through an ancestor, or not at all, is named on stderr.
    """
    from queries.services.search import ancestors as broader_terms

    target = _open(store, build)
    try:
        answer = broader_terms(target, text)
    finally:
        target.close()
    for note in answer.notes:
        click.echo(note, err=True)
    rows = [row.model_dump(mode="json") for row in answer.ancestors]
    _emit_rows(rows, fmt, f"{answer.disease.name} ({answer.disease.id}) and what it is a kind of")


def main() -> None:
    cli(prog_name="pmkg")


if __name__ == "__main__":
    main()
