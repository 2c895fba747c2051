"""``pmkg curate edit …``: a curator's local edits (synonyms, disease mappings, deprecations), kept in a
versioned overlay under PMKG_HOME and applied by the next ``pmkg build`` as the source ``local_curation``.

A thin adapter over :mod:`loaders.local_curation`: it checks each edit against the current build (the
term must exist; a mapping's target must be a Disease Ontology term), writes the overlay, and says how
to see and apply the change (stage a build, diff it, promote it).  It never changes a build itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from kg.errors import InputError
from kg.settings import get_settings
from loaders.local_curation import CurationEdit, CurationEdits, checked_edit, edits_path
from queries.cli.support import STORES, F, console, fail_cleanly, literal, open_store

_NEXT = "applied by the next `pmkg build` (stage it with --stage, compare it, then `pmkg promote`)"


def _overlay_path() -> Path:
    """The overlay file under PMKG_HOME."""
    return edits_path(get_settings().home)


def _curator(name: str | None) -> str:
    curator = (name or os.environ.get("PMKG_CURATOR", "")).strip()
    if not curator:
        raise InputError("--curator: say who makes this edit (or set PMKG_CURATOR)")
    return curator


def _edit(store: str | None, kind: str, term: str, value: str, curator: str | None, reason: str) -> None:
    target = open_store(store)
    try:
        edit = checked_edit(target, kind, term, value, _curator(curator), reason)
    finally:
        target.close()
    path = _overlay_path()
    edits = CurationEdits.read(path).add(edit)
    _save(edits, f"edit {edits.edits[-1].id}: {kind} {edit.term} ({edit.name}) → {edit.value}")


def _save(edits: CurationEdits, message: str) -> None:
    path = _overlay_path()
    edits.write(path)
    click.echo(f"{message}; overlay revision {edits.revision} ({path}), {_NEXT}")


def ids_store_option(command: F) -> F:
    """``--store``: the store whose current build an edit's ids are checked in."""
    return click.option("--store", type=STORES, default=None, help="Which store to check ids in.")(command)


def edit_options(command: F) -> F:
    """``--curator``, ``--reason`` and ``--store``, the options of every command that adds an edit."""
    command = ids_store_option(command)
    command = click.option("--reason", default="", help="Why (kept with the edit and in the build's provenance).")(
        command
    )
    return click.option("--curator", default=None, help="Who makes the edit (default: PMKG_CURATOR).")(command)


@click.group("edit")
def edit() -> None:
    """Local edits: add a synonym, map a disease to a DO term, deprecate a term; list, remove, export, import."""


@edit.command("synonym")
@click.argument("term")
@click.argument("text")
@edit_options
@fail_cleanly
def add_synonym(term: str, text: str, curator: str | None, reason: str, store: str | None) -> None:
    """TERM (any node id) is also called TEXT."""
    _edit(store, "synonym", term, text, curator, reason)


@edit.command("map")
@click.argument("term")
@click.argument("doid")
@edit_options
@fail_cleanly
def add_mapping(term: str, doid: str, curator: str | None, reason: str, store: str | None) -> None:
    """Disease TERM (OncoTree, MONDO, NCIt) is the Disease Ontology term DOID; replaces TERM's other mappings."""
    _edit(store, "mapping", term, doid, curator, reason)


@edit.command("deprecate")
@click.argument("term")
@click.option("--replaced-by", "replacement", required=True, metavar="ID", help="The term to read TERM as.")
@edit_options
@fail_cleanly
def deprecate(term: str, replacement: str, curator: str | None, reason: str, store: str | None) -> None:
    """TERM is deprecated here: queries read it as --replaced-by, with a warning."""
    _edit(store, "deprecate", term, replacement, curator, reason)


@edit.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@fail_cleanly
def list_edits(fmt: str) -> None:
    """The overlay's edits, oldest first, with its revision."""
    edits = CurationEdits.read(_overlay_path())
    if fmt == "json":
        rows = [{k: getattr(e, k) for k in CurationEdit.__dataclass_fields__} for e in edits.edits]
        click.echo(json.dumps({"revision": edits.revision, "edits": rows}, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table("id", "kind", "term", "value", "curator", "added", "reason",
                  title=literal(f"Local curation edits, revision {edits.revision}"))  # fmt: skip
    for e in edits.edits:
        table.add_row(str(e.id), e.kind, literal(f"{e.term} ({e.name})"), literal(e.value), literal(e.curator),
                      e.added, literal(e.reason))  # fmt: skip
    console().print(table)


@edit.command("remove")
@click.argument("edit_id", type=int, metavar="ID")
@fail_cleanly
def remove(edit_id: int) -> None:
    """Remove edit ID (the overlay keeps a new revision; the next build drops it)."""
    path = _overlay_path()
    _save(CurationEdits.read(path).remove(edit_id), f"edit {edit_id} removed")


@edit.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@fail_cleanly
def export(file: Path) -> None:
    """Write the overlay to FILE (to review it, keep it in version control, or import it elsewhere)."""
    edits = CurationEdits.read(_overlay_path())
    edits.write(file)
    click.echo(f"{len(edits.edits)} edit(s), revision {edits.revision}, written to {file}")


@edit.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ids_store_option
@fail_cleanly
def import_(file: Path, store: str | None) -> None:
    """Replace the overlay's edits by FILE's (an exported overlay), after checking every id in the current build."""
    incoming = CurationEdits.read(file)
    target = open_store(store)
    try:
        for item in incoming.edits:
            try:
                checked_edit(target, item.kind, item.term, item.value, item.curator)
            except InputError as exc:
                raise InputError(f"{file} edit {item.id}: {exc}") from None
    finally:
        target.close()
    path = _overlay_path()
    _save(CurationEdits.read(path).replaced_by(incoming), f"{len(incoming.edits)} edit(s) imported from {file}")
