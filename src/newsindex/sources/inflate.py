"""Gzip inflated in bounded chunks, so that a bomb is refused before it is held.

A 4 MB `.jsonl.gz` can inflate to 4 GB. Inflating it into one buffer and
checking the size afterwards costs the memory the check was meant to save,
so a gzip file is inflated twice: first only counted, a chunk at a time,
which refuses a file past the limit holding no more than one chunk; then,
known to fit, streamed to its reader as chunks (JSON Lines parse line by
line) or handed over whole. Inflating is fast next to parsing and tagging,
so the second pass costs little.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path

from msgspec import Struct

from newsindex.errors import IngestError

__all__ = [
    "CHUNK_BYTES",
    "Inflated",
    "check_inflated_size",
    "first_member_past",
    "inflate",
    "inflate_chunks",
]

CHUNK_BYTES = 1024 * 1024  # inflated bytes produced (and held) at a time
_GZIP = 31  # zlib wbits: a gzip header and trailer


def inflate_chunks(data: bytes, path: Path, limit: int) -> Iterator[bytes]:
    """Yield the inflated bytes of every gzip member, at most CHUNK_BYTES at a time.

    Raises IngestError once more than `limit` bytes have come out (having
    yielded no more than `limit`), or if the data is not gzip or is cut short.
    """
    total = 0
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=_GZIP)
        pending = rest
        while True:
            try:
                chunk = inflater.decompress(pending, CHUNK_BYTES)
            except zlib.error as exc:
                raise IngestError(f"not a valid gzip file: {exc}", path=path) from exc
            total += len(chunk)
            if total > limit:
                raise IngestError(f"gzip inflates past {limit} bytes", path=path)
            if chunk:
                yield chunk
            pending = inflater.unconsumed_tail
            # A full chunk may leave output inside zlib even with no input left.
            if inflater.eof or (not pending and len(chunk) < CHUNK_BYTES):
                break
        if not inflater.eof:
            raise IngestError("truncated gzip file", path=path)
        rest = inflater.unused_data


def check_inflated_size(data: bytes, path: Path, limit: int) -> int:
    """Return how many bytes the gzip data inflates to, holding one chunk at most.

    Raises IngestError as `inflate_chunks` does: past the limit, not gzip, cut short.
    """
    return sum(len(chunk) for chunk in inflate_chunks(data, path, limit))


def first_member_past(data: bytes, limit: int) -> bool:
    """Whether the first gzip member inflates past `limit`, holding one chunk at most.

    False too when the data is not gzip or is cut short: the caller says what.
    """
    inflater = zlib.decompressobj(wbits=_GZIP)
    total = 0
    pending = data
    while not inflater.eof:
        try:
            chunk = inflater.decompress(pending, CHUNK_BYTES)
        except zlib.error:
            return False
        total += len(chunk)
        if total > limit:
            return True
        pending = inflater.unconsumed_tail
        if not pending and len(chunk) < CHUNK_BYTES:
            break
    return False


def inflate(data: bytes, path: Path, limit: int) -> bytes:
    """Return the inflated bytes, checked against `limit` before they are held."""
    check_inflated_size(data, path, limit)
    out = io.BytesIO()  # grows in place; getvalue() hands over its buffer uncopied
    for chunk in inflate_chunks(data, path, limit):
        out.write(chunk)
    return out.getvalue()


class Inflated(Struct, frozen=True):
    """A gzip file's inflated bytes as chunks; each iteration inflates afresh.

    Hand it to a reader only after `check_inflated_size`: then no pass can
    go past the limit.
    """

    data: bytes
    path: Path
    limit: int

    def __iter__(self) -> Iterator[bytes]:
        return inflate_chunks(self.data, self.path, self.limit)
