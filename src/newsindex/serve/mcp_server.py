"""The index as Model Context Protocol tools for language-model agents, over stdio.

Six read-only tools: `search_news` (passages with provenance, paged, with
the total and facet counts), `get_article` (a stored article, or the window
of its body around a passage), `find_entities`, `trace_quote`,
`coverage_timeline` and `list_outlets`. Passages and articles follow the
JSON contract (`newsindex.contract`), which is also the output schema; a
short readable form rides along as text, never a second copy of a body. A
library error (a bad date, a malformed query, an unknown id) or an argument
out of range becomes a tool error of one plain line, so the agent can
correct its call.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field, ValidationError

from newsindex import render
from newsindex.contract import json_schema
from newsindex.errors import NewsindexError
from newsindex.index.base import Index, Location
from newsindex.query.facets import FACETS
from newsindex.serve.mcp_stdio import guarded_stdio

__all__ = ["create_server", "run"]

MAX_LIMIT = 50
MAX_OFFSET = 10_000
MAX_WINDOW = 20_000  # characters each side of a passage in get_article

INSTRUCTIONS = """\
Search a local news archive and cite what it says. search_news returns
passages: each `text` is an exact quote, equal to body[start:end] of the
article `article_id` (get_article returns that body). Quote `text` verbatim
and cite its outlet, published date, title and source (url or path), with
the article id and offsets, so the quote can be checked."""

SEARCH_DESCRIPTION = """\
Search the news archive; return the best passages, best first, with provenance.

Each passage's `text` is an exact quote: it equals body[start:end] of the
article `article_id`, as get_article returns it. To cite, quote `text`
verbatim, never a paraphrase of it, and name `outlet`, `published`, `title`
and `source.url` (or `source.path`), with `article_id` and `start`-`end`.
`also_in` lists other outlets' copies of the same story; the passage comes
from the earliest copy. `outlet` or `published` is null when the archive
does not know it: say so rather than guess.

Query syntax: plain words (any may match, more matches rank higher),
"exact phrase", "phrase within"~3 words, +required, -excluded, AND / OR,
fields such as outlet:TASS or entity:"Sergey Lavrov"."""

ARTICLE_DESCRIPTION = """\
Return one stored article by id (the `article_id` of a search_news passage):
its body, title, outlet, publication date with its evidence, dateline,
bylines, named entities and quotes with their offsets into the body. A
passage's `text` equals body[start:end] here; quote from `body` with those
offsets to cite more context than the passage gave.

Bodies can be long: give `start`, `end` (a passage's offsets) and `window`
to get only `excerpt`, the text from start-window to end+window, with its
own `start` and `end` in the body, instead of the whole body. Cite an
excerpt as a passage: outlet, published, title, source, article id, offsets."""

ENTITIES_DESCRIPTION = """\
People, organisations and places named in the archive (or in the articles
matching `query`), most articles first, each with its spellings, article
count and first and last dates. Use an entity's `name` in search_news as
entity:"Name" to find the articles naming it in any spelling. Cite counts
as "named in N articles of this archive", with the first and last dates."""

QUOTE_DESCRIPTION = """\
Trace a quoted statement across the archive: the quotes that carry it in any
close wording, earliest publication first, each with the speaker, outlet,
date and the article and offsets where it stands (`text` equals
body[start:end] of `article_id`). To cite who said it first, name the
earliest hit's speaker, outlet and date, with its article id."""

TIMELINE_DESCRIPTION = """\
Coverage over time: how many articles match `query` per day, week, month
or year (`by`), per outlet too with split=outlet, in date order. A period's
`count` equals search_news's `total` with that period's `since` and `until`.
`undated` counts matching articles that are in no period. Cite counts as
"N articles in this archive matching QUERY", with the period."""

OUTLETS_DESCRIPTION = """\
Every outlet in the archive with its article count and first and last
publication dates: what the archive covers, and the names outlet: takes."""

Query = Annotated[
    str,
    Field(description='What to find: words, "a phrase", outlet:NAME, entity:"Name".'),
]
DateText = Annotated[
    str | None,
    Field(
        description="Publication date bound, inclusive: 2021-10-18, 2021-10, "
        "18 Oct 2021, yesterday, last week. Leaves out undated articles."
    ),
]
OutletName = Annotated[
    str | None, Field(description="Only this outlet (any of its names): TASS, BBC.")
]
EntityName = Annotated[
    str | None,
    Field(description="Only articles naming this person, organisation or place."),
]
Limit = Annotated[
    int, Field(ge=1, le=MAX_LIMIT, description="How many passages at most.")
]
ArticleId = Annotated[
    str, Field(description="An article id: the `article_id` of a passage.")
]
Offset = Annotated[
    int,
    Field(ge=0, le=MAX_OFFSET, description="Skip this many passages (paging)."),
]
SortOrder = Annotated[
    Literal["relevance", "date", "-date"],
    Field(description="Best first, or by date: oldest (date) or newest (-date) first."),
]
BodyOffset = Annotated[
    int | None,
    Field(ge=0, description="A body offset: a passage's `start` (or `end`)."),
]
Window = Annotated[
    int | None,
    Field(
        ge=0,
        le=MAX_WINDOW,
        description="Characters of body on each side of start..end; "
        "omit for the whole body.",
    ),
]
EntityType = Annotated[
    Literal["person", "org", "place"] | None,
    Field(description="Only this type of entity."),
]
Interval = Annotated[
    Literal["day", "week", "month", "year"],
    Field(description="The period counted (weeks are ISO weeks)."),
]
Split = Annotated[
    Literal["outlet"] | None, Field(description="Count each outlet's articles apart.")
]
Statement = Annotated[
    str, Field(description="The statement to trace, in any wording close to it.")
]

_READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)


