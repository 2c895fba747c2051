"""What every ``pmkg`` command shares: clean failures, output formats, opening the store.

Kept apart from :mod:`queries.cli.main` so that command modules (``match``, ``pgx``,
``annotate``) can use it while ``queries.cli`` imports them.

Every command is wrapped in :func:`fail_cleanly`: whatever goes wrong becomes one line on
stderr and exit status 2 (130 when interrupted), and, when ``--format json`` was asked for,
an error object ``{"error": {"type", "message", ...}}`` on stdout, so a script always reads
valid JSON.  User text is rendered literally (never as rich markup) and never logged.
"""

from __future__ import annotations

import errno
import functools
import json
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from kg.errors import InputError, KGError, SourceFileError
from kg.stores.port import Store

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = click.Choice(["table", "json", "tsv"])
STORES = click.Choice(["embedded", "neo4j"])
# Exit status of a run that failed on purpose (bad input, unreadable file, store problem) and of a bug.
EXIT_ERROR = 2
EXIT_BUG = 3


def console() -> Any:
    from rich.console import Console

    # Piped output keeps whole values: no wrapping at 80 columns.
    return Console() if sys.stdout.isatty() else Console(width=200)


def literal(value: object) -> Any:
    """``value`` as rich text shown as written: ``[/]`` in a user's input is text, not markup."""
    from rich.text import Text

    return Text("" if value is None else str(value))


def os_error_message(exc: OSError) -> str:
    """One line for an operating-system error: the file, and what went wrong in words."""
    where = exc.filename if exc.filename is not None else ""
    what = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        what = f"{what} (the disk is full or the file is too large)"
    return f"{where}: {what}" if where else what


def error_object(exc: BaseException, message: str) -> dict[str, Any]:
    """The ``{"error": …}`` object printed on stdout when ``--format json`` was asked for."""
    error: dict[str, Any] = {"type": type(exc).__name__, "message": message}
    if isinstance(exc, SourceFileError):
        error.update({"path": exc.path, "line": exc.line, "field": exc.field})
    elif isinstance(exc, OSError) and exc.filename is not None:
        error["path"] = str(exc.filename)
    return {"error": error}


def _fail(exc: BaseException, message: str, wants_json: bool, status: int = EXIT_ERROR) -> None:
    # Notes added on the way up (rows read before a failure, outputs left untouched) complete the line.
    message = "; ".join([message, *getattr(exc, "__notes__", ())])
    if wants_json:
        click.echo(json.dumps(error_object(exc, message), ensure_ascii=True))
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


def check_utf8_arguments(values: dict[str, Any]) -> None:
    """Refuse text arguments that are not valid UTF-8 (the shell passed raw bytes): InputError naming the option."""
    for name, value in values.items():
        texts: Iterable[Any] = value if isinstance(value, list | tuple) else [value]
        for text in texts:
            if not isinstance(text, str):
                continue
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                bad = text[exc.start].encode("utf-8", "surrogateescape")
                raise InputError(
                    f"{_option_name(name)}: is not valid UTF-8 text (byte 0x{bad.hex()} at character {exc.start + 1})"
                ) from None


def _option_name(param: str) -> str:
    context = click.get_current_context(silent=True)
    if context is not None:
        for option in context.command.params:
            if option.name == param:
                return option.opts[0] if isinstance(option, click.Option) else option.human_readable_name
    return f"--{param.replace('_', '-')}"


def require_text(value: str | None, option: str) -> str | None:
    """``value`` stripped, None if not given; InputError if given but empty or only whitespace."""
    if value is None:
        return None
    if not value.strip():
        raise InputError(f"{option}: is empty; give a name, synonym or code, or leave the option out")
    return value.strip()


def fail_cleanly(command: F) -> F:
    """Run a command so that nothing escapes as a traceback (see the module docstring)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wants_json = kwargs.get("fmt") == "json"
        try:
            check_utf8_arguments(kwargs)
            return command(*args, **kwargs)
        except KGError as exc:
            _fail(exc, str(exc), wants_json)
        except click.ClickException as exc:
            if not wants_json:
                raise
            _fail(exc, exc.format_message(), wants_json, exc.exit_code)
        except OSError as exc:
            _fail(exc, os_error_message(exc), wants_json)
        except KeyboardInterrupt as exc:
            _fail(exc, "interrupted: nothing was changed and no partial output was left", wants_json, 130)
        except (click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as exc:  # the last net: a bug still gets one line, not a traceback
            logger.debug("internal error", exc_info=True)
            message = f"internal error ({type(exc).__name__}); this is a bug in pmkg: rerun with -vv for details"
            _fail(exc, message, wants_json, EXIT_BUG)

    return wrapper  # type: ignore[return-value]


def open_store(store: str | None, build: str | None = None) -> Store:
    """The store a command names (``--store``), at its current build or, with ``--build``, as of a kept build."""
    from kg.stores import open_store

    return open_store(store, build=build)


def store_option(command: F) -> F:
    """``--store``: which store a command reads or changes (default: PMKG_STORE, else the embedded one)."""
    return click.option("--store", type=STORES, default=None, help="Which store (default: PMKG_STORE or embedded).")(
        command
    )


def build_option(command: F) -> F:
    """``--build ID``: answer as of a kept build (``pmkg builds``) instead of the current one."""
    return click.option(
        "--build",
        "build",
        default=None,
        metavar="ID",
        help="Answer as of this kept build (an id from `pmkg builds`) instead of the current one.",
    )(command)


def emit_rows(rows: list[dict[str, Any]], fmt: str, title: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    columns = list(rows[0]) if rows else ["id", "label", "name"]
    if fmt == "tsv":
        click.echo("\t".join(columns))
        for row in rows:
            click.echo("\t".join(tsv_cell("|".join(v) if isinstance(v, list) else str(v)) for v in row.values()))
        return
    from rich.table import Table

    table = Table(*columns, title=literal(title))
    for row in rows:
        table.add_row(*(literal("; ".join(v[:4]) if isinstance(v, list) else v) for v in row.values()))
    console().print(table)


def indented_json(data: Any) -> str:
    """``data`` as ``json.dumps(data, indent=2, ensure_ascii=False)`` writes it, but written by orjson: ~1.4 ms
    instead of ~10 ms for the match answer of MOAlmanac's example patient (issue 8: a whole process < 0.5 s).

    The same text for strings (non-ASCII as is, control characters escaped alike), ints, booleans, null, lists
    and dicts with text keys; not for floats under 1e-4 or from 1e16 (orjson writes 1e-05 as 0.00001), so only
    for answers that hold none (a match answer: tests/queries/test_golden_outputs.py pins its bytes).
    """
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


def tsv_cell(cell: str) -> str:
    """A TSV cell on one line: tabs and line breaks become spaces."""
    return " ".join(cell.replace("\t", " ").split())
