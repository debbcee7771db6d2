"""The JSON API under /api: parse parameters, call the library, answer JSON.

Bodies are the library's own JSON forms (`Passage.to_dict`,
`Article.to_dict`, `Index.entities`, `render.quote_dict`,
`OutletCount.to_dict`), each list wrapped in an object so that keys can be
added later. Errors are raised, never answered here: `http.py` turns them
into `{"error": message}` in one place.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct
from starlette.requests import Request
from starlette.responses import JSONResponse

from newsindex import render
from newsindex.index.base import Index
from newsindex.query import tree
from newsindex.query.facets import FACETS
from newsindex.query.results import SearchResults
from newsindex.query.timeline import Timeline
from newsindex.records import Article
from newsindex.serve import params
from newsindex.serve.readers import Readers

__all__ = [
    "Found",
    "article",
    "entities",
    "find",
    "outlets",
    "quotes",
    "readers",
    "search",
    "timeline",
    "timeline_body",
]


class Found(Struct, frozen=True):
    """A page of search results with the facet counts of all that matched."""

    passages: SearchResults
    facets: dict[str, list[tuple[str, int]]]
    total: int
    explain: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The /api/search body: results, total, facets as value/count objects,
        and with `explain` the query tree."""
        body = {
            "results": [p.to_dict() for p in self.passages],
            "total": self.total,
            "facets": {
                name: [{"value": value, "count": count} for value, count in counts]
                for name, counts in self.facets.items()
            },
        }
        if self.explain:
            body["explain"] = tree.to_dict(self.passages.plan.tree)
        return body


def find(index: Index, values: dict[str, Any]) -> Found:
    """Run a search and its facet counts on one index, from checked parameters."""
    filters = {key: values[key] for key in ("since", "until", "outlet", "entity")} | {
        "include_undated": values["include_undated"]
    }
    passages = index.search(
        values["q"],
        limit=values["limit"],
        offset=values["offset"],
        sort=values["sort"],
        **filters,
    )
    # Counted here, in the reader's thread (its searcher is not to be shared),
    # before the facets may open a newer commit.
    total = passages.total
    return Found(
        passages,
        index.facets(values["q"], FACETS, **filters),
        total=total,
        explain=values.get("explain", False),
    )


def timeline_body(chart: Timeline) -> dict[str, Any]:
    """The /api/timeline body: the periods in JSON form, each with its first
    and last day (the since/until that search counts the same), and how many
    matching articles are undated."""
    return {
        "by": chart.by,
        "total": chart.total,
        "undated": chart.undated,
        "timeline": [
            p.to_dict() | {"since": p.since.isoformat(), "until": p.until.isoformat()}
            for p in chart.periods
        ],
    }


def readers(request: Request) -> Readers:
    """The app's index readers (started by its lifespan)."""
    pool: Readers = request.app.state.readers
    return pool


async def search(request: Request) -> JSONResponse:
    """GET /api/search: passages best first, how many articles match, facets."""
    values = params.parse(request.query_params, params.SEARCH_API)
    found = await readers(request).run(lambda index: find(index, values))
    return JSONResponse(found.to_dict())


async def timeline(request: Request) -> JSONResponse:
    """GET /api/timeline: matching articles per period (and outlet)."""
    from newsindex.query.timeline import timeline as count_periods

    values = params.parse(request.query_params, params.TIMELINE)
    chart = await readers(request).run(
        lambda index: count_periods(index, values.pop("q"), **values)
    )
    return JSONResponse(timeline_body(chart))


async def article(request: Request) -> JSONResponse:
    """GET /api/articles/{id}: one stored article, the text passages point into."""
    params.parse(request.query_params, params.NONE)
    article_id = params.article_id(request.path_params["id"])
    found: Article = await readers(request).run(lambda index: index.get(article_id))
    return JSONResponse(found.to_dict())


async def entities(request: Request) -> JSONResponse:
    """GET /api/entities: people, organisations and places with their spellings."""
    values = params.parse(request.query_params, params.ENTITIES)
    rows = await readers(request).run(
        lambda index: index.entities(
            values["q"],
            type=values["type"],
            since=values["since"],
            limit=values["limit"],
        )
    )
    return JSONResponse({"entities": rows})


async def quotes(request: Request) -> JSONResponse:
    """GET /api/quotes: a quoted statement across the archive, earliest first."""
    values = params.parse(request.query_params, params.QUOTES)
    hits = await readers(request).run(
        lambda index: index.archive().find_quotes(values["q"], limit=values["limit"])
    )
    return JSONResponse({"quotes": [render.quote_dict(hit) for hit in hits]})


async def outlets(request: Request) -> JSONResponse:
    """GET /api/outlets: every outlet with its article count and date range."""
    params.parse(request.query_params, params.NONE)
    rows = await readers(request).run(lambda index: index.outlets())
    return JSONResponse({"outlets": [row.to_dict() for row in rows]})
