"""`newsindex serve --workers N` on Linux: a socket per worker, connections spread.

The server runs as a user starts it, in its own process; the test reads its
log for when each worker listens (no waiting on the clock), then checks
which worker process holds each connection through /proc.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsindex import Index, UsageError
from newsindex.serve import workers

linux_only = pytest.mark.skipif(
    not workers.balanced(), reason="SO_REUSEPORT spreads connections on Linux only"
)
_LINE_SECONDS = 120  # the most a line of the server's log may take to come


class _Server:
    """`newsindex serve` in a process, its stderr read by a thread into lines."""

    def __init__(self, index: Path, workers: int) -> None:
        command = [sys.executable, "-m", "newsindex", "serve", "--index", str(index)]
        command += ["--port", "0", "--workers", str(workers)]
        self.process = subprocess.Popen(  # its own group: workers and all
            command,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def close(self) -> None:
        """Stop the server and its workers; its log ends with them."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(_LINE_SECONDS)
        with contextlib.suppress(ProcessLookupError):  # what is left of the group
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._reader.join(_LINE_SECONDS)
        assert self.process.stderr is not None
        self.process.stderr.close()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, pattern: str) -> re.Match[str]:
        """The next log line that matches `pattern`."""
        while (line := self.lines.get(timeout=_LINE_SECONDS)) is not None:
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"the server ended before a line matched {pattern!r}")


@pytest.fixture
def two_workers(raw_index: Index) -> Iterator[tuple[_Server, int, list[int]]]:
    server = _Server(raw_index.path, workers=2)
    try:
        port = int(server.wait_for(r"serving http://127\.0\.0\.1:(\d+) with 2")[1])
        pids = [
            int(server.wait_for(rf"worker (\d+) accepting on port {port}")[1])
            for _ in range(2)
        ]
        yield server, port, pids
    finally:
        server.close()


def _established(port: int) -> set[int]:
    """Socket inodes of the established connections to local `port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            local, state, inode = fields[1], fields[3], int(fields[9])
            if int(local.rsplit(":", 1)[1], 16) == port and state == "01":
                inodes.add(inode)
    return inodes


def _sockets_of(pid: int) -> set[int]:
    """Socket inodes the process `pid` holds open."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = str(fd.readlink()) if fd.is_symlink() else ""
        if match := re.fullmatch(r"socket:\[(\d+)\]", target):
            found.add(int(match[1]))
    return found


@linux_only
def test_keep_alive_connections_spread_over_both_workers(
    two_workers: tuple[_Server, int, list[int]],
) -> None:
    server, port, pids = two_workers
    connections = []
    for _ in range(24):  # all on one worker: a chance of 2 in 2**24
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/api/search?q=Lungescu")
        response = connection.getresponse()
        assert response.status == 200
        outlets = [hit["outlet"] for hit in json.loads(response.read())["results"]]
        assert outlets == ["TASS"]
        connections.append(connection)
    established = _established(port)
    held = {pid: len(_sockets_of(pid) & established) for pid in pids}
    assert sum(held.values()) == 24
    assert all(count > 0 for count in held.values()), held
    for connection in connections:
        connection.close()

    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=60) == 0
    for pid in pids:  # the parent stopped and reaped its workers
        assert not Path(f"/proc/{pid}").exists()


@linux_only
def test_a_worker_that_dies_is_replaced_on_the_same_port(
    two_workers: tuple[_Server, int, list[int]],
) -> None:
    server, port, pids = two_workers
    os.kill(pids[0], signal.SIGKILL)
    found = server.wait_for(rf"worker (\d+) accepting on port {port}")
    replacement = int(found[1])
    assert replacement not in pids
    for _ in range(8):  # each a new connection: any worker may take it
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/api/search?q=Lungescu")
        assert connection.getresponse().status == 200
        connection.close()
    assert Path(f"/proc/{pids[1]}").exists()  # the other worker went on


@linux_only
def test_workers_stop_when_their_parent_is_killed_outright(
    two_workers: tuple[_Server, int, list[int]],
) -> None:
    server, _port, pids = two_workers
    server.process.kill()  # SIGKILL: the parent cannot stop them itself
    server.process.wait()
    finished = {
        int(server.wait_for(r"Finished server process \[(\d+)\]")[1]) for _ in pids
    }
    assert finished == set(pids)


@linux_only
def test_a_port_in_use_is_refused_not_shared() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(UsageError) as raised:
            workers.listening_socket("127.0.0.1", port, shared=False)
    assert str(raised.value) == (
        f"cannot listen on 127.0.0.1:{port}: Address already in use"
    )


@linux_only
def test_workers_bind_one_port_each_with_their_own_socket() -> None:
    first = workers.listening_socket("127.0.0.1", 0, shared=True)
    port = first.getsockname()[1]
    with first, workers.listening_socket("127.0.0.1", port, shared=True) as second:
        assert second.getsockname()[1] == port
        assert second.proto == socket.IPPROTO_TCP  # asyncio turns Nagle off
        first.listen()
        second.listen()
        with pytest.raises(UsageError):  # no one else gets in beside them
            workers.listening_socket("127.0.0.1", port, shared=False)
