"""Writing, deleting and reading back, and the errors a client meets, as ours."""

from __future__ import annotations

import opensearchpy
import pytest
from opensearchpy import OpenSearch
from osmem_server import OsmemServer

import newsindex.engines.opensearch as package
from newsindex.engines.opensearch import OpenSearchSearcher, OpenSearchWriter
from newsindex.engines.opensearch.documents import article_document, utc_millis
from newsindex.engines.opensearch.dsl import QueryWords
from newsindex.engines.opensearch.failures import translated
from newsindex.engines.opensearch.hits import matched_spans
from newsindex.errors import (
    ArticleNotFoundError,
    IndexMissingError,
    IndexStoreError,
    QueryError,
    SearchTimeoutError,
)
from newsindex.ingest.outlet import OutletRegistry
from newsindex.query.plan import plan_search
from newsindex.query.tree import Word

from .conftest import Both, client_for


def test_the_package_exports_are_sorted_and_documented() -> None:
    assert package.__all__ == sorted(package.__all__, key=str.casefold)
    for name in package.__all__:
        assert getattr(package, name).__doc__, name


@pytest.fixture
def fresh(
    osmem_server: OsmemServer, raw_both: Both, request: pytest.FixtureRequest
) -> tuple[OpenSearchWriter, OpenSearchSearcher]:
    """An index of its own for one test, holding raw/."""
    name = f"store-{request.node.name.lower()}"
    client = client_for(osmem_server)
    writer = OpenSearchWriter(client, name)
    assert writer.create() is True
    writer.write(raw_both.whoosh.articles())
    writer.refresh()
    return writer, OpenSearchSearcher(client, name)


def test_writing_again_replaces_articles(
    fresh: tuple[OpenSearchWriter, OpenSearchSearcher], raw_both: Both
) -> None:
    writer, searcher = fresh
    articles = list(raw_both.whoosh.articles())
    assert writer.create() is False
    assert writer.write(articles) == 5
    writer.refresh()
    assert searcher.article_count() == 5
    assert [searcher.get(a.id) for a in articles] == articles


def test_deleting_by_id_and_by_path(
    fresh: tuple[OpenSearchWriter, OpenSearchSearcher], raw_both: Both
) -> None:
    writer, searcher = fresh
    first, second, *_ = sorted(raw_both.whoosh.articles(), key=lambda a: a.id)
    assert writer.delete([first.id, "0000000000000000"]) == 1
    assert writer.delete([]) == 0
    assert writer.delete_path(second.source.path) == 1
    assert writer.delete_path("raw/no-such-file.txt") == 0
    assert searcher.article_count() == 3
    with pytest.raises(ArticleNotFoundError) as caught:
        searcher.get(first.id)
    assert str(caught.value) == f"no article with id {first.id!r}"


def test_a_missing_index_is_index_missing(osmem_server: OsmemServer) -> None:
    searcher = OpenSearchSearcher(client_for(osmem_server), "nosuch")
    message = f"no index at '{osmem_server.url}/nosuch'"
    with pytest.raises(IndexMissingError) as caught:
        searcher.article_count()
    assert str(caught.value) == message
    with pytest.raises(IndexMissingError):
        searcher.search(Word("any", "oil"), text="oil")
    with pytest.raises(IndexMissingError):
        searcher.get("c124b852bc9b5986")


def test_no_server_is_an_index_store_error() -> None:
    client = OpenSearch(hosts=["http://127.0.0.1:9"], max_retries=0, timeout=2)
    with pytest.raises(IndexStoreError) as caught:
        OpenSearchSearcher(client, "news").article_count()
    assert str(caught.value) == "cannot reach OpenSearch: 'http://127.0.0.1:9/news'"


def test_a_rejected_query_is_a_query_error() -> None:
    info = {"error": {"root_cause": [{"reason": "failed to create query: bad"}]}}
    with (
        pytest.raises(QueryError) as caught,
        translated("http://h:9200/news", query="oil*"),
    ):
        raise opensearchpy.RequestError(400, "search_phase_execution_exception", info)
    assert str(caught.value) == (
        "OpenSearch rejected the query (400 failed to create query: bad): 'oil*'"
    )


def test_a_search_past_its_time_is_a_search_timeout() -> None:
    with (
        pytest.raises(SearchTimeoutError) as caught,
        translated("http://h:9200/news", query="oil", seconds=2.5),
    ):
        raise opensearchpy.ConnectionTimeout("TIMEOUT", "timed out", None)
    assert str(caught.value) == (
        "search stopped after 2.5 s (NEWSINDEX_SEARCH_SECONDS): "
        "'oil' matches too much; narrow it"
    )


def test_a_query_of_stop_words_searches_nothing(raw_both: Both) -> None:
    tree = Word("any", "the")
    with pytest.raises(QueryError) as caught:
        raw_both.searcher.search(tree, text="the")
    assert str(caught.value) == "no searchable words in query: 'the'"


def test_a_pattern_past_max_expansion_is_bounded_not_refused(
    osmem_server: OsmemServer, raw_both: Both
) -> None:
    tree = plan_search(raw_both.whoosh, "s*").tree
    bounded = OpenSearchSearcher(client_for(osmem_server), "raw", max_expansion=1)
    found = {h.article_id for h in bounded.search(tree, text="s*").hits}
    assert found <= {h.article_id for h in raw_both.searcher.search(tree).hits}


def test_highlight_offsets_count_python_characters(raw_both: Both) -> None:
    # OpenSearch counts UTF-16 units, as Java does: the emoji is two of them.
    texts = ["😀 oil prices, 😀😀 Oil", "no match", "🌍 prices\n\noil"]
    words = QueryWords(frozenset({"oil"}), ("pric*",))
    found = matched_spans(texts, words, raw_both.searcher.analyse)
    marked = [
        [text[a:b] for a, b in spans] for text, spans in zip(texts, found, strict=True)
    ]
    assert marked == [["oil", "prices", "Oil"], [], ["prices", "oil"]]


def test_a_document_holds_the_article_and_its_passages(raw_both: Both) -> None:
    registry = OutletRegistry.default()
    for article in raw_both.whoosh.articles():
        doc = article_document(article, registry)
        assert doc["payload"] == article.to_dict()
        assert doc["cluster"] == article.id
        for passage in doc["passages"]:
            assert article.body[passage["start"] : passage["end"]] == passage["text"]
        if article.published is not None:
            assert doc["published"] == utc_millis(article.published.utc())
