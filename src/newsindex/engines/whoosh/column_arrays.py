"""A segment's column read whole into numpy arrays, not value by value.

whoosh-reloaded reads a column one value at a time: a file read, a decode
and a few calls per document, some 10 microseconds each, so the three
columns of a facet table took over a second on 180,000 documents. The
column readers below keep their values back to back from `_basepos`; they
are read in one piece here. A reader of any other kind is read value by
value, as Whoosh would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = ["coded_bytes", "numeric_array"]


# A NumericColumn's struct typecode ("!" order) as a numpy dtype.
_STORED = {"B": "u1", "H": ">u2", "I": ">u4", "i": ">i4", "Q": ">u8", "q": ">i8"}


def numeric_array(column: Any, count: int, dtype: Any = None) -> np.ndarray:
    """A numeric column's `count` values as one array of `dtype` (uint64 by
    default: dates; uint8 for the one-byte field lengths).

    whoosh-reloaded's NumericColumn reader keeps the values big-endian and
    back to back from `_basepos`, `_count` of them; the documents after those
    hold the default.
    """
    import numpy as np

    kind = np.uint64 if dtype is None else dtype
    raw = getattr(column, "_dbfile", None)
    stored_as = _STORED.get(getattr(column, "_typecode", None) or "")
    if raw is None or stored_as is None or not hasattr(column, "_count"):
        return np.fromiter(iter(column), dtype=kind, count=count)
    stored = min(column._count, count)
    data = raw.get(column._basepos, stored * np.dtype(stored_as).itemsize)
    values = np.full(count, column._default, dtype=kind)
    values[:stored] = np.frombuffer(data, dtype=stored_as).astype(kind)
    return values


def coded_bytes(column: Any, count: int) -> tuple[np.ndarray, list[str]]:
    """A text column as (a code per document, int32; the text of each code).

    whoosh-reloaded's VarBytesColumn reader keeps each document's UTF-8
    bytes back to back from `_basepos`, with their lengths and offsets in
    arrays: the bytes are read in one piece and cut there, and each
    distinct value decoded once.
    """
    import numpy as np

    needed = ("_dbfile", "_basepos", "_lengths", "_offsets")
    if not all(hasattr(column, name) for name in needed):
        return _coded_one_by_one(column, count)
    if len(column._lengths) != count:
        return _coded_one_by_one(column, count)
    if not count:
        return np.zeros(0, dtype=np.int32), []
    ends = np.asarray(column._offsets, dtype=np.int64)
    ends += np.asarray(column._lengths, dtype=np.int64)
    end = int(ends.max())
    lengths = column._lengths.tolist()
    offsets = column._offsets.tolist()
    data = column._dbfile.get(column._basepos, end)
    seen: dict[bytes, int] = {}
    codes = np.fromiter(
        (
            seen.setdefault(data[offset : offset + length], len(seen))
            for offset, length in zip(offsets, lengths, strict=True)
        ),
        dtype=np.int32,
        count=count,
    )
    return codes, [value.decode("utf-8") for value in seen]


def _coded_one_by_one(column: Any, count: int) -> tuple[np.ndarray, list[str]]:
    import numpy as np

    seen: dict[str, int] = {}
    codes = np.fromiter(
        (
            seen.setdefault(
                value.decode("utf-8") if isinstance(value, bytes) else value, len(seen)
            )
            for value in column
        ),
        dtype=np.int32,
        count=count,
    )
    return codes, list(seen)
