"""Requests uvicorn cannot read are answered as problems (RFC 9457) like every other error of the API.

uvicorn answers a request its HTTP parser refuses with a bare ``text/plain`` "Invalid HTTP request
received.".  The commonest case is a user's: a ``GET /v1/match?variant=…`` with thousands of variants,
whose URL passes 64 KB (httptools parses URLs with 16-bit offsets).  :class:`ProblemHttpToolsProtocol`
says that, and what to do instead; anything else unreadable is named as such.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

# httptools' URL parser keeps offsets in 16 bits: a longer URL cannot be read.
LONGEST_URL = 65_535


def unreadable_request(url_bytes: int) -> bytes:
    """The problem document for a request the parser refused, ``url_bytes`` into its URL."""
    if url_bytes > LONGEST_URL:
        detail = (
            f"the URL is longer than {LONGEST_URL:,} bytes, the most this server reads; send long lists in a "
            'POST body (POST /v1/match takes {"variants": [...]})'
        )
    else:
        detail = "the request could not be read as HTTP/1.1 (request line, headers or chunked body)"
    problem = {"type": "/problems/bad-request", "title": "Bad Request", "status": 400, "detail": detail}
    return json.dumps(problem).encode()


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol whose 400 for an unreadable request is a problem document."""

    def send_400_response(self, msg: str) -> None:
        body = unreadable_request(len(getattr(self, "url", b"")))
        head = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.extend(
            [
                b"content-type: application/problem+json\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"connection: close\r\n",
                b"\r\n",
            ]
        )
        self.transport.write(b"".join(head) + body)
        self.transport.close()
