"""How far an index update has got, and how that reads to a person.

`Index.update(on_progress=...)` calls back with a `Progress` after each
file (or each part of a large export) is read or written: files, bytes and
records done, commits so far and the file in hand. Bytes are the measure
of work: a 3,824-record export is one file of 304 but most of the bytes.

Nothing here prints. `ProgressLog` turns the calls into a plain line every
few seconds for a log or a CI run (stderr not a terminal); the CLI draws a
bar on a terminal from the same numbers (`describe`, `remaining`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from msgspec import Struct

__all__ = ["Progress", "ProgressFn", "ProgressLog", "describe", "remaining"]


class Progress(Struct, frozen=True):
    """One moment of an update run."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    records: int  # records read so far (a page is one; an export has many)
    articles: int  # articles written
    commits: int
    current: str  # the file whose work was done last ("" before any)


ProgressFn = Callable[[Progress], None]


def remaining(p: Progress, elapsed: float) -> float | None:
    """Seconds left at the rate of bytes so far; None until that rate is known."""
    if p.bytes_done <= 0 or elapsed <= 0:
        return None
    return max(p.bytes_total - p.bytes_done, 0) * elapsed / p.bytes_done


def describe(p: Progress, elapsed: float) -> str:
    """The numbers as one line:
    `1,234 records, 12/304 files, 3.1 of 12.0 MB (26%), 41 records/s,
    2 commits, 0:42 elapsed, about 2:05 left, now raw/export.jsonl`."""
    share = p.bytes_done * 100 // p.bytes_total if p.bytes_total else 100
    rate = p.records / elapsed if elapsed > 0 else 0.0
    left = remaining(p, elapsed)
    parts = [
        f"{p.records:,} records",
        f"{p.files_done:,}/{p.files_total:,} files",
        f"{_megabytes(p.bytes_done)} of {_megabytes(p.bytes_total)} MB ({share}%)",
        f"{rate:,.0f} records/s",
        f"{p.commits} commit{'' if p.commits == 1 else 's'}",
        f"{_clock(elapsed)} elapsed",
        f"about {_clock(left)} left" if left is not None else "time left unknown",
    ]
    if p.current:
        parts.append(f"now {p.current}")
    return ", ".join(parts)


class ProgressLog:
    """A progress callback that writes `describe()` lines, one every `every`
    seconds at most, and the last state at `finish()`.

    `write` takes one line; `clock` gives seconds (time.monotonic), passed
    in so tests can move time. Callbacks come only as work is written, which
    a slow batch can hold up for minutes: `tick()` (called every `every`
    seconds inside `running()`) repeats the last state with the time moved
    on, so a log shows the run is alive.
    """

    def __init__(
        self,
        write: Callable[[str], None],
        *,
        label: str = "indexing",
        every: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._write = write
        self._label = label
        self._every = every
        self._clock = clock
        self._start = clock()
        self._last_line = self._start
        self._last: Progress | None = None
        self._shown: Progress | None = None
        self._lock = threading.Lock()  # the heartbeat thread writes too

    def __call__(self, p: Progress) -> None:
        with self._lock:
            self._last = p
            now = self._clock()
            if now - self._last_line >= self._every:
                self._emit(p, now)

    def tick(self) -> None:
        """Write the last state again if no line was written for `every` seconds."""
        with self._lock:
            now = self._clock()
            if self._last is not None and now - self._last_line >= self._every:
                self._emit(self._last, now)

    def finish(self) -> None:
        """Write the last state, if a line was written before and not this one.

        A run shorter than `every` seconds writes nothing: its summary says it.
        """
        with self._lock:
            last = self._last
            if self._shown is not None and last is not None and last is not self._shown:
                self._emit(last, self._clock())

    @contextmanager
    def running(self) -> Iterator[ProgressLog]:
        """Tick every `every` seconds from a thread; `finish()` at the end."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self._every):
                self.tick()

        thread = threading.Thread(target=beat, name="progress-log", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()
        self.finish()

    def _emit(self, p: Progress, now: float) -> None:
        self._write(f"{self._label}: {describe(p, now - self._start)}")
        self._last_line = now
        self._shown = p


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:,.1f}"


def _clock(seconds: float) -> str:
    """`0:42`, `12:05`, `1:02:03`."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
