"""`search()`: ranked passages with provenance, under the CLI and library alike.

The query text and the options become one query tree (`plan.py`); the
index's engine runs it (`newsindex.engines`), hits are collapsed by
republication cluster, a copy is shown as its earliest, and each becomes a
Passage with its provenance. Nothing here knows which engine runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from msgspec.structs import replace

from newsindex.engines.base import SORTS, PassageHit, QueryRun, Sort
from newsindex.query.collapse import collapse_hits
from newsindex.query.plan import DateBound, Plan, bound, plan_search
from newsindex.query.rank import RankedRun, default_ranking, query_words
from newsindex.query.results import SearchResults
from newsindex.records import AlsoIn, Passage, Source

if TYPE_CHECKING:
    from newsindex.archive import ClusterInfo
    from newsindex.index.base import Index

__all__ = ["DateBound", "Sort", "search"]


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
    run = index.engine().run(plan.tree, plan.text)
    weights, embedder = default_ranking()
    ranked = RankedRun(run, query_words(plan.tree), weights=weights, embedder=embedder)
    original = (
        (bound(since, clock, end=False), bound(until, clock, end=True))
        if by_original_date
        else None
    )
    copies = collapse and not all_copies
    clusters: dict[str, ClusterInfo] = {}

    def fetch(n: int) -> list[PassageHit]:
        hits = (
            ranked.fetch(n, passages_per_article)
            if sort == "relevance"
            else run.fetch(n, sort, passages_per_article)
        )
        if copies or original is not None:
            ids = {hit.article_id for hit in hits} - clusters.keys()
            clusters.update(index.archive().clusters_of(ids))
        if copies:
            hits = [_in_cluster(hit, clusters.get(hit.article_id)) for hit in hits]
        if original is not None:
            hits = [h for h in hits if _in_window(h, clusters, original, plan)]
        return hits

    wanted = offset + limit
    while True:
        hits = (
            collapse_hits(fetch, wanted, per_key=passages_per_article)
            if collapse
            else fetch(wanted)
        )
        shown = [_shown(run, h, clusters.get(h.article_id) if copies else None)
                 for h in hits]  # fmt: skip
        # The article whose rank a shown copy stands at, for its signals.
        ranked_as = {
            s.article_id: h.article_id for h, (s, _) in zip(hits, shown, strict=True)
        }
        if (
            sort == "relevance"
            or not copies
            or _dates_settled(hits, shown, wanted, sort)
        ):
            break
        wanted *= 2
    if sort != "relevance" and copies:
        shown.sort(key=_date_key(sort))
    passages = []
    signals = []
    for hit, info in shown[offset : offset + limit]:
        origin = ranked_as.get(hit.article_id, hit.article_id)
        signals.append(ranked.signals(origin))
        passage = _passage(hit, run.highlights(hit.text))
        if info is not None:
            also = tuple(
                AlsoIn(article_id=m.article_id, outlet=m.outlet, published=m.published)
                for m in info.members
                if m.article_id != passage.article_id
            )
            passage = replace(passage, also_in=also)
        passages.append(passage)
    unknown = run.unknown_values() if not passages else ()
    return SearchResults(
        passages,
        plan=plan,
        count=run.count_articles,
        unknown=unknown,
        offset=offset,
        signals=signals,
    )


def _in_cluster(hit: PassageHit, info: ClusterInfo | None) -> PassageHit:
    """The hit with the republication cluster it collapses by."""
    return replace(hit, cluster=info.cluster_id) if info is not None else hit


def _shown(
    run: QueryRun, hit: PassageHit, info: ClusterInfo | None
) -> tuple[PassageHit, ClusterInfo | None]:
    """The hit as shown: a republished copy is attributed to its earliest copy."""
    if info is not None and info.earliest != hit.article_id:
        hit = run.best_of(info.earliest) or hit
    return hit, info


def _date_key(
    sort: Sort,
) -> Callable[[tuple[PassageHit, Any]], tuple[bool, float]]:
    sign = -1 if sort == "-date" else 1

    def key(item: tuple[PassageHit, Any]) -> tuple[bool, float]:
        when = item[0].published
        return (
            when is None,
            sign * when.replace(tzinfo=UTC).timestamp() if when else 0.0,
        )

    return key


def _dates_settled(
    hits: list[PassageHit],
    shown: list[tuple[PassageHit, Any]],
    wanted: int,
    sort: Sort,
) -> bool:
    """Whether the first `wanted` shown hits, ordered by their shown dates, are
    the true first ones.

    A copy shown in place of a later one can only move back (`-date`): the
    order is settled once the `wanted`-th shown date is no older than the
    last hit fetched, or when there are no more hits.
    """
    if sort == "date" or len(hits) < wanted:
        return True
    last = hits[-1].published
    if last is None:
        return True
    ordered = sorted(shown, key=_date_key(sort))
    when = ordered[wanted - 1][0].published
    return when is not None and when >= last


def _in_window(
    hit: PassageHit,
    clusters: dict[str, ClusterInfo],
    window: tuple[datetime | None, datetime | None],
    plan: Plan,
) -> bool:
    """Whether a hit's original date (its cluster's earliest) is in the window."""
    info = clusters.get(hit.article_id)
    when = info.original_published if info is not None else hit.published
    if when is None:
        return plan.include_undated
    start, stop = (b.replace(tzinfo=None) if b else None for b in window)
    return (start is None or when >= start) and (stop is None or when <= stop)


def _passage(hit: PassageHit, highlights: tuple[tuple[int, int], ...]) -> Passage:
    prov = hit.provenance
    src = prov["source"]
    return Passage(
        article_id=hit.article_id,
        start=hit.start,
        end=hit.end,
        text=hit.text,
        score=round(hit.score, 6),
        outlet=prov["outlet"],
        published=prov["published"],
        title=prov["title"],
        bylines=tuple(prov["bylines"]),
        source=Source(
            path=src["path"], record=src["record"], docno=src["docno"], url=src["url"]
        ),
        source_start=hit.source_start,
        source_end=hit.source_end,
        highlights=highlights,
    )
