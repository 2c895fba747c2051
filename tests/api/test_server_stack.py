"""``pmkg serve`` says at startup which event loop and HTTP parser it runs, so a missing C dependency shows.

uvicorn falls back to asyncio's loop and the pure-Python h11 parser without a word when uvloop or httptools
do not import; the server is then measurably slower (h11 alone cost ~8% of a match request's CPU).
"""

from __future__ import annotations

import sys

import pytest

from queries.api.workers import server_stack
from tests.api.server import ApiServer


def test_the_server_log_names_its_event_loop_and_http_parser(api: ApiServer) -> None:
    stack = server_stack()
    assert f"pmkg: {stack}" in api.log()
    assert stack == "event loop uvloop, HTTP parser httptools"  # both are pmkg's dependencies on Linux


@pytest.mark.parametrize(
    ("missing", "said"),
    [
        ("uvloop", "event loop asyncio (uvloop is not installed: slower), HTTP parser httptools"),
        ("httptools", "event loop uvloop, HTTP parser h11 (httptools is not installed: slower)"),
    ],
)
def test_a_missing_c_dependency_is_named_as_the_slower_fallback(
    monkeypatch: pytest.MonkeyPatch, missing: str, said: str
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # what an environment without it gives: ImportError
    assert server_stack() == said
