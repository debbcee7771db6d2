"""Run ingest batches in worker processes, results back in order to one writer.

Parsing and entity tagging are the slow part and need no index, so they run
in a pool of processes (`spawn`: workers inherit no open index files or
locks), or on a Dask cluster's workers; the writer stays here. At most two
batches per worker are in flight, so memory stays bounded however large the
corpus. Results come back to one writer rather than each worker writing
index segments to merge: a Whoosh segment merge rewrites the postings
anyway, and one writer keeps commits atomic and the manifest in step (see
docs/scaling.md for the measurements and where this stops).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from newsindex.errors import IndexStoreError
from newsindex.ingest.entities import EntityTagger
from newsindex.ingest.outlet import OutletRegistry
from newsindex.pipeline import Batch, FileResult, process_batch
from newsindex.sources.base import ReaderOptions

__all__ = ["Sink", "run_batches"]

# Where a worker sends its batch's articles itself (an engine with many
# writers, such as OpenSearch), after tagging and before handing them back.
Sink = Callable[[list[FileResult]], None]

_IN_FLIGHT_PER_WORKER = 2

# Set in each worker by _start_worker: the tagger loads its model once there.
_worker_state: (
    tuple[EntityTagger, OutletRegistry, ReaderOptions | None, Sink | None] | None
) = None


def run_batches(
    batches: Iterable[Batch],
    *,
    workers: int,
    tagger: EntityTagger,
    options: ReaderOptions | None = None,
    scheduler: str | None = None,
    sink: Sink | None = None,
) -> Iterator[list[FileResult]]:
    """Yield each batch's results in input order, using `workers` processes.

    With one worker everything runs here, in this process; with `scheduler`
    (a Dask scheduler address) on that cluster's workers. The tagger must be
    picklable for either (SpacyTagger is: it loads its model in the worker).
    `sink`, if given (and picklable), is called with each batch's results
    where they were made, so that each worker writes its own articles.
    """
    registry = OutletRegistry.default()
    if scheduler is not None:
        yield from _run_on_dask(batches, scheduler, tagger, options, sink)
        return
    if workers <= 1:
        for batch in batches:
            results = process_batch(batch, tagger, registry, options)
            if sink is not None:
                sink(results)
            yield results
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(tagger, options, os.getpid(), sink),
    ) as pool:
        pending: deque[Future[list[FileResult]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_run_in_worker, batch))
            if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _start_worker(
    tagger: EntityTagger, options: ReaderOptions | None, parent: int, sink: Sink | None
) -> None:
    global _worker_state
    _die_with_parent(parent)
    _worker_state = (tagger, OutletRegistry.default(), options, sink)


# A worker outlives a parent killed with SIGKILL: the pool's manager thread,
# which would shut it down, dies with the parent, and the worker (550 MB
# with its model) is re-parented to init. Linux sends a signal on the
# parent's death if asked (prctl(2), PR_SET_PDEATHSIG); elsewhere a thread
# polls for the re-parenting. Linux sends it when the *thread* that started
# the worker ends: the pool starts workers in the thread calling submit(),
# here the one that also reads every result, so it outlives the pool.
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_ORPHAN_POLL_SECONDS = 1.0  # the fallback notices a dead parent within this


def _die_with_parent(parent: int) -> None:
    """Make this process end when `parent` (the pool's process) ends."""
    if not _ask_kernel_to_kill_orphan():
        _watch_parent(parent, _ORPHAN_POLL_SECONDS, _kill_self)
    # The parent may have died before the kernel was asked: then it never tells.
    if os.getppid() != parent:
        _kill_self()


def _ask_kernel_to_kill_orphan() -> bool:
    """Ask Linux for SIGKILL when the parent dies; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done: int = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return False
    return done == 0


def _watch_parent(
    parent: int, interval: float, on_orphaned: Callable[[], None]
) -> threading.Thread:
    """Call `on_orphaned` from a daemon thread once our parent is no longer `parent`."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        on_orphaned()

    thread = threading.Thread(target=watch, name="newsindex-orphan-watch", daemon=True)
    thread.start()
    return thread


def _kill_self() -> None:
    os._exit(1)  # from any thread, at once, on every platform; no cleanup is owed


def _run_in_worker(batch: Batch) -> list[FileResult]:
    assert _worker_state is not None, "worker not started"
    tagger, registry, options, sink = _worker_state
    results = process_batch(batch, tagger, registry, options)
    if sink is not None:
        sink(results)
    return results


def _run_on_dask(
    batches: Iterable[Batch],
    scheduler: str,
    tagger: EntityTagger,
    options: ReaderOptions | None,
    sink: Sink | None,
) -> Iterator[list[FileResult]]:
    from dask.distributed import Client  # deferred: only for --scheduler

    try:
        client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise IndexStoreError(
            f"cannot reach Dask scheduler {scheduler!r}: {exc}"
        ) from exc
    with client:
        threads = client.nthreads()  # type: ignore[no-untyped-call]
        slots = max(1, sum(threads.values())) * _IN_FLIGHT_PER_WORKER
        pending: deque[Any] = deque()
        for batch in batches:
            pending.append(
                client.submit(_run_remote, batch, tagger, options, sink, pure=False)
            )
            if len(pending) >= slots:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _run_remote(
    batch: Batch,
    tagger: EntityTagger,
    options: ReaderOptions | None,
    sink: Sink | None,
) -> list[FileResult]:
    results = process_batch(batch, tagger, OutletRegistry.default(), options)
    if sink is not None:
        sink(results)
    return results
