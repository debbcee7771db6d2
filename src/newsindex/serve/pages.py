"""The web page: a search form with facets at /, one article at /articles/{id}.

Server-rendered with Jinja2 (autoescaped), a little JavaScript in
`static/app.js` for copying citations. The views below cut records into what
a template shows (runs of text marked or not, links that add a filter) so
the templates hold no logic beyond loops.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from newsindex import render
from newsindex.errors import UsageError
from newsindex.records import Article, Passage
from newsindex.serve import params
from newsindex.serve.api import Found, find, readers
from newsindex.serve.chart import Chart, page_chart

__all__ = [
    "Card",
    "FacetLink",
    "article_page",
    "error_page",
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


@dataclass(frozen=True, slots=True)
class Card:
    """One result as shown: the passage, its text in runs, where to read it."""

    passage: Passage
    runs: list[tuple[str, bool]]  # (text, matched) in order; they join to the text
    citation: str
    href: str


@dataclass(frozen=True, slots=True)
class FacetLink:
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

        def run(index: Any) -> tuple[Found, Chart | None]:
            found = find(index, values)
            return found, page_chart(index, values, lambda **c: link(values, **c))

        found, chart = await readers(request).run(run)
    context: dict[str, Any] = {"form": _form(values), "found": found, "chart": chart}
    if found is not None:
        context |= {
            "cards": [card(p) for p in found.passages],
            "facets": facet_links(found, values),
            "pages": _pages(values, len(found.passages)),
            "csv": "/search.csv?" + urlencode(_kept(values)),
        }
    return _page(request, "search.html", context)


async def article_page(request: Request) -> Response:
    """GET /articles/{id}?start=&end=: the whole body, the passage marked."""
    article_id = params.article_id(request.path_params["id"])
    values = params.parse(request.query_params, params.ARTICLE_VIEW)
    article: Article = await readers(request).run(lambda index: index.get(article_id))
    start, end = _span(values["start"], values["end"], len(article.body))
    body = article.body
    return _page(
        request,
        "article.html",
        {
            "form": _form({}),
            "article": article,
            "parts": (body[:start], body[start:end], body[end:]),
            "url": _web_url(article.source.url),
        },
    )


def error_page(request: Request, status: int, message: str) -> Response:
    """The page layout with `message` in place of results, the form kept."""
    query = request.query_params
    form = {name: query.get(name) or "" for name in _FORM}
    return _page(
        request, "error.html", {"form": form, "message": message}, status=status
    )


def card(p: Passage) -> Card:
    """Cut a passage into runs of text, matched words marked, with its links."""
    runs, pos = [], 0
    for start, end in p.highlights:
        if start > pos:
            runs.append((p.text[pos:start], False))
        runs.append((p.text[start:end], True))
        pos = end
    if pos < len(p.text):
        runs.append((p.text[pos:], False))
    query = urlencode({"start": p.start, "end": p.end})
    href = f"/articles/{p.article_id}?{query}#passage"
    return Card(p, runs, render.citation(p), href)


def facet_links(found: Found, values: dict[str, Any]) -> dict[str, list[FacetLink]]:
    """Facet values as links: an outlet sets `outlet`, a month `since` and `until`."""
    links: dict[str, list[FacetLink]] = {}
    for name, counts in found.facets.items():
        links[name] = [_facet_link(name, v, n, values) for v, n in counts]
    return links


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
    """The search form's fields as the page shows them (blank when absent)."""
    return {
        name: values.get(name) if values.get(name) is not None else "" for name in _FORM
    }


def _page(
    request: Request, name: str, context: dict[str, Any], *, status: int = 200
) -> Response:
    return _TEMPLATES.TemplateResponse(request, name, context, status_code=status)
