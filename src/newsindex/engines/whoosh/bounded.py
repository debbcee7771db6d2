"""The top passages of a query: bounds in arrays, then the exact answer.

Whoosh ranks by walking every matching posting in Python (a matcher, a
scorer and a collector call per document, some 40 microseconds each), and
its block-quality skipping cannot skip much where a word is common: every
posting of `reuter` or `said` scores about the same. A query over a common
word cost 200 to 400 ms on an index of 24,000 articles, and a phrase of two
common words (`"company said"`) as much again for the positions it decodes.

Here the work splits in two:

1. Bounds, in numpy, per segment: each word's postings are read a block at
   a time (document numbers and term weights), its BM25F score is computed
   for all of them at once, Or and And add scores over a union or an
   intersection of documents, and filters (outlet, entity, a date window,
   an article's passages, deletions) remove documents. A phrase is bounded
   by its words' scores on the documents holding all of them; a part with
   no exact answer here (a NOT of words, articles left out) is left out, so
   the candidates are a superset of the matches and each bound is at least
   the true score.
2. The exact answer. Where every part is exact (words, filters, sums of
   two parts, which add up as Whoosh adds them), the bounds are Whoosh's
   scores to the bit and the best are taken at once. Otherwise candidates
   are taken in order of their bound (highest first, then by document
   number), a batch at a time: a phrase's on its words' own positions
   (Whoosh's SpanNear2, ported), any other part by Whoosh's own matcher for
   the query moved to each one (`skip_to`). The walk stops once the
   `limit`-th best score is above every bound left.

So the result is what Whoosh's TopCollector returns (the `limit` best by
score, ties by document number), at the cost of reading the postings once
and checking a few hundred documents. A query of a shape this module does
not know (wildcards) returns None and Whoosh runs it; one small enough for
Whoosh's walk (under `SMALL` postings in a process without numpy yet) is
walked once and kept whole (walked.py).
"""

from __future__ import annotations

import heapq
import sys
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from msgspec import Struct
from whoosh import query as wquery
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from newsindex.engines.whoosh.column_arrays import numeric_array
from newsindex.engines.whoosh.columns import Only, cached_column, segment_key
from newsindex.engines.whoosh.translate import (
    InArticles,
    _AndNot,
    _Union,
    _Unscored,
)
from newsindex.engines.whoosh.walked import Walked
from newsindex.engines.whoosh.window import InWindow, _WindowMatcher

if TYPE_CHECKING:
    import numpy as np

__all__ = ["read_lengths", "top_documents"]

# Postings (as Whoosh estimates them) under which Whoosh's own walk costs
# less than importing numpy does: a process that has not imported it yet
# (a cold `newsindex search`) leaves such a query to Whoosh, walked once and
# kept whole (walked.py). Measured as a cold `newsindex search`, CPU ms,
# median of three, on 24,496 articles, the walk against numpy's import and
# this module: `company` (12,488 postings) 499 against 650, `reuter`
# (19,388) 564 against 659, `year` (20,756) 575 against 664, `pct OR market`
# (26,019) 673 against 666, `pct OR mln` (31,763) 829 against 677, `said`
# (60,471) 1,212 against 671. Only a process's first query is
# left so (`_walk_first`): a process that goes on searching pays numpy's
# import once, and the walk no more.
SMALL = 20_000
# A bound is the score worked out in another order of additions; this much
# above it covers the rounding.
_SLACK = 1e-9
_FIRST_BATCH = 64
# Reading one article's postings costs about as much as looking up this
# many documents' article ids in the column.
_POSTINGS_PER_LOOKUP = 16
_CHECK_EVERY = 256  # confirmations between two looks at the clock


_walked: wquery.Query | None = None  # the query `_walk_first` left to Whoosh


def _walk_first(searcher: Searcher, query: wquery.Query) -> bool:
    """Whether to leave `query` to Whoosh's walk in a process without numpy:
    if it is small (`SMALL`) and the process's first query (or that one
    again: a fetch for more passages)."""
    global _walked
    if _walked is not None and _walked != query:
        return False
    if query.estimate_size(searcher.reader()) >= SMALL:
        return False
    _walked = query
    return True


class _Unsupported(Exception):
    """A query part this module has no bound for: Whoosh runs the query."""


