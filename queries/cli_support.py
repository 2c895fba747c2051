"""What every ``pmkg`` command shares: clean failures, output formats, opening the store.

Kept apart from :mod:`queries.cli` so that command modules (``match``, ``pgx``,
``annotate``) can use it while ``queries.cli`` imports them.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from kg.errors import KGError
from kg.store import Store

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = click.Choice(["table", "json", "tsv"])
STORES = click.Choice(["embedded", "neo4j"])


def console() -> Any:
    from rich.console import Console

    # Piped output keeps whole values: no wrapping at 80 columns.
    return Console() if sys.stdout.isatty() else Console(width=200)


def fail_cleanly(command: F) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was changed", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def open_store(store: str | None) -> Store:
    from kg.stores import open_store

    return open_store(store)


def emit_rows(rows: list[dict[str, Any]], fmt: str, title: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    columns = list(rows[0]) if rows else ["id", "label", "name"]
    if fmt == "tsv":
        click.echo("\t".join(columns))
        for row in rows:
            click.echo("\t".join("|".join(v) if isinstance(v, list) else str(v) for v in row.values()))
        return
    from rich.table import Table

    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*("; ".join(v[:4]) if isinstance(v, list) else str(v) for v in row.values()))
    console().print(table)
