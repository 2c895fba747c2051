"""Several uvicorn worker processes that share the load: each listens on its own ``SO_REUSEPORT`` socket.

uvicorn's own ``--workers`` hands one listening socket to every worker, and asyncio accepts every
pending connection in one go: the first worker to wake takes all of a client's keep-alive
connections and the other sits idle (measured: one worker at 99 % CPU, the other at 1 %, 78
requests/s).  Here each worker binds its own socket to the same address with ``SO_REUSEPORT``, so
the kernel deals new connections to the workers: in turn (:mod:`queries.api.round_robin`), else by a
hash of each connection's addresses.  The supervisor (:func:`serve_workers`) holds the port (a bound
socket that never listens, so a ``--port 0`` stays the same for every worker and across restarts),
restarts a worker that dies after it started (one that fails while starting stops them all with its
status: bad settings would only fail again), and on SIGINT or SIGTERM stops every worker gracefully
before it exits.  Platforms without ``SO_REUSEPORT`` keep uvicorn's supervisor
(:func:`balanced_workers_supported`).

Never imports the app at module level: the workers build it in their own process, as uvicorn does.
"""

from __future__ import annotations

import logging
import logging.config
import multiprocessing
import os
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event
from typing import Any

logger = logging.getLogger("uvicorn.error")

APP = "queries.api.app:create_app"
_STOP_TIMEOUT = 20.0


def balanced_workers_supported() -> bool:
    """Linux spreads connections over ``SO_REUSEPORT`` listeners; elsewhere the option is absent or does not."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def server_stack() -> str:
    """The event loop and HTTP parser uvicorn runs here, as one sentence for the startup log.

    uvicorn's ``auto`` picks uvloop and httptools when they import, else asyncio's loop and h11 (pure Python,
    measured: h11 cost ~8% of a match request's CPU), silently: an environment installed without them is slower.
    """
    try:
        import uvloop  # noqa: F401
    except ImportError:
        loop = "asyncio (uvloop is not installed: slower)"
    else:
        loop = "uvloop"
    parser = "httptools" if _has_httptools() else "h11 (httptools is not installed: slower)"
    return f"event loop {loop}, HTTP parser {parser}"


def http_protocol() -> str:
    """uvicorn's ``http`` option: httptools with unreadable requests answered as problems
    (:mod:`queries.api.protocol`), else uvicorn's own choice."""
    return "queries.api.protocol:ProblemHttpToolsProtocol" if _has_httptools() else "auto"


def _has_httptools() -> bool:
    try:
        import httptools  # noqa: F401
    except ImportError:
        return False
    return True


def _free_port(host: str, port: int) -> int:
    """``port`` (or a free one for 0) once no other server holds it: a plain bind fails where ``SO_REUSEPORT``
    would quietly join another server's listeners (a second ``pmkg serve`` on the same port)."""
    probe = _bind(host, port, share=False)
    chosen: int = probe.getsockname()[1]
    probe.close()
    return chosen


def _bind(host: str, port: int, *, share: bool = True) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def die_with_parent() -> None:
    """SIGTERM this process when its parent dies, even by SIGKILL (Linux), so no worker outlives its supervisor."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker(host: str, port: int, workers: int, options: dict[str, Any], ready: Event) -> None:  # pragma: no cover
    import uvicorn

    from queries.api.round_robin import deal_connections_in_turn

    class _Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                ready.set()

    die_with_parent()
    sock = _bind(host, port)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, **options)
    sock.listen(config.backlog)  # in the group first: the round robin is attached to the group
    why_not = deal_connections_in_turn(sock, workers)
    if why_not is not None:
        logger.info("%s: the kernel's hash spreads connections over the workers", why_not)
    _Server(config).run(sockets=[sock])


def serve_workers(host: str, port: int, workers: int, options: dict[str, Any]) -> int:
    """Run ``workers`` uvicorn processes on ``host:port`` until SIGINT/SIGTERM; the exit status.

    ``options`` are further :class:`uvicorn.Config` arguments (logging, graceful shutdown).
    """
    if isinstance(options.get("log_config"), dict):
        logging.config.dictConfig(options["log_config"])
    port = _free_port(host, port)
    holder = _bind(host, port)  # never listens: it keeps the port for the workers and their restarts
    shown = f"[{host}]" if ":" in host else host
    logger.info("Uvicorn running on http://%s:%d (Press CTRL+C to quit)", shown, port)
    logger.info("Started parent process [%d]: %d workers, the kernel deals connections to them", os.getpid(),
                workers)  # fmt: skip
    context = multiprocessing.get_context("spawn")
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}

    def start() -> tuple[BaseProcess, Event]:
        ready = context.Event()
        # Not daemonic: a worker starts processes of its own (the SPARQL workers), which a daemonic process may
        # not; die_with_parent() and _stop_all() see that no worker outlives the supervisor.
        process = context.Process(target=_worker, args=(host, port, workers, options, ready), name="pmkg-worker")
        process.start()
        return process, ready

    status = 0
    running = [start() for _ in range(workers)]
    try:
        while not stopping:
            time.sleep(0.2)
            for position, (process, ready) in enumerate(running):
                if process.is_alive() or stopping:
                    continue
                code = process.exitcode or 0
                if not ready.is_set():
                    logger.error("a worker stopped while starting (exit status %s): stopping every worker", code)
                    status, stopping = code if code > 0 else 1, True
                    break
                logger.warning("worker %s stopped (exit status %s): starting another", process.pid, code)
                running[position] = start()
    finally:
        _stop_all([process for process, _ in running])
        holder.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def _stop_all(processes: list[BaseProcess]) -> None:
    """SIGTERM each worker (uvicorn then finishes its requests in flight), wait, SIGKILL what is left."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + _STOP_TIMEOUT
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
