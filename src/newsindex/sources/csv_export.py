"""CSV exports: a header row naming the fields, then one article per row.

The delimiter is the one of `,` `;` and tab that the header row uses most.
Fields are found by name as in JSON exports (`sources/fields.py`), and the
documents have the same shape (media type "json": a field's text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.decode import decode_text, looks_binary
from newsindex.sources.fields import document_from_record, has_text_field

__all__ = ["read_csv"]

_DELIMITERS = (",", ";", "\t")
# The csv module refuses fields over 128 KiB by default; a long article with
# its HTML runs past that. 64 MiB still stops a file with an unclosed quote
# from becoming one field. The limit is process-wide, so it is only raised.
_FIELD_LIMIT = 64 * 1024 * 1024
_QUOTED_NAMES = 12  # header names quoted in an error message
_NAME_LENGTH = 40


def read_csv(
    data: bytes, *, path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    """Yield one article per CSV row.

    Raises IngestError if the file is empty, binary, has no text column, or
    breaks the CSV syntax before any row is read. A break after that is a
    Skip for the rest of the file.
    """
    if looks_binary(data):
        raise IngestError("binary content, not CSV", path=path)
    text = decode_text(data)
    if not text.strip():
        raise IngestError("empty file", path=path)
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    rows = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        header = next(rows)
    except csv.Error as exc:
        raise IngestError(f"invalid CSV header: {exc}", path=path) from exc
    if not has_text_field(header, options.fields):
        raise IngestError(f"no text column in header: {_names(header)}", path=path)
    record = 0
    while True:
        try:
            row = next(rows, None)
        except csv.Error as exc:
            reason = f"invalid CSV on line {rows.line_num}: {exc}"
            if record == 0:
                raise IngestError(reason, path=path) from exc
            yield Skip(display_path, reason, record)
            return
        if row is None:
            break
        if not row:  # a blank line
            continue
        fields: dict[str, object] = {}
        for name, value in zip(header, row, strict=False):
            fields.setdefault(name, value)
        yield document_from_record(
            fields, display_path=display_path, record=record, fields=options.fields
        )
        record += 1
    if record == 0:
        raise IngestError("no rows after the header", path=path)


def _delimiter(text: str) -> str:
    """The delimiter the header row uses most (`,` if it uses none)."""
    header = text[: text.find("\n")] if "\n" in text else text
    return max(_DELIMITERS, key=header.count)


def _names(header: Sequence[str]) -> str:
    """Quote a header's names for a message, cut short: a header may be a row."""
    names = [repr(n[:_NAME_LENGTH]) for n in header[:_QUOTED_NAMES]]
    more = len(header) - _QUOTED_NAMES
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")
