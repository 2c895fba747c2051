"""``pmkg sources`` lists every loader pmkg knows, and says when one cannot be loaded.

Before: a loader whose module failed to import was silently left out of the list, so a broken install
looked like a source pmkg did not have.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from loaders import registry
from queries.cli.main import cli


def test_a_loader_that_cannot_be_imported_is_listed_and_named_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry._LOADERS, "broken_source", "loaders.no_such_module:Loader")
    done = CliRunner().invoke(cli, ["sources"])
    assert done.exit_code == 0, done.output
    row = next(line for line in done.stdout.splitlines() if "broken_source" in line)
    assert "cannot be loaded: ModuleNotFoundError" in row
    assert "civic" in done.stdout  # the others are still listed
    assert "warning: 1 source loader(s) cannot be loaded: broken_source" in done.stderr


def test_every_known_loader_is_listed_when_all_load() -> None:
    done = CliRunner().invoke(cli, ["sources"])
    assert done.exit_code == 0, done.output
    assert "cannot be loaded" not in done.stdout
    for name in registry.source_names():
        assert name in done.stdout
