"""The query layer's search() on either engine, through the engine interface.

`search()` knows no engine: it plans the query, asks the index's engine
(`engines/base.py`) and collapses, pages and dates what comes back. Here
the same search() runs on the Whoosh index and on the same articles in
OpenSearch: the articles, totals, facets and unknown values agree, and
every passage is at its exact offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from newsindex import Index
from newsindex.archive import Archive
from newsindex.engines.base import SearchEngine
from newsindex.engines.opensearch.engine import OpenSearchEngine
from newsindex.query.facets import facet_counts
from newsindex.query.search import search

from .conftest import Both


@dataclass
class OnOpenSearch:
    """An index whose search engine is OpenSearch (its archive the Whoosh one's)."""

    both: Both

    def engine(self) -> SearchEngine:
        return OpenSearchEngine(self.both.searcher)

    def archive(self) -> Archive:
        return self.both.whoosh.archive()


def on_both(both: Both, query: str, **options: Any) -> tuple[list[Any], list[Any]]:
    whoosh = search(both.whoosh, query, **options)
    opensearch = search(OnOpenSearch(both), query, **options)  # type: ignore[arg-type]
    return whoosh, opensearch


QUERIES = [
    "Lavrov",
    "NATO mission",
    "Lavrov NOT outlet:TASS",
    '"permanent mission"',
    "regret OR outlet:TASS",
    'entity:"Sergey Lavrov" mission',
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("collapse", [True, False])
def test_the_same_articles_and_totals(
    raw_both: Both, query: str, collapse: bool
) -> None:
    whoosh, opensearch = on_both(raw_both, query, limit=50, collapse=collapse)
    assert {p.article_id for p in opensearch} == {p.article_id for p in whoosh}
    assert opensearch.total == whoosh.total  # type: ignore[attr-defined]
    for passage in opensearch:
        body = raw_both.whoosh.get(passage.article_id).body
        assert body[passage.start : passage.end] == passage.text
        for start, end in passage.highlights:
            assert 0 <= start < end <= len(passage.text)


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_the_same_date_order(mixed_both: Both, sort: str) -> None:
    whoosh, opensearch = on_both(mixed_both, "OPEC", limit=40, sort=sort)
    assert [p.published for p in opensearch] == [p.published for p in whoosh]


def test_paging_and_passages_per_article(mixed_both: Both) -> None:
    whoosh, opensearch = on_both(
        mixed_both, "oil prices", limit=5, offset=5, passages_per_article=2
    )
    assert len(opensearch) == len(whoosh) == 5
    counts: dict[str, int] = {}
    for passage in opensearch:
        counts[passage.article_id] = counts.get(passage.article_id, 0) + 1
    assert max(counts.values()) <= 2


def test_the_same_facets(mixed_both: Both) -> None:
    for query in ("OPEC", "OPEC -outlet:Reuters", "oil OR Brexit"):
        assert facet_counts(
            OnOpenSearch(mixed_both),  # type: ignore[arg-type]
            query,
            ["outlet", "month"],
        ) == facet_counts(mixed_both.whoosh, query, ["outlet", "month"])


@pytest.mark.parametrize("by", ["day", "week", "month", "year"])
def test_the_same_histogram(mixed_both: Both, by: Any) -> None:
    for query in ("OPEC", "oil OR Brexit -outlet:Reuters"):
        tree = _tree(mixed_both, query)
        for split in (False, True):
            whoosh = mixed_both.whoosh.engine().run(*tree).histogram(by, split)
            opensearch = OpenSearchEngine(mixed_both.searcher).run(*tree)
            assert opensearch.histogram(by, split) == whoosh
            assert whoosh  # the archive is dated: the comparison is not of nothing


def test_an_unknown_interval_is_named(mixed_both: Both) -> None:
    tree = _tree(mixed_both, "OPEC")
    runs = [
        mixed_both.whoosh.engine().run(*tree),
        OpenSearchEngine(mixed_both.searcher).run(*tree),
    ]
    for run in runs:
        with pytest.raises(
            ValueError,
            match=r"^no interval named 'hour' \(intervals: day, week, month, year\)$",
        ):
            run.histogram("hour")  # type: ignore[arg-type]


def test_the_same_unknown_values(mixed_both: Both) -> None:
    for query in ("OPEC byline:Gabet", "oil cites:Reutres", 'place:"New Yrok" oil'):
        whoosh, opensearch = on_both(mixed_both, query)
        assert whoosh == opensearch == []
        assert (
            opensearch.describe_empty() == whoosh.describe_empty()  # type: ignore[attr-defined]
        )


def test_outlets(mixed_both: Both, mixed_index: Index) -> None:
    listed = OpenSearchEngine(mixed_both.searcher).outlets()
    assert [o.to_dict() for o in listed] == [o.to_dict() for o in mixed_index.outlets()]


def test_an_unknown_facet_is_named(mixed_both: Both) -> None:
    for index in (mixed_both.whoosh, OnOpenSearch(mixed_both)):
        with pytest.raises(
            ValueError, match=r"^no facet named 'day' \(facets: month, outlet\)$"
        ):
            facet_counts(index, "OPEC", ["outlet", "day"])  # type: ignore[arg-type]
    run = OpenSearchEngine(mixed_both.searcher).run(*_tree(mixed_both, "OPEC"))
    with pytest.raises(ValueError, match=r"^no facet named 'day'"):
        run.facets(["day"])


def _tree(both: Both, query: str) -> tuple[Any, str]:
    from newsindex.query.plan import plan_search

    plan = plan_search(both.whoosh, query)
    return plan.tree, plan.text
