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
        t.name: (list(t.input_schema["properties"]), t.input_schema["required"])
        for t in tools
    }
    assert listed == {
        "search_news": (
            ["query", "since", "until", "outlet", "entity", "limit"],
            ["query"],
        ),
        "get_article": (["id"], ["id"]),
    }
    assert all(t.annotations and t.annotations.read_only_hint for t in tools)


async def test_search_news_answers_as_the_library(
    client: Client, raw_index: Index
) -> None:
    result = await client.call_tool("search_news", {"query": QUERY, "limit": 5})
    expected = raw_index.search(QUERY, limit=5)
    assert len(expected) == 5
    assert (result.is_error, result.structured_content) == (
        False,
        {"passages": [p.to_dict() for p in expected]},
    )
    assert texts(result) == [
        "\n".join(f"[{rank}] {citation(p)}" for rank, p in enumerate(expected, 1))
    ]


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
    assert result.structured_content == {"passages": [p.to_dict() for p in expected]}


async def test_no_match_says_so(client: Client) -> None:
    result = await client.call_tool("search_news", {"query": "zyzzyva"})
    assert (result.is_error, texts(result), result.structured_content) == (
        False,
        ["no passages match 'zyzzyva'"],
        {"passages": []},
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
        result = await client.call_tool("search_news", {"query": QUERY, "limit": 1})
    expected = raw_index.search(QUERY, limit=1)
    assert sorted(t.name for t in tools) == ["get_article", "search_news"]
    assert result.structured_content == {"passages": [p.to_dict() for p in expected]}
