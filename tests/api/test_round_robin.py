"""The eBPF program of :mod:`queries.api.round_robin` on real listening sockets of one ``SO_REUSEPORT`` group."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator

import pytest

from queries.api.round_robin import deal_connections_in_turn

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT groups are Linux's")


def _listeners(count: int) -> list[socket.socket]:
    first = socket.socket()
    first.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    first.bind(("127.0.0.1", 0))
    port = first.getsockname()[1]
    listeners = [first]
    for _ in range(count - 1):
        other = socket.socket()
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", port))
        listeners.append(other)
    for listener in listeners:
        listener.listen(64)
        listener.setblocking(False)
    return listeners


@pytest.fixture
def group() -> Iterator[list[socket.socket]]:
    listeners = _listeners(2)
    yield listeners
    for listener in listeners:
        listener.close()


def _accepted(listeners: list[socket.socket], connections: int) -> list[int]:
    port = listeners[0].getsockname()[1]
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(connections)]
    time.sleep(0.2)
    counts = []
    for listener in listeners:
        taken = 0
        while True:
            try:
                accepted, _ = listener.accept()
            except BlockingIOError:
                break
            accepted.close()
            taken += 1
        counts.append(taken)
    for client in clients:
        client.close()
    return counts


def test_connections_are_dealt_in_turn(group: list[socket.socket]) -> None:
    why_not = deal_connections_in_turn(group[1], 2)
    if why_not is not None:
        pytest.skip(why_not)
    assert sorted(_accepted(group, 33)) == [16, 17]
    assert sorted(_accepted(group, 32)) == [16, 16]


def test_fewer_listeners_than_workers_refuse_nothing() -> None:
    """While a worker restarts: an index past the last listener falls back to the kernel's hash."""
    (alone,) = _listeners(1)
    try:
        why_not = deal_connections_in_turn(alone, 2)
        if why_not is not None:
            pytest.skip(why_not)
        assert _accepted([alone], 20) == [20]
    finally:
        alone.close()


def test_a_socket_that_does_not_listen_gets_a_reason_not_an_exception() -> None:
    unbound = socket.socket()
    try:
        why_not = deal_connections_in_turn(unbound, 2)
    finally:
        unbound.close()
    assert why_not is not None
    assert "round robin" in why_not
