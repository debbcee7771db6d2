"""The index as Model Context Protocol tools for language-model agents, over stdio.

Two tools, both read-only: `search_news` answers with passages and their
provenance, `get_article` with a stored article, body included. Structured
results follow the JSON contract (`newsindex.contract`), which is also each
tool's output schema; a readable form rides along as text. A library error
(a bad date, a malformed query, an unknown id) becomes a tool error carrying
its one-line message, so the agent can correct its call.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from newsindex import render
from newsindex.contract import json_schema
from newsindex.errors import NewsindexError
from newsindex.index.base import Index, Location
from newsindex.serve.mcp_stdio import guarded_stdio

__all__ = ["create_server", "run"]

MAX_LIMIT = 50

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
offsets to cite more context than the passage gave."""

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
            _tool(tools.get_article, ARTICLE_DESCRIPTION, json_schema("article")),
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
    """MCPServer whose stdio answers malformed JSON-RPC instead of dropping it."""

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
    ) -> CallToolResult:
        try:
            passages = self._index.search(
                query,
                since=since,
                until=until,
                outlet=outlet,
                entity=entity,
                limit=limit,
            )
        except NewsindexError as exc:
            return _error(exc)
        text = "\n".join(
            f"[{rank}] {render.citation(p)}" for rank, p in enumerate(passages, 1)
        )
        return CallToolResult(
            content=[TextContent(text=text or f"no passages match {query!r}")],
            structured_content={"passages": [p.to_dict() for p in passages]},
        )

    async def get_article(self, id: ArticleId) -> CallToolResult:  # noqa: A002  the tool's parameter name
        try:
            article = self._index.get(id)
        except NewsindexError as exc:
            return _error(exc)
        return CallToolResult(
            content=[TextContent(text=render.article_text(article, body=True))],
            structured_content=article.to_dict(),
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
    """search_news's output: an object holding the passages of the JSON contract."""
    return {
        "type": "object",
        "required": ["passages"],
        "properties": {
            "passages": {"type": "array", "items": json_schema("passage")},
        },
    }


def _error(exc: NewsindexError) -> CallToolResult:
    """A tool error the agent reads: the library's one-line message, no traceback."""
    return CallToolResult(content=[TextContent(text=str(exc))], is_error=True)
