"""``pmkg curate``: the curators' commands (diff a candidate release, apply, review, roll back, audit).

This module only holds the click group; each subcommand lives in its own ``queries.cli.curate_*``
module and is added to :data:`curate` at the bottom of this file.  Registered in ``LAZY_COMMANDS``
of :mod:`queries.cli.main`.
"""

from __future__ import annotations

import click


@click.group("curate")
def curate() -> None:
    """Curators: diff a candidate release (terms, evidence, patient answers), apply, review, roll back.

    See what an ontology or source release changes before applying it, apply it or stage it for a
    second curator, roll it back, and read the audit log."""


# Subcommands register below the group (they import nothing from this module).
from queries.cli.curate_apply import apply, approve, log, rollback  # noqa: E402
from queries.cli.curate_diff import diff  # noqa: E402
from queries.cli.curate_edits import edit  # noqa: E402
from queries.cli.curate_evidence import evidence_diff  # noqa: E402
from queries.cli.curate_oncotree import oncotree_diff  # noqa: E402

curate.add_command(diff)
curate.add_command(apply)
curate.add_command(approve)
curate.add_command(rollback)
curate.add_command(log)
curate.add_command(oncotree_diff)
curate.add_command(evidence_diff)
curate.add_command(edit)
