"""Filters that leave scores alone and keep Whoosh's fast path for the words.

Whoosh filters a query one of two ways, both slow on a large archive:
`filter=` collects every document the filter matches into a set before
searching, and `ConstantScoreQuery` (in an And) collects them into a list
per segment, then turns off block-quality skipping for the whole query,
so every document the words match is scored (and a score of 0.0 comes out
as 1.0). `outlet:Reuters because` walked 300,000 Reuters postings to keep
3,700 passages: 100 ms of a 4 ms query.

`Only(words, filter)` picks by size. A filter smaller than what the words
match leads an intersection, as before but scoring nothing. A larger one
is asked about each document the words match, and the words keep their
block-quality skipping: an outlet through its column (a lookup of a
microsecond), any other filter through a cursor on its postings that only
moves forward.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any
from weakref import WeakKeyDictionary

from whoosh import matching
from whoosh import query as wquery
from whoosh.matching.wrappers import ConstantScoreWrapperMatcher, FilterMatcher
from whoosh.query.wrappers import WrappingQuery
from whoosh.searching import Searcher

__all__ = ["Only", "QualityFilter", "cached_column", "segment_key"]

OUTLET = "outlet"

# Per reader: Whoosh reads a column's offsets afresh each time one is asked
# for (a Python loop over every document of the segment, some 15 ms a query
# on the development corpora), and a segment's columns never change.
_COLUMNS: WeakKeyDictionary[Any, dict[tuple[str, bool], Any]] = WeakKeyDictionary()


def segment_key(leaf: Any) -> tuple[str, str, int]:
    """What tells one segment from every other this process reads.

    A segment id alone does not: ids come from `random`, which a seeded
    caller (hypothesis) makes repeat, so two indexes can hold segments of
    the same id. The folder it is read from and its size go with it.
    """
    storage = getattr(leaf, "_storage", None)
    storage = getattr(storage, "b", storage)  # OverlayStorage(compound, folder)
    folder = str(getattr(storage, "folder", id(storage)))
    return (folder, leaf.segment().segment_id(), leaf.doc_count_all())


def cached_column(reader: Any, name: str, *, translate: bool = True) -> Any:
    """`reader.column_reader(name)`, opened once per reader and kept with it.

    A reader belongs to one searcher, and a searcher to one thread.
    """
    opened = _COLUMNS.setdefault(reader, {})
    key = (name, translate)
    if key not in opened:
        opened[key] = reader.column_reader(name, translate=translate)
    return opened[key]


class Only(WrappingQuery):  # type: ignore[misc]  # whoosh is untyped
    """The child query's documents that `filter` also matches, scored by the child.

    `keys`: the filter is exactly "outlet is one of these keys", so the
    outlet column can answer it.
    """

    boost = 1.0  # what Whoosh reads when it merges nested Ors

    def __init__(
        self,
        child: wquery.Query,
        filter: wquery.Query,  # noqa: A002  Whoosh's own name for it
        keys: Collection[str] | None = None,
    ) -> None:
        super().__init__(child)
        self.filter = filter
        self.keys = frozenset(keys) if keys is not None else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.child!r}, {self.filter!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Only)
            and self.child == other.child
            and self.filter == other.filter
            and self.keys == other.keys
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.child, self.filter))

    def _rewrap(self, child: wquery.Query) -> Only:
        return Only(child, self.filter, self.keys)

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        child = self.child.matcher(searcher, context)
        if isinstance(child, matching.NullMatcherClass):
            return child
        reader = searcher.reader()
        if self.filter.estimate_size(reader) <= self.child.estimate_size(reader):
            ids = list(self.filter.docs(searcher))
            if not ids:
                return matching.NullMatcher()
            unscored = ConstantScoreWrapperMatcher(matching.ListMatcher(ids), 0.0)
            return matching.IntersectionMatcher(child, unscored)
        if self.keys is not None and reader.has_column(OUTLET):
            allowed: Any = _KeysIn(cached_column(reader, OUTLET), self.keys)
        else:
            allowed = _PostingsCursor(lambda: self.filter.matcher(searcher, context))
        return QualityFilter(child, allowed)


class _KeysIn:
    """`docnum in keys`, read off a segment's outlet column."""

    def __init__(self, column: Any, keys: frozenset[str]) -> None:
        self._column = column
        self._keys = keys

    def __contains__(self, docnum: int) -> bool:
        return self._column[docnum] in self._keys


class _PostingsCursor:
    """`docnum in filter`, for document numbers asked in increasing order."""

    def __init__(self, open_matcher: Callable[[], Any]) -> None:
        self._open = open_matcher
        self._matcher = open_matcher()
        self._last = -1

    def __contains__(self, docnum: int) -> bool:
        if docnum < self._last:  # the wrapped matcher was reset: start over
            self._matcher = self._open()
        self._last = docnum
        matcher = self._matcher
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        return bool(matcher.is_active() and matcher.id() == docnum)


class QualityFilter(FilterMatcher):  # type: ignore[misc]
    """FilterMatcher that stays on an allowed document after a quality skip."""

    def skip_to_quality(self, minquality: float) -> int:
        skipped = self.child.skip_to_quality(minquality)
        self._find_next()
        return int(skipped)