def create_server(index: Index) -> MCPServer:
    """Return an MCP server whose tools answer from `index` (opened by the caller)."""
    tools = _Tools(index)
    return _Server(
        "newsindex",
        version=version("newsindex"),
        instructions=INSTRUCTIONS,
        tools=[
            _tool(tools.search_news, SEARCH_DESCRIPTION, _search_schema()),
            _tool(tools.get_article, ARTICLE_DESCRIPTION, _article_schema()),
            _tool(tools.find_entities, ENTITIES_DESCRIPTION, _list_schema("entities")),
            _tool(tools.trace_quote, QUOTE_DESCRIPTION, _list_schema("quotes")),
            _tool(tools.coverage_timeline, TIMELINE_DESCRIPTION, _timeline_schema()),
            _tool(tools.list_outlets, OUTLETS_DESCRIPTION, _list_schema("outlets")),
        ],
    )


def run(index_dir: Location) -> None:
    """Serve the index at `index_dir` over stdio until the client hangs up.

    Raises IndexMissingError (before serving) if there is no index there.
    """
    index = Index.open(index_dir)
    try:
        create_server(index).run("stdio")
    finally:
        index.close()


class _Server(MCPServer):
    """MCPServer whose stdio answers malformed JSON-RPC instead of dropping it,
    and whose argument errors are one plain line, not pydantic's report."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        try:
            return await super().call_tool(name, arguments, *args, **kwargs)
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                raise ToolError(_argument_errors(exc.__cause__)) from exc.__cause__
            raise

    async def run_stdio_async(self) -> None:
        """Serve over stdio (MCPServer's own, but through `guarded_stdio`)."""
        async with guarded_stdio() as (read_stream, write_stream):
            await self._lowlevel_server.run(
                read_stream,
                write_stream,
                self._lowlevel_server.create_initialization_options(),
            )


class _Tools:
    """The tool functions, bound to one open index.

    They are async so that they run on the event loop's thread, one at a
    time: the index's searcher and its archive's SQLite connection belong to
    the thread that opened them, and each call takes milliseconds.
    """

    def __init__(self, index: Index) -> None:
        self._index = index

    async def search_news(
        self,
        query: Query,
        since: DateText = None,
        until: DateText = None,
        outlet: OutletName = None,
        entity: EntityName = None,
        limit: Limit = 10,
        offset: Offset = 0,
        sort: SortOrder = "relevance",
    ) -> CallToolResult:
        filters: dict[str, Any] = {
            "since": since,
            "until": until,
            "outlet": outlet,
            "entity": entity,
        }
        try:
            passages = self._index.search(
                query, limit=limit, offset=offset, sort=sort, **filters
            )
            total = passages.total
            facets = self._index.facets(query, FACETS, **filters)
        except NewsindexError as exc:
            return _error(exc)
        text = "\n".join(
            f"[{rank}] {render.citation(p)}"
            for rank, p in enumerate(passages, offset + 1)
        )
        shown = f"passages {offset + 1}-{offset + len(passages)} of {total} articles"
        return CallToolResult(
            content=[
                TextContent(
                    text=f"{shown}\n\n{text}" if passages else passages.describe_empty()
                )
            ],
            structured_content={
                "passages": [p.to_dict() for p in passages],
                "total": total,
                "offset": offset,
                "facets": {
                    name: [{"value": v, "count": n} for v, n in counts]
                    for name, counts in facets.items()
                },
            },
        )

    async def get_article(
        self,
        id: ArticleId,  # noqa: A002  the tool's parameter name
        start: BodyOffset = None,
        end: BodyOffset = None,
        window: Window = None,
    ) -> CallToolResult:
        try:
            article = self._index.get(id)
        except NewsindexError as exc:
            return _error(exc)
        heading = render.article_text(article)
        if window is None:
            # The body is in the structured content once, not again as text.
            return CallToolResult(
                content=[
                    TextContent(text=f"{heading}(body: {len(article.body)} characters)")
                ],
                structured_content=article.to_dict(),
            )
        if start is None or end is None or not start <= end <= len(article.body):
            return _error_text(
                f"window needs start and end with start <= end <= {len(article.body)} "
                f"(the body's length): start={start!r}, end={end!r}"
            )
        first, last = max(0, start - window), min(len(article.body), end + window)
        data = {k: v for k, v in article.to_dict().items() if k != "body"}
        data["excerpt"] = {
            "start": first,
            "end": last,
            "text": article.body[first:last],
        }
        return CallToolResult(
            content=[
                TextContent(
                    text=f"{heading}[{first}:{last}] {article.body[first:last]}"
                )
            ],
            structured_content=data,
        )

    async def find_entities(
        self,
        query: Annotated[
            str | None,
            Field(description="Only entities of the articles matching this query."),
        ] = None,
        type: EntityType = None,  # noqa: A002  the tool's parameter name
        since: DateText = None,
        limit: Limit = 20,
    ) -> CallToolResult:
        try:
            rows = self._index.entities(query, type=type, since=since, limit=limit)
        except NewsindexError as exc:
            return _error(exc)
        text = "\n".join(render.entity_text(row) for row in rows)
        return CallToolResult(
            content=[TextContent(text=text or "no entities")],
            structured_content={"entities": rows},
        )

    async def trace_quote(self, text: Statement, limit: Limit = 20) -> CallToolResult:
        try:
            hits = self._index.archive().find_quotes(text, limit=limit)
        except NewsindexError as exc:
            return _error(exc)
        shown = "\n".join(render.quote_text(hit) for hit in hits)
        return CallToolResult(
            content=[TextContent(text=shown or f"no quote carries {text!r}")],
            structured_content={"quotes": [render.quote_dict(hit) for hit in hits]},
        )

    async def coverage_timeline(
        self,
        query: Query,
        by: Interval = "month",
        split: Split = None,
        since: DateText = None,
        until: DateText = None,
        outlet: OutletName = None,
        entity: EntityName = None,
    ) -> CallToolResult:
        from newsindex.query.timeline import timeline
        from newsindex.serve.api import timeline_body

        try:
            chart = timeline(
                self._index, query, by=by, split=split, since=since, until=until,
                outlet=outlet, entity=entity,
            )  # fmt: skip
        except NewsindexError as exc:
            return _error(exc)
        return CallToolResult(
            content=[TextContent(text=render.timeline_text(chart))],
            structured_content=timeline_body(chart),
        )

    async def list_outlets(self) -> CallToolResult:
        rows = [row.to_dict() for row in self._index.outlets()]
        text = "\n".join(
            f"{row['name']}: {row['articles']} articles, {row['first'] or '?'} .. "
            f"{row['last'] or '?'}"
            for row in rows
        )
        return CallToolResult(
            content=[TextContent(text=text or "no outlets")],
            structured_content={"outlets": rows},
        )


def _tool(
    fn: Callable[..., Any], description: str, output_schema: dict[str, Any]
) -> Tool:
    """Register `fn` as a tool whose structured output follows `output_schema`."""
    tool = Tool.from_function(
        fn, description=description, annotations=_READ_ONLY, structured_output=False
    )
    # A hand-built schema is published as is (the SDK validates only schemas it
    # derived itself); the client checks structured content against it.
    tool.fn_metadata.output_schema = output_schema
    return tool


def _search_schema() -> dict[str, Any]:
    """search_news's output: passages of the JSON contract, total, facets."""
    facet = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["value", "count"],
            "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
        },
    }
    return {
        "type": "object",
        "required": ["passages", "total", "offset", "facets"],
        "properties": {
            "passages": {"type": "array", "items": json_schema("passage")},
            "total": {"type": "integer", "minimum": 0},
            "offset": {"type": "integer", "minimum": 0},
            "facets": {
                "type": "object",
                "properties": {"outlet": facet, "month": facet},
            },
        },
    }


