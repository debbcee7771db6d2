"""The web page: a search form with facets at /, one article at /articles/{id}.

Server-rendered with Jinja2 (autoescaped), a little JavaScript in
`static/app.js` for copying citations. The views below cut records into what
a template shows (runs of text marked or not, links that add a filter) so
the templates hold no logic beyond loops. An article opened from a result
carries the search in its URL, so its page links back to the same results.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from msgspec import Struct
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from newsindex import render
from newsindex.errors import UsageError
from newsindex.query.entity_facet import EntityCount
from newsindex.records import Article, Passage
from newsindex.serve import params
from newsindex.serve.api import Found, find, readers
from newsindex.serve.chart import Chart, page_chart

__all__ = [
    "ENTITY_FACET_SIZE",
    "Card",
    "FacetLink",
    "article_page",
    "back_link",
    "card_id",
    "entity_links",
    "error_page",
    "facet_links",
    "link",
    "search_csv",
    "search_page",
]

_TEMPLATES = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.PackageLoader("newsindex.serve", "templates"),
        autoescape=True,  # every template is HTML; corpus text is hostile input
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
)
_FORM = tuple(p.name for p in params.SEARCH_PAGE)
_DEFAULTS = {p.name: p.default for p in params.SEARCH_PAGE}
# The fields behind the form's "Filters" disclosure (all but the query).
_FILTERS = ("since", "until", "outlet", "entity", "sort", "include_undated")
ENTITY_FACET_SIZE = 10


class Card(Struct, frozen=True):
    """One result as shown: the passage, its text in runs, where to read it."""

    passage: Passage
    runs: list[tuple[str, bool]]  # (text, matched) in order; they join to the text
    citation: str
    href: str
    id: str  # the card's HTML id: the article page's link back comes to it


class FacetLink(Struct, frozen=True):
    """One facet value with its count, and the link that filters on it."""

    value: str
    count: int
    href: str | None  # None for `unknown` / `undated`: nothing to filter on
    active: bool  # the filter is on: the link takes it off


async def search_page(request: Request) -> Response:
    """GET /: the search form, and with a query its results and facets."""
    values = params.parse(request.query_params, params.SEARCH_PAGE)
    found = chart = None
    if values["q"] is not None and values["q"].strip():

        def run(index: Any) -> tuple[Found, Chart | None, list[EntityCount]]:
            found = find(index, values)
            entities = index.entity_facet(
                values["q"], limit=ENTITY_FACET_SIZE, **_filters(values)
            )
            chart = page_chart(index, values, lambda **c: link(values, **c))
            return found, chart, entities

        found, chart, entities = await readers(request).run(run)
    context: dict[str, Any] = {"form": _form(values), "found": found, "chart": chart}
    if found is not None:
        facets = facet_links(found, values)
        facets["entity"] = entity_links(entities, values, found.total)
        context |= {
            "cards": [card(p, values) for p in found.passages],
            "facets": facets,
            "pages": _pages(values, len(found.passages)),
            "csv": "/search.csv?" + urlencode(_kept(values)),
            "search": urlencode(_kept(values)),
        }
    return _page(request, "search.html", context)


async def article_page(request: Request) -> Response:
    """GET /articles/{id}?start=&end=: the whole body, the passage marked."""
    article_id = params.article_id(request.path_params["id"])
    values = params.parse(request.query_params, params.ARTICLE_VIEW)
    article: Article = await readers(request).run(lambda index: index.get(article_id))
    start, end = _span(values["start"], values["end"], len(article.body))
    body = article.body
    search = {name: values[name] for name in _FORM}
    return _page(
        request,
        "article.html",
        {
            "form": _form(search),
            "article": article,
            "parts": (body[:start], body[start:end], body[end:]),
            "url": _web_url(article.source.url),
            "back": back_link(search, article_id, values["start"]),
        },
    )


def back_link(values: dict[str, Any], article_id: str, start: int | None) -> str | None:
    """The results page an article was opened from (same page, at its card),
    or None when it was not opened from a search."""
    if not values["q"] or not values["q"].strip():
        return None
    anchor = f"#{card_id(article_id, start)}" if start is not None else ""
    return "/?" + urlencode(_kept(values)) + anchor


def card_id(article_id: str, start: int | None) -> str:
    """The HTML id of a result card: its article and passage start."""
    return f"r-{article_id}-{start}"


def error_page(request: Request, status: int, message: str) -> Response:
    """The page layout with `message` in place of results, the form kept."""
    query = request.query_params
    form = _form({name: query.get(name) for name in _FORM})
    return _page(
        request, "error.html", {"form": form, "message": message}, status=status
    )


def card(p: Passage, values: dict[str, Any]) -> Card:
    """Cut a passage into runs of text, matched words marked, with its links
    (to its article, the search `values` kept for the way back)."""
    runs, pos = [], 0
    for start, end in p.highlights:
        if start > pos:
            runs.append((p.text[pos:start], False))
        runs.append((p.text[start:end], True))
        pos = end
    if pos < len(p.text):
        runs.append((p.text[pos:], False))
    query = urlencode({"start": p.start, "end": p.end} | _kept(values))
    href = f"/articles/{p.article_id}?{query}#passage"
    return Card(p, runs, render.citation(p), href, card_id(p.article_id, p.start))


def facet_links(found: Found, values: dict[str, Any]) -> dict[str, list[FacetLink]]:
    """Facet values as links: an outlet sets `outlet`, a month `since` and `until`."""
    links: dict[str, list[FacetLink]] = {}
    for name, counts in found.facets.items():
        links[name] = [_facet_link(name, v, n, values) for v, n in counts]
    return links


def entity_links(
    entities: list[EntityCount], values: dict[str, Any], total: int
) -> list[FacetLink]:
    """The entity facet: each entity a link that sets `entity=<its name>`; the
    filter already set is marked, its link taking it off (first if the facet
    does not list it)."""
    chosen = values["entity"]
    links = [
        FacetLink(e.name, e.count, link(values, entity=None), True)
        if e.name == chosen
        else FacetLink(e.name, e.count, link(values, entity=e.name), False)
        for e in entities
    ]
    if chosen and not any(f.active for f in links):
        links.insert(0, FacetLink(chosen, total, link(values, entity=None), True))
    return links


def _filters(values: dict[str, Any]) -> dict[str, Any]:
    """The filters the entity facet is counted under: all but `entity`."""
    keys = ("since", "until", "outlet", "include_undated")
    return {key: values[key] for key in keys}


def _facet_link(name: str, value: str, count: int, values: dict[str, Any]) -> FacetLink:
    if (name, value) in (("outlet", "unknown"), ("month", "undated")):
        return FacetLink(value, count, None, False)
    # An outlet filters on `outlet`; a month `2021-10` on since=until=2021-10.
    keys = ("outlet",) if name == "outlet" else ("since", "until")
    active = all(values[key] == value for key in keys)
    change = dict.fromkeys(keys, None if active else value)
    return FacetLink(value, count, link(values, **change), active)


def link(values: dict[str, Any], **change: Any) -> str:
    """The page URL for `values` with `change` applied, back on the first page."""
    kept = _kept({**values, "offset": None, **change})
    return "/?" + urlencode(kept) if kept else "/"


def _kept(values: dict[str, Any]) -> dict[str, Any]:
    """The parameters that differ from the defaults, as a query string has them."""
    return {
        key: "true" if value is True else value
        for key, value in values.items()
        if value not in (None, "", False) and value != _DEFAULTS.get(key)
    }


async def search_csv(request: Request) -> Response:
    """GET /search.csv: the page's search as CSV (UTF-8 with a byte-order mark,
    which spreadsheets need to read accents)."""
    values = params.parse(request.query_params, params.SEARCH)
    found = await readers(request).run(lambda index: find(index, values))
    body = render.csv_rows(found.passages, offset=values["offset"], bom=True)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="newsindex.csv"'},
    )


def _pages(values: dict[str, Any], shown: int) -> dict[str, str | None]:
    offset, limit = values["offset"], values["limit"]
    more = shown == limit and offset + limit <= params.MAX_OFFSET
    return {
        "previous": link(values, offset=max(offset - limit, 0)) if offset else None,
        "next": link(values, offset=offset + limit) if more else None,
    }


def _span(start: int | None, end: int | None, length: int) -> tuple[int, int]:
    """The passage to mark: both offsets or neither (nothing marked)."""
    if start is None and end is None:
        return 0, 0
    if start is None or end is None or not 0 <= start < end <= length:
        raise UsageError(
            f"start and end must mark a span of the body (0 <= start < end <= "
            f"{length}): start={start!r}, end={end!r}"
        )
    return start, end


def _web_url(url: str | None) -> str | None:
    """The source URL if it is safe to link (http or https), else None."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def _form(values: dict[str, Any]) -> dict[str, Any]:
    """The search form's fields as the page shows them (blank when absent), and
    `filters_set`: how many filters differ from their defaults."""
    form: dict[str, Any] = {
        name: values.get(name) if values.get(name) is not None else "" for name in _FORM
    }
    form["filters_set"] = sum(1 for name in _FILTERS if name in _kept(values))
    return form


def _page(
    request: Request, name: str, context: dict[str, Any], *, status: int = 200
) -> Response:
    return _TEMPLATES.TemplateResponse(request, name, context, status_code=status)
