"""``pmkg curate apply``, ``approve``, ``rollback`` and ``log``: change which build answers, with an audit entry.

Thin adapters over :mod:`queries.services.curation` (apply_release, approve, rollback, read_log): they parse,
call one service function and print the step (or the log).  Decides nothing itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from queries.cli.curate_sources import candidate_from_option, curator_name, curator_option, source_option
from queries.cli.support import console, fail_cleanly, literal, open_store, store_option
from queries.models.curation import AuditLogAnswer, CurationStep

message_option = click.option("--message", "-m", required=True, help="Why (recorded in the audit log).")
format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")


def _print_step(step: CurationStep, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(step.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    out = console()
    if step.staged_build:
        out.print(literal(f"build {step.staged_build} staged for approval; build {step.current_build} keeps answering"))
        out.print(literal(f'a second curator approves it with: pmkg curate approve {step.staged_build} -m "why"'))
    else:
        out.print(literal(f"{step.action}: build {step.current_build} answers now (was {step.previous_build})"))
    if step.superseded:
        out.print(literal(f"discarded the earlier unpromoted candidate(s): {', '.join(step.superseded)}"))
    out.print(literal(f"audit entry {step.entry.seq} by {step.entry.curator} at {step.entry.at}"))


@click.command("apply")
@source_option
@message_option
@click.option("--tracker", default="", metavar="URL", help="The ticket or issue this change answers.")
@click.option("--stage", is_flag=True, help="Build it but let a second curator approve it (`pmkg curate approve`).")
@click.option("--allow-shrink", is_flag=True, help="Accept a release that lost most of the source's records.")
@store_option
@curator_option
@format_option
@fail_cleanly
def apply(
    source: str, message: str, tracker: str, stage: bool, allow_shrink: bool, store: str | None, curator: str | None,
    fmt: str,
) -> None:  # fmt: skip
    """Apply a release: build it with the current build's other sources, record it, make it answer.

    \b
      pmkg curate apply --source disease_ontology=DO-2026-07-31/ -m "DO July release" --tracker https://…
      pmkg curate apply --source civic=civic-2026-10/ -m "CIViC October" --stage    # a second curator approves

    A candidate `pmkg curate diff` staged from the same files is promoted without rebuilding.  With
    PMKG_CURATION_REQUIRE_APPROVAL set, apply always stages, and another curator must approve.
    """
    from queries.services.curation import apply_release, audit_log

    who = curator_name(curator)
    target = open_store(store)
    try:
        release = candidate_from_option(target, source, allow_shrink)
        step = apply_release(target, lambda build: open_store(store, build), release, curator=who, message=message,
                             tracker=tracker, stage=stage, log=audit_log(target))  # fmt: skip
    finally:
        target.close()
    _print_step(step, fmt)


@click.command("approve")
@click.argument("build")
@message_option
@store_option
@curator_option
@format_option
@fail_cleanly
def approve(build: str, message: str, store: str | None, curator: str | None, fmt: str) -> None:
    """Approve a staged candidate (`pmkg curate apply --stage`) and make it answer."""
    from queries.services.curation import approve as approve_build

    target = open_store(store)
    try:
        step = approve_build(target, build, curator=curator_name(curator), message=message)
    finally:
        target.close()
    _print_step(step, fmt)


@click.command("rollback")
@click.argument("build", required=False)
@message_option
@store_option
@curator_option
@format_option
@fail_cleanly
def rollback(build: str | None, message: str, store: str | None, curator: str | None, fmt: str) -> None:
    """Make an earlier build answer again, at once (default: the one the last curation change replaced)."""
    from queries.services.curation import rollback as rollback_build

    target = open_store(store)
    try:
        step = rollback_build(target, build, curator=curator_name(curator), message=message)
    finally:
        target.close()
    _print_step(step, fmt)


@click.command("log")
@click.option("--verify", "check", is_flag=True, help="Check the hash chain: exit 1 if an entry was edited or removed.")
@click.option("--export", "exported", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Read the log a `pmkg export` FILE carries instead of the store's.")  # fmt: skip
@store_option
@format_option
@fail_cleanly
def log(check: bool, exported: Path | None, store: str | None, fmt: str) -> None:
    """The curation audit log, oldest first: who, when, why, which builds; --verify checks it is intact.

    \b
      pmkg curate log --verify
      pmkg curate log --verify --export graph.ttl     # the log an export carries
    """
    from queries.services.curation import read_exported_log, read_log

    if exported is not None:
        answer = read_exported_log(exported, check=check)
    else:
        target = open_store(store)
        try:
            answer = read_log(target, check=check)
        finally:
            target.close()
    _print_log(answer, fmt)
    if check and not answer.verified:
        raise SystemExit(1)


def _print_log(answer: AuditLogAnswer, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(answer.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table("#", "when", "curator", "action", "source", "before → after", "why", "tracker", title="Curation log")
    for e in answer.entries:
        action = e.action
        if e.state == "pending":
            action = f"{e.action} ({e.outcome or 'pending'})"
        elif e.action == "complete":
            action = f"complete #{e.completes}: {e.state}"
        table.add_row(*(literal(c) for c in (str(e.seq), e.at, e.curator, action, e.source,
                                             f"{e.before_build} → {e.after_build}", e.message, e.tracker)))  # fmt: skip
    out = console()
    out.print(table)
    if answer.verified is True:
        out.print(f"verified: {len(answer.entries)} entries, hash chain intact")
    for problem in answer.problems:
        click.echo(f"error: {problem}", err=True)
