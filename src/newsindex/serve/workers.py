"""`newsindex serve --workers N` on Linux: N processes, each with its own socket.

uvicorn's own workers share one listening socket, and asyncio accepts every
connection waiting on it at once: the first worker to wake takes a burst of
new connections whole, and keep-alive clients stay on it. Ten clients of
`benchmarks/bench_serve.py` all landed on one of two workers, which ran at
a full core while the other idled (29 requests/s with one worker or two).

Here each worker binds its own socket to the same port with SO_REUSEPORT,
and the kernel spreads new connections across the workers' sockets (by a
hash of each connection's addresses). The parent holds the port, starts the
workers, starts another if one dies, and stops them all on SIGINT or
SIGTERM; a worker whose parent is gone (killed outright) stops itself.
Elsewhere (no SO_REUSEPORT balancing) `run` keeps uvicorn's workers.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

import uvicorn

from newsindex.errors import UsageError
from newsindex.logs import get_logger

__all__ = ["balanced", "listening_socket", "run_workers"]

log = get_logger(__name__)

# uvicorn's exit code for a server that could not start (uvicorn.config).
STARTUP_FAILURE = 3
_STOP_SECONDS = 10  # a worker's graceful shutdown, before it is killed


def balanced() -> bool:
    """Whether this system spreads connections across SO_REUSEPORT sockets."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int, *, shared: bool) -> socket.socket:
    """A TCP socket bound to (host, port), not yet listening.

    `shared`: with SO_REUSEPORT, so that the other workers bind the same port.
    IPPROTO_TCP is named so that asyncio turns Nagle's algorithm off on the
    connections it accepts (it checks the protocol). Raises UsageError if the
    port cannot be had.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from None
    return sock


def run_workers(location: str, host: str, port: int, workers: int) -> None:
    """Serve the index at `location` (a folder or a cluster URL) from
    `workers` processes until SIGINT or SIGTERM.

    The port is first bound alone, so that a port in use, even by another
    `newsindex serve`, is refused rather than shared; port 0 becomes a free
    port, the same for every worker.
    """
    with listening_socket(host, port, shared=False) as probe:
        port = probe.getsockname()[1]
    # Held, not listening, for as long as the workers run: the port stays
    # ours between a worker's death and its replacement.
    holder = listening_socket(host, port, shared=True)
    context = multiprocessing.get_context("spawn")
    # Never written to: the workers see it close when the parent is gone.
    lifeline, held = context.Pipe(duplex=False)

    def start() -> BaseProcess:
        process = context.Process(
            target=_worker,
            args=(lifeline, location, host, port),
            name="newsindex-serve",
        )
        process.start()
        return process

    processes: list[BaseProcess] = []
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, _stop) for signum in signals}
    try:
        for _ in range(workers):
            processes.append(start())
        scheme_host = f"[{host}]" if ":" in host else host
        sys.stderr.write(
            f"newsindex serving http://{scheme_host}:{port} with {workers} workers "
            "(press CTRL+C to quit)\n"
        )
        sys.stderr.flush()
        _supervise(processes, start)
    except _Stopping:
        pass
    finally:
        for signum in previous:  # a second CTRL+C does not cut the stopping short
            signal.signal(signum, signal.SIG_IGN)
        _stop_all(processes)
        holder.close()
        lifeline.close()
        held.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class _Stopping(Exception):
    """SIGINT or SIGTERM reached the parent."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stopping(signum)


def _supervise(processes: list[BaseProcess], start: Callable[[], BaseProcess]) -> None:
    """Wait on the workers; start another for each that dies, unless it could
    not start at all (then stop: every other worker would fail the same way)."""
    while True:
        wait([process.sentinel for process in processes])
        for n, process in enumerate(processes):
            if process.exitcode is None:
                continue
            if process.exitcode == STARTUP_FAILURE:
                raise UsageError(
                    f"a server worker could not start (exit {process.exitcode}); "
                    "its error is above"
                )
            log.warning(
                "server worker %s exited with %s; starting another",
                process.pid,
                process.exitcode,
            )
            processes[n] = start()


def _stop_all(processes: list[BaseProcess]) -> None:
    """SIGTERM to every worker (uvicorn's graceful shutdown), then wait."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(_STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


def _worker(lifeline: Connection, location: str, host: str, port: int) -> None:
    """One worker: its own socket on the shared port, one uvicorn server."""
    threading.Thread(target=_stop_with_parent, args=(lifeline,), daemon=True).start()
    from newsindex.index.base import is_url
    from newsindex.serve.http import create_app

    try:
        sock = listening_socket(host, port, shared=True)
        app = create_app(location if is_url(location) else Path(location))
    except Exception as exc:  # noqa: BLE001  reported, and the parent stops
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(STARTUP_FAILURE)
    _Server(uvicorn.Config(app, log_level="info")).run(sockets=[sock])


def _stop_with_parent(lifeline: Connection) -> None:
    """SIGTERM to this worker (uvicorn's graceful shutdown) once the parent's
    end of `lifeline` closes: the parent is gone."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv()
    os.kill(os.getpid(), signal.SIGTERM)


class _Server(uvicorn.Server):
    """uvicorn's server, saying when this worker's socket is listening."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and sockets:
            logging.getLogger("uvicorn.error").info(
                "newsindex worker %d accepting on port %d",
                os.getpid(),
                sockets[0].getsockname()[1],
            )
