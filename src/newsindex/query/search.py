"""`search()`: ranked passages with provenance, under the CLI and library alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Literal

from whoosh import query as wquery
from whoosh import sorting
from whoosh.searching import Searcher

from newsindex.dates import parse_user_date
from newsindex.ingest.outlet import OutletRegistry
from newsindex.query.collapse import Hit, collapse_hits
from newsindex.query.columns import Only, outlet_keys, use_columns
from newsindex.query.highlight import QueryTerms, matched_spans
from newsindex.query.parse import Aliases, entity_filter, outlet_filter, parse_query
from newsindex.query.window import DateWindow
from newsindex.records import AlsoIn, Passage, Source

if TYPE_CHECKING:
    from newsindex.archive import ClusterInfo
    from newsindex.index.store import Index

__all__ = ["DateBound", "Filters", "Sort", "search"]

DateBound = str | date | datetime | None
Sort = Literal["relevance", "date", "-date"]
SORTS: tuple[Sort, ...] = ("relevance", "date", "-date")


@dataclass(frozen=True, slots=True)
class Filters:
    """What a search is limited to besides its words.

    `terms` (kind, outlet, entity) are folded into the query; the date
    `window` is checked on the documents the query matches (see window.py).
    """

    terms: wquery.Query
    window: DateWindow | None = None

    def restrict(self, parsed: wquery.Query) -> wquery.Query:
        """The query with the term filters folded in, adding nothing to the score.

        Not Whoosh's `filter=`, which first collects every document the filter
        matches (all 400,000 passages for `kind:passage`): see columns.py.
        """
        if isinstance(self.terms, wquery.Every):
            return parsed
        return Only(parsed, self.terms)

    def allowed(self, searcher: Searcher) -> Any:
        """The `filter=` for a search: the date window, if any."""
        return self.window.docs(searcher) if self.window is not None else None


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
) -> list[Passage]:
    """Return the best passages for `query`, best first (or by date with `sort`).

    `since`/`until` take ISO dates, partial dates (`2021-10`), dates as written
    (`18 Oct 2021`) or relative ones (`yesterday`), resolved against `now`
    (default: the current time), both ends inclusive; they leave out articles
    without a date unless `include_undated`. `outlet` matches any alias of an
    outlet, `entity` any spelling of a name. With `collapse`, at most
    `passages_per_article` passages per republication cluster are returned,
    from its earliest copy, the other copies listed in `also_in`
    (`all_copies`: per article instead). `by_original_date` applies
    since/until to a republished copy's original date. `offset` skips that
    many results, for paging. Raises QueryError or DateParseError for
    malformed input.
    """
    if limit < 1 or offset < 0 or passages_per_article < 1:
        raise ValueError(
            f"need limit >= 1, offset >= 0, passages_per_article >= 1: "
            f"{limit!r}, {offset!r}, {passages_per_article!r}"
        )
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}: {sort!r}")
    searcher = index.searcher()
    clock = now or datetime.now(UTC)
    dates = (since, until) if not by_original_date else (None, None)
    parsed, filters = prepare(
        searcher, query, *dates, outlet, entity, include_undated, clock,
        aliases=lambda name: index.archive().entity_keys(name),
        spellings=lambda name: index.archive().spellings(name),
    )  # fmt: skip
    clusters: dict[str, ClusterInfo] = {}
    window = (
        (_bound(since, clock, end=False), _bound(until, clock, end=True))
        if by_original_date
        else None
    )

    def fetch(n: int) -> list[Hit]:
        hits = _fetch(searcher, parsed, filters, n, sort)
        if (collapse and not all_copies) or window is not None:
            ids = {fields["article_id"] for fields, _ in hits} - clusters.keys()
            clusters.update(index.archive().clusters_of(ids))
        for fields, _ in hits:
            info = clusters.get(fields["article_id"])
            fields["cluster"] = (
                info.cluster_id if info and not all_copies else fields["article_id"]
            )
        if window is not None:
            hits = [
                h for h in hits if _in_window(h[0], clusters, window, include_undated)
            ]
        return hits

    wanted = offset + limit
    if collapse:
        hits = collapse_hits(fetch, wanted, per_key=passages_per_article)[offset:]
    else:
        hits = fetch(wanted)[offset:]
    terms = QueryTerms.of(parsed)
    passages = []
    for fields, score in hits:
        info = (
            clusters.get(fields["article_id"]) if collapse and not all_copies else None
        )
        if info is not None and info.earliest != fields["article_id"]:
            fields, score = _earliest_copy(searcher, parsed, filters, info) or (
                fields,
                score,
            )
        passage = _passage(fields, score, terms)
        if info is not None:
            also = tuple(
                AlsoIn(article_id=m.article_id, outlet=m.outlet, published=m.published)
                for m in info.members
                if m.article_id != passage.article_id
            )
            passage = replace(passage, also_in=also)
        passages.append(passage)
    return passages


def _earliest_copy(
    searcher: Searcher, parsed: wquery.Query, filters: Filters, info: ClusterInfo
) -> Hit | None:
    """The best passage of a cluster's earliest copy: attribution goes to it."""
    query = Only(filters.restrict(parsed), wquery.Term("article_id", info.earliest))
    found = _hits(searcher.search(query, limit=1, filter=filters.allowed(searcher)))
    return found[0] if found else None


