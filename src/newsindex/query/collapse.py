"""Collapse ranked hits to one per republication cluster.

Whoosh's own `collapse=` misbehaves when combined with `filter=` in
whoosh-reloaded 2.7.5 (the same cluster comes back several times), so hits
are collapsed here: fetch a few times more than needed, keep the best hit of
each cluster in rank order, and fetch more only if that was not enough.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["collapse_hits"]

Hit = tuple[dict[str, Any], float]
_OVERFETCH = 4


def collapse_hits(
    fetch: Callable[[int], Sequence[Hit]], limit: int, key: str = "cluster"
) -> list[Hit]:
    """Return up to `limit` hits, the best of each `key`, best first.

    `fetch(n)` returns the top `n` hits in rank order; fewer than `n` means
    there are no more.
    """
    want = limit * _OVERFETCH
    while True:
        hits = fetch(want)
        best: dict[str, Hit] = {}
        for fields, score in hits:
            best.setdefault(fields[key], (fields, score))
            if len(best) == limit:
                return list(best.values())
        if len(hits) < want:
            return list(best.values())
        want *= _OVERFETCH
