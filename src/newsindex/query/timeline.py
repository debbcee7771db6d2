"""Coverage over time: how many articles match a query per day, week, month
or year, and per outlet.

A period's count is what `search` counts for the same query with that
period's first and last day as `--since` and `--until` (UTC, both ends
inclusive): articles, not passages, and undated articles in no period.
Between the first and last period, empty periods are listed with 0, so a
chart shows the gaps; under a split by outlet only non-empty rows are.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from msgspec import Struct

from newsindex.engines.base import (
    INTERVALS,
    Bucket,
    Interval,
    check_interval,
    period_start,
)
from newsindex.errors import UsageError
from newsindex.query.plan import DateBound, bound, plan_search

if TYPE_CHECKING:
    from newsindex.index.base import Index

__all__ = [
    "INTERVALS",
    "MAX_PERIODS",
    "Interval",
    "Period",
    "Timeline",
    "period_label",
    "timeline",
]

Split = Literal["outlet"]
MAX_PERIODS = 100_000  # a day-by-day chart of 270 years; past it, ask for --by


class Period(Struct, frozen=True):
    """One period of a timeline: its label, first and last day, and count."""

    period: str  # 2017-03-05, 2017-W09, 2017-03 or 2017
    since: date
    until: date
    count: int
    outlet: str | None = None  # under a split by outlet

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: `{"period": "2017-03", "count": 4}`, and the outlet
        under a split."""
        data: dict[str, Any] = {"period": self.period, "count": self.count}
        if self.outlet is not None:
            data["outlet"] = self.outlet
        return data


class Timeline(Struct, frozen=True):
    """A query's articles over time.

    `periods`: in date order (under a split, most articles first within a
    period). `total`: every article the query matches; `undated`: those of
    them without a date, which no period holds.
    """

    query: str
    by: Interval
    split: Split | None
    periods: tuple[Period, ...]
    total: int
    undated: int

    @property
    def dated(self) -> int:
        """How many matching articles the periods hold."""
        return self.total - self.undated


def timeline(
    index: Index,
    query: str,
    *,
    by: str = "month",
    split: str | None = None,
    since: DateBound = None,
    until: DateBound = None,
    outlet: str | None = None,
    entity: str | None = None,
    now: datetime | None = None,
) -> Timeline:
    """Count the articles matching `query` per period of `by` (day, week,
    month, year), per outlet too with `split="outlet"`.

    The filters are search()'s. Raises UsageError for an unknown `by` or
    `split` or a chart of more than MAX_PERIODS periods, and what search()
    raises for a malformed query or date.
    """
    try:
        interval = check_interval(by)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if split not in (None, "outlet"):
        raise UsageError(f"can split a timeline by outlet only, not {split!r}")
    clock = now or datetime.now(UTC)
    plan = plan_search(
        index, query, since=since, until=until, outlet=outlet, entity=entity,
        now=clock,
    )  # fmt: skip
    run = index.engine().run(plan.tree, plan.text)
    buckets = run.histogram(interval, split=split == "outlet")
    total = run.count_articles()
    dated = sum(b.count for b in buckets)
    first, last = (
        _day(bound(v, clock, end=e)) for v, e in ((since, False), (until, True))
    )
    periods = (
        _split_periods(buckets, interval)
        if split
        else _filled(buckets, interval, first, last)
    )
    return Timeline(
        query=query,
        by=interval,
        split="outlet" if split else None,
        periods=periods,
        total=total,
        undated=total - dated,
    )


def period_label(start: date, by: Interval) -> str:
    """A period's name: 2017-03-05, 2017-W09 (ISO week), 2017-03 or 2017."""
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if by == "year":
        return f"{start.year:04d}"
    return start.isoformat()


def _next(start: date, by: Interval) -> date:
    """The first day of the period after the one starting on `start`."""
    if by == "day":
        return start + timedelta(days=1)
    if by == "week":
        return start + timedelta(days=7)
    if by == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def _period(start: date, by: Interval, count: int, outlet: str | None) -> Period:
    return Period(
        period=period_label(start, by),
        since=start,
        until=_next(start, by) - timedelta(days=1),
        count=count,
        outlet=outlet,
    )


def _filled(
    buckets: list[Bucket], by: Interval, first: date | None, last: date | None
) -> tuple[Period, ...]:
    """Every period from the first to the last, 0 where nothing matched.

    The range runs from `first` (the --since day) or else the first bucket,
    to `last` (the --until day) or else the last bucket.
    """
    counts = {b.start: b.count for b in buckets}
    if not counts and (first is None or last is None):
        return ()
    start = period_start(first or min(counts), by)
    stop = period_start(last or max(counts), by)
    periods: list[Period] = []
    while start <= stop:
        if len(periods) == MAX_PERIODS:
            raise UsageError(
                f"more than {MAX_PERIODS:,} periods to chart by {by}: "
                "choose a longer period (--by) or narrower dates"
            )
        periods.append(_period(start, by, counts.get(start, 0), None))
        start = _next(start, by)
    return tuple(periods)


def _split_periods(buckets: list[Bucket], by: Interval) -> tuple[Period, ...]:
    return tuple(_period(b.start, by, b.count, b.outlet) for b in buckets)


def _day(instant: datetime | None) -> date | None:
    # Dates before year 1 or after 9999 cannot be days of a chart.
    return instant.astimezone(UTC).date() if instant is not None else None
