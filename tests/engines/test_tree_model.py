"""Boolean trees on OpenSearch are set algebra over its own leaves' articles.

The model of tests/query/test_tree.py, with every leaf searched alone on
the OpenSearch engine: a random tree of words, phrases, patterns and
filters must return what AND, OR, NOT, `+`/`-` and side-by-side groups
make of those leaves' articles, within each date window.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsindex.errors import QueryError

from ..query.test_tree import (
    FILTERS,
    PHRASES,
    WINDOWS,
    WORDS,
    Model,
    Node,
    dated,
    render,
    trees,
)
from .conftest import Both
from .support import opensearch_articles


class OpenSearchModel(Model):
    """The model, its leaves' articles read from the OpenSearch engine."""

    def __init__(self, both: Both) -> None:
        super().__init__(both.whoosh)
        self.both = both
        self._leaves: dict[str, frozenset[str]] = {}

    def leaf(self, text: str) -> frozenset[str]:
        if text not in self._leaves:
            self._leaves[text] = opensearch_articles(self.both, text)
        return self._leaves[text]


@pytest.fixture(scope="module")
def model(mixed_both: Both) -> OpenSearchModel:
    return OpenSearchModel(mixed_both)


def test_every_leaf_selects_some_articles_and_not_all(model: OpenSearchModel) -> None:
    assert model.both.searcher.article_count() == len(model.everything)
    for text in [*WORDS, *PHRASES, *FILTERS]:
        assert 0 < len(model.leaf(text)) < len(model.everything), text


@settings(
    max_examples=int(os.environ.get("NEWSINDEX_TREE_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tree=trees, window=st.sampled_from(WINDOWS))
def test_a_tree_returns_the_set_algebra_of_its_leaves(
    model: OpenSearchModel, tree: Node, window: tuple[str | None, str | None]
) -> None:
    query = render(tree)
    since, until = window
    if not model.selects(tree):
        with pytest.raises(QueryError):
            opensearch_articles(model.both, query, since=since, until=until)
        return
    expected = model.articles(tree) & dated(model.index, since, until)
    found = opensearch_articles(model.both, query, since=since, until=until)
    assert found == expected, query
