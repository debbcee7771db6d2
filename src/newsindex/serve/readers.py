"""Index readers for a server: a few threads, each with its own open Index.

Whoosh searchers are not safe to share between threads, and Python's SQLite
connections (the archive) refuse to be used, or even closed, outside the
thread that opened them. So each reader thread opens its own `Index` on its
start, reads ahead what the first searches would wait for (`Index.warm`),
and closes it when the readers stop; requests hand work to whichever
thread is free. `Index.searcher()` reopens at the newest commit
when the index has changed, so `newsindex index` runs are seen without a
restart.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from newsindex.index.base import Index, Location
from newsindex.logs import get_logger

__all__ = ["Readers"]

_log = get_logger(__name__)
T = TypeVar("T")
_Job = tuple[Callable[[Index], object], "Future[object]"]


class Readers:
    """Run work on an Index in a pool of threads that each own one."""

    def __init__(self, index_dir: Location, *, threads: int = 4) -> None:
        self.index_dir = index_dir
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(
                target=self._serve, name=f"newsindex-reader-{n}", daemon=True
            )
            for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    async def run(self, work: Callable[[Index], T]) -> T:
        """Call `work(index)` in a reader thread and return (or raise) what it does."""
        future: Future[T] = Future()
        self._jobs.put((work, future))  # type: ignore[arg-type]  # Future is invariant
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """Stop every thread once its current job is done; each closes its Index."""
        for _ in self._threads:
            self._jobs.put(None)  # a thread takes one None and ends
        for thread in self._threads:
            thread.join()

    def _serve(self) -> None:
        index = self._open_warm()
        try:
            while (job := self._jobs.get()) is not None:
                work, future = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    if index is None:
                        index = Index.open(self.index_dir)
                    future.set_result(work(index))
                except Exception as exc:  # noqa: BLE001  raised in the awaiting request
                    future.set_exception(exc)
        finally:
            if index is not None:
                index.close()

    def _open_warm(self) -> Index | None:
        """This thread's Index, warmed; None if it cannot be opened now (the
        first job then opens it, and its request gets the error)."""
        try:
            index = Index.open(self.index_dir)
        except Exception:  # noqa: BLE001  raised again by the first job
            return None
        try:
            index.warm()
        except Exception:  # noqa: BLE001  a search meets it again and reports it
            _log.warning("could not read the index ahead", exc_info=True)
        return index
