"""Date windows answered from a date-sorted copy of each segment's `published`.

A window must cost what it holds, not what the archive holds. Two ways
Whoosh offers cost the archive: a `DateRange` query over the DATETIME
field is a union of every indexed date term in the range, collected and
scored before anything is ranked (a month of Reuters is some 40,000
passages, 0.3 to 1.4 s a query); a `filter=` set is asked about every
document the words match, so a broad word with a 30-day window walks all
of that word's postings over the whole archive.

Here each segment's `published` column is read once (raw, as one array) and
kept sorted by date beside its document numbers (`_SortedDates`, shared by
every searcher of the process, keyed by segment). A window is then two
binary searches and the slice between them: the window's own documents,
sorted by number. `InWindow` runs the words' matcher against that list,
each side skipping the other forward (`_WindowMatcher`), so the words'
postings are skipped block by block wherever the window has nothing, and a
segment with no document in the window matches nothing at all.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from msgspec import Struct
from whoosh import matching
from whoosh import query as wquery
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.query.wrappers import WrappingQuery
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from newsindex.engines.whoosh.column_arrays import numeric_array
from newsindex.engines.whoosh.columns import QualityFilter, segment_key
from newsindex.query.tree import DateRange

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DateWindow", "InWindow", "date_window"]

FIELD = "published"
_KEEP = 256  # segments whose sorted dates are kept (16 bytes a document)
# A window holding under 1/_LIST_SHARE of a segment is skipped through as a
# list; a larger one is a mask asked about each match.
_LIST_SHARE = 4


class DateWindow(Struct, frozen=True):
    """Passages dated in [start, stop] (naive UTC, either end open), and/or undated."""

    start: datetime | None = None
    stop: datetime | None = None
    dated: bool = True
    undated: bool = False

    def docs(self, reader: IndexReader) -> list[int]:
        """The reader's document numbers in the window, in increasing order.

        For a reader of several segments, the numbers are its own (each
        segment's plus the segment's offset).
        """
        found: list[int] = []
        for leaf, offset in reader.leaf_readers():
            found += [offset + docnum for docnum in self._bounds(leaf).ids()]
        return found

    def _bounds(self, leaf: IndexReader) -> _Selection:
        field = leaf.schema[FIELD]
        low = field.to_column_value(self.start) if self.start else None
        high = field.to_column_value(self.stop) if self.stop else None
        return _sorted_dates(leaf).select(low, high, self.dated, self.undated)


def date_window(node: DateRange) -> DateWindow:
    """The window of a tree's date range, in the naive UTC the index holds."""
    return DateWindow(
        node.start.replace(tzinfo=None) if node.start else None,
        node.stop.replace(tzinfo=None) if node.stop else None,
        undated=node.undated,
    )


class InWindow(WrappingQuery):  # type: ignore[misc]  # whoosh is untyped
    """The child query's documents inside `window`, scored by the child alone."""

    boost = 1.0  # what Whoosh reads when it merges nested Ors

    def __init__(self, child: wquery.Query, window: DateWindow) -> None:
        super().__init__(child)
        self.window = window

    def __repr__(self) -> str:
        return f"InWindow({self.child!r}, {self.window!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InWindow) and (self.child, self.window) == (
            other.child,
            other.window,
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.child, self.window))

    def _rewrap(self, child: wquery.Query) -> InWindow:
        return InWindow(child, self.window)

    def estimate_size(self, reader: Any) -> int:
        return int(self.child.estimate_size(reader))

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        child = self.child.matcher(searcher, context)
        if isinstance(child, matching.NullMatcherClass) or not child.is_active():
            return child
        reader = searcher.reader()
        if not reader.is_atomic():  # Whoosh asks per segment; this is for others
            ids = self.window.docs(reader)
            return _WindowMatcher(child, ids) if ids else matching.NullMatcher()
        selection = self.window._bounds(reader)
        if selection.size == 0:
            return matching.NullMatcher()
        if selection.size == reader.doc_count_all():
            return child
        if selection.size * _LIST_SHARE <= reader.doc_count_all():
            return _WindowMatcher(child, selection.ids())
        # Most of the segment: asking the mask about each match costs less
        # than skipping between so many documents.
        return QualityFilter(child, selection.mask())


