"""Every command on an index on OpenSearch: `--index http://127.0.0.1:PORT/NAME`.

The shipped corpus is indexed through the CLI into osmem-server, and each
README example is run on it and on the Whoosh index of the same files: the
same articles, at the same exact offsets, with the same facets, entities,
quotes and outlets (scores differ: osmem's are not Lucene's, nor Whoosh's).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from osmem_server import OsmemServer

from newsindex import Index
from newsindex.cli import cli
from newsindex.engines.opensearch.index import OpenSearchIndex
from newsindex.engines.opensearch.location import parse_location
from newsindex.errors import UsageError


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The archive caches of this module's OpenSearch indexes, in a temporary folder."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSINDEX_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def url(osmem_server: OsmemServer, corpus_dir: Path, cache_dir: Path) -> str:
    """raw/ indexed through the CLI into the index `cli-raw` on the stand-in."""
    where = f"{osmem_server.url}/cli-raw"
    with contextlib.chdir(corpus_dir):
        result = run("index", "raw", "--index", where, "--workers", "1", "-q")
    assert (result.exit_code, result.stderr) == (
        0,
        "indexed 5 articles from 5 files, skipped 0 files\n",
    )
    return where


def json_lines(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


README_SEARCHES = [
    ['outlet:TASS "permanent mission"', "--limit", "3"],
    ["Lavrov NATO mission"],
    ["Lavrov NOT outlet:TASS"],
    ["-outlet:TASS Lavrov"],
    ["Lavrov OR outlet:TASS"],
    ['"interested in" equal dialogue', "--all-copies"],
    ['entity:"Sergei Lavrov" mission'],
    ["NATO", "--since", "2021-10-19", "--sort", "date"],
    ["NATO", "--sort", "-date", "--include-undated"],
    ["Lavr*", "--passages-per-article", "2"],
    ["mission", "--by-original-date", "--since", "2021-10-01", "--until", "2021-12"],
]


def _article(passage: dict[str, Any]) -> tuple[Any, ...]:
    """What a hit says of its article: its id, date and republished copies."""
    return (
        passage["article_id"],
        passage["published"],
        [copy["article_id"] for copy in passage.get("also_in", [])],
    )


def _check_offsets(passage: dict[str, Any], corpus_dir: Path, where: str) -> None:
    """The passage is at its offsets in the stored body and in the file."""
    body = json_lines(run("show", passage["article_id"], "--json", "--index", where))
    assert body[0]["body"][passage["start"] : passage["end"]] == passage["text"]
    text = (corpus_dir / passage["source"]["path"]).read_text(encoding="utf-8")
    assert text[passage["source_start"] : passage["source_end"]] == passage["text"]


@pytest.mark.parametrize("args", README_SEARCHES, ids=lambda a: " ".join(a))
def test_readme_searches_find_the_same_articles(
    url: str, raw_index: Index, corpus_dir: Path, args: list[str]
) -> None:
    """The same articles on both engines, in the same order where it is by date.

    Which passages of an article come first depends on the scores, which
    differ; each is at its exact offsets on both.
    """
    on_whoosh = json_lines(
        run("search", *args, "--json", "--index", str(raw_index.location))
    )
    on_opensearch = json_lines(run("search", *args, "--json", "--index", url))
    assert on_whoosh, args
    if "--sort" in args:
        assert list(map(_article, on_opensearch)) == list(map(_article, on_whoosh))
    else:
        assert sorted(map(_article, on_opensearch)) == sorted(map(_article, on_whoosh))
    for passage in on_opensearch:
        _check_offsets(passage, corpus_dir, url)


def test_facets_and_timelines_are_the_same(
    url: str, raw_index: Index, tmp_path: Path
) -> None:
    facets = []
    for n, where in enumerate((str(raw_index.location), url)):
        out = tmp_path / f"facets-{n}.json"
        args = ["search", "Lavrov", "--facets", "outlet", "--facets", "month"]
        result = run(*args, "--facets-json", str(out), "--json", "--index", where)
        assert result.exit_code == 0, result.stderr
        facets.append(json.loads(out.read_text("utf-8")))
    assert facets[0] == facets[1] != {}
    timelines = [
        run(
            "timeline",
            "NATO",
            "--by",
            "month",
            "--split",
            "outlet",
            "--json",
            "--index",
            where,
        )
        for where in (str(raw_index.location), url)
    ]
    assert timelines[0].exit_code == 0, timelines[0].stderr
    assert timelines[1].stdout == timelines[0].stdout != ""


@pytest.mark.parametrize(
    ("query", "filters"),
    [("Lavrov", {}), ("NATO mission", {"outlet": "TASS", "until": "2021-10"})],
)
def test_the_entity_facet_is_the_same(
    url: str, raw_index: Index, query: str, filters: dict[str, Any]
) -> None:
    with Index.open(url) as index:
        facet = index.entity_facet(query, **filters)
        totals = [index.search(query, entity=e.name, **filters).total for e in facet]
    assert facet == raw_index.entity_facet(query, **filters) != []
    assert [e.count for e in facet] == totals


@pytest.mark.parametrize(
    "args",
    [
        ["outlets", "--json"],
        ["entities", "--type", "person", "--json"],
        ["quotes", "not interested in equal dialogue", "--json"],
        ["show", "c124b852bc9b5986", "--json"],
    ],
    ids=lambda a: a[0],
)
def test_other_commands_answer_the_same(
    url: str, raw_index: Index, args: list[str]
) -> None:
    on_whoosh = run(*args, "--index", str(raw_index.location))
    on_opensearch = run(*args, "--index", url)
    assert on_whoosh.exit_code == 0, on_whoosh.stderr
    assert (on_opensearch.exit_code, on_opensearch.stdout) == (0, on_whoosh.stdout)


def test_a_second_run_skips_every_file(url: str, corpus_dir: Path) -> None:
    with contextlib.chdir(corpus_dir):
        result = run("index", "raw", "--index", url, "--workers", "1", "-q")
    assert (result.exit_code, result.stderr) == (
        0,
        "indexed 0 articles from 0 files, skipped 0 files (5 unchanged)\n",
    )


def test_no_hits_and_errors_read_as_on_whoosh(url: str, raw_index: Index) -> None:
    for args in (["search", "zyzzyva"], ["search", "Lavrov", "--outlet", "Reuterz"]):
        on_whoosh = run(*args, "--index", str(raw_index.location))
        on_opensearch = run(*args, "--index", url)
        assert (on_opensearch.exit_code, on_opensearch.stderr) == (
            on_whoosh.exit_code,
            on_whoosh.stderr,
        )
        assert on_whoosh.exit_code == 1


def test_a_missing_index_is_one_line(osmem_server: OsmemServer) -> None:
    where = f"{osmem_server.url}/not-there"
    result = run("search", "Lavrov", "--index", where)
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: no index at '{where}' (run: newsindex index PATH)\n",
    )


def test_remove_by_id_and_by_path(
    osmem_server: OsmemServer, corpus_dir: Path, cache_dir: Path
) -> None:
    """remove keeps the manifest and the archive in step, as on Whoosh."""
    where = f"{osmem_server.url}/cli-remove"
    with contextlib.chdir(corpus_dir):
        assert (
            run("index", "raw", "--index", where, "--workers", "1", "-q").exit_code == 0
        )
    removed = run("remove", "c124b852bc9b5986", "--index", where)
    assert (removed.exit_code, removed.stderr) == (
        0,
        "removed 1 article of c124b852bc9b5986\n",
    )
    gone = run("remove", "raw/002_ff294ceaeb76ad7d.txt", "--index", where)
    assert (gone.exit_code, gone.stderr) == (
        0,
        "removed 1 article of raw/002_ff294ceaeb76ad7d.txt\n",
    )
    unknown = run("remove", "nothing-like-it", "--index", where)
    assert (unknown.exit_code, unknown.stderr) == (
        2,
        "error: no article or file 'nothing-like-it' in the index\n",
    )
    with Index.open(where) as index:
        assert isinstance(index, OpenSearchIndex)
        assert index.article_count() == 3
        assert "raw/002_ff294ceaeb76ad7d.txt" not in index.manifest()
        assert index.archive().article_count() == 3
    tass = run("search", "outlet:TASS", "--index", where)
    assert (tass.exit_code, tass.stderr) == (
        1,
        "no passages match 'outlet:TASS' (outlet 'TASS' is not in the index)\n",
    )
    # The file removed by path comes back on the next run; the one that
    # lost an article by id stays listed, without it, until it changes.
    with contextlib.chdir(corpus_dir):
        again = run("index", "raw", "--index", where, "--workers", "1", "-q")
    assert again.stderr == (
        "indexed 1 articles from 1 files, skipped 0 files (4 unchanged)\n"
    )


def test_another_machine_sees_the_commits(url: str, tmp_path: Path) -> None:
    """A fresh cache (another machine) rebuilds the archive from the cluster."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSINDEX_CACHE_DIR", str(tmp_path))
        result = run("entities", "--type", "person", "--index", url)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "     5  2021-10-18 .. 2024-05-23  person  Sergei Lavrov"
        "  (also: Lavrov, Sergey Lavrov)"
    )


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://localhost:9200/", "--index URL must name one index"),
        ("http://localhost:9200/a/b", "--index URL must name one index"),
        ("http://localhost:9200/News", "'News' is not an OpenSearch index name"),
        ("http://localhost:9200/_x", "'_x' is not an OpenSearch index name"),
        ("http://localhost:port/x", "--index: Port could not be cast"),
    ],
)
def test_malformed_urls_are_usage_errors(location: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_location(location)


def test_credentials_from_the_url_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSINDEX_OPENSEARCH_USER", "reader")
    monkeypatch.setenv("NEWSINDEX_OPENSEARCH_PASSWORD", "from-env")
    from_env = parse_location("https://search.example.org/news")
    assert (from_env.user, from_env.password, from_env.port) == (
        "reader",
        "from-env",
        9200,
    )
    in_url = parse_location("https://ann:s%40cret@search.example.org:443/news")
    assert (in_url.user, in_url.password, in_url.url) == (
        "ann",
        "s@cret",
        "https://search.example.org:443/news",
    )


def test_a_password_is_never_shown() -> None:
    with pytest.raises(UsageError) as caught:
        parse_location("https://ann:hunter2@search.example.org/a/b")
    assert "hunter2" not in str(caught.value)
    assert "ann:***@" in str(caught.value)


def test_serve_over_the_url(url: str, raw_index: Index) -> None:
    from starlette.testclient import TestClient

    from newsindex.serve.http import create_app

    answers = []
    for where in (raw_index.location, url):
        with TestClient(create_app(where)) as client:
            found = client.get("/api/search", params={"q": "Lavrov", "limit": 10})
            assert found.status_code == 200, found.text
            answers.append(sorted(p["article_id"] for p in found.json()["results"]))
    assert answers[0] == answers[1] != []


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_mcp_over_the_url(url: str, raw_index: Index, anyio_backend: str) -> None:
    from mcp import Client

    from newsindex.serve.mcp_server import create_server

    answers = []
    for where in (raw_index.location, url):
        with Index.open(where) as index:
            async with Client(create_server(index), mode="legacy") as client:
                await client.list_tools()
                result = await client.call_tool("search_news", {"query": "Lavrov"})
        assert not result.is_error
        assert result.structured_content is not None
        passages = result.structured_content["passages"]
        answers.append(sorted(p["article_id"] for p in passages))
    assert answers[0] == answers[1] != []


def test_verify_is_for_an_index_folder(url: str) -> None:
    result = run("verify", "--index", url)
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: verify checks an index folder; '{url}' is on OpenSearch, "
        "which checks its own documents\n",
    )


def test_an_unreachable_cluster_is_one_line() -> None:
    result = run("search", "Lavrov", "--index", "http://127.0.0.1:9/news")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cannot reach OpenSearch: 'http://127.0.0.1:9/news'\n",
    )
