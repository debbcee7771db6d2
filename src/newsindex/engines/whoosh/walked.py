"""Whoosh's own walk over a query's matches, with the clock looked at as it goes.

`DeadlineCollector` wraps any of Whoosh's collectors so that a search past
its time budget stops. `Walked` is a small query's every match, scored by
that walk once and kept in rank order: a cold process's first query, left
to Whoosh because importing numpy for the bounds (bounded.py) would cost
more, is asked again for more passages (40, then 160) and for the number
of articles it matches, and each answer is read from the one walk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from whoosh import collectors
from whoosh import query as wquery
from whoosh.searching import Searcher

__all__ = ["CHECK_EVERY", "DeadlineCollector", "Walked"]

CHECK_EVERY = 1024  # matches between two looks at the clock


class DeadlineCollector(collectors.WrappingCollector):  # type: ignore[misc]
    """Collects as its child does, looking at the clock every so many matches.

    Not Whoosh's TimeLimitCollector, which starts a timer thread per search.
    """

    def __init__(self, child: Any, deadline: Callable[[], None]) -> None:
        super().__init__(child)
        self._deadline = deadline

    def matches(self) -> Iterator[int]:
        for n, sub_docnum in enumerate(self.child.matches()):
            if n % CHECK_EVERY == 0:
                self._deadline()
            yield sub_docnum

    def collect_matches(self) -> None:
        for sub_docnum in self.matches():
            self.child.collect(sub_docnum)


class Walked:
    """Every (score, document number) a query matches, best first, ties by
    document number: what Whoosh's TopCollector returns, to any depth."""

    def __init__(self, ranked: list[tuple[float, int]]) -> None:
        self._ranked = ranked
        self._scores = {docnum: score for score, docnum in ranked}
        # A ranking kept for a later search takes that search's deadline;
        # answers come from memory, so it is never looked at.
        self.deadline: Callable[[], None] = lambda: None

    @classmethod
    def of(
        cls, searcher: Searcher, query: wquery.Query, deadline: Callable[[], None]
    ) -> Walked:
        """Walk `query` once, scoring every match (SearchTimeoutError past
        `deadline`)."""
        collector = DeadlineCollector(searcher.collector(limit=None), deadline)
        searcher.search_with_collector(query, collector)
        ranked = [(float(score), docnum) for score, docnum in collector.results().top_n]
        return cls(ranked)

    def top(self, limit: int) -> list[tuple[float, int]]:
        """The `limit` best (score, document number), best first."""
        return self._ranked[: max(limit, 0)]

    def best_within(self, docnums: list[int]) -> tuple[float, int] | None:
        """The best (score, document number) among `docnums`; None if the
        query matches none of them."""
        found = [(self._scores[d], d) for d in docnums if d in self._scores]
        return min(found, key=lambda item: (-item[0], item[1])) if found else None

    def matching(self) -> list[int]:
        """Every document the query matches, sorted."""
        return sorted(self._scores)
