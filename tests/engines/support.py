"""What the engine tests share: one query run on both engines, as article sets."""

from __future__ import annotations

from typing import Any

from newsindex.engines.opensearch import SearchPage
from newsindex.query.plan import plan_search

from .conftest import Both

EVERYTHING = 10_000  # OpenSearch's default index.max_result_window


def whoosh_articles(both: Both, query: str, **options: Any) -> frozenset[str]:
    """Every article the Whoosh engine returns: all copies, no limit."""
    found = both.whoosh.search(query, collapse=False, limit=EVERYTHING, **options)
    return frozenset(p.article_id for p in found)


def opensearch_page(both: Both, query: str, **options: Any) -> SearchPage:
    """The query planned as search() plans it, run on OpenSearch."""
    search = {
        key: options.pop(key)
        for key in ("sort", "passages_per_article", "collapse", "limit", "offset")
        if key in options
    }
    search.setdefault("limit", EVERYTHING)
    plan = plan_search(both.whoosh, query, **options)
    return both.searcher.search(plan.tree, text=query, **search)


def opensearch_articles(both: Both, query: str, **options: Any) -> frozenset[str]:
    """Every article the OpenSearch engine returns for a query."""
    return frozenset(h.article_id for h in opensearch_page(both, query, **options).hits)
