"""Collapse ranked hits: at most a few per republication cluster.

Whoosh's own `collapse=` misbehaves when combined with `filter=` in
whoosh-reloaded 2.7.5 (the same cluster comes back several times), and an
engine need not collapse at all, so hits are collapsed here: fetch a few
times more than needed, keep the first `per_key` hits of each cluster in
rank order, and fetch more only if that was not enough.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from newsindex.engines.base import PassageHit

__all__ = ["collapse_hits"]

_OVERFETCH = 4


def collapse_hits(
    fetch: Callable[[int], Sequence[PassageHit]],
    limit: int,
    per_key: int = 1,
) -> list[PassageHit]:
    """Return up to `limit` hits, at most `per_key` of each cluster, in rank order.

    `fetch(n)` returns the top `n` hits in rank order; fewer than `n` means
    there are no more.
    """
    want = limit * per_key * _OVERFETCH
    while True:
        hits = fetch(want)
        seen: Counter[str] = Counter()
        kept: list[PassageHit] = []
        for hit in hits:
            seen[hit.cluster] += 1
            if seen[hit.cluster] <= per_key:
                kept.append(hit)
                if len(kept) == limit:
                    return kept
        if len(hits) < want:
            return kept
        want *= _OVERFETCH
