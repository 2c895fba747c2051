"""The adversarial suite's runner: the ``pmkg`` command in-process (click's runner) against the
starter graph built once per session, with the checks every generated input must pass."""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from kg.settings import get_settings
from queries.cli.main import cli

# At least 200 generated inputs per command in CI; derandomized so a failure reproduces, without a
# per-example deadline (the machine is shared) but bounded by the example count.
settings.register_profile(
    "adversarial",
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


@dataclass
class Pmkg:
    """Runs ``pmkg ARGS`` in-process and checks what every run must satisfy."""

    runner: CliRunner

    def __call__(self, *args: str, json_output: bool = False) -> Result:
        result = self.runner.invoke(cli, list(args), catch_exceptions=True)
        escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
        assert not escaped, "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
        assert result.exit_code in (0, 2), (args, result.exit_code, result.stderr[-2000:])
        assert "Traceback" not in result.stderr
        stdout = result.stdout_bytes.decode("utf-8")  # stdout is always valid UTF-8
        if json_output:
            json.loads(stdout)  # and valid JSON when JSON was asked for: the answer or {"error": …}
        if result.exit_code == 2:
            lines = result.stderr.strip().splitlines()
            assert lines, "a failure must say why"
            assert lines[-1].startswith("error: "), result.stderr[-2000:]
        return result


@pytest.fixture(scope="session")
def run_pmkg(starter_home: tuple[Path, dict[str, object]]) -> Iterator[Pmkg]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PMKG_HOME", str(starter_home[0]))
        patch.setenv("PMKG_STORE", "embedded")
        get_settings.cache_clear()
        yield Pmkg(CliRunner())
    get_settings.cache_clear()


def formats(args: Sequence[str]) -> bool:
    return "json" in args
