"""`search()`: ranked passages with provenance, under the CLI and library alike.

The query text and the options become one query tree (`plan.py`); the tree
is translated for Whoosh (`to_whoosh.py`) and run, hits are collapsed by
republication cluster, and each becomes a Passage with its provenance.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from whoosh import collectors, sorting
from whoosh import query as wquery
from whoosh.reading import ReaderClosed
from whoosh.searching import Searcher

from newsindex.errors import SearchTimeoutError
from newsindex.query.collapse import Hit, collapse_hits
from newsindex.query.columns import Only
from newsindex.query.highlight import QueryTerms, matched_spans
from newsindex.query.plan import DateBound, Plan, bound, plan_search
from newsindex.query.results import SearchResults, unknown_values
from newsindex.query.to_whoosh import Compiled, Translator
from newsindex.query.window import DateWindow, date_window
from newsindex.records import AlsoIn, Passage, Source
from newsindex.settings import settings

if TYPE_CHECKING:
    from newsindex.archive import ClusterInfo
    from newsindex.index.store import Index

__all__ = ["DateBound", "Sort", "compile_plan", "search"]

Sort = Literal["relevance", "date", "-date"]
SORTS: tuple[Sort, ...] = ("relevance", "date", "-date")
_CHECK_EVERY = 1024  # hits between two looks at the clock


def search(
    index: Index,
    query: str,
    *,
    since: DateBound = None,
    until: DateBound = None,
    outlet: str | None = None,
    entity: str | None = None,
    limit: int = 10,
    offset: int = 0,
    sort: Sort = "relevance",
    collapse: bool = True,
    passages_per_article: int = 1,
    include_undated: bool = False,
    all_copies: bool = False,
    by_original_date: bool = False,
    now: datetime | None = None,
) -> SearchResults:
    """Return the best passages for `query`, best first (or by date with `sort`).

    `since`/`until` take ISO dates, partial dates (`2021-10`), dates as written
    (`18 Oct 2021`) or relative ones (`yesterday`), resolved against `now`
    (default: the current time), both ends inclusive; they leave out articles
    without a date unless `include_undated`. `outlet` matches any alias of an
    outlet, `entity` any spelling of a name; both join the query as AND.
    With `collapse`, at most `passages_per_article` passages per
    republication cluster are returned, from its earliest copy, the other
    copies listed in `also_in` (`all_copies`: per article instead).
    `by_original_date` applies since/until to a republished copy's original
    date. `offset` skips that many results, for paging.

    The result is a list of Passages with `total` (the matching articles)
    and, when nothing matched, `unknown` (filter values the index has never
    seen, with the closest it has). Raises QueryError or DateParseError for
    malformed input (UsageError if `since` is after `until`), and
    SearchTimeoutError past NEWSINDEX_SEARCH_SECONDS.
    """
    if limit < 1 or offset < 0 or passages_per_article < 1:
        raise ValueError(
            f"need limit >= 1, offset >= 0, passages_per_article >= 1: "
            f"{limit!r}, {offset!r}, {passages_per_article!r}"
        )
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}: {sort!r}")
    clock = now or datetime.now(UTC)
    plan = plan_search(
        index, query, since=since, until=until, outlet=outlet, entity=entity,
        include_undated=include_undated, by_original_date=by_original_date, now=clock,
    )  # fmt: skip
    run = _Run(index, plan)
    original = (
        (bound(since, clock, end=False), bound(until, clock, end=True))
        if by_original_date
        else None
    )
    copies = collapse and not all_copies
    clusters: dict[str, ClusterInfo] = {}

    def fetch(n: int) -> list[Hit]:
        hits = run.fetch(n, sort)
        if copies or original is not None:
            ids = {fields["article_id"] for fields, _ in hits} - clusters.keys()
            clusters.update(index.archive().clusters_of(ids))
        for fields, _ in hits:
            info = clusters.get(fields["article_id"])
            fields["cluster"] = (
                info.cluster_id if info and not all_copies else fields["article_id"]
            )
        if original is not None:
            hits = [h for h in hits if _in_window(h[0], clusters, original, plan)]
        return hits

    wanted = offset + limit
    while True:
        hits = (
            collapse_hits(fetch, wanted, per_key=passages_per_article)
            if collapse
            else fetch(wanted)
        )
        shown = [_shown(run, h, clusters.get(h[0]["article_id"]) if copies else None)
                 for h in hits]  # fmt: skip
        if (
            sort == "relevance"
            or not copies
            or _dates_settled(hits, shown, wanted, sort)
        ):
            break
        wanted *= 2
    if sort != "relevance" and copies:
        shown.sort(key=_date_key(sort))
    terms = QueryTerms.of(run.compiled.query)
    passages = []
    for (fields, score), info in shown[offset : offset + limit]:
        passage = _passage(fields, score, terms)
        if info is not None:
            also = tuple(
                AlsoIn(article_id=m.article_id, outlet=m.outlet, published=m.published)
                for m in info.members
                if m.article_id != passage.article_id
            )
            passage = replace(passage, also_in=also)
        passages.append(passage)
    unknown = unknown_values(run.searcher, plan.tree) if not passages else ()

    def count() -> int:
        try:
            return run.count_articles()
        except ReaderClosed:  # a newer commit replaced the searcher meanwhile
            return _Run(index, plan).count_articles()

    return SearchResults(
        passages, plan=plan, count=count, unknown=unknown, offset=offset
    )


def compile_plan(index: Index, plan: Plan) -> tuple[Searcher, Compiled]:
    """The searcher and the Whoosh query a plan runs as (for facets and tests)."""
    run = _Run(index, plan)
    return run.searcher, run.compiled


class _Run:
    """One plan on one searcher, within the search time budget."""

    def __init__(self, index: Index, plan: Plan) -> None:
        limits = settings()
        self.searcher = index.searcher()
        self.plan = plan
        self._seconds = limits.search_seconds
        self._deadline = _clock_deadline(self._seconds, plan.text)
        self.compiled = Translator(
            self.searcher,
            max_expansion=limits.max_expansion,
            deadline=self._deadline,
        ).compile(plan.tree, plan.text)
        window = self.compiled.window
        self.window = date_window(window) if window is not None else None

    def fetch(self, n: int, sort: Sort) -> list[Hit]:
        """The top `n` hits in the order asked; by date, the undated come last."""
        query = self.compiled.query
        if query is wquery.NullQuery:
            return []
        if sort == "relevance":
            allowed = self.window.docs(self.searcher) if self.window else None
            return self._search(query, n, allowed)
        window = self.window or DateWindow()
        # Same day: the better passage first, so collapsing keeps an article's best.
        order = sorting.MultiFacet(
            [
                sorting.FieldFacet("published", reverse=sort == "-date"),
                sorting.ScoreFacet(),
            ]
        )
        dated = replace(window, undated=False).docs(self.searcher)
        hits = self._search(query, n, dated, order)
        if len(hits) < n and (self.window is None or window.undated):
            undated = DateWindow(dated=False, undated=True).docs(self.searcher)
            hits += self._search(query, n - len(hits), undated)
        return hits

    def best_of(self, article_id: str) -> Hit | None:
        """The best passage of one article among those the plan matches."""
        query = Only(self.compiled.query, wquery.Term("article_id", article_id))
        allowed = self.window.docs(self.searcher) if self.window else None
        found = self._search(query, 1, allowed)
        return found[0] if found else None

    def count_articles(self) -> int:
        """How many articles have a passage the plan matches."""
        query = self.compiled.query
        if query is wquery.NullQuery:
            return 0
        allowed = self.window.docs(self.searcher) if self.window else None
        column = self.searcher.reader().column_reader("article_id")
        ids = set()
        for n, docnum in enumerate(self.searcher.docs_for_query(query)):
            if n % _CHECK_EVERY == 0:
                self._deadline()
            if allowed is None or docnum in allowed:
                ids.add(column[docnum])
        return len(ids)

    def _search(
        self,
        query: wquery.Query,
        limit: int,
        allowed: Any,
        sortedby: Any = None,
    ) -> list[Hit]:
        collector = _DeadlineCollector(
            self.searcher.collector(limit=limit, sortedby=sortedby), self._deadline
        )
        if allowed is not None:
            collector = collectors.FilterCollector(collector, allowed)
        self.searcher.search_with_collector(query, collector)
        return [(hit.fields(), _relevance(hit.score)) for hit in collector.results()]


class _DeadlineCollector(collectors.WrappingCollector):  # type: ignore[misc]
    """Collects as its child does, looking at the clock every so many matches.

    Not Whoosh's TimeLimitCollector, which starts a timer thread per search.
    """

    def __init__(self, child: Any, deadline: Callable[[], None]) -> None:
        super().__init__(child)
        self._deadline = deadline

    def matches(self) -> Iterator[int]:
        for n, sub_docnum in enumerate(self.child.matches()):
            if n % _CHECK_EVERY == 0:
                self._deadline()
            yield sub_docnum

    def collect_matches(self) -> None:
        for sub_docnum in self.matches():
            self.child.collect(sub_docnum)


def _clock_deadline(seconds: float, text: str) -> Callable[[], None]:
    """A check that raises SearchTimeoutError once `seconds` have passed."""
    stop = time.monotonic() + seconds

    def check() -> None:
        if time.monotonic() > stop:
            raise SearchTimeoutError(text, seconds)

    return check


def _shown(
    run: _Run, hit: Hit, info: ClusterInfo | None
) -> tuple[Hit, ClusterInfo | None]:
    """The hit as shown: a republished copy is attributed to its earliest copy."""
    if info is not None and info.earliest != hit[0]["article_id"]:
        hit = run.best_of(info.earliest) or hit
    return hit, info


def _date_key(sort: Sort) -> Callable[[tuple[Hit, Any]], tuple[bool, float]]:
    sign = -1 if sort == "-date" else 1

    def key(item: tuple[Hit, Any]) -> tuple[bool, float]:
        when = item[0][0].get("published")
        return (
            when is None,
            sign * when.replace(tzinfo=UTC).timestamp() if when else 0.0,
        )

    return key


def _dates_settled(
    hits: list[Hit], shown: list[tuple[Hit, Any]], wanted: int, sort: Sort
) -> bool:
    """Whether the first `wanted` shown hits, ordered by their shown dates, are
    the true first ones.

    A copy shown in place of a later one can only move back (`-date`): the
    order is settled once the `wanted`-th shown date is no older than the
    last hit fetched, or when there are no more hits.
    """
    if sort == "date" or len(hits) < wanted:
        return True
    last = hits[-1][0].get("published")
    if last is None:
        return True
    ordered = sorted(shown, key=_date_key(sort))
    when = ordered[wanted - 1][0][0].get("published")
    return when is not None and when >= last


def _in_window(
    fields: dict[str, Any],
    clusters: dict[str, ClusterInfo],
    window: tuple[datetime | None, datetime | None],
    plan: Plan,
) -> bool:
    """Whether a hit's original date (its cluster's earliest) is in the window."""
    info = clusters.get(fields["article_id"])
    when = info.original_published if info is not None else fields.get("published")
    if when is None:
        return plan.include_undated
    start, stop = (b.replace(tzinfo=None) if b else None for b in window)
    return (start is None or when >= start) and (stop is None or when <= stop)


def _relevance(score: Any) -> float:
    # Sorted by (date, score), Whoosh reports the sort key: (date key, -score).
    if isinstance(score, tuple):
        return -float(score[-1])
    return float(score or 0.0)


def _passage(fields: dict[str, Any], score: float, terms: QueryTerms) -> Passage:
    prov = json.loads(fields["provenance"])
    src = prov["source"]
    return Passage(
        article_id=fields["article_id"],
        start=fields["start"],
        end=fields["end"],
        text=fields["text"],
        score=round(score, 6),
        outlet=prov["outlet"],
        published=prov["published"],
        title=prov["title"],
        bylines=tuple(prov["bylines"]),
        source=Source(
            path=src["path"], record=src["record"], docno=src["docno"], url=src["url"]
        ),
        source_start=fields.get("source_start"),
        source_end=fields.get("source_end"),
        highlights=matched_spans(fields["text"], terms),
    )
