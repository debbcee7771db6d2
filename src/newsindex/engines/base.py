"""The engine interface: what the query layer asks of a search engine.

A `SearchEngine` reads one commit of an index. `run(tree, text)` prepares
a query tree (raising QueryError for what the engine cannot run, such as
a pattern that expands past `max_expansion`) and returns a `QueryRun`,
whose answers all come from that one commit:

    fetch(n, sort, k)    the top n passages, best first or by date (undated last)
    best_of(article_id)  the best passage of one article the tree matches
    count_articles()     how many articles the tree matches
    facets(names)        article counts per outlet / month
    histogram(by, split) dated articles per day / week / month / year (and
                         per outlet), each period named by its first day
    unknown_values()     the tree's filter values no article holds, with the
                         closest ones that some article does
    highlights(text)     the spans of a passage's text that match its words

Scores are the engine's own (BM25 on both engines, not equal digit for
digit); what the tree selects is the same on every engine.

A `StoreWriter` is how an update writes to an engine: articles (with their
passages), the manifest entry of each file and the progress of a split
container, deleted by source path, all made visible together by `commit`
(on Whoosh one atomic commit; on OpenSearch per document, see the README).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal, Protocol

from msgspec import Struct

from newsindex.query.tree import Node
from newsindex.records import Article

__all__ = [
    "FACETS",
    "INTERVALS",
    "SORTS",
    "Bucket",
    "Interval",
    "OutletCount",
    "PassageHit",
    "Progress",
    "QueryRun",
    "SearchEngine",
    "Sort",
    "StoreWriter",
    "UnknownValue",
    "check_facets",
    "check_interval",
    "period_start",
    "provenance",
]

Sort = Literal["relevance", "date", "-date"]
SORTS: tuple[Sort, ...] = ("relevance", "date", "-date")
FACETS = ("month", "outlet")
Interval = Literal["day", "week", "month", "year"]
INTERVALS: tuple[Interval, ...] = ("day", "week", "month", "year")


class Bucket(Struct, frozen=True):
    """How many dated articles of one period (and one outlet) a tree matches.

    `start`: the period's first day in UTC (a week starts on Monday, as ISO
    8601 weeks do). `outlet`: the outlet's display name under a split by
    outlet (`unknown` for articles without one), else None.
    """

    start: date
    count: int
    outlet: str | None = None


class PassageHit(Struct, frozen=True):
    """One matching passage as an engine stored it, with its score.

    `provenance`: the article's outlet, published, title, bylines and
    source, as `index/documents.py` wrote them. `published`: the article's
    date in UTC, naive (None: undated). `highlights`: spans of `text` that
    match the query's words. `cluster`: the republication cluster it is
    collapsed by (its own article id until the archive says otherwise).
    """

    article_id: str
    start: int
    end: int
    text: str
    score: float
    published: datetime | None
    provenance: dict[str, Any]
    source_start: int | None = None
    source_end: int | None = None
    highlights: tuple[tuple[int, int], ...] = ()
    cluster: str = ""


class UnknownValue(Struct, frozen=True):
    """A filter value no article in the index has, and the nearest ones it has."""

    field: str
    value: str
    suggestions: tuple[str, ...]

    def describe(self) -> str:
        """`outlet 'X' is not in the index (did you mean: A, B?)`, on one line."""
        text = f"{self.field} {self.value!r} is not in the index"
        if self.suggestions:
            text += f" (did you mean: {', '.join(self.suggestions)}?)"
        return text


class OutletCount(Struct, frozen=True):
    """How many articles one outlet has in the index, and over which dates."""

    name: str
    articles: int
    first: datetime | None  # UTC, naive, as stored; None if no article is dated
    last: datetime | None

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form: dates as ISO 8601 days."""
        return {
            "name": self.name,
            "articles": self.articles,
            "first": self.first.date().isoformat() if self.first else None,
            "last": self.last.date().isoformat() if self.last else None,
        }


