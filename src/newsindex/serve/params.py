"""Query-string parameters: what each endpoint takes, checked before any search.

One table per endpoint (`Param` tuples) both validates requests and writes
the OpenAPI description, so the two cannot drift apart. Every refusal is a
UsageError with a one-line message quoting the input; an empty optional
value (an HTML form's blank field) counts as absent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from msgspec import Struct
from msgspec.structs import replace
from starlette.datastructures import QueryParams

from newsindex.errors import ArticleNotFoundError, UsageError

__all__ = [
    "ARTICLE_ID",
    "ARTICLE_VIEW",
    "ENTITIES",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_VALUE",
    "NONE",
    "QUOTES",
    "SEARCH",
    "SEARCH_API",
    "SEARCH_PAGE",
    "TIMELINE",
    "Param",
    "article_id",
    "parse",
    "shown",
]

MAX_VALUE = 2000  # characters in any one value: a query, a date, a name
MAX_LIMIT = 100
MAX_OFFSET = 10_000  # deeper pages mean fetching and collapsing that many hits

# Ids are 16 hex digits today (contract/passage.schema.json); anything far
# from an id is refused before it reaches the index.
ARTICLE_ID = r"[0-9A-Za-z_-]{1,64}"
_ARTICLE_ID = re.compile(ARTICLE_ID)

Kind = Literal["text", "int", "bool", "choice"]
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}


class Param(Struct, frozen=True):
    """One query-string parameter of an endpoint."""

    name: str
    kind: Kind
    description: str
    required: bool = False
    default: Any = None
    low: int = 0  # for kind "int": the range allowed, both ends inclusive
    high: int = 0
    choices: tuple[str, ...] = ()  # for kind "choice"


_Q = Param("q", "text", "The query (see the query syntax on the web page).", True)
_SINCE = Param(
    "since",
    "text",
    "Only articles published on or after this date: 2021-10-19, 2021-10, "
    "'18 Oct 2021', 'yesterday', 'last week'.",
)
_UNTIL = Param("until", "text", "Only articles published on or before this date.")
_LIMIT_20 = Param(
    "limit", "int", "How many results.", default=20, low=1, high=MAX_LIMIT
)

SEARCH: tuple[Param, ...] = (
    _Q,
    _SINCE,
    _UNTIL,
    Param("outlet", "text", "Only this outlet (any of its names)."),
    Param("entity", "text", "Only articles naming this person, organisation, place."),
    Param("limit", "int", "How many passages.", default=10, low=1, high=MAX_LIMIT),
    Param("offset", "int", "Skip this many passages.", default=0, high=MAX_OFFSET),
    Param(
        "sort",
        "choice",
        "Best first, or by date (oldest or newest first).",
        default="relevance",
        choices=("relevance", "date", "-date"),
    ),
    Param(
        "include_undated",
        "bool",
        "Keep undated articles when filtering by date.",
        default=False,
    ),
)
# The web page: without a query it shows the search form alone.
SEARCH_PAGE: tuple[Param, ...] = (replace(_Q, required=False), *SEARCH[1:])
SEARCH_API: tuple[Param, ...] = (
    *SEARCH,
    Param(
        "explain",
        "bool",
        "Add `explain`: the query tree as run, with its expansions and dates.",
        default=False,
    ),
)
TIMELINE: tuple[Param, ...] = (
    *SEARCH[:5],  # q, since, until, outlet, entity
    Param(
        "by",
        "choice",
        "The period counted (weeks are ISO weeks, Monday to Sunday).",
        default="month",
        choices=("day", "week", "month", "year"),
    ),
    Param(
        "split", "choice", "Count each outlet's articles apart.", choices=("outlet",)
    ),
)
ENTITIES: tuple[Param, ...] = (
    Param("q", "text", "Only entities of the articles matching this query."),
    Param(
        "type",
        "choice",
        "Only this type of entity.",
        choices=("person", "org", "place"),
    ),
    Param("since", "text", "Only entities in articles on or after this date."),
    Param("limit", "int", "How many entities.", default=50, low=1, high=MAX_LIMIT),
)
QUOTES: tuple[Param, ...] = (
    Param("q", "text", "The statement to find, in any wording close to it.", True),
    _LIMIT_20,
)
# An article opened from a result keeps that search, for the link back to it.
ARTICLE_VIEW: tuple[Param, ...] = (
    Param("start", "int", "Start of the passage to mark (body offset).", high=2**31),
    Param("end", "int", "End of the passage to mark (body offset).", high=2**31),
    *SEARCH_PAGE,
)
NONE: tuple[Param, ...] = ()


def parse(query: QueryParams, spec: Sequence[Param]) -> dict[str, Any]:
    """Check a query string against `spec`; return every parameter's value.

    Absent optional parameters get their default. Raises UsageError for an
    unknown or repeated parameter, a missing required one, a value too long,
    or one of the wrong kind or out of range.
    """
    known = {p.name: p for p in spec}
    for name in query:
        if name not in known:
            raise UsageError(f"unknown parameter: {shown(name)!r}")
        if len(query.getlist(name)) > 1:
            raise UsageError(f"parameter given more than once: {name!r}")
    values: dict[str, Any] = {}
    for param in spec:
        text = query.get(param.name)
        if text is None or (text == "" and not param.required):
            if param.required:
                raise UsageError(f"missing parameter: {param.name!r}")
            values[param.name] = param.default
        else:
            values[param.name] = _value(param, text)
    return values


def article_id(text: str) -> str:
    """Return `text` if it can be an article id; ArticleNotFoundError if not."""
    if not _ARTICLE_ID.fullmatch(text):
        raise ArticleNotFoundError(text, f"no article with id {shown(text)!r}")
    return text


def _value(param: Param, text: str) -> Any:
    if len(text) > MAX_VALUE:
        raise UsageError(
            f"parameter {param.name!r} is too long "
            f"({len(text)} characters, at most {MAX_VALUE})"
        )
    if param.kind == "int":
        if not (text.isascii() and text.isdigit()) or not (
            param.low <= int(text) <= param.high
        ):
            raise UsageError(
                f"{param.name} must be an integer from {param.low} to {param.high}: "
                f"{shown(text)!r}"
            )
        return int(text)
    if param.kind == "bool":
        if text not in _BOOLEANS:
            raise UsageError(
                f"{param.name} must be true or false (or 1 or 0): {shown(text)!r}"
            )
        return _BOOLEANS[text]
    if param.kind == "choice" and text not in param.choices:
        raise UsageError(
            f"{param.name} must be one of {', '.join(param.choices)}: {shown(text)!r}"
        )
    return text


def shown(text: str, width: int = 80) -> str:
    """The input as quoted in a message, cut to `width` characters."""
    return text if len(text) <= width else text[:width] + "…"
