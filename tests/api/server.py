"""A real ``pmkg serve`` process on a free loopback port, as a user starts it.

The server's stderr (uvicorn's lines and pmkg's access log) goes to a file the tests can read,
to check what it logged.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from queries.api.workers import die_with_parent

REPO = Path(__file__).resolve().parents[2]
_RUNNING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


class ApiServer:
    """``pmkg serve --port 0`` over ``home``; ``url`` once it answers ``/health``."""

    def __init__(self, home: Path, log_path: Path, *, args: Sequence[str] = (), env: dict[str, str] | None = None):
        self.home = home
        self.log_path = log_path
        self.args = list(args)
        self.env = {**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded", **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self, timeout: float = 60) -> ApiServer:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "queries.cli", "serve", "--host", "127.0.0.1", "--port", "0", *self.args],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=log,
            preexec_fn=die_with_parent,  # a killed test run leaves no server behind
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pmkg serve exited with {self.process.returncode}:\n{self.log()}")
            found = _RUNNING.search(self.log())
            if found:
                self.url = f"http://127.0.0.1:{found.group(1)}"
                try:
                    if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"pmkg serve did not answer within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def client(self, **options: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **options)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> ApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def client_over_copy(
    graph_home: Path, tmp_path_factory: pytest.TempPathFactory, name: str, *, with_rdf: bool = True
) -> Iterator[httpx.Client]:
    """A client of a real server over a copy of ``graph_home`` (the server may write beside the graph);
    ``with_rdf=False`` leaves the RDF view out of the copy (tests that ask no SPARQL)."""
    home = tmp_path_factory.mktemp(f"{name}-home")
    ignore = None if with_rdf else shutil.ignore_patterns("rdf")
    shutil.copytree(graph_home, home, dirs_exist_ok=True, ignore=ignore)
    log = tmp_path_factory.mktemp(f"{name}-log") / "server.log"
    with ApiServer(home, log) as server, server.client() as http:
        yield http
