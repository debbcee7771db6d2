"""The MCP server: tools an agent lists and calls, answers it can cite, errors."""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult

from newsindex import Index, IndexMissingError
from newsindex.ingest.entities import SpacyTagger
from newsindex.render import citation
from newsindex.serve.mcp_server import create_server, run
from tests.conftest import raw_file

pytestmark = pytest.mark.anyio

QUERY = "Lavrov NATO mission"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(raw_index: Index) -> AsyncIterator[Client]:
    """A client session with the server over the SDK's in-memory JSON-RPC streams."""
    async with Client(create_server(raw_index), mode="legacy") as client:
        # Listing gives the client each tool's output schema, which it then
        # checks every structured result against (the JSON contract).
        await client.list_tools()
        yield client


def texts(result: CallToolResult) -> list[str]:
    return [block.text for block in result.content if block.type == "text"]


async def test_tools_and_their_parameters(client: Client) -> None:
    tools = (await client.list_tools()).tools
    listed = {
        t.name: (list(t.input_schema["properties"]), t.input_schema.get("required", []))
        for t in tools
    }
    assert listed == {
        "search_news": (
            ["query", "since", "until", "outlet", "entity", "limit", "offset", "sort"],
            ["query"],
        ),
        "get_article": (["id", "start", "end", "window"], ["id"]),
        "find_entities": (["query", "type", "since", "limit"], []),
        "trace_quote": (["text", "limit"], ["text"]),
        "coverage_timeline": (
            ["query", "by", "split", "since", "until", "outlet", "entity"],
            ["query"],
        ),
        "list_outlets": ([], []),
    }
    for tool in tools:  # each says how to cite what it returns
        assert "cite" in (tool.description or "").lower() or tool.name == "list_outlets"
    assert all(t.annotations and t.annotations.read_only_hint for t in tools)


async def test_search_news_answers_as_the_library(
    client: Client, raw_index: Index
) -> None:
    result = await client.call_tool("search_news", {"query": QUERY, "limit": 5})
    expected = raw_index.search(QUERY, limit=5)
    assert len(expected) == 5
    assert (result.is_error, result.structured_content) == (
        False,
        {
            "passages": [p.to_dict() for p in expected],
            "total": 5,
            "offset": 0,
            "facets": {
                "outlet": [
                    {"value": "unknown", "count": 3},
                    {"value": "TASS", "count": 2},
                ],
                "month": [
                    {"value": "2021-10", "count": 2},
                    {"value": "2024-05", "count": 1},
                    {"value": "undated", "count": 2},
                ],
            },
        },
    )
    assert texts(result) == [
        "passages 1-5 of 5 articles\n\n"
        + "\n".join(f"[{rank}] {citation(p)}" for rank, p in enumerate(expected, 1))
    ]


async def test_search_news_pages_and_sorts(client: Client, raw_index: Index) -> None:
    pages = []
    for offset in (0, 2, 4):
        result = await client.call_tool(
            "search_news",
            {"query": "Lavrov", "limit": 2, "offset": offset, "sort": "date"},
        )
        assert (
            result.structured_content["total"],
            result.structured_content["offset"],
        ) == (5, offset)
        pages += result.structured_content["passages"]
    whole = raw_index.search("Lavrov", limit=10, sort="date")
    assert pages == [p.to_dict() for p in whole]


async def test_argument_errors_are_one_plain_line(client: Client) -> None:
    result = await client.call_tool(
        "search_news", {"query": "Lavrov", "limit": 500, "sort": "best"}
    )
    assert (result.is_error, texts(result)) == (
        True,
        [
            "bad arguments: limit: less than or equal to 50 (got 500); "
            "sort: 'relevance', 'date' or '-date' (got 'best')"
        ],
    )


async def test_get_article_window(client: Client, raw_index: Index) -> None:
    (passage,) = raw_index.search(QUERY, limit=1)
    body = raw_index.get(passage.article_id).body
    result = await client.call_tool(
        "get_article",
        {
            "id": passage.article_id,
            "start": passage.start,
            "end": passage.end,
            "window": 20,
        },
    )
    data = result.structured_content
    first, last = max(0, passage.start - 20), min(len(body), passage.end + 20)
    assert data["excerpt"] == {"start": first, "end": last, "text": body[first:last]}
    assert "body" not in data
    whole = await client.call_tool("get_article", {"id": passage.article_id})
    (text,) = texts(whole)
    assert body not in text  # the body once, in the structured content
    bad = await client.call_tool("get_article", {"id": passage.article_id, "window": 5})
    assert bad.is_error
    assert texts(bad)[0].startswith("window needs start and end with start <= end <= ")


