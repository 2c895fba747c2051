"""How ``pmkg curate diff`` prints a :class:`~queries.models.curation.CurationReport`: a table for people
(counts, then the first rows of each section), JSON for scripts, and the Markdown and HTML pages of
:mod:`queries.curation_render`.  Renders only; every value comes from the report.
"""

from __future__ import annotations

import json

import click

from queries.cli.support import console, literal
from queries.curation_render import headline, html_page, markdown, sections
from queries.models.curation import CurationReport

TABLE_ROWS = 25  # rows per section in the table view; json, md and html list every row


def render_report(report: CurationReport, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False))
    elif fmt == "md":
        click.echo(markdown(report))
    elif fmt == "html":
        click.echo(html_page(report))
    else:
        _table(report)


def _table(report: CurationReport) -> None:
    from rich.table import Table

    out = console()
    out.print(literal(headline(report)), style="bold")
    for title, counts, columns, rows in sections(report):
        summary = ", ".join(f"{kind} {n:,}" for kind, n in counts.items()) or "no change"
        table = Table(*columns, title=f"{title}: {summary}")
        for row in rows[:TABLE_ROWS]:
            table.add_row(*(literal(cell) for cell in row))
        out.print(table)
        if len(rows) > TABLE_ROWS:
            out.print(f"… and {len(rows) - TABLE_ROWS:,} more rows (--format json, md or html lists them all)")
    click.echo(f'apply it with: pmkg curate apply --source {report.source}=… --message "why"')
