"""``pmkg --help`` and ``pmkg status`` import only what they need (issue 8, performance).

Before: ``import queries.cli`` pulled in matching, annotation, PGx calling, the input readers
and numpy, so even ``pmkg --help`` paid for all of them.  Asserted on the modules a real process
imports, not on time (the machine's load varies).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from queries.cli.main import LAZY_COMMANDS, cli

ROOT = Path(__file__).resolve().parents[2]
# What only the patient commands need: none of it may be imported to list the commands.
HEAVY = ("queries.matching", "queries.annotate", "queries.pgx", "queries.pgx_calling", "queries.inputs",
         "queries.cli.match", "queries.cli.annotate", "queries.cli.pgx", "queries.graph_view", "numpy", "rich",
         "kg.stores.embedded", "neo4j", "loaders")  # fmt: skip
# Commands a user of today's pmkg relies on; every registered command must be listed as well.
CORE_COMMANDS = ("ancestors", "annotate", "build", "cypher", "export", "fetch", "match", "pgx", "schema", "search",
                 "sources", "sparql", "status")  # fmt: skip

_PROBE = """
import json, sys
from queries.cli.main import cli
try:
    cli(sys.argv[1:], prog_name="pmkg", standalone_mode=False)
except SystemExit:
    pass
print("\\n" + json.dumps(sorted(sys.modules)))
"""


def _modules_after(args: list[str], tmp_path: Path) -> tuple[str, set[str]]:
    env = {**os.environ, "PMKG_HOME": str(tmp_path / "home"), "PMKG_STORE": "embedded"}
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    output, _, modules = done.stdout.rpartition("\n[")
    return output, set(json.loads("[" + modules))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_help_lists_every_command_with_its_short_help_in_a_real_process() -> None:
    done = subprocess.run([sys.executable, "-m", "queries.cli", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    commands = done.stdout.split("Commands:")[1]
    listed = [line.split()[0] for line in commands.strip().splitlines()]
    assert listed == sorted({*cli.commands, *LAZY_COMMANDS})
    assert set(CORE_COMMANDS) <= set(listed)
    assert "Therapies for a patient's variants" in commands
    assert "Annotate a cohort" in commands
    assert "A patient's star-allele diplotypes" in commands
    assert "Build the graph" in commands


def test_help_imports_no_patient_command_module_nor_numpy(tmp_path: Path) -> None:
    output, modules = _modules_after(["--help"], tmp_path)
    assert "match" in output
    assert "annotate" in output
    assert _heavy(modules) == []


def test_status_imports_no_matching_annotation_or_pgx(tmp_path: Path) -> None:
    output, modules = _modules_after(["status"], tmp_path)
    assert "no graph built yet" in output
    patient_side = [m for m in _heavy(modules) if m.startswith("queries.")]
    assert patient_side == []


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_listed_short_help_is_the_commands_own(name: str) -> None:
    """The help shown without importing a command says what its own docstring says."""
    ctx = click.Context(cli)
    command = cli.get_command(ctx, name)
    assert command is not None
    assert command.help is not None
    assert command.help.strip().splitlines()[0] == LAZY_COMMANDS[name][2]


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_a_lazy_command_still_answers_its_own_help(name: str, tmp_path: Path) -> None:
    output, modules = _modules_after([name, "--help"], tmp_path)
    assert f"Usage: pmkg {name}" in output
    assert LAZY_COMMANDS[name][0] in modules


def test_an_unknown_command_is_a_clear_error_not_a_traceback() -> None:
    done = subprocess.run([sys.executable, "-m", "queries.cli", "matchh"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 2
    assert "No such command 'matchh'" in done.stderr
    assert "Traceback" not in done.stderr
