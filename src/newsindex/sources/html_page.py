"""Saved web pages (`.html`, `.htm`): one page, one RawDocument of its HTML.

Main text and metadata come later (`ingest/html_extract.py`); here the bytes
become text in the page's own charset: a byte-order mark, then what the page
declares (`<meta charset>`, `http-equiv`), then a sniffed guess, then
Windows-1252 with replacement characters, so a broken page still reads.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

from bs4 import UnicodeDammit

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.decode import looks_binary

__all__ = ["decode_html", "read_html"]


def read_html(
    data: bytes, *, path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    """Yield the page as one RawDocument; IngestError if it is empty or binary."""
    if looks_binary(data):
        raise IngestError("binary content in an HTML file", path=path)
    text = decode_html(data)
    if not text.strip():
        raise IngestError("empty file", path=path)
    yield RawDocument(path=display_path, media_type="html", text=text)


def decode_html(data: bytes) -> str:
    """Decode page bytes by BOM, declared charset or sniffing, newlines universal."""
    with warnings.catch_warnings():  # bs4 warns when a few bytes do not decode
        warnings.simplefilter("ignore")
        dammit = UnicodeDammit(data, is_html=True)
    text = dammit.unicode_markup
    if text is None:
        text = data.decode("windows-1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")
