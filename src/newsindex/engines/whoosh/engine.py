"""The embedded engine: query trees run on one commit of a Whoosh index.

`WhooshEngine(searcher)` is the `SearchEngine` of `engines/base.py`. A
tree is translated once (`translate.py`), its top-level date range kept
apart and answered from the date-sorted `published` column (`window.py`),
and every search of the run looks at the clock every so many matches, so
that a search past NEWSINDEX_SEARCH_SECONDS stops with SearchTimeoutError.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from msgspec.structs import replace
from whoosh import query as wquery
from whoosh import sorting
from whoosh.reading import ReaderClosed
from whoosh.searching import Searcher

from newsindex.engines.base import (
    Bucket,
    Interval,
    OutletCount,
    PassageHit,
    Sort,
    UnknownValue,
    check_facets,
    check_interval,
)
from newsindex.engines.whoosh.bounded import Ranking
from newsindex.engines.whoosh.columns import Only, cached_column
from newsindex.engines.whoosh.highlight import QueryTerms, matched_spans
from newsindex.engines.whoosh.outlets import list_outlets
from newsindex.engines.whoosh.translate import Compiled, Translator
from newsindex.engines.whoosh.unknown import unknown_values
from newsindex.engines.whoosh.walked import CHECK_EVERY, DeadlineCollector, Walked
from newsindex.engines.whoosh.window import DateWindow, InWindow, date_window
from newsindex.errors import SearchTimeoutError
from newsindex.query.tree import Node
from newsindex.settings import settings

__all__ = ["WhooshEngine", "WhooshRun"]

# Per searcher, its last few rankings: a server counts a search's facets in a
# run of their own, on the same searcher, right after the search.
_Ranked = Ranking | Walked | None
_RANKINGS: WeakKeyDictionary[Searcher, list[tuple[wquery.Query, _Ranked]]] = (
    WeakKeyDictionary()
)
_KEEP_RANKINGS = 4


class WhooshEngine:
    """Query trees on one Whoosh searcher (one commit)."""

    def __init__(
        self, searcher: Searcher, reopen: Callable[[], Searcher] | None = None
    ) -> None:
        self.searcher = searcher
        self._reopen = reopen or (lambda: searcher)

    def run(self, tree: Node, text: str) -> WhooshRun:
        """Translate `tree`; QueryError if it cannot run (see translate.py)."""
        return WhooshRun(self.searcher, tree, text, self._reopen)

    def outlets(self) -> list[OutletCount]:
        """Every outlet with its article count and dates, most articles first."""
        return list_outlets(self.searcher)

    def warm(self) -> None:
        """Read the commit's tables that searches read whole on first use: each
        segment's field lengths and article ids, and the facet table (1-2 s
        at 180,000 passages)."""
        from newsindex.engines.whoosh.bounded import read_lengths
        from newsindex.engines.whoosh.facet_table import facet_table

        read_lengths(self.searcher)
        for leaf, _ in self.searcher.reader().leaf_readers():
            cached_column(leaf, "article_id")
        facet_table(self.searcher)


class WhooshRun:
    """One tree on one searcher, within the search time budget."""

    def __init__(
        self,
        searcher: Searcher,
        tree: Node,
        text: str,
        reopen: Callable[[], Searcher],
    ) -> None:
        limits = settings()
        self.searcher = searcher
        self.tree = tree
        self.text = text
        self._reopen = reopen
        self._seconds = limits.search_seconds
        self._deadline = _clock_deadline(self._seconds, text)
        self.compiled: Compiled = Translator(
            searcher, max_expansion=limits.max_expansion, deadline=self._deadline
        ).compile(tree, text)
        window = self.compiled.window
        self.window = date_window(window) if window is not None else None
        self._terms: QueryTerms | None = None
        self._fields: dict[int, dict[str, Any]] = {}

    def fetch(self, n: int, sort: Sort, per_article: int = 1) -> list[PassageHit]:
        """The top `n` passages in the order asked; by date, the undated last.

        Passages are ranked one by one, so `per_article` changes nothing here.
        """
        query = self.compiled.query
        if query is wquery.NullQuery:
            return []
        if sort == "relevance":
            return self._search(self._windowed(query), n)
        window = self.window or DateWindow()
        # Same day: the better passage first, so collapsing keeps an article's best.
        order = sorting.MultiFacet(
            [
                sorting.FieldFacet("published", reverse=sort == "-date"),
                sorting.ScoreFacet(),
            ]
        )
        dated = InWindow(query, replace(window, undated=False))
        hits = self._search(dated, n, order)
        if len(hits) < n and (self.window is None or window.undated):
            undated = InWindow(query, DateWindow(dated=False, undated=True))
            hits += self._search(undated, n - len(hits))
        return hits

    def best_of(self, article_id: str) -> PassageHit | None:
        """The best passage of one article among those the tree matches."""
        if self.compiled.query is wquery.NullQuery:
            return None
        ranking = self._ranking(self._windowed(self.compiled.query))
        if ranking is not None:  # the article's passages looked up in it
            passages = self.searcher.document_numbers(article_id=article_id)
            best = ranking.best_within(list(passages))
            if best is None:
                return None
            score, docnum = best
            return _hit(self._stored(docnum), score)
        query = Only(self.compiled.query, wquery.Term("article_id", article_id))
        found = self._search(self._windowed(query), 1)
        return found[0] if found else None

    def count_articles(self) -> int:
        """How many articles have a passage the tree matches.

        Asked after a newer commit replaced this run's searcher (a lazy
        total), it counts on the newest one.
        """
        try:
            return self._count_articles()
        except ReaderClosed:
            fresh = WhooshRun(self._reopen(), self.tree, self.text, self._reopen)
            return fresh._count_articles()

    def _count_articles(self) -> int:
        query = self.compiled.query
        if query is wquery.NullQuery:
            return 0
        ranking = self._ranking(self._windowed(query))
        if isinstance(ranking, Ranking):  # numpy is in: the article codes count them
            import numpy as np

            from newsindex.engines.whoosh.facet_table import facet_table

            articles = facet_table(self.searcher).article[ranking.matching()]
            return len(np.unique(articles))
        column = cached_column(self.searcher.reader(), "article_id")
        docs = (
            ranking.matching()
            if ranking is not None
            else self.searcher.docs_for_query(self._windowed(query))
        )
        ids = set()
        for n, docnum in enumerate(docs):
            if n % CHECK_EVERY == 0:
                self._deadline()
            ids.add(column[docnum])
        return len(ids)

    def facets(self, names: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        """Articles per outlet and per month, counted off per-commit arrays."""
        check_facets(names)
        import numpy as np  # deferred with the table: a plain search needs neither

        from newsindex.engines.whoosh.facet_table import facet_table

        table = facet_table(self.searcher)
        found = self._matched_docs(np)
        out: dict[str, list[tuple[str, int]]] = {}
        for name in names:
            counted = table.count(name, found)
            if name == "month":
                counted.sort(key=lambda item: (item[0] == "undated", item[0]))
            else:
                counted.sort(key=lambda item: (-item[1], item[0].casefold()))
            out[name] = counted
        return out

    def histogram(self, by: Interval, split: bool = False) -> list[Bucket]:
        """Dated articles per period (and outlet), off the per-commit arrays."""
        check_interval(by)
        import numpy as np  # deferred with the table, as for facets

        from newsindex.engines.whoosh.facet_table import facet_table
        from newsindex.engines.whoosh.histogram import count_periods

        table = facet_table(self.searcher)
        return count_periods(table, self._matched_docs(np), by, split=split)

    def _matched_docs(self, np: Any) -> Any:
        """The numbers of the documents the tree matches, as an int64 array."""
        query = self._windowed(self.compiled.query)
        ranking = self._ranking(query)
        if ranking is not None:
            return np.asarray(ranking.matching(), dtype=np.int64)
        return np.fromiter(self.searcher.docs_for_query(query), dtype=np.int64)

    def unknown_values(self) -> tuple[UnknownValue, ...]:
        """The tree's filter values that no document of the index holds."""
        return unknown_values(self.searcher, self.tree)

    def highlights(self, text: str) -> tuple[tuple[int, int], ...]:
        """The spans of a passage's `text` that match the tree's words."""
        if self._terms is None:
            self._terms = QueryTerms.of(self.compiled.query)
        return matched_spans(text, self._terms)

    def _ranking(self, query: wquery.Query) -> _Ranked:
        """The query's bounded ranking (bounded.py), or its walk kept whole
        (walked.py), made once per searcher (a searcher is one thread's, and
        one commit's) and kept for its next few queries, under this run's
        deadline; None if Whoosh must walk it at each fetch."""
        kept = _RANKINGS.setdefault(self.searcher, [])
        for n, (asked, ranking) in enumerate(kept):
            if asked == query:
                kept.append(kept.pop(n))
                if ranking is not None:
                    ranking.deadline = self._deadline
                return ranking
        made = Ranking.of(self.searcher, query, self._deadline)
        kept.append((query, made))
        del kept[:-_KEEP_RANKINGS]
        return made

    def _stored(self, docnum: int) -> dict[str, Any]:
        """A document's stored fields, read once per run (a fetch for more
        passages returns the first ones again)."""
        found = self._fields.get(docnum)
        if found is None:
            found = self._fields[docnum] = self.searcher.stored_fields(docnum)
        return found

    def _windowed(self, query: wquery.Query) -> wquery.Query:
        """`query` kept to the tree's top-level date window, if it has one."""
        return InWindow(query, self.window) if self.window else query

    def _search(
        self, query: wquery.Query, limit: int, sortedby: Any = None
    ) -> list[PassageHit]:
        if sortedby is None:
            ranking = self._ranking(query)
            if ranking is not None:
                return [
                    _hit(self._stored(docnum), score)
                    for score, docnum in ranking.top(limit)
                ]
        collector = DeadlineCollector(
            self.searcher.collector(limit=limit, sortedby=sortedby), self._deadline
        )
        self.searcher.search_with_collector(query, collector)
        return [
            _hit(self._stored(hit.docnum), hit.score) for hit in collector.results()
        ]


def _clock_deadline(seconds: float, text: str) -> Callable[[], None]:
    """A check that raises SearchTimeoutError once `seconds` have passed."""
    stop = time.monotonic() + seconds

    def check() -> None:
        if time.monotonic() > stop:
            raise SearchTimeoutError(text, seconds)

    return check


def _hit(fields: dict[str, Any], score: Any) -> PassageHit:
    return PassageHit(
        article_id=fields["article_id"],
        start=fields["start"],
        end=fields["end"],
        text=fields["text"],
        score=_relevance(score),
        published=fields.get("published"),
        provenance=json.loads(fields["provenance"]),
        source_start=fields.get("source_start"),
        source_end=fields.get("source_end"),
        cluster=fields["article_id"],
    )


def _relevance(score: Any) -> float:
    # Sorted by (date, score), Whoosh reports the sort key: (date key, -score).
    if isinstance(score, tuple):
        return -float(score[-1])
    return float(score or 0.0)
