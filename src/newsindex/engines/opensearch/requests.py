"""The request bodies the OpenSearch engine sends, built by plain functions.

Tests validate each against OpenSearch's published REST API specification
(tests/engines/spec/), so that what osmem-server accepts a cluster accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsindex.engines.base import Sort
from newsindex.engines.opensearch.dsl import Compiled, Query

__all__ = [
    "MAX_COPIES",
    "SEARCH_PARAMS",
    "Sort",
    "analyze_body",
    "count_body",
    "delete_ids_body",
    "delete_path_body",
    "facets_body",
    "histogram_body",
    "search_body",
]


# Global term statistics (document frequencies) across shards before scoring,
# so that a score does not depend on which shard a document fell into.
SEARCH_PARAMS = {"search_type": "dfs_query_then_fetch"}
MAX_COPIES = 100  # copies of one story listed with a collapsed hit
_MAX_OUTLETS = 10_000  # outlet buckets of one facet count


def search_body(
    compiled: Compiled,
    *,
    limit: int,
    offset: int,
    sort: Sort,
    passages_per_article: int,
    collapse: bool,
    seconds: float,
    only: Sequence[str] = (),
) -> dict[str, Any]:
    """Articles `offset..offset+limit` of a query, each with its best passages.

    `seconds`: the time the cluster may take (it answers `timed_out` past it).
    `only`: these articles and no others (empty: all).
    """
    query = _scored(compiled, passages_per_article)
    if only:
        query["bool"]["filter"].append({"ids": {"values": list(only)}})
    body: dict[str, Any] = {
        "timeout": _duration(seconds),
        "query": query,
        "from": offset,
        "size": limit,
        "track_total_hits": True,
        "_source": {"excludes": ["passages"]},
        "sort": _sort(sort),
    }
    if sort != "relevance":
        body["track_scores"] = True
    if collapse:
        body["collapse"] = {
            "field": "cluster",
            "inner_hits": {
                "name": "copies",
                "size": MAX_COPIES,
                "_source": False,
                "sort": [{"article_id": {"order": "asc"}}],
            },
        }
    return body


def count_body(compiled: Compiled) -> dict[str, Any]:
    """The `_count` body: how many articles the query selects."""
    return {"query": compiled.selection}


def facets_body(compiled: Compiled, seconds: float) -> dict[str, Any]:
    """Article counts per outlet and per month (UTC) of the selected articles."""
    return {
        "timeout": _duration(seconds),
        "size": 0,
        "track_total_hits": True,
        "query": compiled.selection,
        "aggs": {
            "outlet": {
                "terms": {"field": "outlet", "size": _MAX_OUTLETS},
                "aggs": {"name": {"terms": {"field": "outlet_name", "size": 1}}},
            },
            "no_outlet": {"missing": {"field": "outlet"}},
            "month": {
                "date_histogram": {
                    "field": "published",
                    "calendar_interval": "month",
                    "format": "yyyy-MM",
                    "time_zone": "UTC",
                    "min_doc_count": 1,
                }
            },
            "undated": {"missing": {"field": "published"}},
        },
    }


def histogram_body(
    compiled: Compiled, by: str, *, split: bool, seconds: float
) -> dict[str, Any]:
    """Dated article counts per calendar `by` (UTC), under each outlet if `split`.

    Buckets are keyed by their first day; a calendar week starts on Monday.
    """
    periods = {
        "date_histogram": {
            "field": "published",
            "calendar_interval": by,
            "format": "yyyy-MM-dd",
            "time_zone": "UTC",
            "min_doc_count": 1,
        }
    }
    aggs: dict[str, Any] = {"periods": periods}
    if split:
        aggs = {
            "outlet": {
                "terms": {"field": "outlet", "size": _MAX_OUTLETS},
                "aggs": {
                    "name": {"terms": {"field": "outlet_name", "size": 1}},
                    "periods": periods,
                },
            },
            "no_outlet": {"missing": {"field": "outlet"}, "aggs": {"periods": periods}},
        }
    return {
        "timeout": _duration(seconds),
        "size": 0,
        "query": compiled.selection,
        "aggs": aggs,
    }


def outlets_body(seconds: float) -> dict[str, Any]:
    """Every outlet with its article count, display name and first and last date."""
    return {
        "timeout": _duration(seconds),
        "size": 0,
        "query": {"match_all": {}},
        "aggs": {
            "outlet": {
                "terms": {"field": "outlet", "size": _MAX_OUTLETS},
                "aggs": {
                    "name": {"terms": {"field": "outlet_name", "size": 1}},
                    "first": {"min": {"field": "published"}},
                    "last": {"max": {"field": "published"}},
                },
            }
        },
    }


def values_body(field: str, seconds: float) -> dict[str, Any]:
    """The values a keyword field holds across the index (for suggestions)."""
    return {
        "timeout": _duration(seconds),
        "size": 0,
        "query": {"match_all": {}},
        "aggs": {"values": {"terms": {"field": field, "size": _MAX_OUTLETS}}},
    }


def analyze_body(text: str, analyzer: str) -> dict[str, Any]:
    """The `_analyze` body: `text` through `analyzer`, tokens with offsets."""
    return {"analyzer": analyzer, "text": text}


def delete_ids_body(article_ids: list[str]) -> dict[str, Any]:
    """The `_delete_by_query` body: these articles."""
    return {"query": {"ids": {"values": article_ids}}}


def delete_path_body(path: str) -> dict[str, Any]:
    """The `_delete_by_query` body: every article read from `path`."""
    return {"query": {"term": {"path": path}}}


def _scored(compiled: Compiled, passages: int) -> Query:
    """The selection, plus the clause that scores articles by their best passage."""
    query: dict[str, Any] = {"filter": [compiled.selection]}
    if compiled.ranking:
        ranked = (
            compiled.ranking[0]
            if len(compiled.ranking) == 1
            else {"bool": {"should": list(compiled.ranking), "minimum_should_match": 1}}
        )
        query["should"] = [
            {
                "nested": {
                    "path": "passages",
                    "query": ranked,
                    "score_mode": "max",
                    "inner_hits": {"name": "best", "size": passages},
                }
            }
        ]
    return {"bool": query}


def _sort(sort: Sort) -> list[dict[str, Any]]:
    """Best first, or by date with the undated last; ties go by article id."""
    order: list[dict[str, Any]] = [{"_score": {"order": "desc"}}]
    if sort != "relevance":
        direction = "desc" if sort == "-date" else "asc"
        order.insert(0, {"published": {"order": direction, "missing": "_last"}})
    order.append({"article_id": {"order": "asc"}})
    return order


def _duration(seconds: float) -> str:
    """Seconds as an OpenSearch time unit, in whole milliseconds: `10000ms`."""
    return f"{max(1, round(seconds * 1000))}ms"
