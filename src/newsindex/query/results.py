"""What a search returns besides its passages: the total, and why it is empty.

A search with no hits says which filter values the index has never seen,
with the closest values it has (`outlet 'Finantial Times'`: did you mean
Financial Times?), so a typo is not mistaken for "nothing was written".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from newsindex.engines.base import UnknownValue
from newsindex.records import Passage

if TYPE_CHECKING:
    from newsindex.query.plan import Plan

__all__ = ["SearchResults", "UnknownValue"]


class SearchResults(list[Passage]):
    """The passages of one search, best first, and what else it found.

    `total`: how many articles match (all of them, not only those shown),
    counted when first asked. `unknown`: when no passage matched, the filter
    values the index has never seen. `signals`: for each passage, each
    ranking signal's share of its score (query/rank.py; empty when sorted
    by date or past the reranked pool).
    """

    def __init__(
        self,
        passages: Iterable[Passage],
        *,
        plan: Plan,
        count: Callable[[], int],
        unknown: tuple[UnknownValue, ...] = (),
        offset: int = 0,
        signals: Iterable[dict[str, float]] = (),
    ) -> None:
        super().__init__(passages)
        self.signals = list(signals)
        self.plan = plan
        self.unknown = unknown
        self.offset = offset
        self._count = count
        self._total: int | None = None

    @property
    def total(self) -> int:
        """How many articles have a passage that matches."""
        if self._total is None:
            self._total = self._count()
        return self._total

    def describe_empty(self) -> str:
        """The one line to show when nothing matched (or nothing past `offset`)."""
        if self.offset and self.total:
            noun = "article matches" if self.total == 1 else "articles match"
            return (
                f"no results past offset {self.offset}: {self.total} {noun} "
                f"{self.plan.text!r}"
            )
        why = "; ".join(value.describe() for value in self.unknown)
        return f"no passages match {self.plan.text!r}" + (f" ({why})" if why else "")