def _article_schema() -> dict[str, Any]:
    """get_article's output: the contract's article, or with `window` the
    article without its body and with the excerpt."""
    article = json_schema("article")
    excerpt = {
        "type": "object",
        "required": ["excerpt"],
        "properties": {
            "excerpt": {
                "type": "object",
                "required": ["start", "end", "text"],
                "properties": {
                    "start": {"type": "integer"},
                    "end": {"type": "integer"},
                    "text": {"type": "string"},
                },
            }
        },
    }
    return {"type": "object", "anyOf": [article, excerpt]}


def _list_schema(key: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [key],
        "properties": {key: {"type": "array", "items": {"type": "object"}}},
    }


def _timeline_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["by", "total", "undated", "timeline"],
        "properties": {
            "by": {"enum": ["day", "week", "month", "year"]},
            "total": {"type": "integer"},
            "undated": {"type": "integer"},
            "timeline": {"type": "array", "items": {"type": "object"}},
        },
    }


def _argument_errors(exc: ValidationError) -> str:
    """pydantic's report as one line: `limit: less than or equal to 50 (got 500)`."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "arguments"
        message = error["msg"].removeprefix("Input should be ").removeprefix("Value ")
        got = (
            f" (got {error['input']!r})"
            if "input" in error and error["type"] != "missing"
            else ""
        )
        parts.append(f"{where}: {message}{got}")
    return "bad arguments: " + "; ".join(parts)


def _error(exc: NewsindexError) -> CallToolResult:
    """A tool error the agent reads: the library's one-line message, no traceback."""
    return _error_text(str(exc))


def _error_text(message: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(text=message)], is_error=True)
