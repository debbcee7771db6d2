"""Workers die with their parent: a killed `newsindex index` leaves no process behind.

The kill is SIGKILL, which no handler sees: the workers must learn of it
from the kernel (Linux: PR_SET_PDEATHSIG) or by watching their parent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsindex import parallel

from .test_crash import make_corpus

PROC = Path("/proc")


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    """Poll until `condition` holds, for at most `seconds`; whether it held."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent pid, None if it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
    return fields[0], int(fields[1])


def _workers_of(parent: int) -> set[int]:
    """The pool workers (multiprocessing spawn children) of a process."""
    found = set()
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or (_stat(int(entry.name)) or ("", 0))[1] != parent:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"  # a zombie has exited


@pytest.mark.skipif(not PROC.is_dir(), reason="reads processes from /proc")
def test_killed_index_leaves_no_workers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus, copies=40)  # 200 files: more than one batch, so a pool
    env = {k: v for k, v in os.environ.items() if k != "NEWSINDEX_INDEX"}
    parent = subprocess.Popen(
        [
            *(sys.executable, "-m", "newsindex", "index", str(corpus)),
            *("--index", str(tmp_path / "index"), "--workers", "2", "--quiet"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(lambda: len(_workers_of(parent.pid)) == 2, 120)
        workers = _workers_of(parent.pid)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
    try:
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 30)
    finally:  # a failed run leaves no orphans either: they are ours
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_watcher_sees_the_parent_go() -> None:
    orphaned = threading.Event()
    not_our_parent = os.getppid() + 1_000_000
    parallel._watch_parent(not_our_parent, 0.01, orphaned.set)
    assert orphaned.wait(timeout=30)
