"""``pmkg curate evidence-diff SOURCE --to BUILD``: what a new release of an evidence source changes, item by item.

A thin adapter over :func:`kg.evidence_diff.diff_evidence`: it opens the two kept builds (``--from``,
default the current one, and ``--to``, typically a build staged with ``pmkg build --add
SOURCE=PATH --stage``), renders the diff and changes nothing.
"""

from __future__ import annotations

import json

import click

from kg.evidence_diff import EvidenceDiff, diff_evidence
from queries.cli.support import console, fail_cleanly, literal, open_store, store_option


@click.command("evidence-diff")
@click.argument("source")
@click.option(
    "--to", "to_build", required=True, metavar="BUILD", help="The build with the new release (`pmkg builds`)."
)
@click.option(
    "--from", "from_build", default=None, metavar="BUILD", help="The build to compare with (default: current)."
)
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table")
@fail_cleanly
def evidence_diff(source: str, to_build: str, from_build: str | None, store: str | None, fmt: str) -> None:
    """Evidence items of SOURCE (civic, moalmanac, cgi, pharmcat …) added, removed and changed between two builds.

    \b
    Stage the new release first: `pmkg build --add civic=PATH --stage`, then
    `pmkg curate evidence-diff civic --to BUILD`.  Changed items list each field that changed: level,
    tier, evidence type, significance, direction, variant, disease, therapy (PGx: drug, phenotype,
    action, strength).  "Removed" means the new build lacks the item (withdrawn, or its row skipped).
    JSON: {"source", "old_build", "new_build", "old_version", "new_version", "new_skipped_rows", "counts",
           "changed_fields", "by_kind", "added": [...], "removed": [...], "changed": [{"id", "kind", "changes"}]}
    """
    old = open_store(store, build=from_build)
    try:
        new = open_store(store, build=to_build)
        try:
            diff = diff_evidence(old, new, source)
        finally:
            new.close()
    finally:
        old.close()
    if fmt == "json":
        click.echo(json.dumps(diff.as_json(), indent=2, ensure_ascii=False))
    elif fmt == "md":
        click.echo(markdown(diff))
    else:
        _table(diff)


def _title(diff: EvidenceDiff) -> str:
    return f"{diff.source} {diff.old_version} ({diff.old_build}) → {diff.new_version} ({diff.new_build})"


def markdown(diff: EvidenceDiff) -> str:
    """The diff as a Markdown report: counts, changed fields, then one line per item."""
    lines = [f"# {_title(diff)}", ""]
    lines += [f"- {what}: {count}" for what, count in diff.counts().items()]
    if diff.counts_by_field():
        lines += ["", "Changed fields: " + ", ".join(f"{f} {n}" for f, n in diff.counts_by_field().items())]
    if diff.new_skipped_rows:
        lines += ["", f"> the new build skipped {diff.new_skipped_rows} row(s) of {diff.source}"]
    lines += ["", "## Changed", *(f"- {c.describe()}" for c in diff.changed)]
    lines += ["", "## Added", *(f"- {i.summary()}" for i in diff.added)]
    lines += ["", "## Removed", *(f"- {i.summary()}" for i in diff.removed)]
    return "\n".join(lines)


def _table(diff: EvidenceDiff) -> None:
    from rich.table import Table

    table = Table("", "item", "what", title=literal(_title(diff)))
    for change in diff.changed:
        table.add_row("changed", literal(change.item.id), literal(change.describe().split(": ", 1)[-1]))
    for item in diff.added:
        table.add_row("added", literal(item.id), literal(item.summary().split(": ", 1)[-1]))
    for item in diff.removed:
        table.add_row("removed", literal(item.id), literal(item.summary().split(": ", 1)[-1]))
    out = console()
    out.print(table)
    out.print(literal(", ".join(f"{what} {count}" for what, count in diff.counts().items())))
    if diff.new_skipped_rows:
        out.print(literal(f"note: the new build skipped {diff.new_skipped_rows} row(s) of {diff.source}"))
