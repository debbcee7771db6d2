"""Fault injection for the crash tests: die (or fail a write) at a named step.

`fault_point("toc:before")` does nothing unless NEWSINDEX_FAULT_AT names
that step: `NEWSINDEX_FAULT_AT=toc:before:3` kills this process with
SIGKILL the third time it reaches the step (`:1` if no count is given).
With NEWSINDEX_FAULT_ERROR=ENOSPC the step raises that OSError instead, as
a full disk would. The steps, in the order a commit reaches them, are
listed in STEPS and described in docs/commit-protocol.md.
"""

from __future__ import annotations

import errno
import os

__all__ = ["FAULT_ENV", "STEPS", "fault_point", "hits", "reset"]

FAULT_ENV = "NEWSINDEX_FAULT_AT"
_ERROR_ENV = "NEWSINDEX_FAULT_ERROR"

STEPS = (
    "segment:before",  # a writer creates the first file of a new segment
    "part",  # a split container's part is written, more parts to come
    "prune",  # --prune has deleted what is gone, not committed yet
    "remove",  # `remove` has deleted, not committed yet
    "segment:after",  # the segment files are written, the TOC is not
    "toc:before",  # everything is fsynced, the TOC rename is next
    "toc:after",  # the TOC rename is done: the commit is visible
    "archive:before",  # the archive transaction is next
    "archive:after",  # the archive transaction is committed
)

_hits: dict[str, int] = {}


def fault_point(step: str) -> None:
    """Kill this process (or raise OSError) if NEWSINDEX_FAULT_AT names `step`."""
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    name, _, count = spec.rpartition(":")
    if not count.isdigit():  # no count: the first time
        name, count = spec, "1"
    _hits[step] = _hits.get(step, 0) + 1  # every step: `hits()` tells a test
    if name != step or _hits[step] != int(count):
        return
    code = os.environ.get(_ERROR_ENV)
    if code:
        number = getattr(errno, code)
        raise OSError(number, os.strerror(number), f"fault injected at {step}")
    import signal  # here: a search, which never kills, does not import it

    os.kill(os.getpid(), signal.SIGKILL)


def hits() -> dict[str, int]:
    """How often each step was reached while NEWSINDEX_FAULT_AT was set."""
    return dict(_hits)


def reset() -> None:
    """Forget how often each step was reached (between in-process tests)."""
    _hits.clear()
