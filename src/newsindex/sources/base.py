"""The contract every reader keeps.

A reader takes a file's bytes and yields one `RawDocument` per article it
holds, or a `Skip` for a record that cannot be one (a revisit record, a row
with no text). It raises `IngestError` when the whole file is unusable. It
never prints and never touches the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

from msgspec import Struct, field

from newsindex.records import RawDocument, Skip

__all__ = ["FIELD_NAMES", "Reader", "ReaderOptions", "StreamReader"]

# The logical fields an export mapping can name: `--field text=content`.
FIELD_NAMES = ("author", "date", "id", "outlet", "text", "title", "url")


class ReaderOptions(Struct, frozen=True):
    """Settings a user can give readers."""

    # Logical field -> the export's own field name, for exports that name
    # them oddly: {"text": "content"}.
    fields: Mapping[str, str] = field(default_factory=dict)


class Reader(Protocol):
    """Turns one file's bytes into RawDocuments."""

    def __call__(
        self, data: bytes, *, path: Path, display_path: str, options: ReaderOptions
    ) -> Iterator[RawDocument | Skip]:
        """Yield the file's documents (or skips); raise IngestError if it has none."""
        ...


class StreamReader(Protocol):
    """A reader that also takes a file's bytes as chunks.

    An inflated gzip file comes as chunks (sources/inflate.py), so that a
    reader that can parse as it goes never holds the whole file. Iterating
    them again starts again from the first chunk.
    """

    def __call__(
        self,
        data: bytes | Iterable[bytes],
        *,
        path: Path,
        display_path: str,
        options: ReaderOptions,
    ) -> Iterator[RawDocument | Skip]:
        """Yield the file's documents (or skips); raise IngestError if it has none."""
        ...