class _Bounds(Struct, frozen=True):
    """Candidate documents of one segment (sorted, unique) and their bounds."""

    docs: np.ndarray  # int64
    scores: np.ndarray  # float64, an upper bound of each document's score
    # Every candidate matches, and its bound is Whoosh's score to the bit
    # (the same formula, and additions in the same order).
    exact: bool = True
    # When not exact: given some of the candidates (sorted), which match and
    # their exact scores; None when this part cannot tell (Whoosh confirms).
    resolve: Resolver | None = None

    def exactly(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Which of `docs` (sorted, any) match, with their exact scores (0 where
        they do not); None when only Whoosh can tell."""
        import numpy as np

        at, present = _lookup(self.docs, docs)
        scores = np.zeros(len(docs))
        scores[present] = self.scores[at[present]]
        if self.exact:
            return present, scores
        if self.resolve is None:
            return None
        matched = np.zeros(len(docs), dtype=bool)
        if present.any():
            found = self.resolve(docs[present])
            if found is None:
                return None
            matched[present], scores[present] = found
        scores[~matched] = 0.0
        return matched, scores

    def kept(self, keep: np.ndarray) -> _Bounds:
        """These bounds for the candidates where `keep` is true."""
        return _Bounds(self.docs[keep], self.scores[keep], self.exact, self.resolve)


Resolver = Callable[["np.ndarray"], "tuple[np.ndarray, np.ndarray] | None"]


def top_documents(
    searcher: Searcher,
    query: wquery.Query,
    limit: int,
    deadline: Callable[[], None] = lambda: None,
) -> list[tuple[float, int]] | None:
    """The `limit` best (score, document number) of `query`, best first, as
    Whoosh's TopCollector ranks them; None when the query has a part this
    module cannot bound."""
    ranking = Ranking.of(searcher, query, deadline)
    return None if ranking is None else ranking.top(limit)


class Ranking:
    """One query's candidates on one searcher, bounded once, ranked to any depth.

    A search that collapses copies asks again for more (100 passages, then
    160): the postings are read and the candidates confirmed only once.
    """

    def __init__(
        self,
        searcher: Searcher,
        query: wquery.Query,
        parts: list[tuple[Searcher, int, _Bounds]],
        deadline: Callable[[], None],
    ) -> None:
        import numpy as np

        empty = [np.zeros(0, dtype=np.int64)]
        docs = np.concatenate([b.docs + offset for _, offset, b in parts] or empty)
        bounds = np.concatenate([b.scores for _, _, b in parts] or empty)
        self._exact = all(b.exact for _, _, b in parts)
        if not self._exact:
            bounds = bounds * (1 + _SLACK) + _SLACK
        # Segments in order, each's documents sorted: `docs` is sorted.
        self._docs = docs.astype(np.int64)
        self._bounds = bounds
        self._order: np.ndarray | None = None  # every candidate, best bound first
        leaves = [(sub, offset) for sub, offset, _ in parts]
        self._starts = [offset for _, offset, _ in parts]
        self._parts = [bounds for _, _, bounds in parts]
        self._confirm = _Confirmer(searcher, query, leaves, self._starts, deadline)
        self._confirmed: dict[int, float | None] = {}  # docnum -> score, None: no match

    @property
    def deadline(self) -> Callable[[], None]:
        """The check that stops a confirmation past the search's time budget
        (a ranking kept for a later search takes that search's)."""
        return self._confirm.deadline

    @deadline.setter
    def deadline(self, check: Callable[[], None]) -> None:
        self._confirm.deadline = check

    @classmethod
    def of(
        cls,
        searcher: Searcher,
        query: wquery.Query,
        deadline: Callable[[], None] = lambda: None,
    ) -> Ranking | Walked | None:
        """The query's candidates; its every match walked by Whoosh if it is
        small and numpy not in yet (`_walk_first`); None for a query this
        module cannot bound."""
        if not isinstance(searcher.weighting, BM25F) or searcher.weighting.use_final:
            return None
        if "numpy" not in sys.modules and _walk_first(searcher, query):
            return Walked.of(searcher, query, deadline)
        parts = []
        stats: dict[tuple[str, bytes], tuple[float, float]] = {}
        try:
            for sub, offset in searcher.leaf_searchers():
                deadline()
                bounder = _Bounder(searcher, sub, stats)
                parts.append((sub, offset, bounder.bound(query)))
        except _Unsupported:
            return None
        return cls(searcher, query, parts, deadline)

    def top(self, limit: int) -> list[tuple[float, int]]:
        """The `limit` best (score, document number), best first."""
        import numpy as np

        docs, bounds = self._docs, self._bounds
        if limit <= 0 or len(docs) == 0:
            return []
        if self._exact:
            ranked = _best(docs, bounds, limit).tolist()
            return [(float(bounds[i]), int(docs[i])) for i in ranked]
        if self._order is None:
            self._order = np.lexsort((docs, -bounds))
        order = self._order
        best: list[tuple[float, int]] = []  # heap of (score, -docnum)
        at, batch = 0, max(_FIRST_BATCH, limit)
        while at < len(order):
            chosen = docs[order[at : at + batch]]
            at += len(chosen)
            for docnum, score in self._scores(np.sort(chosen)):
                item = (score, -docnum)
                if len(best) < limit:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
            full = len(best) == limit
            if full and at < len(order) and bounds[order[at]] < best[0][0]:
                break
            batch *= 2
        return [(score, -negated) for score, negated in sorted(best, reverse=True)]

    def best_within(self, docnums: list[int]) -> tuple[float, int] | None:
        """The best (score, document number) among `docnums`, as `top` would
        rank them; None if the query matches none of them."""
        import numpy as np

        asked = np.asarray(sorted(docnums), dtype=np.int64)
        candidates = asked[_lookup(self._docs, asked)[1]]
        found = [(score, docnum) for docnum, score in self._scores(candidates)]
        if not found:
            return None
        return min(found, key=lambda item: (-item[0], item[1]))

    def matching(self) -> np.ndarray:
        """Every document the query matches (global numbers, sorted, int64).

        Where every part is exact the candidates are the matches; otherwise
        each candidate is confirmed once, as `top` confirms them.
        """
        if self._exact:
            return self._docs
        import numpy as np

        found = [docnum for docnum, _ in self._scores(self._docs)]
        return np.asarray(found, dtype=np.int64)

    def _scores(self, docnums: np.ndarray) -> Iterator[tuple[int, float]]:
        """(document, score) of those of `docnums` (sorted) the query matches,
        each confirmed once."""
        confirmed = self._confirmed
        fresh = [d for d in docnums.tolist() if d not in confirmed]
        if fresh:
            import numpy as np

            for docnum in fresh:
                confirmed[docnum] = None
            asked = np.asarray(fresh, dtype=np.int64)
            cuts = np.searchsorted(asked, self._starts[1:], side="left")
            pieces = zip(self._starts, self._parts, np.split(asked, cuts), strict=True)
            for offset, bounds, piece in pieces:
                if not len(piece):
                    continue
                answer = bounds.exactly(piece - offset)
                if answer is None:  # only Whoosh can tell
                    for docnum, score in self._confirm(piece):
                        confirmed[docnum] = score
                    continue
                matched, scores = answer
                for docnum, score in zip(
                    piece[matched].tolist(), scores[matched].tolist(), strict=True
                ):
                    confirmed[docnum] = score
        for docnum in docnums.tolist():
            found = confirmed[docnum]
            if found is not None:
                yield docnum, found


class _Confirmer:
    """Whoosh's matches and scores for given documents, a segment at a time."""

    def __init__(
        self,
        searcher: Searcher,
        query: wquery.Query,
        leaves: list[tuple[Searcher, int]],
        starts: list[int],
        deadline: Callable[[], None],
    ) -> None:
        self._context = searcher.context()
        self._query = query
        self._leaves = leaves
        self._starts = starts
        self.deadline = deadline
        self._checked = 0

    def __call__(self, docnums: np.ndarray) -> Iterator[tuple[int, float]]:
        """(document, score) for each of `docnums` (sorted) the query matches."""
        import numpy as np

        cuts = np.searchsorted(docnums, self._starts[1:], side="left")
        for (sub, offset), part in zip(
            self._leaves, np.split(docnums, cuts), strict=True
        ):
            if len(part):
                yield from self._in_segment(sub, offset, part.tolist())

    def _in_segment(
        self, sub: Searcher, offset: int, docnums: list[int]
    ) -> Iterator[tuple[int, float]]:
        local_docs = [docnum - offset for docnum in docnums]
        query = _confined(self._query, local_docs)
        matcher = query.matcher(sub, self._context)
        for docnum in docnums:
            if self._checked % _CHECK_EVERY == 0:
                self.deadline()
            self._checked += 1
            local = docnum - offset
            if not matcher.is_active():
                return
            if matcher.id() < local:
                matcher.skip_to(local)
                if not matcher.is_active():
                    return
            if matcher.id() == local:
                yield docnum, matcher.score()


def _confined(query: wquery.Query, docs: list[int]) -> wquery.Query:
    """`query` with each phrase matched within `docs` (sorted) only.

    Whoosh's phrase matcher, moved to a document without the phrase, walks
    on to the next one that has it, decoding positions all the way; kept
    to the documents being confirmed, it walks those only. Matches and
    scores on them are unchanged (`_PhraseIn`).
    """
    if isinstance(query, wquery.Phrase):
        return _PhraseIn(query, docs)
    if query.is_leaf():
        return query
    confined: wquery.Query = query.apply(lambda child: _confined(child, docs))
    return confined


class _PhraseIn(wquery.Query):  # type: ignore[misc]  # whoosh is untyped
    """A phrase matched on `docs` only: Phrase.matcher, each word's postings
    kept to `docs`, so its spans, score and boost are the phrase's own."""

    def __init__(self, phrase: wquery.Phrase, docs: list[int]) -> None:
        self.phrase = phrase
        self.docs = docs
        self.boost = phrase.boost

    def __repr__(self) -> str:
        return f"_PhraseIn({self.phrase!r}, {len(self.docs)} documents)"

    # The phrase's own estimates: Whoosh orders a tree of matchers by them,
    # and the order of a score's additions must not change.
    def estimate_size(self, reader: Any) -> int:
        return int(self.phrase.estimate_size(reader))

    def estimate_min_size(self, reader: Any) -> int:
        return int(self.phrase.estimate_min_size(reader))

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        from whoosh import matching
        from whoosh.query.spans import SpanNear2

        phrase = self.phrase
        field = searcher.schema[phrase.fieldname]
        reader = searcher.reader()
        words = []
        for word in phrase.words:
            btext = field.to_bytes(word)
            if (phrase.fieldname, btext) not in reader:
                return matching.NullMatcher()
            words.append(wquery.Term(phrase.fieldname, btext))
        kept = [
            _WindowMatcher(word.matcher(searcher, context), self.docs) for word in words
        ]
        found = SpanNear2.SpanNear2Matcher(
            kept, slop=phrase.slop, ordered=True, mindist=1
        )
        if self.boost != 1.0:
            found = matching.WrappingMatcher(found, boost=self.boost)
        return found


class _Bounder:
    """Bounds of one query's parts over one segment."""

    def __init__(
        self,
        top: Searcher,
        sub: Searcher,
        stats: dict[tuple[str, bytes], tuple[float, float]],
    ) -> None:
        self._top = top
        self._stats = stats  # (field, word) -> idf, average length: archive-wide
        self._sub = sub
        self._reader = sub.reader()
        self._count = self._reader.doc_count_all()
        # The documents a date window keeps (sorted), while its child is
        # bounded: a word's blocks with none of them are not read.
        self._window: np.ndarray | None = None

    def bound(self, query: wquery.Query) -> _Bounds:
        """The candidates of `query` in this segment, deletions removed."""
        found = self._scored(query)
        if self._reader.has_deletions():
            import numpy as np

            deleted = np.fromiter(self._reader.segment().deleted_docs(), dtype=np.int64)
            found = found.kept(~np.isin(found.docs, deleted))
        return found

    # -- scored parts --------------------------------------------------------

    def _scored(self, query: wquery.Query) -> _Bounds:
        import numpy as np

        if isinstance(query, type(wquery.NullQuery)):
            return self._empty()
        boost = float(getattr(query, "boost", 1.0))
        if boost < 0:
            raise _Unsupported
        if isinstance(query, wquery.Term):
            return self._scaled(self._term(query.fieldname, query.text), boost)
        if isinstance(query, wquery.Phrase):
            return self._scaled(self._phrase(query), boost)
        if type(query) in (wquery.Or, _Union):
            if getattr(query, "scale", None) is not None:
                raise _Unsupported
            return self._scaled(
                _union([self._scored(q) for q in query.subqueries]), boost
            )
        if type(query) is wquery.And:
            return self._scaled(
                _intersection([self._scored(q) for q in query.subqueries]), boost
            )
        if isinstance(query, Only):
            return self._kept(self._scored(query.child), self._filter(query.filter))
        if isinstance(query, InWindow):
            allowed = query.window._bounds(self._reader).array()
            outer, self._window = self._window, allowed
            try:
                child = self._scored(query.child)
            finally:
                self._window = outer
            return self._kept(child, allowed)
        if isinstance(query, _Unscored):
            docs = self._filter(query.child)
            return _Bounds(docs, np.zeros(len(docs)))
        if isinstance(query, _AndNot):
            kept = self._scored(query.a)
            return kept.kept(~_within(kept.docs, self._filter(query.b)))
        if isinstance(query, InArticles):
            found = self._scored(query.child)
            if query.exclude:  # looked up for the candidates asked about only
                return self._outside(found, query.ids)
            return self._kept(found, self._articles(query.ids, found.docs))
        if type(query) is wquery.AndMaybe:
            required, optional = self._scored(query.a), self._scored(query.b)
            return _maybe(required, optional)
        raise _Unsupported

    def _phrase(self, query: wquery.Phrase) -> _Bounds:
        """A phrase: its words' documents, bounded by the sum of their scores;
        where the words stand is read only for the candidates asked about."""
        import numpy as np

        words = [
            self._term(query.fieldname, word, positions=True) for word in query.words
        ]
        found = _intersection([word.bounds for word in words])
        decode = self._top.schema[query.fieldname].format.decode_positions
        slop = query.slop

        def resolve(docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            places = [word.bounds.docs.searchsorted(docs) for word in words]
            matched = np.fromiter(
                (
                    _near(
                        [
                            decode(word.values[at[i]])
                            for word, at in zip(words, places, strict=True)
                        ],
                        slop,
                    )
                    for i in range(len(docs))
                ),
                dtype=bool,
                count=len(docs),
            )
            # Whoosh adds the words' scores along make_binary_tree's halves.
            scores = _tree_sum(
                [word.bounds.scores[at] for word, at in zip(words, places, strict=True)]
            )
            return matched, scores

        return _Bounds(found.docs, found.scores, False, resolve)

    def _term(self, field: str, text: Any, *, positions: bool = False) -> Any:
        """A word's postings in this segment and their BM25F scores (with
        `positions`, a `_Word` that keeps each posting's encoded positions)."""

        schema = self._top.schema
        if field not in schema:
            return _Word(self._empty(), []) if positions else self._empty()
        fieldobj = schema[field]
        if not fieldobj.scorable:
            raise _Unsupported
        btext = fieldobj.to_bytes(text)
        if (field, btext) not in self._reader:
            return _Word(self._empty(), []) if positions else self._empty()
        values: list[bytes] | None = [] if positions else None
        matcher = self._reader.postings(field, btext)
        docs, weights = _postings(matcher, True, values, self._window)
        weighting = self._top.weighting
        b = weighting._field_B.get(field, weighting.B)
        k1 = weighting.K1
        stats = self._stats.get((field, btext))
        if stats is None:
            top = self._top
            stats = (top.idf(field, btext), top.avg_field_length(field) or 1)
            self._stats[(field, btext)] = stats
        idf, avgfl = stats
        lengths = _field_lengths(self._reader, field)[docs]
        scores = idf * (
            (weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl))
        )
        if values is not None:
            return _Word(_Bounds(docs, scores), values)
        return _Bounds(docs, scores)

    def _outside(self, found: _Bounds, ids: frozenset[str]) -> _Bounds:
        """`found` without the passages of the articles `ids`: the articles
        left out are often many (every article with a word), so each
        candidate's article is looked up when it is asked about, not before."""

        def resolve(docs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
            inner = found.exactly(docs)
            if inner is None:
                return None
            matched, scores = inner
            return matched & ~_within(docs, self._articles(ids, docs)), scores

        return _Bounds(found.docs, found.scores, False, resolve)

    def _scaled(self, found: _Bounds, boost: float) -> _Bounds:
        if boost == 1.0:
            return found

        def resolve(docs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
            exact = found.exactly(docs)
            return None if exact is None else (exact[0], exact[1] * boost)

        return _Bounds(found.docs, found.scores * boost, found.exact, resolve)

    def _kept(self, found: _Bounds, allowed: np.ndarray) -> _Bounds:
        """`found` without the documents outside `allowed` (sorted)."""
        return found.kept(_within(found.docs, allowed))

    def _empty(self) -> _Bounds:
        import numpy as np

        return _Bounds(np.zeros(0, dtype=np.int64), np.zeros(0))

    # -- filters -------------------------------------------------------------

    def _articles(self, ids: frozenset[str], among: np.ndarray) -> np.ndarray:
        """The documents of `among` whose article is one of `ids`."""
        import numpy as np

        reader = self._reader
        if len(ids) * _POSTINGS_PER_LOOKUP < len(among):
            field = reader.schema["article_id"]
            parts = [self._empty().docs]
            for article in ids:
                btext = field.to_bytes(article)
                if ("article_id", btext) in reader:
                    parts.append(
                        _postings(reader.postings("article_id", btext), False)[0]
                    )
            return _distinct(np.concatenate(parts))
        column = cached_column(reader, "article_id")
        inside = np.fromiter(
            (column[d] in ids for d in among.tolist()), dtype=bool, count=len(among)
        )
        kept: np.ndarray = among[inside]
        return kept

    def _filter(self, query: wquery.Query) -> np.ndarray:
        """The segment's documents a filter matches (sorted, as uint32).

        Kept per segment (`_FILTERS`): the same outlets and the passages of
        an archive are asked for again and again."""
        import numpy as np

        if query is wquery.NullQuery:
            return self._empty().docs
        reader = self._reader
        key = (segment_key(reader), query)
        found = _FILTERS.get(key)
        if found is None:
            found = self._filter_docs(query).astype(np.uint32)  # under 2**32 a segment
            _FILTERS.put(key, found)
        return found

    def _filter_docs(self, query: wquery.Query) -> np.ndarray:
        import numpy as np

        reader = self._reader
        if isinstance(query, wquery.Term):
            field = query.fieldname
            if field not in reader.schema:
                return self._empty().docs
            btext = reader.schema[field].to_bytes(query.text)
            if (field, btext) not in reader:
                return self._empty().docs
            return _postings(reader.postings(field, btext), False)[0]
        if type(query) in (wquery.Or, _Union):
            parts = [self._filter_docs(q) for q in query.subqueries]
            return _distinct(np.concatenate([self._empty().docs, *parts]))
        docs = np.fromiter(query.docs(self._sub), dtype=np.int64)
        return _distinct(docs)


def _postings(
    matcher: Any,
    weights: bool,
    values: list[bytes] | None = None,
    within: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """All (document numbers, weights) of a term's postings in one segment.

    whoosh-reloaded's W3LeafMatcher decodes a block at a time into `_ids`
    and `_weights`; those are read whole. Another matcher is read posting
    by posting. Deleted documents are in both (removed by the caller).

    `within` (sorted documents, a date window's): a block holding none of
    them is skipped unread (its header gives its last document), so a
    narrow window over a common word reads the blocks of its dates only;
    the postings of the blocks read are all returned (the caller keeps
    the window's).
    """
    import numpy as np

    leaf = getattr(matcher, "child", matcher)  # a FilterMatcher over deletions
    ids: list[Any] = []
    found: list[Any] = []
    if all(hasattr(leaf, name) for name in ("_read_ids", "_next_block", "_data")):
        last = -1  # the last document of the block before
        while leaf.is_active():
            if within is not None and hasattr(leaf, "_maxid"):
                at = int(np.searchsorted(within, last, side="right"))
                if at == len(within):
                    break
                last = int(leaf._maxid)
                if int(within[at]) > last:  # none of this block's documents
                    leaf._next_block()
                    continue
            block_ids, block_weights = _block(leaf, weights)
            ids.append(block_ids)
            if block_weights is not None:
                found.append(block_weights)
            if values is not None:
                leaf._read_values()
                values.extend(leaf._values)
            leaf._next_block()
    else:
        docs, weighed = [], []
        while leaf.is_active():
            docs.append(leaf.id())
            weighed.append(leaf.weight() if weights else 0.0)
            if values is not None:
                values.append(leaf.value())
            leaf.next()
        ids.append(np.asarray(docs, dtype=np.int64))
        found.append(np.asarray(weighed, dtype=np.float64))
    docs_array = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    weights_array = np.concatenate(found) if found else np.zeros(0)
    return docs_array, weights_array


def _block(leaf: Any, weights: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The document numbers (and weights) of the block a W3LeafMatcher is on.

    A block's weights are stored as None (all 1.0), one number (all alike)
    or one per posting; Whoosh's reader makes a Python array of them, read
    here as they are stored instead.
    """
    import numpy as np

    leaf._read_ids()
    docs = np.asarray(leaf._ids, dtype=np.int64)
    if not weights:
        return docs, None
    stored = leaf._data[1]
    if stored is None:
        return docs, np.ones(len(docs))
    if isinstance(stored, float):
        return docs, np.full(len(docs), stored)
    return docs, np.asarray(stored, dtype=np.float64)


def _union(parts: list[_Bounds]) -> _Bounds:
    import numpy as np

    if not parts:
        return _Bounds(np.zeros(0, dtype=np.int64), np.zeros(0))
    docs = _distinct(np.concatenate([part.docs for part in parts]))
    scores = np.zeros(len(docs))
    for part in parts:
        scores[np.searchsorted(docs, part.docs)] += part.scores
    return _Bounds(docs, scores, _summed_alike(parts), _combined(parts, any))


def _best(docs: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` best (score down, then document up).

    A partition finds the `count`-th score first, so only the candidates
    at or above it (ties included) are sorted, not all of them.
    """
    import numpy as np

    if count < len(scores):
        cut = -np.partition(-scores, count - 1)[count - 1]
        picked = np.flatnonzero(scores >= cut)
    else:
        picked = np.arange(len(scores))
    ranked: np.ndarray = picked[np.lexsort((docs[picked], -scores[picked]))][:count]
    return ranked


def _lookup(sorted_docs: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `docs` would stand in `sorted_docs`, and whether it is
    there: a binary search each."""
    import numpy as np

    at = np.searchsorted(sorted_docs, docs)
    inside = at < len(sorted_docs)
    present = np.zeros(len(docs), dtype=bool)
    present[inside] = sorted_docs[at[inside]] == docs[inside]
    return at, present


def _within(docs: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Which of `docs` are in `allowed` (sorted)."""
    return _lookup(allowed, docs)[1]


def _distinct(docs: np.ndarray) -> np.ndarray:
    """The sorted distinct values of `docs` (np.unique, without the import of
    numpy.ma that it makes: a tenth of a second of a cold search)."""
    import numpy as np

    docs = np.sort(docs)
    if len(docs) < 2:
        return docs
    first = np.empty(len(docs), dtype=bool)
    first[0] = True
    np.not_equal(docs[1:], docs[:-1], out=first[1:])
    distinct: np.ndarray = docs[first]
    return distinct


def _intersection(parts: list[_Bounds]) -> _Bounds:
    import numpy as np

    found = parts[0]
    for part in parts[1:]:
        docs, mine, theirs = np.intersect1d(
            found.docs, part.docs, assume_unique=True, return_indices=True
        )
        found = _Bounds(docs, found.scores[mine] + part.scores[theirs])
    return _Bounds(
        found.docs, found.scores, _summed_alike(parts), _combined(parts, all)
    )


def _combined(parts: list[_Bounds], how: Callable[[Any], bool]) -> Resolver | None:
    """The exact answer of an Or (`any`) or And (`all`) of two parts (one: its own)."""
    if len(parts) > 2:
        return None

    def resolve(docs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        import numpy as np

        answers = [part.exactly(docs) for part in parts]
        if any(answer is None for answer in answers):
            return None
        known = [answer for answer in answers if answer is not None]
        matched = (
            np.logical_or.reduce([m for m, _ in known])
            if how is any
            else (np.logical_and.reduce([m for m, _ in known]))
        )
        scores = known[0][1] if len(known) == 1 else known[0][1] + known[1][1]
        return matched, scores

    return resolve


def _maybe(required: _Bounds, optional: _Bounds) -> _Bounds:
    """AndMaybe: the required part's documents, the optional one's score added."""

    def resolve(docs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        first, second = required.exactly(docs), optional.exactly(docs)
        if first is None or second is None:
            return None
        return first[0], first[1] + second[1]

    return _Bounds(
        required.docs,
        required.scores + _at(optional, required),
        required.exact and optional.exact,
        resolve,
    )


def _tree_sum(parts: list[np.ndarray]) -> np.ndarray:
    """Scores added as Whoosh's make_binary_tree pairs its matchers."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    total: np.ndarray = _tree_sum(parts[:half]) + _tree_sum(parts[half:])
    return total


def _near(positions: list[list[int]], slop: int) -> bool:
    """Whether the words stand in order within `slop` of each other: Whoosh's
    SpanNear2 (ordered, mindist 1) on single-position spans."""
    spans = [(p, p) for p in positions[0]]
    for following in positions[1:]:
        if not spans:
            return False
        joined = set()
        for start, end in spans:
            j = bisect_left(following, start)
            while j < len(following):
                other = following[j]
                j += 1
                if start > other:
                    continue
                if other > end + slop:
                    break
                # distance_to: 0 if the spans overlap, else the gap between them
                distance = 0 if start <= other <= end else other - end
                if 1 <= distance <= slop:
                    joined.add((start, max(end, other)))
        spans = sorted(joined)
    return bool(spans)


class _Word(Struct, frozen=True):
    """A word's bounds in one segment, with each posting's encoded positions."""

    bounds: _Bounds
    values: list[bytes]


def _summed_alike(parts: list[_Bounds]) -> bool:
    """Whether adding the parts' scores here gives Whoosh's sum to the bit.

    Two parts add up the same in any order; Whoosh adds three or more
    along a tree weighted by each part's size, which is not copied here.
    """
    return len(parts) <= 2 and all(part.exact for part in parts)


def _at(part: _Bounds, on: _Bounds) -> np.ndarray:
    """`part`'s scores on `on`'s documents (0 where it has none)."""
    import numpy as np

    at, present = _lookup(part.docs, on.docs)
    scores = np.zeros(len(on.docs))
    scores[present] = part.scores[at[present]]
    return scores


# -- per-segment caches ---------------------------------------------------------

_LENGTHS_LOCK = threading.Lock()
_LENGTHS: OrderedDict[tuple[Any, str], np.ndarray] = OrderedDict()
_KEEP_LENGTHS = 512
_BYTE_TO_LENGTH: np.ndarray | None = None


def read_lengths(searcher: Searcher) -> None:
    """Read every segment's lengths of every scored field into the cache."""
    scored = searcher.schema.scorable_names()
    for leaf, _ in searcher.reader().leaf_readers():
        for field in scored:
            _field_lengths(leaf, field)


def _field_lengths(reader: Any, field: str) -> np.ndarray:
    """Every document's length in `field` (as Whoosh scores it), as float64.

    Whoosh keeps a length as one byte per document in a column; the column
    is read whole, once per segment, and mapped through `byte_to_length`.
    """
    import numpy as np

    global _BYTE_TO_LENGTH
    key = (segment_key(reader), field)
    with _LENGTHS_LOCK:
        found = _LENGTHS.get(key)
        if found is not None:
            _LENGTHS.move_to_end(key)
            return found
    if _BYTE_TO_LENGTH is None:
        _BYTE_TO_LENGTH = np.array(
            [byte_to_length(b) for b in range(256)], dtype=np.float64
        )
    count = reader.doc_count_all()
    column = _length_column(reader, field)
    if column is not None:
        raw = numeric_array(column, count, np.uint8)
    else:
        raw = np.fromiter(
            (_length_byte(reader, docnum, field) for docnum in range(count)),
            dtype=np.uint8,
            count=count,
        )
    lengths: np.ndarray = _BYTE_TO_LENGTH[raw]
    with _LENGTHS_LOCK:
        _LENGTHS[key] = lengths
        while len(_LENGTHS) > _KEEP_LENGTHS:
            _LENGTHS.popitem(last=False)
    return lengths


def _length_column(reader: Any, field: str) -> Any:
    """whoosh-reloaded's one-byte length column of a segment, or None."""
    from whoosh.codec import whoosh3

    perdoc = getattr(reader, "_perdoc", None)
    cached = getattr(perdoc, "_cached_reader", None)
    if cached is None:
        return None
    return cached(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)


def _length_byte(reader: Any, docnum: int, field: str) -> int:
    from whoosh.util.numeric import length_to_byte

    return int(length_to_byte(reader.doc_field_length(docnum, field, 0) or 0))


class _FilterCache:
    """Filters' documents per segment, the most recent kept within a size."""

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._used = 0
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, wquery.Query], np.ndarray] = OrderedDict()

    def get(self, key: tuple[Any, wquery.Query]) -> np.ndarray | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, wquery.Query], docs: np.ndarray) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = docs
            self._used += docs.nbytes
            while len(self._items) > 1 and (
                self._used > self._budget or len(self._items) > _KEEP_FILTERS
            ):
                _, gone = self._items.popitem(last=False)
                self._used -= gone.nbytes


_KEEP_FILTERS = 4096  # an article's passages are a filter too (best_of)
_FILTERS = _FilterCache(256 * 1024 * 1024)  # 64M documents' worth
