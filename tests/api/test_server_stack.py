"""``pmkg serve`` says at startup which event loop and HTTP parser it runs, so a missing C dependency shows.

uvicorn falls back to asyncio's loop and the pure-Python h11 parser without a word when uvloop or httptools
do not import; the server is then measurably slower (h11 alone cost ~8% of a match request's CPU).
"""

from __future__ import annotations

import json
import socket
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


def _raw(url: str, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send ``request`` as bytes on a new connection: the status line, headers and body of the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return status, headers, body


def test_a_url_over_64_kb_is_a_problem_naming_the_limit_and_the_post_body(api: ApiServer) -> None:
    query = "&".join(["variant=BRAF%20V600E"] * 4_000)  # 84 KB: a long variant list sent as GET (httpx refuses it)
    status, headers, body = _raw(api.url, f"GET /v1/match?{query} HTTP/1.1\r\nHost: pmkg\r\n\r\n".encode())
    with api.client() as client:
        after = client.get("/v1/match", params={"variant": "BRAF V600E"})
    assert status.startswith("HTTP/1.1 400")
    assert headers["content-type"] == "application/problem+json"
    detail = json.loads(body)["detail"]
    assert "the URL is longer than 65,535 bytes" in detail
    assert "POST /v1/match" in detail
    assert after.status_code == 200  # the server goes on


def test_bytes_that_are_not_http_get_a_problem_not_plain_text(api: ApiServer) -> None:
    status, headers, body = _raw(api.url, b"NOT HTTP AT ALL\r\n\r\n")
    assert status.startswith("HTTP/1.1 400")
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["detail"].startswith("the request could not be read as HTTP/1.1")
