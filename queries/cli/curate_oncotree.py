"""``pmkg curate oncotree-diff OLD NEW``: what a new OncoTree release changes, code by code.

A thin adapter over :func:`loaders.oncotree_release.diff_oncotree_releases`: it reads the two release
files, renders the diff (table, JSON or Markdown) and never changes a build.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.oncotree_diff import OncoTreeDiff
from loaders.oncotree_release import diff_oncotree_releases
from queries.cli.support import console, fail_cleanly, literal

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("oncotree-diff")
@click.argument("old", type=_FILE)
@click.argument("new", type=_FILE)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table")
@fail_cleanly
def oncotree_diff(old: Path, new: Path, fmt: str) -> None:
    """What OncoTree release NEW changes against OLD: codes added, retired, renamed, re-parented.

    \b
    Each retired code says where its cases go, as OncoTree's own mapping tool would: unambiguous,
    more granular (new subtypes below the choice), ambiguous (several choices: a curator picks),
    or none (its nearest mapped neighbours are listed).  Releases may be tree JSON, the API's flat
    JSON, or a TSV with code and name columns.
    JSON: {"old_version", "new_version", "counts", "mapping_outcomes", "not_compared",
           "changes": [{"kind", "code", "name", "before", "after", "mapping"}]}
    """
    diff = diff_oncotree_releases(old, new)
    if fmt == "json":
        click.echo(json.dumps(diff.as_json(), indent=2, ensure_ascii=False))
    elif fmt == "md":
        click.echo(markdown(diff))
    else:
        _table(diff)


def markdown(diff: OncoTreeDiff) -> str:
    """The diff as a Markdown report (counts, then one line per change)."""
    lines = [f"# OncoTree {diff.old_version} → {diff.new_version}", ""]
    lines += [f"- {kind}: {count}" for kind, count in diff.counts().items()]
    lines += ["", "Retired codes by mapping outcome: " + ", ".join(f"{o} {n}" for o, n in diff.outcomes().items())]
    lines += [f"> {note}" for note in diff.not_compared]
    lines += ["", *(f"- {change.describe()}" for change in diff.changes)]
    return "\n".join(lines)


def _table(diff: OncoTreeDiff) -> None:
    from rich.table import Table

    counts = ", ".join(f"{kind} {count}" for kind, count in diff.counts().items())
    table = Table("kind", "code", "name", "change", title=literal(f"OncoTree {diff.old_version} → {diff.new_version}"))
    for change in diff.changes:
        what = change.describe().split(": ", 1)[-1]
        table.add_row(literal(change.kind), literal(change.code), literal(change.name), literal(what))
    out = console()
    out.print(table)
    out.print(literal(counts))
    for note in diff.not_compared:
        out.print(literal(f"note: {note}"))
