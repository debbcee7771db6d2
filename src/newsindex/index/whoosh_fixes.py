"""Fixes to whoosh-reloaded 2.7.5, installed when durable.py (the storage) loads.

Segments read from their memory map without copying them. Whoosh maps
each compound segment file, then wraps every sub-file it opens in a
`BufferFile` whose stream is `BytesIO(memoryview)`: that copies the whole
sub-file. Opening a searcher on an index of 24,000 articles copied 250 MB
of postings and term files, most of a cold search's 0.7 s and 840 MB of its
memory, to read a few kilobytes. `MappedBufferFile` reads the map through
a small buffer instead (0.3 s, 70 MB).

Field lengths looked up without a `stat` per posting. Flushing a segment
asks the lengths of every posting's document; for a field with no lengths
column (ID and KEYWORD fields) Whoosh checks for the column file again
each time: 100,000 `stat` calls and 2.7 s of a 7 s ingest of 600 articles.
`_cached_reader` here remembers that the column is absent too.

Field length totals that a merge keeps. A document's field length is stored
as one byte (`length_to_byte`: exact up to a few dozen tokens, then rounded),
but a new segment's total adds the exact lengths, and a merge adds the
rounded ones back up: the same documents then give another average length,
so other BM25F scores, depending on which commits merged them. `_add_field`
adds the stored (rounded) length at every write, so the totals, and the
scores, depend on the documents only (refs #19).

Index files unpickled with only the names an index needs (safe_pickle.py).

A column of every segment's documents. `MultiReader.column_reader` leaves
out a segment without that column file (no document of it had the field:
a commit of undated articles has no `published` column), so the values of
later segments shift onto the wrong documents: facet counts, date windows
and outlet filters read another document's value, or past the end.
`_multi_column_reader` asks every segment, and a segment reader without
the column answers its default for each of its documents.

Posting blocks pickled as bytes. Whoosh pickles each block of postings
(document numbers, weights, and every posting's positions as a bytes
string) with protocol 2, where a bytes object is a call to
`_codecs.encode` on a latin-1 str: 300 microseconds to unpickle a block of
128 postings, most of the cost of reading a common word. Written with
protocol 4, the same block unpickles in 30, and takes 40% of the room after
zlib. Blocks written by Whoosh before read as they always did.

Document numbers undelta'd in C. A block's numbers are stored as gaps and
added up by a Python generator (`delta_decode`); `itertools.accumulate`
gives the same numbers.

A damaged segment file closed again. Opening a compound segment whose
directory cannot be read (a truncated file) left the file open; the error
is reported (`newsindex verify`), the file no longer leaks.
"""

from __future__ import annotations

import io
import itertools
import pickle
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from whoosh import columns, reading
from whoosh.codec import base, whoosh3
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile
from whoosh.util.numeric import byte_to_length, length_to_byte

from newsindex.index import safe_pickle

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["MappedBufferFile", "install"]

_ABSENT = object()


class _MemoryStream(io.RawIOBase):
    """A read-only, seekable raw stream over a buffer, sharing its memory."""

    def __init__(self, buf: memoryview) -> None:
        super().__init__()
        self._buf = buf
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, b: WriteableBuffer) -> int:
        view = memoryview(b).cast("B")
        n = max(0, min(len(view), len(self._buf) - self._pos))
        view[:n] = self._buf[self._pos : self._pos + n]
        self._pos += n
        return n

    def seek(self, pos: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            pos += self._pos
        elif whence == io.SEEK_END:
            pos += len(self._buf)
        if pos < 0:
            raise ValueError(f"negative seek position {pos}")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos


class MappedBufferFile(BufferFile):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's BufferFile, with a stream that reads the map in place."""

    def __init__(
        self, buf: memoryview, name: str | None = None, onclose: object = None
    ) -> None:
        self._buf = buf
        self._name = name
        self.file = io.BufferedReader(_MemoryStream(buf))
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    """W3PerDocReader._cached_reader, remembering a missing column as well."""
    reader = self._readers.get(fieldname, _ABSENT)
    if reader is _ABSENT:
        has = self.has_column(fieldname)
        reader = self.column_reader(fieldname, column) if has else None
        self._readers[fieldname] = reader
    return reader


def _add_field(
    self: Any, fieldname: str, fieldobj: Any, value: Any, length: int
) -> None:
    """W3PerDocWriter.add_field, totalling the lengths as they are stored."""
    if value is not None:
        self._storedfields[fieldname] = value
    if length:
        stored = length_to_byte(length)
        self.add_column_value(
            whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN, stored
        )
        self._fieldlengths[fieldname] += byte_to_length(stored)


def _open_compound_file(self: Any, storage: Any) -> Any:
    """Segment.open_compound_file, closing the file if its directory is unreadable."""
    dbfile = storage.open_file(self.make_filename(self.COMPOUND_EXT))
    try:
        return compound.CompoundStorage(dbfile, use_mmap=storage.supports_mmap)
    except BaseException:
        dbfile.close()
        raise


def _multi_column_reader(
    self: Any,
    fieldname: str,
    column: Any = None,
    reverse: bool = False,
    translate: bool = True,
) -> Any:
    """MultiReader.column_reader with a reader for every segment, in order."""
    readers = [
        r.column_reader(fieldname, column=column, reverse=reverse, translate=translate)
        for r in self.readers
    ]
    return columns.MultiColumnReader(readers, list(self.doc_offsets))


# Whoosh's own pickling of blocks, as whoosh-reloaded ships it (tests write
# an index the old way with it, to check that it still reads the same).
SHIPPED_DUMPS = whoosh3.dumps

# Blocks and inlined postings: bytes are opcodes of their own from protocol 3.
_BLOCK_PROTOCOL = 4


def _dumps(obj: Any, protocol: int | None = None) -> bytes:
    """whoosh3's `dumps`: at `_BLOCK_PROTOCOL` when `obj` holds bytes (a block
    or inlined postings with their positions), else as Whoosh asks (a block's
    header of numbers is smaller at protocol 2)."""
    if isinstance(obj, tuple) and any(_holds_bytes(part) for part in obj):
        return pickle.dumps(obj, _BLOCK_PROTOCOL)
    return pickle.dumps(obj, protocol)


def _holds_bytes(part: Any) -> bool:
    if isinstance(part, bytes):
        return True
    return isinstance(part, tuple | list) and any(isinstance(v, bytes) for v in part)


def _delta_decode(gaps: Iterable[int]) -> Iterator[int]:
    """whoosh.util.numlists.delta_decode: the running sums of `gaps`."""
    return itertools.accumulate(gaps)


def install() -> None:
    """Put the fixes in place in Whoosh's modules."""
    whoosh3.dumps = _dumps
    whoosh3.delta_decode = _delta_decode
    compound.BufferFile = MappedBufferFile
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    whoosh3.W3PerDocWriter.add_field = _add_field
    base.Segment.open_compound_file = _open_compound_file
    reading.MultiReader.column_reader = _multi_column_reader
    safe_pickle.install()
