"""The OpenSearch index: one document per article, its passages nested.

Article-level fields are keywords and a date, so filters, facets, sorting
and collapsing read them directly. Passages are a `nested` field: a word
selects an article when one of its passages has it, and a `nested` query's
`inner_hits` bring back the best passages with their scores. Each passage
carries its article's title, as Whoosh's passage documents do, so a title
word ranks the passages of its article (BM25 per passage, title boosted)
and a title-only match still has passages to show.

Text is analysed with OpenSearch's `english` analyzer (Porter stemming, as
Whoosh's StemmingAnalyzer); bylines and places with letter runs, lowercased,
so that `byline:Gabbett` matches part of a name. Whoosh's schema splits them
with `\\w+`, which keeps digits; a pattern analyzer would match it exactly,
but osmem-server's `pattern` analyzer finds no single word (checked with
osmem-server 0.1.6), and names rarely hold digits.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TEXT_ANALYZER", "index_template", "template_name"]

TEXT_ANALYZER = "english"
_NAMES_ANALYZER = "names"
_ANALYSIS: dict[str, Any] = {
    "analyzer": {
        _NAMES_ANALYZER: {
            "type": "custom",
            "tokenizer": "letter",
            "filter": ["lowercase"],
        }
    }
}

_KEYWORD: dict[str, Any] = {"type": "keyword"}

_MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "article_id": _KEYWORD,
        "path": _KEYWORD,
        "content_hash": _KEYWORD,
        # The outlet's registry key ("associated press") and the name a facet shows.
        "outlet": _KEYWORD,
        "outlet_name": _KEYWORD,
        "published": {"type": "date", "format": "strict_date_optional_time"},
        "precision": _KEYWORD,
        # Canonical entity keys, lowercase: `sergei lavrov`.
        "entity": _KEYWORD,
        "byline": {
            "type": "text",
            "analyzer": _NAMES_ANALYZER,
            "fields": {"names": _KEYWORD},  # whole names, for "did you mean"
        },
        "place": {
            "type": "text",
            "analyzer": _NAMES_ANALYZER,
            "fields": {"names": _KEYWORD},
        },
        "cites": _KEYWORD,
        "cluster": _KEYWORD,
        "passages": {
            "type": "nested",
            "properties": {
                "title": {"type": "text", "analyzer": TEXT_ANALYZER},
                "text": {"type": "text", "analyzer": TEXT_ANALYZER},
                "start": {"type": "integer"},
                "end": {"type": "integer"},
                "source_start": {"type": "integer", "index": False},
                "source_end": {"type": "integer", "index": False},
            },
        },
        # The Article in its JSON contract form: `get()` returns the exact body
        # the passage offsets point into. Kept in _source, never indexed.
        "payload": {"type": "object", "enabled": False},
        # The article's MinHash sketch for republication clusters (made by
        # the ingest worker): a machine rebuilding its archive cache reads it
        # rather than sketching every article again. Never indexed.
        "sketch": {"type": "object", "enabled": False},
    },
}


def template_name(index_name: str) -> str:
    """The name of the index template that shapes `index_name`."""
    return f"newsindex-{index_name}"


def index_template(index_name: str) -> dict[str, Any]:
    """The body of the index template for `index_name` (and only that index)."""
    return {
        "index_patterns": [index_name],
        "priority": 100,
        "template": {
            "settings": {"index": {"number_of_shards": 1}, "analysis": _ANALYSIS},
            "mappings": _MAPPINGS,
        },
        "_meta": {"newsindex": "article documents with nested passages"},
    }