class QueryRun(Protocol):
    """One query tree on one commit of an index."""

    def fetch(self, n: int, sort: Sort, per_article: int = 1) -> list[PassageHit]:
        """The top `n` passages in the order asked; by date, the undated last.

        `per_article`: how many passages of one article will be shown, for
        an engine that ranks articles and brings their best passages.
        """
        ...

    def best_of(self, article_id: str) -> PassageHit | None:
        """The best passage of one article among those the tree matches."""
        ...

    def count_articles(self) -> int:
        """How many articles the tree matches."""
        ...

    def facets(self, names: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        """Articles per outlet (most first) and per month (`YYYY-MM` in order);
        `unknown` and `undated` name the articles without one."""
        ...

    def histogram(self, by: Interval, split: bool = False) -> list[Bucket]:
        """Dated articles per period (per outlet too with `split`), in date
        order then most articles first; periods without any are left out."""
        ...

    def unknown_values(self) -> tuple[UnknownValue, ...]:
        """The tree's filter values that no article in the index holds."""
        ...

    def highlights(self, text: str) -> tuple[tuple[int, int], ...]:
        """The spans of a passage's `text` that match the tree's words."""
        ...


class SearchEngine(Protocol):
    """What the query layer reads an index through, at one commit."""

    def run(self, tree: Node, text: str) -> QueryRun:
        """Prepare `tree` (typed as `text`); QueryError if it cannot run."""
        ...

    def outlets(self) -> list[OutletCount]:
        """Every outlet with its article count and dates, most articles first."""
        ...

    def warm(self) -> None:
        """Read now what every search of this commit reads on first use (a
        server calls it as it starts, so that its first searches do not wait)."""
        ...


def check_facets(names: Sequence[str]) -> None:
    """ValueError naming the first of `names` that is not a facet."""
    unknown = sorted(set(names) - set(FACETS))
    if unknown:
        raise ValueError(f"no facet named {unknown[0]!r} (facets: {', '.join(FACETS)})")


def check_interval(by: str) -> Interval:
    """`by` as an Interval; ValueError if it is not one."""
    for interval in INTERVALS:
        if by == interval:
            return interval
    raise ValueError(f"no interval named {by!r} (intervals: {', '.join(INTERVALS)})")


def period_start(day: date, by: Interval) -> date:
    """The first day of the period `day` falls in: itself, its week's Monday,
    the first of its month or of its year."""
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    if by == "year":
        return day.replace(month=1, day=1)
    return day


def provenance(article: Article) -> dict[str, Any]:
    """What a passage carries of its article: outlet, date, title, bylines, source."""
    return {
        "outlet": article.outlet.name if article.outlet else None,
        "published": article.published.iso() if article.published else None,
        "title": article.title,
        "bylines": list(article.bylines),
        "source": article.source.to_dict(),
    }


class Progress(Struct, frozen=True):
    """How much of a split container (a large export read in parts) is committed."""

    digest: str  # the content hash of the file these records were read from
    records: int  # its first `records` records are committed (or skipped)
    articles: int  # the articles they gave


class StoreWriter(Protocol):
    """One commit's worth of changes to an index, as an update makes them."""

    def delete_path(self, path: str) -> None:
        """Delete every article read from `path`, its manifest entry and progress."""
        ...

    def add_articles(self, articles: Sequence[Article]) -> None:
        """Add articles (each with its passages)."""
        ...

    def add_file(self, path: str, digest: str, articles: int) -> None:
        """Record that `path` (content hash `digest`) gave `articles` articles."""
        ...

    def set_progress(self, path: str, progress: Progress | None) -> None:
        """Replace a split container's progress entry (None: remove it)."""
        ...

    def commit(self) -> None:
        """Make every change since the writer opened visible to searches."""
        ...

    def cancel(self) -> None:
        """Drop the changes not committed (where the engine can)."""
        ...
