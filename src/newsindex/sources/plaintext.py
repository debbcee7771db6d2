"""Plain-text articles: one file, one article (`.txt`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.decode import decode_text, looks_binary

__all__ = ["read_plaintext"]


def read_plaintext(
    data: bytes, *, path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    """Yield the one RawDocument a text file holds; IngestError if it holds none."""
    if looks_binary(data):
        raise IngestError("binary content in a text file", path=path)
    text = decode_text(data)
    if not text.strip():
        raise IngestError("empty file", path=path)
    yield RawDocument(path=display_path, media_type="text", text=text)
