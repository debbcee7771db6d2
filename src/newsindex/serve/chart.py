"""The timeline above the web page's results: an SVG bar chart drawn here.

No script draws it: the server lays out one bar per period, each a link
that sets the search's since/until to that period, each with a text
alternative (`2021-10: 2 articles`), so it reads with a screen reader and
without JavaScript.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct

from newsindex.query.timeline import Timeline, timeline

if TYPE_CHECKING:
    from newsindex.index.base import Index

__all__ = ["Bar", "Chart", "page_chart"]

WIDTH, HEIGHT = 600, 120  # the SVG's own units; CSS scales it to the column
_MOST_BARS = 60  # more months than this: the chart counts years


class Bar(Struct, frozen=True):
    """One period's bar, in SVG units, with its link and its words."""

    x: float
    y: float
    width: float
    height: float
    label: str  # `2021-10: 2 articles`
    href: str


class Chart(Struct, frozen=True):
    """What the template draws: the bars, the first and last period's names."""

    by: str
    bars: tuple[Bar, ...]
    first: str
    last: str
    most: int
    undated: int
    summary: str  # the chart in one sentence, for the SVG's <title>


def page_chart(index: Index, values: dict[str, Any], link: Any) -> Chart | None:
    """The chart of a page's search (by month, or by year past 60 months);
    None when no matching article is dated. `link(**change)` makes a URL."""
    filters = {k: values[k] for k in ("since", "until", "outlet", "entity")}
    chart = timeline(index, values["q"], by="month", **filters)
    if len(chart.periods) > _MOST_BARS:
        chart = timeline(index, values["q"], by="year", **filters)
    if not chart.dated:
        return None
    return _laid_out(chart, link)


def _laid_out(chart: Timeline, link: Any) -> Chart:
    periods = chart.periods
    most = max(p.count for p in periods)
    step = WIDTH / len(periods)
    gap = min(2.0, step / 4)
    bars = []
    for n, p in enumerate(periods):
        height = HEIGHT * p.count / most
        noun = "article" if p.count == 1 else "articles"
        bars.append(
            Bar(
                x=round(n * step + gap / 2, 2),
                y=round(HEIGHT - height, 2),
                width=round(step - gap, 2),
                height=round(height, 2),
                label=f"{p.period}: {p.count} {noun}",
                href=link(since=p.since.isoformat(), until=p.until.isoformat()),
            )
        )
    noun = "article" if chart.dated == 1 else "articles"
    summary = (
        f"{chart.dated} dated {noun} per {chart.by}, {periods[0].period} to "
        f"{periods[-1].period}, at most {most} in one {chart.by}"
    )
    return Chart(
        by=chart.by,
        bars=tuple(bars),
        first=periods[0].period,
        last=periods[-1].period,
        most=most,
        undated=chart.undated,
        summary=summary,
    )
