"""The OpenSearch engine returns the articles the Whoosh engine returns.

Every query of tests/query/test_syntax.py and tests/test_cli_queries.py on
the shipped corpus, and the leaves and cases of the ten-outlet archive,
compared as sets of articles (scores differ: osmem-server's are not
Lucene's, and neither is Whoosh's BM25F).
"""

from __future__ import annotations

from typing import Any

import pytest

from newsindex.query.plan import plan_search

from ..query.test_syntax import CASES
from ..query.test_tree import FILTERS, PHRASES, WORDS
from .conftest import Both
from .support import opensearch_articles, opensearch_page, whoosh_articles

# Lucene keeps a dropped stop word's position, Whoosh renumbers the words
# around it: "interested in an equal dialogue" has the two words 3 apart
# in Whoosh and 5 in Lucene, so `~3` (3 positions) misses it on OpenSearch.
_STOP_GAP = pytest.mark.xfail(
    strict=True, reason="Lucene counts the positions of dropped stop words"
)

RAW: list[Any] = [
    pytest.param(query, {}, marks=_STOP_GAP)
    if query == '"interested dialogue"~3'
    else (query, {})
    for query, _ in CASES
]
RAW += [
    ("Lavrov NOT outlet:TASS", {}),
    ("Lavrov AND NOT outlet:TASS", {}),
    ("NOT outlet:TASS Lavrov", {}),
    ("-outlet:TASS Lavrov", {}),
    ("Lavrov -outlet:ITAR-TASS", {}),
    ("Lavrov OR outlet:TASS", {}),
    ("regret OR outlet:TASS", {}),
    ("Lungescu OR outlet:TASS", {}),
    ("zanzibar", {}),
    ("Lavrov", {"outlet": "Finantial Times"}),
    ('entity:"Sergei Lavrof" NATO', {}),
    ("Lavrov", {"since": "2021-10-20", "until": "2021-10"}),
    ("Sergei Lavrov NATO", {"since": "2021-10-18", "until": "2021-10-19"}),
    ('"permanent mission"~3 +title:regrets', {}),
    ("(regret OR dialogue) AND entity:Stoltenberg -place:Moscow", {}),
    (
        'Lavr* cites:AP byline:"Jane Doe"',
        {"outlet": "ITAR-TASS", "include_undated": True, "until": "2021-10"},
    ),
    ("Lavrov", {"include_undated": True, "until": "2021-10"}),
    ("Lavrov", {"since": "2021-10-18"}),
    ("NATO mission", {}),
    ("Russia", {}),
    ("the mission", {}),
    ("mission AND the", {}),
]

MIXED: list[tuple[str, dict[str, Any]]] = [
    (query, {}) for query in [*WORDS, *PHRASES, *FILTERS]
]
MIXED += [
    ("OPEC -outlet:Reuters", {}),
    ("OPEC", {}),
    ("OPEC", {"outlet": "Al Jazira"}),
    ("OPEC byline:Gabet", {}),
    ("oil cites:Reutres", {}),
    ('place:"New Yrok" oil', {}),
    ('"oil prices"', {}),
    ("oil prices", {}),
    ("Trump", {}),
    ("entity:Trump", {}),
    ('byline:"Janie Gabbett"', {}),
    ("oil NOT (OPEC OR outlet:Reuters)", {}),
    ("+oil prices -saudi*", {}),
    ("(oil OR Brexit) AND (minister OR outlet:TASS)", {}),
    ("oil", {"since": "2017-01-01"}),
    ("oil", {"until": "1987-03-01"}),
    ("minister", {"since": "2017-02", "until": "2017-02", "include_undated": True}),
    ("title:oil -text:oil", {}),
    ("prices", {"entity": "OPEC"}),
]


def _ids(cases: list[Any]) -> list[str]:
    out = []
    for case in cases:
        query, options = case.values if hasattr(case, "values") else case
        out.append(query + "".join(f" --{k} {v}" for k, v in options.items()))
    return out


@pytest.mark.parametrize(("query", "options"), RAW, ids=_ids(RAW))
def test_the_shipped_corpus_gives_the_same_articles(
    raw_both: Both, query: str, options: dict[str, Any]
) -> None:
    assert_same_articles(raw_both, query, options)


@pytest.mark.parametrize(("query", "options"), MIXED, ids=_ids(MIXED))
def test_the_mixed_archive_gives_the_same_articles(
    mixed_both: Both, query: str, options: dict[str, Any]
) -> None:
    assert_same_articles(mixed_both, query, options)


def assert_same_articles(both: Both, query: str, options: dict[str, Any]) -> None:
    expected = whoosh_articles(both, query, **options)
    page = opensearch_page(both, query, **options)
    found = frozenset(h.article_id for h in page.hits)
    assert (found, page.total) == (expected, len(expected))
    plan = plan_search(both.whoosh, query, **options)
    assert both.searcher.count(plan.tree, text=query) == len(expected)


def test_the_comparison_is_not_empty(raw_both: Both, mixed_both: Both) -> None:
    assert len(opensearch_articles(raw_both, "Lavrov")) == 5
    assert len(opensearch_articles(mixed_both, "OPEC")) == 21
