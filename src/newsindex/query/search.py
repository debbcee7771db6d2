"""`search()`: ranked passages with provenance, under the CLI and library alike."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from whoosh import query as wquery

from newsindex.dates import parse_user_date
from newsindex.ingest.outlet import OutletRegistry
from newsindex.query.collapse import collapse_hits
from newsindex.query.parse import entity_filter, outlet_filter, parse_query
from newsindex.records import Passage, Source

if TYPE_CHECKING:
    from newsindex.index.store import Index

__all__ = ["DateBound", "search"]

DateBound = str | date | datetime | None


def search(
    index: Index,
    query: str,
    *,
    since: DateBound = None,
    until: DateBound = None,
    outlet: str | None = None,
    entity: str | None = None,
    limit: int = 10,
    collapse: bool = True,
    include_undated: bool = False,
    now: datetime | None = None,
) -> list[Passage]:
    """Return the best passages for `query`, best first.

    `since`/`until` take ISO dates, partial dates (`2021-10`), dates as written
    (`18 Oct 2021`) or relative ones (`yesterday`), resolved against `now`
    (default: the current time), both ends inclusive; they leave out articles
    without a date unless `include_undated`. `outlet` matches any alias of an
    outlet, `entity` any spelling of a name. With `collapse`, one passage per
    republication cluster is returned. Raises QueryError or DateParseError
    for malformed input.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit!r}")
    registry = OutletRegistry.default()
    searcher = index.searcher()
    parsed = parse_query(query, searcher.schema, registry)
    filters: list[wquery.Query] = [wquery.Term("kind", "passage")]
    if outlet:
        filters.append(outlet_filter(outlet, registry))
    if entity:
        filters.append(entity_filter(entity))
    if since is not None or until is not None:
        filters.append(
            _date_filter(since, until, include_undated, now or datetime.now(UTC))
        )
    combined = wquery.And(filters)

    def fetch(n: int) -> list[tuple[dict[str, Any], float]]:
        results = searcher.search(parsed, filter=combined, limit=n)
        return [(hit.fields(), float(hit.score or 0.0)) for hit in results]

    hits = collapse_hits(fetch, limit) if collapse else fetch(limit)
    return [_passage(fields, score) for fields, score in hits]


def _date_filter(
    since: DateBound, until: DateBound, include_undated: bool, now: datetime
) -> wquery.Query:
    start = _bound(since, now, end=False)
    stop = _bound(until, now, end=True)
    # Whoosh's DATETIME holds naive UTC (store.py converts before writing).
    dated = wquery.DateRange(
        "published",
        start.replace(tzinfo=None) if start else None,
        stop.replace(tzinfo=None) if stop else None,
    )
    if include_undated:
        return wquery.Or([dated, wquery.Not(wquery.Every("published"))])
    return dated


def _bound(value: DateBound, now: datetime, *, end: bool) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        return parse_user_date(value, now=now, end=end)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC)
    return datetime.combine(value, time.max if end else time.min, tzinfo=UTC)


def _passage(fields: dict[str, Any], score: float) -> Passage:
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
    )
