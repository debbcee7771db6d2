"""OpenSearch behind the engine interface (`engines/base.py`).

`OpenSearchEngine(searcher)` is a `SearchEngine`: `run(tree, text)`
compiles the tree once (QueryError now, not at the first fetch) and the
run answers from the cluster. OpenSearch ranks articles, each with its
best passages (`inner_hits`); `fetch` lays them out as passages, an
article's best first, which is what the query layer collapses and pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsindex.engines.base import (
    Bucket,
    Interval,
    OutletCount,
    PassageHit,
    Sort,
    UnknownValue,
    provenance,
)
from newsindex.engines.opensearch.hits import ArticleHit
from newsindex.engines.opensearch.searcher import OpenSearchSearcher
from newsindex.engines.suggest import display_values, unknown_values
from newsindex.query.tree import Node

__all__ = ["OpenSearchEngine", "OpenSearchRun"]

# The keyword field whose values a filter's suggestions come from.
_VALUES = {
    "outlet": "outlet",
    "cites": "cites",
    "entity": "entity",
    "byline": "byline.names",
    "place": "place.names",
}


class OpenSearchEngine:
    """Query trees on one newsindex index of an OpenSearch cluster."""

    def __init__(self, searcher: OpenSearchSearcher) -> None:
        self.searcher = searcher

    def run(self, tree: Node, text: str) -> OpenSearchRun:
        """Compile `tree` for the cluster; QueryError if it cannot run."""
        self.searcher.compile(tree, text)
        return OpenSearchRun(self.searcher, tree, text)

    def outlets(self) -> list[OutletCount]:
        """Every outlet with its article count and dates, most articles first."""
        return self.searcher.outlets()

    def warm(self) -> None:
        """Nothing to read ahead: the cluster keeps its own caches."""


class OpenSearchRun:
    """One tree on one OpenSearch index."""

    def __init__(self, searcher: OpenSearchSearcher, tree: Node, text: str) -> None:
        self.searcher = searcher
        self.tree = tree
        self.text = text
        self._spans: dict[str, tuple[tuple[int, int], ...]] = {}

    def fetch(self, n: int, sort: Sort, per_article: int = 1) -> list[PassageHit]:
        """The passages of the top `n` articles, each article's best first."""
        page = self.searcher.search(
            self.tree,
            text=self.text,
            limit=n,
            sort=sort,
            passages_per_article=per_article,
        )
        return [hit for found in page.hits for hit in self._passages(found)]

    def best_of(self, article_id: str) -> PassageHit | None:
        """The best passage of one article among those the tree matches."""
        page = self.searcher.search(
            self.tree, text=self.text, limit=1, only=[article_id]
        )
        hits = [hit for found in page.hits for hit in self._passages(found)]
        return hits[0] if hits else None

    def count_articles(self) -> int:
        """How many articles the tree matches."""
        return self.searcher.count(self.tree, text=self.text)

    def facets(self, names: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        """Articles per outlet and per month, as aggregations on the cluster."""
        return self.searcher.facets(self.tree, names, text=self.text)

    def histogram(self, by: Interval, split: bool = False) -> list[Bucket]:
        """Dated articles per period (and outlet), as date histograms."""
        return self.searcher.histogram(self.tree, by, split=split, text=self.text)

    def unknown_values(self) -> tuple[UnknownValue, ...]:
        """The tree's filter values that no article holds, with the closest ones."""
        return unknown_values(
            self.tree,
            lambda leaf: bool(self.searcher.count(leaf, text=self.text)),
            lambda field: display_values(field, self.searcher.values(_VALUES[field])),
        )

    def highlights(self, text: str) -> tuple[tuple[int, int], ...]:
        """The matched spans of a passage this run fetched (none if it did not)."""
        return self._spans.get(text, ())

    def _passages(self, found: ArticleHit) -> list[PassageHit]:
        article = found.article
        published = (
            article.published.utc().replace(tzinfo=None)
            if (article.published)
            else None
        )
        hits = []
        for passage in found.passages:
            self._spans[passage.text] = passage.highlights
            hits.append(
                PassageHit(
                    article_id=found.article_id,
                    start=passage.start,
                    end=passage.end,
                    text=passage.text,
                    score=passage.score,
                    published=published,
                    provenance=provenance(article),
                    source_start=passage.source_start,
                    source_end=passage.source_end,
                    cluster=found.article_id,
                )
            )
        return hits
