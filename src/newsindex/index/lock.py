"""One writer per index: an advisory lock on `DIR/newsindex.lock`.

`fcntl.flock` is released by the kernel when its holder dies, even by
SIGKILL, so a lock left by a killed process is never stale: the next run
simply takes it. The file holds the holder's pid, for the error message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from newsindex.errors import IndexLockedError, IndexStoreError

__all__ = ["LOCK_NAME", "write_lock", "writer_running"]

LOCK_NAME = "newsindex.lock"


@contextlib.contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's write lock; raise IndexLockedError at once if it is taken."""
    lock_path = index_dir / LOCK_NAME
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise IndexStoreError(
            f"cannot create lock file {str(lock_path)!r}: {exc.strerror}"
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexLockedError(index_dir, _read_pid(fd)) from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def writer_running(index_dir: Path) -> bool:
    """Whether a writer holds the lock now, read off the pid it wrote there.

    Reads only (a reader must not take even a shared lock: a writer starting
    that instant would be refused). A holder killed by SIGKILL leaves its pid
    behind, so the pid is checked for a live process.
    """
    try:
        fd = os.open(index_dir / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return False
    try:
        pid = _read_pid(fd)
    finally:
        os.close(fd)
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
