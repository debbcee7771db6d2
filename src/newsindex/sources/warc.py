"""Web archives (`.warc`, `.warc.gz`): one document per HTML page captured.

warcio reads the records, gzipped member by member or not, and undoes the
HTTP chunking and compression. A `response` (or `resource`) record holding an
HTML page becomes a document; a `revisit`, a non-HTML payload or an HTTP error
is a Skip; `request`, `metadata` and `warcinfo` records are not pages and are
passed over without a word.

The crawl date (`WARC-Date`) is kept as `capture_date`, never as the
publication date: a page is usually crawled long after it was published.
"""

from __future__ import annotations

import codecs
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from msgspec.structs import replace
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from newsindex.errors import IngestError
from newsindex.logs import get_logger
from newsindex.records import RawDocument, Skip
from newsindex.settings import settings
from newsindex.sources.base import ReaderOptions
from newsindex.sources.decode import decode_text, looks_binary
from newsindex.sources.inflate import first_member_past

__all__ = ["read_warc"]

logger = get_logger(__name__)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_PAGE_RECORDS = frozenset({"response", "resource"})
_SNIFF = 4096  # bytes searched for <meta charset> and for an HTML opening
_MAX_REASON = 200
_HEADERS_CUT = "truncated WARC record (headers cut short)"
# <meta charset="utf-8">, <meta http-equiv="Content-Type" content="text/html;
# charset=windows-1251">
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)
# What warcio raises on bytes that are not a well-formed archive: its own two
# errors, and (warcio 1.8) AttributeError for a response record with no
# WARC-Target-URI (`uri.startswith` in recordloader.load_http_headers). It
# handles bad gzip and chunking itself, falling back to the raw bytes.
_CORRUPT = (ArchiveLoadFailed, StatusAndHeadersParserException, AttributeError)


