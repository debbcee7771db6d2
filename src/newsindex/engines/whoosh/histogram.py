"""Matching articles per period (and outlet), counted off a FacetTable.

An article has several passage documents, all with its date and outlet: a
period counts each article once, as `search --since/--until` does.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from newsindex.engines.base import Bucket, Interval, period_start
from newsindex.engines.whoosh.facet_table import FacetTable

__all__ = ["count_periods"]


def count_periods(
    table: FacetTable, docs: np.ndarray, by: Interval, *, split: bool = False
) -> list[Bucket]:
    """Articles among `docs` per period of `by` (and per outlet with `split`),
    in date order then most articles first; undated articles are left out."""
    days = table.days[docs]
    dated = days > 0
    if not dated.any():
        return []
    docs, days = docs[dated], days[dated]
    # Few distinct days even in a large archive: map each once to its period.
    unique_days, which = np.unique(days, return_inverse=True)
    starts = np.array(
        [period_start(date.fromordinal(int(d)), by).toordinal() for d in unique_days],
        dtype=np.int64,
    )
    periods = starts[which.reshape(-1)]
    outlets = (
        table.codes["outlet"][docs].astype(np.int64)
        if split
        else np.zeros(len(docs), dtype=np.int64)
    )
    articles = table.article[docs].astype(np.int64)
    rows = np.unique(np.stack([periods, outlets, articles], axis=1), axis=0)
    keys, counts = np.unique(rows[:, :2], axis=0, return_counts=True)
    names = table.labels["outlet"]
    buckets = [
        Bucket(
            start=date.fromordinal(int(start)),
            count=int(count),
            outlet=names[int(outlet)] if split else None,
        )
        for (start, outlet), count in zip(keys, counts, strict=True)
    ]
    buckets.sort(key=lambda b: (b.start, -b.count, (b.outlet or "").casefold()))
    return buckets