class _WindowMatcher(WrappingMatcher):  # type: ignore[misc]
    """The child's documents that are in `ids` (sorted), each side skipping.

    Scores, block qualities and spans are the child's: the window only
    removes documents, so a block's quality stays an upper bound.
    """

    def __init__(self, child: Any, ids: list[int]) -> None:
        super().__init__(child)
        self._ids = ids
        self._at = 0  # ids[_at] is the current document, or the next candidate
        self._done = False
        self._find_next()

    def __repr__(self) -> str:
        return f"_WindowMatcher({self.child!r}, {len(self._ids)} documents)"

    def _replacement(self, newchild: Any) -> _WindowMatcher:
        return _WindowMatcher(newchild, self._ids)

    def copy(self) -> _WindowMatcher:
        return _WindowMatcher(self.child.copy(), self._ids)

    def reset(self) -> None:
        self.child.reset()
        self._at = 0
        self._done = False
        self._find_next()

    def is_active(self) -> bool:
        return not self._done and bool(self.child.is_active())

    def _find_next(self) -> bool:
        child, ids = self.child, self._ids
        at, end = self._at, len(ids)
        moved = False
        while child.is_active():
            docnum = child.id()
            at = bisect_left(ids, docnum, at)
            if at == end:
                break
            wanted = ids[at]
            if wanted == docnum:
                self._at = at
                return moved
            child.skip_to(wanted)
            moved = True
        self._at = end
        self._done = True
        return moved

    def next(self) -> bool:
        if not self.is_active():
            raise matching.ReadTooFar
        self.child.next()
        return self._find_next()

    def skip_to(self, docnum: int) -> bool:
        if not self.is_active():
            raise matching.ReadTooFar
        if docnum <= self.child.id():
            return False
        self.child.skip_to(docnum)
        return self._find_next()

    def skip_to_quality(self, minquality: float) -> int:
        skipped = int(self.child.skip_to_quality(minquality))
        self._find_next()
        return skipped

    def all_ids(self) -> Any:
        while self.is_active():
            yield self.id()
            self.next()

    def all_items(self) -> Any:
        while self.is_active():
            yield self.id(), self.value()
            self.next()


class _Selection(Struct, frozen=True):
    """The documents of one segment in a window: slices of `_SortedDates.docnums`."""

    parts: tuple[np.ndarray, ...]
    count: int  # documents in the segment

    @property
    def size(self) -> int:
        return sum(len(part) for part in self.parts)

    def ids(self) -> list[int]:
        """The documents, in increasing order."""
        result: list[int] = self.array().tolist()
        return result

    def array(self) -> np.ndarray:
        """The documents, in increasing order, as an int64 array."""
        import numpy as np

        if not self.parts:
            return np.zeros(0, dtype=np.int64)
        docs: np.ndarray = np.sort(np.concatenate(self.parts))
        return docs

    def mask(self) -> _Mask:
        """The documents as a byte per document of the segment."""
        import numpy as np

        mask = np.zeros(self.count, dtype=np.uint8)
        for part in self.parts:
            mask[part] = 1
        return _Mask(mask.tobytes())


class _Mask:
    """`docnum in window`: one byte per document."""

    def __init__(self, flags: bytes) -> None:
        self._flags = flags

    def __contains__(self, docnum: int) -> bool:
        return self._flags[docnum] == 1


class _SortedDates(Struct, frozen=True):
    """One segment's `published` values in increasing order, with their documents."""

    values: np.ndarray  # uint64, sorted; the undated (the largest value) last
    docnums: np.ndarray  # int64, the document of each value
    missing: int  # the column's value for "no date"

    def select(
        self, low: int | None, high: int | None, dated: bool, undated: bool
    ) -> _Selection:
        """The documents dated in [low, high] (`dated`) and/or undated."""
        import numpy as np

        values = self.values

        def find(value: int, side: Literal["left", "right"]) -> int:
            # As uint64: numpy compares a uint64 array with a Python int as
            # float64, and microseconds since year 1 need more than 53 bits.
            return int(np.searchsorted(values, np.uint64(value), side))

        undated_from = find(self.missing, "left")
        parts = []
        if dated:
            first = 0 if low is None else find(low, "left")
            last = (
                undated_from if high is None else min(undated_from, find(high, "right"))
            )
            if first < last:
                parts.append(self.docnums[first:last])
        if undated and undated_from < len(values):
            parts.append(self.docnums[undated_from:])
        return _Selection(tuple(parts), len(values))


_lock = threading.Lock()
_segments: OrderedDict[tuple[str, str, int], _SortedDates] = OrderedDict()


def _sorted_dates(leaf: IndexReader) -> _SortedDates:
    """The segment's dates, sorted; read once per process (segments never change)."""
    key = segment_key(leaf)  # not the id alone: seeded ids repeat across indexes
    with _lock:
        found = _segments.get(key)
        if found is not None:
            _segments.move_to_end(key)
            return found
    found = _read_sorted(leaf)
    with _lock:
        _segments[key] = found
        while len(_segments) > _KEEP:
            _segments.popitem(last=False)
    return found


def _read_sorted(leaf: IndexReader) -> _SortedDates:
    import numpy as np  # deferred: only a dated search needs it

    field = leaf.schema[FIELD]
    missing = int(field.column_type.default_value())
    count = leaf.doc_count_all()
    if leaf.has_column(FIELD):
        values = numeric_array(leaf.column_reader(FIELD, translate=False), count)
    else:
        values = np.full(count, missing, dtype=np.uint64)
    order = np.argsort(values, kind="stable")
    return _SortedDates(values[order], order.astype(np.int64), missing)
