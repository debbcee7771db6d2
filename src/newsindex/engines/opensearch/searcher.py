"""Search an OpenSearch index: get, count, rank, facet, by the query tree.

A search is one request: the tree's selection in filter context, the
ranking clause that scores an article by its best passage and brings its
best passages (`dsl.py`), run as `dfs_query_then_fetch` so that document
frequencies are the whole index's, not one shard's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import opensearchpy

from newsindex.engines.base import (
    SORTS,
    Bucket,
    Interval,
    OutletCount,
    check_facets,
    check_interval,
)
from newsindex.engines.opensearch.dsl import Compiled, Token, Translator
from newsindex.engines.opensearch.failures import location, translated
from newsindex.engines.opensearch.hits import SearchPage, highlighted, read_hit
from newsindex.engines.opensearch.mapping import TEXT_ANALYZER
from newsindex.engines.opensearch.requests import (
    SEARCH_PARAMS,
    Sort,
    analyze_body,
    count_body,
    facets_body,
    histogram_body,
    outlets_body,
    search_body,
    values_body,
)
from newsindex.errors import ArticleNotFoundError, SearchTimeoutError
from newsindex.query.tree import Node
from newsindex.records import Article
from newsindex.settings import settings

__all__ = ["OpenSearchSearcher"]

_GRACE_SECONDS = 5.0  # the client waits this much past the cluster's own timeout


class OpenSearchSearcher:
    """Read one newsindex index on an OpenSearch cluster.

    `max_expansion`: how many index words a word pattern may stand for
    (default: NEWSINDEX_MAX_EXPANSION).
    """

    def __init__(
        self,
        client: opensearchpy.OpenSearch,
        index: str,
        *,
        max_expansion: int | None = None,
    ) -> None:
        self.client = client
        self.index = index
        self.where = location(client, index)
        limits = settings()
        self._max_expansion = (
            max_expansion if max_expansion is not None else limits.max_expansion
        )
        self._seconds = limits.search_seconds

    def get(self, article_id: str) -> Article:
        """The stored article; ArticleNotFoundError if there is none."""
        with translated(self.where):
            try:
                found = self.client.get(
                    index=self.index, id=article_id, _source_includes="payload"
                )
            except opensearchpy.NotFoundError as exc:
                if exc.error == "index_not_found_exception":
                    raise
                raise ArticleNotFoundError(article_id) from exc
        return Article.from_dict(found["_source"]["payload"])

    def article_count(self) -> int:
        """How many articles the index holds."""
        with translated(self.where):
            answer = self.client.count(index=self.index)
        return int(answer["count"])

    def compile(self, tree: Node, text: str = "") -> Compiled:
        """The tree as this index runs it; QueryError if it searches for nothing."""
        with translated(self.where, query=text):
            translator = Translator(self.analyse, max_expansion=self._max_expansion)
            return translator.compile(tree, text)

    def search(
        self,
        tree: Node,
        *,
        text: str = "",
        limit: int = 10,
        offset: int = 0,
        sort: Sort = "relevance",
        passages_per_article: int = 1,
        collapse: bool = False,
        only: Sequence[str] = (),
    ) -> SearchPage:
        """Articles `offset..offset+limit` matching `tree`, best (or by date) first.

        Each hit has its best `passages_per_article` passages with exact
        offsets and highlights. By date, undated articles come last and the
        better one first on the same date. With `collapse`, one article per
        republication cluster, its other matching copies in `copies`;
        `total` still counts articles. `only`: these articles and no others.
        `text` is the query as typed, for messages. Raises QueryError,
        IndexMissingError or IndexStoreError.
        """
        if limit < 1 or offset < 0 or passages_per_article < 1:
            raise ValueError(
                f"need limit >= 1, offset >= 0, passages_per_article >= 1: "
                f"{limit!r}, {offset!r}, {passages_per_article!r}"
            )
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}: {sort!r}")
        compiled = self.compile(tree, text)
        body = search_body(
            compiled,
            limit=limit,
            offset=offset,
            sort=sort,
            passages_per_article=passages_per_article,
            collapse=collapse,
            seconds=self._seconds,
            only=only,
        )
        answer = self._search(body, text)
        hits = highlighted(
            [
                read_hit(h, passages=passages_per_article)
                for h in answer["hits"]["hits"]
            ],
            compiled.words,
            self.analyse,
        )
        return SearchPage(hits, int(answer["hits"]["total"]["value"]))

    def count(self, tree: Node, *, text: str = "") -> int:
        """How many articles match `tree`."""
        compiled = self.compile(tree, text)
        with translated(self.where, query=text, seconds=self._seconds):
            answer = self.client.count(
                index=self.index,
                body=count_body(compiled),
                request_timeout=self._seconds + _GRACE_SECONDS,
            )
        return int(answer["count"])

    def facets(
        self, tree: Node, facets: Sequence[str], *, text: str = ""
    ) -> dict[str, list[tuple[str, int]]]:
        """Articles matching `tree` per outlet and/or per month, as facet_counts().

        Outlets come most articles first, months in date order (UTC);
        `unknown` and `undated` count the articles without one.
        """
        check_facets(facets)
        compiled = self.compile(tree, text)
        answer = self._search(facets_body(compiled, self._seconds), text)
        aggs = answer["aggregations"]
        out: dict[str, list[tuple[str, int]]] = {}
        for facet in facets:
            if facet == "outlet":
                counted = [
                    (_outlet_name(b), int(b["doc_count"]))
                    for b in _buckets(aggs, "outlet")
                ]
                counted += _missing(aggs, "no_outlet", "unknown")
                counted.sort(key=lambda item: (-item[1], item[0].casefold()))
            else:
                counted = [
                    (str(b["key_as_string"]), int(b["doc_count"]))
                    for b in _buckets(aggs, "month")
                    if b["doc_count"]
                ]
                counted += _missing(aggs, "undated", "undated")
                counted.sort(key=lambda item: (item[0] == "undated", item[0]))
            out[facet] = counted
        return out

    def histogram(
        self, tree: Node, by: Interval, *, split: bool = False, text: str = ""
    ) -> list[Bucket]:
        """Dated articles matching `tree` per period of `by` (and outlet), as
        QueryRun.histogram: in date order, then most articles first."""
        check_interval(by)
        compiled = self.compile(tree, text)
        body = histogram_body(compiled, by, split=split, seconds=self._seconds)
        aggs = self._search(body, text)["aggregations"]
        if not split:
            buckets = _periods(aggs, None)
        else:
            buckets = [
                bucket
                for outlet in _buckets(aggs, "outlet")
                for bucket in _periods(outlet, _outlet_name(outlet))
            ]
            buckets += _periods(aggs.get("no_outlet", {}), "unknown")
        buckets.sort(key=lambda b: (b.start, -b.count, (b.outlet or "").casefold()))
        return buckets

    def outlets(self) -> list[OutletCount]:
        """Every outlet with its article count and dates, most articles first."""
        aggs = self._search(outlets_body(self._seconds), "")["aggregations"]
        counts = [
            OutletCount(
                name=_outlet_name(bucket),
                articles=int(bucket["doc_count"]),
                first=_millis(bucket["first"].get("value")),
                last=_millis(bucket["last"].get("value")),
            )
            for bucket in _buckets(aggs, "outlet")
        ]
        return sorted(counts, key=lambda c: (-c.articles, c.name.casefold()))

    def values(self, field: str) -> list[str]:
        """Every value of a keyword field (`outlet_name`, `entity`, `cites`,
        `byline.names`, `place.names`) that some article holds."""
        aggs = self._search(values_body(field, self._seconds), "")["aggregations"]
        return [str(bucket["key"]) for bucket in _buckets(aggs, "values")]

    def _search(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        """Run one search within NEWSINDEX_SEARCH_SECONDS.

        The body's `timeout` asks the cluster to stop there; the client waits
        a little longer for the answer, then gives up (SearchTimeoutError).
        """
        with translated(self.where, query=text, seconds=self._seconds):
            answer: dict[str, Any] = self.client.search(
                index=self.index,
                body=body,
                request_timeout=self._seconds + _GRACE_SECONDS,
                **SEARCH_PARAMS,
            )
        if answer.get("timed_out"):
            raise SearchTimeoutError(text, self._seconds)
        return answer

    def analyse(self, text: str) -> list[Token]:
        """`text` as the passage text is indexed: terms, positions, UTF-16 offsets."""
        with translated(self.where):
            answer = self.client.indices.analyze(
                index=self.index, body=analyze_body(text, TEXT_ANALYZER)
            )
        return [
            Token(
                term=t["token"],
                position=int(t["position"]),
                start=int(t["start_offset"]),
                end=int(t["end_offset"]),
            )
            for t in answer.get("tokens", [])
        ]


def _buckets(aggs: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return list(aggs.get(name, {}).get("buckets", []))


def _periods(aggs: dict[str, Any], outlet: str | None) -> list[Bucket]:
    """The non-empty buckets of a `periods` date histogram under `aggs`."""
    return [
        Bucket(
            start=date.fromisoformat(str(b["key_as_string"])),
            count=int(b["doc_count"]),
            outlet=outlet,
        )
        for b in _buckets(aggs, "periods")
        if b["doc_count"]
    ]


def _missing(aggs: dict[str, Any], name: str, label: str) -> list[tuple[str, int]]:
    n = int(aggs.get(name, {}).get("doc_count", 0))
    return [(label, n)] if n else []


def _outlet_name(bucket: dict[str, Any]) -> str:
    """An outlet bucket's display name: the name written beside its key."""
    names = bucket.get("name", {}).get("buckets", [])
    return str(names[0]["key"]) if names else str(bucket["key"])


def _millis(value: float | None) -> datetime | None:
    """An aggregation's epoch milliseconds as a naive UTC datetime."""
    if value is None:
        return None
    return datetime.fromtimestamp(value / 1000, tz=UTC).replace(tzinfo=None)