def _in_window(
    fields: dict[str, Any],
    clusters: dict[str, ClusterInfo],
    window: tuple[datetime | None, datetime | None],
    include_undated: bool,
) -> bool:
    """Whether a hit's original date (its cluster's earliest) is in the window."""
    info = clusters.get(fields["article_id"])
    when = info.original_published if info is not None else fields.get("published")
    if when is None:
        return include_undated
    start, stop = (b.replace(tzinfo=None) if b else None for b in window)
    return (start is None or when >= start) and (stop is None or when <= stop)


def prepare(
    searcher: Searcher,
    query: str,
    since: DateBound,
    until: DateBound,
    outlet: str | None,
    entity: str | None,
    include_undated: bool,
    now: datetime | None,
    aliases: Aliases | None = None,
    spellings: Aliases | None = None,
) -> tuple[wquery.Query, Filters]:
    """Parse the query and build the filters every search and facet count shares."""
    registry = OutletRegistry.default()
    parsed = parse_query(query, searcher.schema, registry, aliases, spellings)
    filters: list[wquery.Query] = []
    words = _matches_text(parsed)
    if not words:
        # Only passages have text and title, so a text query needs no `kind`
        # filter; a filter-only query (`outlet:TASS`) does.
        filters.append(wquery.Term("kind", "passage"))
    parsed = use_columns(parsed, _matches_text)
    if outlet and words:
        clause = outlet_filter(outlet, registry)
        parsed = Only(parsed, clause, outlet_keys(clause))
    elif outlet:
        filters.append(outlet_filter(outlet, registry))
    if entity:
        filters.append(entity_filter(entity, aliases))
    window = None
    if since is not None or until is not None:
        clock = now or datetime.now(UTC)
        window = _date_window(since, until, include_undated, clock)
    terms = wquery.And(filters) if filters else wquery.Every()
    return parsed, Filters(terms, window)


def _matches_text(query: wquery.Query) -> bool:
    if isinstance(query, wquery.Not):
        return False
    if query.is_leaf():
        return getattr(query, "fieldname", None) in ("text", "title")
    if isinstance(query, wquery.And):
        return any(_matches_text(child) for child in query.children())
    return all(_matches_text(child) for child in query.children())


def _fetch(
    searcher: Searcher,
    parsed: wquery.Query,
    filters: Filters,
    n: int,
    sort: Sort,
) -> list[Hit]:
    """The top `n` hits in the order asked for; undated last when sorting by date."""
    query = filters.restrict(parsed)
    if sort == "relevance":
        allowed = filters.allowed(searcher)
        return _hits(searcher.search(query, limit=n, filter=allowed))
    window = filters.window or DateWindow()
    # Same day: the better passage first, so collapsing keeps an article's best.
    order = sorting.MultiFacet(
        [sorting.FieldFacet("published", reverse=sort == "-date"), sorting.ScoreFacet()]
    )
    dated = replace(window, undated=False).docs(searcher)
    hits = _hits(searcher.search(query, filter=dated, limit=n, sortedby=order))
    if len(hits) < n and (filters.window is None or window.undated):
        undated = DateWindow(dated=False, undated=True).docs(searcher)
        hits += _hits(searcher.search(query, filter=undated, limit=n - len(hits)))
    return hits


def _hits(results: Any) -> list[Hit]:
    return [(hit.fields(), _relevance(hit.score)) for hit in results]


def _relevance(score: Any) -> float:
    # Sorted by (date, score), Whoosh reports the sort key: (date key, -score).
    if isinstance(score, tuple):
        return -float(score[-1])
    return float(score or 0.0)


def _date_window(
    since: DateBound, until: DateBound, include_undated: bool, now: datetime
) -> DateWindow:
    start = _bound(since, now, end=False)
    stop = _bound(until, now, end=True)
    # Whoosh's DATETIME holds naive UTC (store.py converts before writing).
    return DateWindow(
        start.replace(tzinfo=None) if start else None,
        stop.replace(tzinfo=None) if stop else None,
        undated=include_undated,
    )


def _bound(value: DateBound, now: datetime, *, end: bool) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        return parse_user_date(value, now=now, end=end)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC)
    return datetime.combine(value, time.max if end else time.min, tzinfo=UTC)


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
