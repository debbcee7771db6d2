"""newsindex on an OpenSearch cluster: one document per article, passages nested.

    OpenSearchWriter     create the index (template, mappings), upsert, delete
    OpenSearchSearcher   get, count, search (ranked passages), facets
    Translator (dsl.py)  newsindex's query tree -> OpenSearch query DSL

Nothing above the engine interface imports this package yet.
"""

from newsindex.engines.opensearch.hits import ArticleHit, HitPassage, SearchPage
from newsindex.engines.opensearch.searcher import OpenSearchSearcher
from newsindex.engines.opensearch.writer import OpenSearchWriter

__all__ = [
    "ArticleHit",
    "HitPassage",
    "OpenSearchSearcher",
    "OpenSearchWriter",
    "SearchPage",
]
