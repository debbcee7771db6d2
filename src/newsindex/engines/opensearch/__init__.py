"""newsindex on an OpenSearch cluster: one document per article, passages nested.

    OpenSearchWriter     create the index (template, mappings), upsert, delete
    OpenSearchSearcher   get, count, search (ranked passages), facets
    Translator (dsl.py)  newsindex's query tree -> OpenSearch query DSL

Nothing above the engine interface imports this package yet.

Tested against osmem-server 0.1.6, an in-memory stand-in (tests/engines/).
What it does differently from a cluster, and what the engine does about it:
- its scores are not Lucene's: tests compare article sets and orders that
  do not depend on scores (dates, ids), never score values;
- its `pattern` analyzer matches no single word: bylines and places use a
  `letter` tokenizer (mapping.py);
- its `_validate/query?rewrite=true` does not expand a word pattern, so a
  pattern is bounded rather than refused (dsl.py);
- its sloppy `match_phrase` does not match words reversed, Lucene's does:
  a phrase with slop is an in-order `span_near`, the same on both (dsl.py);
- one shard: `dfs_query_then_fetch` is sent and accepted, but its effect
  (shard-independent document frequencies) cannot be seen on it.
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