def read_warc(
    data: bytes, *, path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    """Yield a RawDocument for each HTML page the archive captured.

    `record` is the record's 0-based index among all the file's records and
    `offset` its byte offset (in the gzip stream for a `.warc.gz`). A file that
    breaks off after some records yields those, then one Skip for the rest.
    Raises IngestError if the file is empty or no record can be read.
    """
    if not data.strip():
        raise IngestError("empty file", path=path)
    data = _inflate_whole_gzip(data, path)
    records = _QuietArchiveIterator(io.BytesIO(data))
    index = 0  # the record being read, or the next one
    end = 0  # where the last whole record ends
    try:
        for record in records:
            item = _read_record(record, display_path, index)
            offset = records.get_record_offset()  # reads the record to its end
            reason = _truncation(record)
            if reason is not None:
                if index == 0:
                    raise IngestError(reason, path=path)
                yield Skip(display_path, reason, index)
                return
            if isinstance(item, RawDocument):
                yield replace(item, offset=offset)
            elif item is not None:
                yield item
            index += 1
            end = offset + records.get_record_length()
    except _CORRUPT as exc:
        reason = _message(exc)
        if index == 0:
            raise IngestError(f"not a WARC file: {reason}", path=path) from exc
        yield Skip(display_path, f"corrupt WARC record: {reason}", index)
        return
    # warcio ends quietly when the file stops inside a record's headers.
    if data[end:].strip():
        if index == 0:
            raise IngestError(_HEADERS_CUT, path=path)
        yield Skip(display_path, _HEADERS_CUT, index)


def _read_record(
    record: ArcWarcRecord, display_path: str, index: int
) -> RawDocument | Skip | None:
    """The document or Skip one record gives, None if it is not a capture."""
    if record.rec_type == "revisit":
        return Skip(display_path, "revisit record", index)
    if record.rec_type not in _PAGE_RECORDS:
        return None
    http = record.http_headers
    if http is not None and http.protocol.upper().startswith("HTTP"):
        status = http.get_statuscode()
        if not status.startswith("2"):
            return Skip(display_path, f"HTTP status {status}", index)
    # A response's WARC Content-Type is `application/http`; the page's is inside.
    headers = http if http is not None else record.rec_headers
    mime, charset = _content_type(headers.get_header("Content-Type"))
    if mime is not None and mime not in _HTML_TYPES:
        return Skip(display_path, f"non-HTML payload ({mime})", index)
    encoding = (
        (http.get_header("Content-Encoding") or "").strip().lower() if http else ""
    )
    if encoding not in ("", "identity", *BufferedReader.get_supported_decompressors()):
        return Skip(display_path, f"unsupported content encoding ({encoding})", index)
    payload = record.content_stream().read()
    if mime is None:  # untyped: a page only if it opens like one
        if not _HTML_START.match(payload[:_SNIFF]):
            return Skip(display_path, "non-HTML payload (no type)", index)
        mime = "text/html"
    if not payload.strip():
        return Skip(display_path, "empty payload", index)
    if looks_binary(payload):  # gzip bytes served without a Content-Encoding
        return Skip(display_path, f"binary payload ({mime})", index)
    capture = record.rec_headers.get_header("WARC-Date")
    return RawDocument(
        path=display_path,
        media_type="html",
        text=_decode_html(payload, charset),
        url=record.rec_headers.get_header("WARC-Target-URI") or None,
        meta={"capture_date": capture} if capture else {},
        record=index,
    )


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    """`text/html; charset=UTF-8` -> ("text/html", "UTF-8")."""
    if not header:
        return None, None
    mime, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime.strip().lower() or None, charset


def _decode_html(payload: bytes, charset: str | None) -> str:
    """Decode with the HTTP charset, else the page's <meta charset>, else a guess."""
    if charset is None:
        meta = _META_CHARSET.search(payload[:_SNIFF])
        charset = meta[1].decode("ascii") if meta else None
    if charset is not None:
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            codec = None
        if codec is not None:
            if codec == "utf-8":
                codec = "utf-8-sig"  # a BOM is not text
            text = payload.decode(codec, errors="replace")
            return text.replace("\r\n", "\n").replace("\r", "\n")
    return decode_text(payload)


def _truncation(record: ArcWarcRecord) -> str | None:
    """Why a record read to its end is cut short, or None if it is whole."""
    if record.length is None:  # the file ended before the header's Content-Length
        return _HEADERS_CUT
    stream = record.raw_stream
    if isinstance(stream, LimitReader) and stream.limit > 0:
        return f"truncated WARC record ({stream.limit} bytes missing)"
    return None


def _inflate_whole_gzip(data: bytes, path: Path) -> bytes:
    """Inflate a WARC gzipped as one whole (`gzip file.warc`); leave others as is.

    warcio reads a `.warc.gz` made of one gzip member per record, and refuses a
    single member holding many records. Only the first member is inflated to
    tell them apart. Offsets then count in the inflated WARC.
    """
    if not data.startswith(b"\x1f\x8b"):
        return data
    limit = settings().max_inflated_bytes  # as discover's gunzip: bombs stop here
    if first_member_past(data, limit):  # counted before any of it is held
        raise IngestError(f"gzip inflates past {limit} bytes", path=path)
    inflater = zlib.decompressobj(wbits=31)  # 31: a gzip header and trailer
    try:
        inflated = inflater.decompress(data, limit)
    except zlib.error:
        return data  # warcio says what is wrong with it
    if inflater.unconsumed_tail:
        raise IngestError(f"gzip inflates past {limit} bytes", path=path)
    if inflater.unused_data:  # a second member follows: a record-by-record gzip
        return data
    if not inflated and not inflater.eof:
        raise IngestError("truncated gzip file", path=path)
    return inflated


def _message(exc: Exception) -> str:
    """An exception's message on one short line (warcio's span many, or are bytes)."""
    if isinstance(exc, AttributeError):  # see _CORRUPT
        return "record without WARC-Target-URI"
    text = exc.args[0] if exc.args else ""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    return " ".join(str(text).split())[:_MAX_REASON] or type(exc).__name__


class _QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]  # untyped base
    """warcio's ArchiveIterator, minus its writes to stderr: a library never prints."""

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        """Skip the blank lines after a record; as warcio 1.8's, logging its warning.

        A record not followed by a blank line had a wrong Content-Length.
        """
        empty_size = 0
        first_line = True
        while True:
            line: bytes = self.reader.readline()
            if not line:
                return None, empty_size
            stripped = line.rstrip()
            if not stripped or first_line:
                empty_size += len(line)
                if stripped:
                    logger.debug("WARC record not followed by a blank line: %r", line)
                    self.err_count += 1
                first_line = False
                continue
            return line, empty_size
