"""What OpenSearch hits carry: exact offsets, highlights, facets, date order, copies."""

from __future__ import annotations

from typing import Any

import pytest

from newsindex.engines.opensearch.documents import passage_spans
from newsindex.query.plan import plan_search

from .conftest import Both
from .support import opensearch_page

QUERIES = ["Lavrov NATO mission", "NATO NOT regret", "outlet:TASS", "Lavr*", "regret"]
MIXED_QUERIES = ["OPEC", "oil prices", '"prime minister"~3', "saudi*", "place:London"]


def _passages_hold(both: Both, query: str) -> int:
    checked = 0
    for hit in opensearch_page(both, query, passages_per_article=3).hits:
        stored = both.searcher.get(hit.article_id)
        assert stored == hit.article == both.whoosh.get(hit.article_id)
        spans = passage_spans(stored)
        for p in hit.passages:
            assert stored.body[p.start : p.end] == p.text
            assert (p.start, p.end) in spans
            assert (p.source_start, p.source_end) == (
                stored.source_span(p.start, p.end) or (None, None)
            )
            for a, b in p.highlights:
                assert 0 <= a < b <= len(p.text)
            checked += 1
    return checked


@pytest.mark.parametrize("query", QUERIES)
def test_every_passage_is_the_body_at_its_offsets(raw_both: Both, query: str) -> None:
    assert _passages_hold(raw_both, query) > 0


@pytest.mark.parametrize("query", MIXED_QUERIES)
def test_every_passage_is_the_body_at_its_offsets_on_a_mixed_archive(
    mixed_both: Both, query: str
) -> None:
    assert _passages_hold(mixed_both, query) > 0


def test_highlights_mark_the_stemmed_words(raw_both: Both) -> None:
    (hit, *_) = opensearch_page(raw_both, "suspended missions", limit=1).hits
    marked = {p.text[a:b].lower() for p in hit.passages for a, b in p.highlights}
    assert marked
    assert marked <= {"suspend", "suspended", "suspends", "suspending",
                      "suspension", "mission", "missions", "mission’s"}  # fmt: skip


def test_a_pattern_marks_the_words_it_matched(raw_both: Both) -> None:
    for hit in opensearch_page(raw_both, "Lavr*").hits:
        for p in hit.passages:
            marked = [p.text[a:b] for a, b in p.highlights]
            assert marked
            assert all(word.lower().startswith("lavr") for word in marked)


def test_excluded_words_and_filters_mark_nothing(raw_both: Both) -> None:
    for hit in opensearch_page(raw_both, "outlet:TASS -regret").hits:
        assert [p.highlights for p in hit.passages] == [()]
        assert [p.score for p in hit.passages] == [0.0]


def test_a_filter_alone_shows_the_first_passages(raw_both: Both) -> None:
    for hit in opensearch_page(raw_both, "outlet:TASS", passages_per_article=2).hits:
        spans = passage_spans(hit.article)[:2]
        assert [(p.start, p.end) for p in hit.passages] == spans


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("NATO", {}),
        ("Lavrov NOT outlet:TASS", {}),
        ("Lavrov", {"since": "2021-10-18", "include_undated": True}),
    ],
)
def test_facets_are_whooshs_on_the_shipped_corpus(
    raw_both: Both, query: str, options: dict[str, Any]
) -> None:
    assert_same_facets(raw_both, query, options)


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("OPEC", {}),
        ("OPEC -outlet:Reuters", {}),
        ("oil OR outlet:TASS", {}),
        ("minister", {"since": "2017-01-01"}),
        ("prices", {"until": "2017-02", "include_undated": True}),
    ],
)
def test_facets_are_whooshs_on_a_mixed_archive(
    mixed_both: Both, query: str, options: dict[str, Any]
) -> None:
    assert_same_facets(mixed_both, query, options)


def assert_same_facets(both: Both, query: str, options: dict[str, Any]) -> None:
    plan = plan_search(both.whoosh, query, **options)
    found = both.searcher.facets(plan.tree, ["outlet", "month"], text=query)
    assert found == both.whoosh.facets(query, ["outlet", "month"], **options)


def test_an_excluded_outlet_is_not_counted(mixed_both: Both) -> None:
    plan = plan_search(mixed_both.whoosh, "OPEC -outlet:Reuters")
    facets = mixed_both.searcher.facets(plan.tree, ["outlet"])
    assert facets == {
        "outlet": [("China Daily", 3), ("Al Jazeera", 2), ("RTÉ", 1), ("TASS", 1)]
    }


@pytest.mark.parametrize("sort", ["date", "-date"])
@pytest.mark.parametrize(
    ("fixture", "query"),
    [
        ("raw_both", "Lavrov"),
        ("raw_both", "NATO mission"),
        ("raw_both", "Russia"),
        ("mixed_both", "OPEC"),
        ("mixed_both", "oil prices"),
        ("mixed_both", "Trump"),
        ("mixed_both", "outlet:TASS OR outlet:CNN"),
    ],
)
def test_date_sorts_are_monotone_with_the_undated_last(
    request: pytest.FixtureRequest, fixture: str, query: str, sort: str
) -> None:
    both: Both = request.getfixturevalue(fixture)
    hits = opensearch_page(both, query, sort=sort).hits
    dates = [h.article.published.utc() if h.article.published else None for h in hits]
    dated = [d for d in dates if d is not None]
    assert dates == [*dated, *[None] * (len(dates) - len(dated))]
    assert dated == sorted(dated, reverse=sort == "-date")
    assert len(hits) == len(opensearch_page(both, query).hits) > 1


def test_pages_follow_each_other(mixed_both: Both) -> None:
    whole = [h.article_id for h in opensearch_page(mixed_both, "oil", sort="date").hits]
    pages = [
        h.article_id
        for offset in range(0, len(whole), 4)
        for h in opensearch_page(
            mixed_both, "oil", sort="date", limit=4, offset=offset
        ).hits
    ]
    assert pages == whole


def test_collapse_keeps_one_article_per_cluster(mixed_both: Both) -> None:
    articles = list(mixed_both.whoosh.articles())
    clusters = mixed_both.whoosh.archive().clusters_of(a.id for a in articles)
    page = opensearch_page(mixed_both, "oil OR OPEC OR BankAmerica", collapse=True)
    whole = opensearch_page(mixed_both, "oil OR OPEC OR BankAmerica")
    shown = [h.cluster for h in page.hits]
    assert len(shown) == len(set(shown))
    assert {h.cluster for h in whole.hits} == set(shown)
    for hit in page.hits:
        assert hit.cluster == clusters[hit.article_id].cluster_id
        members = {h.article_id for h in whole.hits if h.cluster == hit.cluster} - {
            hit.article_id
        }
        assert set(hit.copies) == members
    assert page.total == whole.total
    assert any(hit.copies for hit in page.hits)  # the archive's one republished story


@pytest.mark.parametrize("query", ["Lavrov NATO mission", "regret OR outlet:TASS"])
def test_an_article_scores_as_its_best_passage(raw_both: Both, query: str) -> None:
    hits = opensearch_page(raw_both, query, passages_per_article=3).hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for hit in hits:
        scores = [p.score for p in hit.passages]
        assert scores == sorted(scores, reverse=True)
        assert hit.score == pytest.approx(scores[0])
