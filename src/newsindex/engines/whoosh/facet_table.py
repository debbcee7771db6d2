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
from datetime import date

import numpy as np
from msgspec import Struct
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from newsindex.engines.whoosh.column_arrays import coded_bytes, numeric_array
from newsindex.engines.whoosh.columns import segment_key
from newsindex.engines.whoosh.outlets import NO_DATE, display_name
from newsindex.ingest.outlet import OutletRegistry

__all__ = ["FacetTable", "facet_table"]

# By the segments a reader sees: the threads of a server each have their own
# searcher on the same commit, and share one table. The last few are kept.
_tables: OrderedDict[tuple[tuple[str, str, int], ...], FacetTable] = OrderedDict()
_KEEP = 4
_lock = threading.Lock()


class FacetTable(Struct, frozen=True):
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
    article, ids = _coded_column(reader, "article_id")
    outlets, keys = _coded_column(reader, "outlet")
    registry = OutletRegistry.default()
    # Named from a document of each outlet: its first.
    first = np.unique(outlets, return_index=True)[1]  # codes are 0..len(keys)-1
    names = [
        display_name(key, int(first[code]), registry, reader)
        for code, key in enumerate(keys)
    ]
    published = _published(reader)
    days = np.zeros(len(published), dtype=np.int32)
    dated = published != np.uint64(NO_DATE)
    # Whoosh counts microseconds from year 1: day 0 is ordinal 1.
    days[dated] = (published[dated] // np.uint64(86_400_000_000) + 1).astype(np.int32)
    day_codes, each_day = np.unique(days, return_inverse=True)
    month_of_day = [_month(int(day)) for day in day_codes.tolist()]
    month_labels = sorted(set(month_of_day))
    position = {month: n for n, month in enumerate(month_labels)}
    month_code = np.asarray([position[m] for m in month_of_day], dtype=np.int32)
    return FacetTable(
        article=article,
        articles=len(ids),
        codes={"outlet": outlets, "month": month_code[each_day]},
        labels={"outlet": names, "month": month_labels},
        days=days,
    )


def _coded_column(reader: IndexReader, name: str) -> tuple[np.ndarray, list[str]]:
    """Integer codes for a text column's values across segments, and the
    value of each code."""
    seen: dict[str, int] = {}
    parts = []
    for leaf, _ in reader.leaf_readers():
        count = leaf.doc_count_all()
        if not leaf.has_column(name):
            parts.append(np.full(count, seen.setdefault("", len(seen)), np.int32))
            continue
        codes, texts = coded_bytes(leaf.column_reader(name, translate=False), count)
        ours = np.asarray([seen.setdefault(t, len(seen)) for t in texts], np.int32)
        parts.append(ours[codes] if len(codes) else codes)
    codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return codes, list(seen)


def _published(reader: IndexReader) -> np.ndarray:
    """Every document's `published` value (uint64), across segments."""
    parts = []
    for leaf, _ in reader.leaf_readers():
        count = leaf.doc_count_all()
        if leaf.has_column("published"):
            column = leaf.column_reader("published", translate=False)
            parts.append(numeric_array(column, count))
        else:
            parts.append(np.full(count, NO_DATE, dtype=np.uint64))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)


def _month(day: int) -> str:
    """The month label of a day ordinal (0: undated)."""
    if day == 0:
        return "undated"
    return date.fromordinal(day).strftime("%Y-%m")
