"""Bytes to text, the way every reader does it."""

from __future__ import annotations

import warnings

from bs4 import UnicodeDammit

__all__ = ["SNIFF_BYTES", "decode_text", "looks_binary"]

SNIFF_BYTES = 8192  # the first block, where binary content shows


def looks_binary(data: bytes) -> bool:
    """Return True if the bytes are not text: NUL bytes in the first block."""
    return b"\x00" in data[:SNIFF_BYTES]


def decode_text(data: bytes) -> str:
    """Decode file bytes to text with universal newlines, as Python's `open()` reads.

    UTF-8 first (a BOM is dropped); otherwise the encoding bs4's UnicodeDammit
    detects, and failing that Windows-1252 with replacement characters.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        with warnings.catch_warnings():  # "Some characters could not be decoded"
            warnings.simplefilter("ignore")
            guess = UnicodeDammit(data[:65536], ["utf-8", "windows-1252"])
        encoding = guess.original_encoding or "windows-1252"
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            text = data.decode("windows-1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")
