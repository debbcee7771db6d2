"""Each document's article, outlet and month as arrays, for counting facets.

Counting the facets of a broad query (`said`: 70,000 passages) read three
column values per matching passage in Python: 0.5 s a query, and a server
answers every search with its facets. The columns are read once per
searcher (that is, once per commit) into integer codes; a query's counts
are then a few array operations over its documents.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from newsindex.engines.whoosh.columns import segment_key
from newsindex.engines.whoosh.outlets import NO_DATE, display_name
from newsindex.ingest.outlet import OutletRegistry

__all__ = ["FacetTable", "facet_table"]

# By the segments a reader sees: the threads of a server each have their own
# searcher on the same commit, and share one table. The last few are kept.
_tables: OrderedDict[tuple[tuple[str, str, int], ...], FacetTable] = OrderedDict()
_KEEP = 4
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class FacetTable:
    """Per document (global number): its article's code, and each facet's code.

    `days`: the day each document's article was published (UTC), as a
    proleptic Gregorian ordinal (`date.toordinal()`), 0 when undated.
    """

    article: np.ndarray
    articles: int  # how many article codes there are
    codes: dict[str, np.ndarray]
    labels: dict[str, list[str]]  # facet -> the label of each code
    days: np.ndarray

    def count(self, facet: str, docs: np.ndarray) -> list[tuple[str, int]]:
        """Articles per label among `docs`: an article counts once per label."""
        labels = self.labels[facet]
        if not len(docs):
            return []
        pairs = self.codes[facet][docs].astype(np.int64) * self.articles
        pairs += self.article[docs]
        per_label = np.bincount(
            np.unique(pairs) // self.articles, minlength=len(labels)
        )
        return [(labels[i], int(n)) for i, n in enumerate(per_label) if n]


def facet_table(searcher: Searcher) -> FacetTable:
    """The table of this searcher's documents, built on first use."""
    reader = searcher.reader()
    # Segment ids are random names from the `random` module, which a seeded
    # run (hypothesis seeds it) repeats: the index's folder is in the key too.
    key = tuple(segment_key(leaf) for leaf, _ in reader.leaf_readers())
    with _lock:
        table = _tables.get(key)
        if table is None:
            table = _tables[key] = _build(reader)
            while len(_tables) > _KEEP:
                _tables.popitem(last=False)
        _tables.move_to_end(key)
        return table


def _build(reader: IndexReader) -> FacetTable:
    article, ids = _coded(reader.column_reader("article_id"))
    outlets, keys = _coded(reader.column_reader("outlet"))
    registry = OutletRegistry.default()
    # Named from a document of each outlet (np.argmax: its first).
    names = [
        display_name(key, int(np.argmax(outlets == code)), registry, reader)
        for code, key in enumerate(keys)
    ]
    published = list(reader.column_reader("published", translate=False))
    months, month_labels = _coded(_month(value) for value in published)
    return FacetTable(
        article=article,
        articles=len(ids),
        codes={"outlet": outlets, "month": months},
        labels={"outlet": names, "month": month_labels},
        days=np.fromiter((_day(value) for value in published), dtype=np.int32),
    )


def _coded(values: Iterable[str]) -> tuple[np.ndarray, list[str]]:
    """Integer codes for values, and the value of each code."""
    seen: dict[str, int] = {}
    codes = np.fromiter(
        (seen.setdefault(value, len(seen)) for value in values), dtype=np.int32
    )
    return codes, list(seen)


_months: dict[int, str] = {}


def _day(value: int) -> int:
    """A stored date as the ordinal of its day (0: undated)."""
    if value == NO_DATE:
        return 0
    return value // 86_400_000_000 + 1  # Whoosh counts microseconds from year 1


def _month(value: int) -> str:
    if value == NO_DATE:
        return "undated"
    day = value // 86_400_000_000  # Whoosh counts microseconds from year 1
    label = _months.get(day)
    if label is None:
        label = _months[day] = long_to_datetime(value).strftime("%Y-%m")
    return label