async def test_new_tools_answer_as_the_library(
    client: Client, raw_index: Index
) -> None:
    outlets = await client.call_tool("list_outlets", {})
    assert outlets.structured_content == {
        "outlets": [o.to_dict() for o in raw_index.outlets()]
    }
    entities = await client.call_tool("find_entities", {"type": "person", "limit": 3})
    assert entities.structured_content == {
        "entities": raw_index.entities(type="person", limit=3)
    }
    quotes = await client.call_tool("trace_quote", {"text": "We regret these steps"})
    assert quotes.structured_content["quotes"]
    timeline = await client.call_tool(
        "coverage_timeline", {"query": "Lavrov", "by": "year"}
    )
    assert [
        (p["period"], p["count"]) for p in timeline.structured_content["timeline"]
    ] == [("2021", 2), ("2022", 0), ("2023", 0), ("2024", 1)]


async def test_every_passage_quotes_its_article(client: Client) -> None:
    result = await client.call_tool("search_news", {"query": QUERY})
    passages = result.structured_content["passages"]
    assert passages
    for p in passages:
        article = await client.call_tool("get_article", {"id": p["article_id"]})
        body = article.structured_content["body"]
        assert body[p["start"] : p["end"]] == p["text"]


@pytest.mark.parametrize(
    "filters",
    [
        {"since": "2021-10-19"},
        {"until": "18 Oct 2021"},
        {"outlet": "TASS"},
        {"entity": "Sergey Lavrov"},
        {"since": "2021-10", "outlet": "tass", "limit": 1},
    ],
    ids=["since", "until", "outlet", "entity", "combined"],
)
async def test_search_news_filters(
    client: Client, raw_index: Index, filters: dict[str, Any]
) -> None:
    result = await client.call_tool("search_news", {"query": "Lavrov", **filters})
    expected = raw_index.search("Lavrov", **filters)
    assert result.structured_content["passages"] == [p.to_dict() for p in expected]


async def test_no_match_says_so(client: Client) -> None:
    result = await client.call_tool("search_news", {"query": "zyzzyva"})
    assert (result.is_error, texts(result), result.structured_content["passages"]) == (
        False,
        ["no passages match 'zyzzyva'"],
        [],
    )


async def test_get_article_returns_the_stored_article(
    client: Client, raw_index: Index
) -> None:
    (passage,) = raw_index.search(QUERY, limit=1)
    result = await client.call_tool("get_article", {"id": passage.article_id})
    assert result.structured_content == raw_index.get(passage.article_id).to_dict()


@pytest.mark.parametrize(
    ("tool", "arguments", "message"),
    [
        (
            "search_news",
            {"query": "Lavrov", "since": "blorf"},
            "cannot read date 'blorf' (try 2021-10-19, 2021-10, '18 Oct 2021' "
            "or 'yesterday')",
        ),
        ("search_news", {"query": '"oil'}, "unbalanced quote in query: '\"oil'"),
        (
            "get_article",
            {"id": "0000000000000000"},
            "no article with id '0000000000000000'",
        ),
    ],
    ids=["bad-date", "bad-query", "unknown-article"],
)
async def test_library_errors_are_tool_errors(
    client: Client, tool: str, arguments: dict[str, Any], message: str
) -> None:
    result = await client.call_tool(tool, arguments)
    assert (result.is_error, texts(result), result.structured_content) == (
        True,
        [message],
        None,
    )


async def test_search_sees_new_commits(tmp_path: Path, tagger: SpacyTagger) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(raw_file("000"), corpus)
    reader = Index.build(corpus, tmp_path / "index", tagger=tagger)
    async with Client(create_server(reader), mode="legacy") as client:
        before = await client.call_tool("search_news", {"query": "Brussels"})
        shutil.copy(raw_file("001"), corpus)
        writer = Index.open(tmp_path / "index")
        writer.update(corpus, tagger=tagger)
        writer.close()
        after = await client.call_tool("search_news", {"query": "Brussels"})
    reader.close()
    paths = [
        {p["source"]["path"] for p in result.structured_content["passages"]}
        for result in (before, after)
    ]
    assert paths == [set(), {str(corpus / raw_file("001").name)}]


def test_run_refuses_a_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError) as info:
        run(tmp_path / "none")
    assert str(info.value) == f"no index at {str(tmp_path / 'none')!r}"


async def test_newsindex_mcp_over_stdio(raw_index: Index) -> None:
    command = StdioServerParameters(
        command=sys.executable,
        args=["-m", "newsindex", "mcp", "--index", str(raw_index.path)],
    )
    async with Client(command, mode="legacy") as client:
        tools = (await client.list_tools()).tools
        first = await client.call_tool("search_news", {"query": QUERY, "limit": 1})
        second = await client.call_tool(
            "search_news", {"query": QUERY, "limit": 1, "offset": 1}
        )
    expected = raw_index.search(QUERY, limit=2)
    assert sorted(t.name for t in tools) == [
        "coverage_timeline", "find_entities", "get_article", "list_outlets",
        "search_news", "trace_quote",
    ]  # fmt: skip
    pages = first.structured_content["passages"] + second.structured_content["passages"]
    assert pages == [p.to_dict() for p in expected]
    assert first.structured_content["total"] == second.structured_content["total"] == 5
