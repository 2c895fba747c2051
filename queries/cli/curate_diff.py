"""``pmkg curate diff``: what a candidate release of one source would change, before applying it.

Parses ``NAME=PATH`` into the candidate (:func:`queries.services.curation.candidate_release`: the
current build's recipe with that source replaced), calls :func:`queries.services.curation.diff_release`
and renders the report (:mod:`queries.cli.curate_render`).  Decides nothing itself.
"""

from __future__ import annotations

from pathlib import Path

import click

from queries.cli.curate_sources import (
    candidate_from_option,
    curator_name,
    curator_option,
    oncotree_section,
    source_option,
)
from queries.cli.support import fail_cleanly, open_store, store_option

REPORT_FORMATS = click.Choice(["table", "json", "md", "html"])


@click.command("diff")
@source_option
@click.option("--panel", type=click.Path(path_type=Path), default=None,
              help="Saved patients to re-run too (JSON or TSV of variants + disease).")  # fmt: skip
@click.option("--no-impact", is_flag=True, help="Skip re-running patient queries (terms and graph effect only).")
@click.option("--allow-shrink", is_flag=True, help="Stage the candidate even if the source lost most of its records.")
@store_option
@curator_option
@click.option("--format", "fmt", type=REPORT_FORMATS, default="table")
@fail_cleanly
def diff(
    source: str,
    panel: Path | None,
    no_impact: bool,
    allow_shrink: bool,
    store: str | None,
    curator: str | None,
    fmt: str,
) -> None:
    """What a candidate release changes: terms, evidence naming them, patient answers.

    \b
      pmkg curate diff --source disease_ontology=DO-2026-09/
      pmkg curate diff --source civic=civic-2026-10/ --panel patients.tsv --format html > report.html

    The candidate is built with the normal loader (bad files are refused as `pmkg build` refuses them)
    together with the current build's other sources, and kept as a staged build: `pmkg curate apply`
    with the same files promotes it without rebuilding.  The current build keeps answering.  A new
    candidate replaces the previous unpromoted one (see `pmkg curate apply`).
    """
    from queries.cli.curate_render import render_report
    from queries.curation_impact import read_panel
    from queries.services.curation import audit_log, diff_release

    saved = None if no_impact else read_panel(panel) if panel is not None else []
    target = open_store(store)
    try:
        release = candidate_from_option(target, source, allow_shrink)
        report = diff_release(
            target, lambda build: open_store(store, build), release, panel=saved, log=audit_log(target),
            curator=curator_name(curator), oncotree=oncotree_section(target, release),
        )  # fmt: skip
    finally:
        target.close()
    render_report(report, fmt)
