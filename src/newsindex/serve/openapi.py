"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Parameters come from the same tables (`params.py`) that check requests, and
the Passage and Article schemas are the JSON contract's own
(`contract/*.schema.json`), so the description says what the server does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib.metadata import version
from typing import Any

from msgspec import Struct
from starlette.requests import Request
from starlette.responses import JSONResponse

from newsindex.contract import json_schema
from newsindex.serve import params
from newsindex.serve.params import Param

__all__ = ["ENDPOINTS", "Endpoint", "document", "endpoint"]


class Endpoint(Struct, frozen=True):
    """One GET endpoint of the API as the description lists it."""

    path: str
    summary: str
    description: str
    params: Sequence[Param]
    body: dict[str, Any]  # the JSON Schema of a 200 answer
    errors: tuple[int, ...] = (400,)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(key: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [key],
        "properties": {key: {"type": "array", "items": item}},
    }


_FACET = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["value", "count"],
        "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
    },
}
_DAY = {"type": ["string", "null"], "format": "date"}

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "/api/search",
        "Search passages",
        "Passages best first (or by date), at most one per republication cluster "
        "with the other copies in `also_in`. `total` counts the articles that "
        "match (before paging); `facets` count them per outlet (most first, "
        "`unknown`: no outlet) and per month (`YYYY-MM` in order, `undated` last).",
        params.SEARCH_API,
        {
            "type": "object",
            "required": ["results", "total", "facets"],
            "properties": {
                "results": {"type": "array", "items": _ref("Passage")},
                "total": {"type": "integer", "minimum": 0},
                "explain": {
                    "type": "object",
                    "description": "With explain=1: the query tree as run, "
                    "as `newsindex search --explain --json` prints it.",
                },
                "facets": {
                    "type": "object",
                    "properties": {"outlet": _FACET, "month": _FACET},
                },
            },
        },
    ),
    Endpoint(
        "/api/timeline",
        "Coverage over time",
        "Articles matching `q` per day, week, month or year (and per outlet with "
        "split=outlet), in date order. A period's `count` is the `total` of "
        "/api/search with its `since` and `until`; empty periods between the "
        "first and last are listed with 0 (under a split, only non-empty rows). "
        "`undated` counts matching articles that are in no period.",
        params.TIMELINE,
        {
            "type": "object",
            "required": ["by", "total", "undated", "timeline"],
            "properties": {
                "by": {"enum": ["day", "week", "month", "year"]},
                "total": {"type": "integer", "minimum": 0},
                "undated": {"type": "integer", "minimum": 0},
                "timeline": {"type": "array", "items": _ref("Period")},
            },
        },
    ),
    Endpoint(
        "/api/articles/{id}",
        "One article",
        "The stored article a passage's `start`/`end` point into: "
        "`body[start:end] == text`.",
        (),
        _ref("Article"),
        errors=(400, 404),
    ),
    Endpoint(
        "/api/entities",
        "Entities",
        "People, organisations and places (of the articles matching `q`), with "
        "their spellings, article counts and first and last dates.",
        params.ENTITIES,
        _list_of("entities", _ref("EntitySummary")),
    ),
    Endpoint(
        "/api/quotes",
        "Find a quoted statement",
        "Quotes carrying the statement `q` in any close wording, earliest first.",
        params.QUOTES,
        _list_of("quotes", _ref("QuoteHit")),
    ),
    Endpoint(
        "/api/outlets",
        "Outlets",
        "Every outlet with its article count and first and last dates.",
        (),
        _list_of("outlets", _ref("OutletCount")),
    ),
    Endpoint(
        "/api/openapi.json",
        "This description",
        "The OpenAPI 3.1 description of the API.",
        (),
        {"type": "object"},
    ),
)

_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string", "description": "One line."}},
    },
    "EntitySummary": {
        "type": "object",
        "properties": {
            "key": {"type": "string"},
            "name": {"type": "string"},
            "type": {"enum": ["person", "org", "place"]},
            "variants": {"type": "array", "items": {"type": "string"}},
            "articles": {"type": "integer"},
            "first": _DAY,
            "last": _DAY,
        },
    },
    "QuoteHit": {
        "type": "object",
        "properties": {
            "article_id": {"type": "string"},
            "text": {"type": "string", "description": "== article body[start:end]"},
            "start": {"type": "integer"},
            "end": {"type": "integer"},
            "speaker": {"type": ["string", "null"]},
            "outlet": {"type": ["string", "null"]},
            "published": {"type": ["string", "null"]},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
        },
    },
    "Period": {
        "type": "object",
        "required": ["period", "count", "since", "until"],
        "properties": {
            "period": {
                "type": "string",
                "description": "2017-03-05, 2017-W09 (ISO week), 2017-03 or 2017.",
            },
            "count": {"type": "integer", "minimum": 0},
            "outlet": {"type": "string", "description": "With split=outlet."},
            "since": {"type": "string", "format": "date"},
            "until": {"type": "string", "format": "date"},
        },
    },
    "OutletCount": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "articles": {"type": "integer"},
            "first": _DAY,
            "last": _DAY,
        },
    },
}


@cache
def document() -> dict[str, Any]:
    """Return the OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "newsindex",
            "version": version("newsindex"),
            "description": "Read-only search over one news index: passages with "
            'exact provenance. Errors answer `{"error": message}`.',
        },
        "paths": {e.path: {"get": _operation(e)} for e in ENDPOINTS},
        "components": {
            "schemas": {
                "Passage": _embedded("passage", "Passage"),
                "Article": _embedded("article", "Article"),
                **_SCHEMAS,
            }
        },
    }


async def endpoint(request: Request) -> JSONResponse:
    """GET /api/openapi.json."""
    params.parse(request.query_params, params.NONE)
    return JSONResponse(document())


def _embedded(contract: str, name: str) -> dict[str, Any]:
    """A contract schema placed at components/schemas/`name`.

    Its `$id` goes, so that its `#/$defs/...` references, rewritten to
    `#/components/schemas/<name>/$defs/...`, resolve within this document.
    """
    text = json.dumps(json_schema(contract))
    schema: dict[str, Any] = json.loads(
        text.replace('"#/$defs/', f'"#/components/schemas/{name}/$defs/')
    )
    del schema["$id"]
    return schema


def _operation(e: Endpoint) -> dict[str, Any]:
    parameters = [_parameter(p) for p in e.params]
    if "{id}" in e.path:
        parameters.insert(
            0,
            {
                "name": "id",
                "in": "path",
                "required": True,
                "description": "The article id (`article_id` of a passage).",
                "schema": {"type": "string", "pattern": f"^{params.ARTICLE_ID}$"},
            },
        )
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "content": {"application/json": {"schema": e.body}},
        }
    }
    for status in e.errors:
        responses[str(status)] = {
            "description": {400: "Bad parameter, query or date", 404: "Not found"}[
                status
            ],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return {
        "summary": e.summary,
        "description": e.description,
        "parameters": parameters,
        "responses": responses,
    }


def _parameter(p: Param) -> dict[str, Any]:
    schema: dict[str, Any]
    if p.kind == "int":
        schema = {"type": "integer", "minimum": p.low, "maximum": p.high}
    elif p.kind == "bool":
        schema = {"type": "boolean"}
    elif p.kind == "choice":
        schema = {"type": "string", "enum": list(p.choices)}
    else:
        schema = {"type": "string", "maxLength": params.MAX_VALUE}
    if p.default is not None:
        schema["default"] = p.default
    return {
        "name": p.name,
        "in": "query",
        "required": p.required,
        "description": p.description,
        "schema": schema,
    }
