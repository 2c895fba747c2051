"""The server's outer ring (pure ASGI): access log, per-request timeout, body-size limit, last-resort 500.

* **Access log** (logger ``pmkg.access``): method, path *without* its query string, status and
  milliseconds, one line per request.  Never a body, a query string or a header: ``GET
  /v1/match?variant=…`` carries a patient's variants in its query string.
* **Timeout**: a request that has not started its answer within ``request_timeout`` seconds gets a
  504 problem (the work is abandoned, not awaited).
* **Body limit**: a declared ``Content-Length`` over the limit is refused before reading; a body
  without one is counted while it streams in and refused with 413 as soon as it passes the limit.
* **Cut uploads**: a multipart body that ends before its closing boundary (``--BOUNDARY--``) is a 400
  naming it.  The multipart parser drops an unfinished part without a word, so an upload cut short
  would otherwise be answered from the parts that arrived (a CNA file missing from a 200).
* **Bugs**: an exception no handler knows becomes a 500 problem with a reference, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from queries.api.errors import bug_response, problem_response

access_logger = logging.getLogger("pmkg.access")
_BOUNDARY = re.compile(rb'^multipart/[^;]+;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^\s;]+))', re.IGNORECASE)


def _megabytes(limit: int) -> str:
    return f"{limit / 1024 / 1024:.3g} MB"


class OuterRing:
    """See the module docstring; wraps the whole app."""

    def __init__(self, app: ASGIApp, *, request_timeout: float, max_body_bytes: int) -> None:
        self.app = app
        self.request_timeout = request_timeout
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method, path = scope["method"], scope["path"]
        state: dict[str, Any] = {"status": None, "received": 0}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            await send(message)

        async def answer(response: Any) -> None:
            if state["status"] is None:  # nothing sent yet: the problem can still be the answer
                await response(scope, receive, send_logged)

        declared, content_type = _body_headers(scope)
        limit = self.max_body_bytes
        closing = _ClosingBoundary.of(content_type)
        try:
            if declared is not None and declared > limit:
                await answer(
                    problem_response(
                        path,
                        413,
                        f"the request body is {_megabytes(declared)}; this server takes at most {_megabytes(limit)} "
                        "(setting PMKG_API_MAX_UPLOAD_MB)",
                        slug="too-large",
                    )
                )
                return

            async def counted_receive() -> Message:
                message = await receive()
                if message["type"] == "http.request":
                    state["received"] += len(message.get("body", b""))
                    if state["received"] > limit:
                        raise HTTPException(
                            413,
                            f"the request body passed {_megabytes(limit)}, the most this server takes "
                            "(setting PMKG_API_MAX_UPLOAD_MB)",
                        )
                    if closing is not None:
                        closing.read(message.get("body", b""), more=message.get("more_body", False))
                return message

            # asyncio.timeout, not wait_for: the request runs in this task, not in a new one per request (wait_for's
            # task, its wake-ups and context copy were a measurable share of a warm match's CPU under load)
            async with asyncio.timeout(self.request_timeout):
                await self.app(scope, counted_receive, send_logged)
        except TimeoutError:
            await answer(
                problem_response(
                    path,
                    504,
                    f"the request took longer than {self.request_timeout:g} s (setting PMKG_API_REQUEST_TIMEOUT) "
                    "and was abandoned; split a large request into smaller ones",
                    slug="timeout",
                )
            )
        except HTTPException as exc:  # the body limit, raised while a body was being read outside FastAPI's reach
            await answer(problem_response(path, exc.status_code, str(exc.detail), slug="too-large"))
        except Exception as exc:  # noqa: BLE001  # the last net: a bug answers a problem, never a traceback
            await answer(bug_response(exc, method, path))
        finally:
            took = (time.perf_counter() - started) * 1000
            access_logger.info("%s %s %s %.1f ms", method, path, state["status"] or 499, took)


def _body_headers(scope: Scope) -> tuple[int | None, bytes | None]:
    """The request's declared ``Content-Length`` (None: absent or not a number) and ``Content-Type``, in one pass."""
    declared: bytes | None = None
    content_type: bytes | None = None
    for name, value in scope.get("headers", ()):
        if name == b"content-length" and declared is None:  # the first one counts
            declared = value
        elif name == b"content-type" and content_type is None:
            content_type = value
    try:
        length = int(declared) if declared is not None else None
    except ValueError:
        length = None
    return length, content_type


class _ClosingBoundary:
    """Watches a multipart body as it streams in for its close delimiter; a body that ends without one is a 400."""

    def __init__(self, boundary: bytes) -> None:
        self.delimiter = b"--" + boundary + b"--"
        self.tail = b""
        self.seen = False

    @classmethod
    def of(cls, content_type: bytes | None) -> _ClosingBoundary | None:
        """The watcher for a multipart request's body (by its ``Content-Type``), or None for any other request."""
        found = _BOUNDARY.match(content_type) if content_type else None
        return cls(found.group(1) or found.group(2)) if found else None

    def read(self, chunk: bytes, *, more: bool) -> None:
        if not self.seen:
            window = self.tail + chunk  # the delimiter may straddle two chunks
            self.seen = self.delimiter in window
            self.tail = window[-len(self.delimiter) :]
        if not more and not self.seen:
            raise HTTPException(
                400,
                f"the multipart body ended before its closing boundary ({self.delimiter.decode('latin-1')}): the "
                "upload was cut short or the boundary in Content-Type is not the body's; nothing was read",
            )
