"""`newsindex serve`: the web page and the JSON API over one index, read-only.

    GET /                       search page (pages.py)
    GET /articles/{id}          one article, a passage marked
    GET /search.csv             the page's search as CSV (with a BOM)
    GET /api/search             passages, total, facets (api.py)
    GET /api/timeline           matching articles per day/week/month/year
    GET /api/articles/{id}      one article
    GET /api/entities           entities with spellings, counts, dates
    GET /api/quotes             a quoted statement across the archive
    GET /api/outlets            outlets with counts and dates
    GET /api/openapi.json       the API described (openapi.py)
    GET /static/...             app.css, app.js

Errors become responses in one place, `_on_error`: the library's exception
tree decides the status (`STATUS`), the message is the one the CLI prints,
as `{"error": message}` under /api and as a page elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsindex.errors import (
    ArticleNotFoundError,
    IndexMissingError,
    NewsindexError,
    SearchTimeoutError,
    UsageError,
)
from newsindex.index.base import Index, Location, is_url
from newsindex.logs import get_logger
from newsindex.serve import api, openapi, pages
from newsindex.serve.readers import Readers
from newsindex.serve.workers import balanced as workers_balanced
from newsindex.serve.workers import run_workers

__all__ = ["STATUS", "app_from_environment", "create_app", "run", "status_of"]

# How `run` tells the worker processes uvicorn starts which index to serve.
_INDEX_ENV = "NEWSINDEX_SERVE_INDEX"

log = get_logger(__name__)

# The first entry the error is an instance of decides; anything else is 500.
STATUS: tuple[tuple[type[NewsindexError], int], ...] = (
    (ArticleNotFoundError, 404),
    (UsageError, 400),  # a bad query, date or parameter
    (IndexMissingError, 503),  # the index went away under the server
    (SearchTimeoutError, 503),  # a query that matches too much to finish in time
)

# Pages load nothing from elsewhere and run no inline script: corpus text is
# escaped, and even if some slipped through it could not run.
_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def create_app(index_dir: Location, *, threads: int = 4) -> Starlette:
    """Return the ASGI app serving the index at `index_dir`.

    Raises IndexMissingError (or IndexStoreError) now if there is no
    readable index. Readers start with the app's lifespan and close with
    it, so a TestClient must be used as a context manager.
    """
    Index.open(index_dir).close()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.readers = Readers(index_dir, threads=threads)
        try:
            yield
        finally:
            app.state.readers.close()

    return Starlette(
        routes=_routes(),
        middleware=[Middleware(_SecurityHeaders)],
        exception_handlers={
            NewsindexError: _on_error,
            HTTPException: _on_error,
            Exception: _on_error,
        },
        lifespan=lifespan,
    )


def run(
    index_dir: Location, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1
) -> None:
    """Serve the index at `index_dir` until interrupted (loopback by default).

    `workers` > 1 serves from that many processes (Python runs one thread at
    a time per process, so a busy server wants about one per core), on Linux
    each with its own socket (serve/workers.py), elsewhere through uvicorn's
    workers. Raises IndexMissingError before serving if there is no index,
    UsageError if the port cannot be had (with workers).
    """
    if workers <= 1:
        uvicorn.run(create_app(index_dir), host=host, port=port, log_level="info")
        return
    Index.open(index_dir).close()  # a missing index fails here, not in each worker
    location = str(index_dir.resolve()) if isinstance(index_dir, Path) else index_dir
    if workers_balanced():
        run_workers(location, host, port, workers)
        return
    os.environ[_INDEX_ENV] = location
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


def app_from_environment() -> Starlette:
    """The app for a worker process that uvicorn started (see `run`)."""
    location = os.environ[_INDEX_ENV]
    return create_app(location if is_url(location) else Path(location))


def status_of(exc: NewsindexError) -> int:
    """The HTTP status for a library error."""
    for kind, status in STATUS:
        if isinstance(exc, kind):
            return status
    return 500


def _routes() -> list[Route | Mount]:
    get = ["GET"]
    return [
        Route("/", pages.search_page, methods=get),
        Route("/articles/{id}", pages.article_page, methods=get),
        Route("/search.csv", pages.search_csv, methods=get),
        Route("/favicon.ico", _favicon, methods=get),
        Route("/api/search", api.search, methods=get),
        Route("/api/timeline", api.timeline, methods=get),
        Route("/api/articles/{id}", api.article, methods=get),
        Route("/api/entities", api.entities, methods=get),
        Route("/api/quotes", api.quotes, methods=get),
        Route("/api/outlets", api.outlets, methods=get),
        Route("/api/openapi.json", openapi.endpoint, methods=get),
        Mount(
            "/static",
            StaticFiles(packages=[("newsindex.serve", "static")]),
            name="static",
        ),
    ]


async def _favicon(request: Request) -> Response:
    """The icon browsers ask for, so their request finds one (static/icon.svg)."""
    return RedirectResponse("/static/icon.svg", status_code=301)


async def _on_error(request: Request, exc: Exception) -> Response:
    """The one place an error becomes a response: JSON under /api, else a page."""
    if isinstance(exc, NewsindexError):
        status, message = status_of(exc), str(exc)
    elif isinstance(exc, HTTPException):
        status, message = exc.status_code, _http_message(request, exc)
    else:  # a bug: Starlette logs the traceback after this answer, never sends it
        status, message = 500, "internal error (the server log has the details)"
    if isinstance(exc, NewsindexError) and status >= 500:
        log.error("%s %s: %s", request.method, request.url.path, message)
    return _answer(request, status, message)


def _answer(request: Request, status: int, message: str) -> Response:
    if _is_api(request.url.path):
        return JSONResponse({"error": message}, status_code=status)
    return pages.error_page(request, status, message)


def _http_message(request: Request, exc: HTTPException) -> str:
    if exc.status_code == 404:
        what = "endpoint" if _is_api(request.url.path) else "page"
        return f"no such {what}: {request.url.path!r}"
    if exc.status_code == 405:
        return f"method not allowed: {request.method!r} (this server is read-only)"
    return str(exc.detail)


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class _SecurityHeaders:
    """Add `_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
