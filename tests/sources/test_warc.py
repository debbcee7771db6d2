"""WARC files: real data.gov.uk records, charsets, cut and corrupt archives."""

from __future__ import annotations

import gzip
import hashlib
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.warc import read_warc

from ..strategies import mutated

DATA = Path(__file__).resolve().parent.parent / "data"
# Eight records of warc-datagovuk-2014, copied with warcio's WARCWriter (which
# added block digests): from BL-20140325121225068 records 0 (warcinfo), 1 (DNS),
# 34 (a PNG), 52 (a 404 page), 115-117 (a blog post's response, request and
# metadata); from BL-20140325122341434 record 115 (that post's revisit).
SAMPLE = DATA / "datagovuk-sample.warc.gz"
PATH = Path("crawl.warc.gz")
POST = "http://data.gov.uk/blog/introducing-hampshire-hub-0"
POST_SHA256 = "80823c96265d93af009dbcbe9a280b19f52d0f1b0314984b967313ad12b7f020"


def _read(data: bytes) -> list[RawDocument | Skip]:
    options = ReaderOptions()
    return list(read_warc(data, path=PATH, display_path="c.warc", options=options))


def _expected(post_offset: int) -> list[RawDocument | Skip]:
    post = RawDocument(
        path="c.warc",
        media_type="html",
        text="",  # compared by digest below
        url=POST,
        meta={"capture_date": "2014-03-25T12:18:02Z"},
        record=4,
        offset=post_offset,
    )
    return [
        Skip("c.warc", "non-HTML payload (text/dns)", 1),
        Skip("c.warc", "non-HTML payload (image/png)", 2),
        Skip("c.warc", "HTTP status 404", 3),
        post,
        Skip("c.warc", "revisit record", 7),
    ]


def _without_text(items: list[RawDocument | Skip]) -> list[RawDocument | Skip]:
    return [replace(i, text="") if isinstance(i, RawDocument) else i for i in items]


def test_blog_post_response_revisit_and_image() -> None:
    got = _read(SAMPLE.read_bytes())
    assert _without_text(got) == _expected(post_offset=9774)
    post = got[3]
    assert isinstance(post, RawDocument)
    text = post.text
    assert hashlib.sha256(text.encode()).hexdigest() == POST_SHA256
    assert len(text) == 21973
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">\n  <head>\n')
    assert text.endswith("</script>\n  </body>\n</html>\n")
    # The publication date is in the page (RDFa), not in the record's meta.
    assert 'content="2014-03-04T14:38:10+00:00"' in text
    assert "Submitted by <a" in text


def test_uncompressed_warc() -> None:
    raw = gzip.decompress(SAMPLE.read_bytes())
    got = _read(raw)
    assert _without_text(got) == _expected(post_offset=17788)
    gzipped = _read(SAMPLE.read_bytes())[3]
    assert isinstance(gzipped, RawDocument)
    assert got[3] == replace(gzipped, offset=17788)


def test_warc_gzipped_as_one_member() -> None:
    raw = gzip.decompress(SAMPLE.read_bytes())
    assert _read(gzip.compress(raw)) == _read(raw)


@pytest.mark.parametrize(
    ("gzipped", "cut", "missing"),
    [(True, 12_000, 17_908), (False, 25_000, 15_952)],
    ids=["gzip", "plain"],
)
def test_warc_cut_in_the_middle(gzipped: bool, cut: int, missing: int) -> None:
    data = SAMPLE.read_bytes()
    data = (data if gzipped else gzip.decompress(data))[:cut]
    reason = f"truncated WARC record ({missing} bytes missing)"
    assert _read(data) == [*_expected(0)[:3], Skip("c.warc", reason, 4)]


HEADERS_CUT = "truncated WARC record (headers cut short)"
DNS = Skip("c.warc", "non-HTML payload (text/dns)", 1)


@pytest.mark.parametrize(
    ("gzipped", "cut", "expected"),
    [
        (True, 600, [Skip("c.warc", HEADERS_CUT, 1)]),
        (False, 1200, [DNS, Skip("c.warc", HEADERS_CUT, 2)]),  # no Content-Length
        (False, 1300, [DNS, Skip("c.warc", HEADERS_CUT, 2)]),
    ],
)
def test_warc_cut_in_a_record_header(
    gzipped: bool, cut: int, expected: list[Skip]
) -> None:
    data = SAMPLE.read_bytes()
    assert _read((data if gzipped else gzip.decompress(data))[:cut]) == expected


@pytest.mark.parametrize(
    ("gzipped", "cut", "message"),
    [
        (False, 200, HEADERS_CUT),
        (False, 400, "truncated WARC record (353 bytes missing)"),
        (True, 30, "truncated gzip file"),
    ],
)
def test_warc_cut_in_its_first_record(gzipped: bool, cut: int, message: str) -> None:
    data = SAMPLE.read_bytes()
    data = (data if gzipped else gzip.decompress(data))[:cut]
    with pytest.raises(IngestError) as err:
        _read(data)
    assert str(err.value) == message


def _with_warcinfo_length(change: int) -> bytes:
    raw = gzip.decompress(SAMPLE.read_bytes())
    length = re.search(rb"Content-Length: (\d+)", raw)
    assert length is not None
    new = str(int(length[1]) + change).encode()
    return raw[: length.start(1)] + new + raw[length.end(1) :]


def test_corrupt_record_ends_the_file_with_a_skip() -> None:
    reason = "corrupt WARC record: Invalid WARC record, first line: WARC-Type: response"
    assert _read(_with_warcinfo_length(+10)) == [Skip("c.warc", reason, 1)]


def test_short_content_length_is_not_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    got = _read(_with_warcinfo_length(-10))
    assert _without_text(got) == _expected(post_offset=17788)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\r\n\r\n", "empty file"),
        (
            b"hello world\n",
            "not a WARC file: Unknown archive format, first line: ['hello', 'world']",
        ),
    ],
)
def test_unusable_warc_file(data: bytes, message: str) -> None:
    with pytest.raises(IngestError) as err:
        _read(data)
    assert (str(err.value), err.value.path) == (message, PATH)


def _capture(
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    status: str = "200 OK",
    record_type: str = "response",
) -> bytes:
    """A one-record WARC holding an HTTP response, as a crawler writes it."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    http = (
        StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        if record_type == "response"
        else None
    )
    record = writer.create_warc_record(
        "https://example.com/news/1",
        record_type,
        payload=io.BytesIO(body),
        length=len(body),  # else warcio spools to a temporary file it never closes
        warc_content_type=dict(headers).get("Content-Type", ""),
        warc_headers_dict={"WARC-Date": "2021-10-18T16:46:00Z"},
        http_headers=http,
    )
    writer.write_record(record)
    return out.getvalue()


RUSSIAN = "<p>Сергей Лавров</p>"


@pytest.mark.parametrize(
    ("content_type", "body", "text"),
    [
        pytest.param(
            "text/html; charset=windows-1251",
            RUSSIAN.encode("cp1251"),
            RUSSIAN,
            id="http-charset",
        ),
        pytest.param(
            "text/html",
            b'<meta charset="windows-1251">' + RUSSIAN.encode("cp1251"),
            '<meta charset="windows-1251">' + RUSSIAN,
            id="meta-charset",
        ),
        pytest.param(
            "text/html; charset=utf-8",
            b'<meta charset="windows-1251">\r\n' + RUSSIAN.encode(),
            '<meta charset="windows-1251">\n' + RUSSIAN,
            id="http-charset-wins",
        ),
        pytest.param(
            "text/html; charset=x-no-such-codec",
            RUSSIAN.encode(),
            RUSSIAN,
            id="unknown-charset",
        ),
        pytest.param(
            "application/xhtml+xml",
            b"\xef\xbb\xbf<html>x</html>",
            "<html>x</html>",
            id="xhtml-bom",
        ),
    ],
)
def test_html_decoded_with_its_charset(
    content_type: str, body: bytes, text: str
) -> None:
    (doc,) = _read(_capture([("Content-Type", content_type)], body))
    assert doc == RawDocument(
        path="c.warc",
        media_type="html",
        text=text,
        url="https://example.com/news/1",
        meta={"capture_date": "2021-10-18T16:46:00Z"},
        record=0,
        offset=0,
    )


def test_page_without_content_type_is_sniffed() -> None:
    (doc,) = _read(_capture([], b"<!-- saved -->\n<!DOCTYPE html><p>x</p>"))
    assert isinstance(doc, RawDocument)
    assert doc.text == "<!-- saved -->\n<!DOCTYPE html><p>x</p>"


def test_resource_record_holding_html() -> None:
    data = _capture(
        [("Content-Type", "text/html")], b"<p>x</p>", record_type="resource"
    )
    (doc,) = _read(data)
    assert isinstance(doc, RawDocument)
    assert (doc.text, doc.record, doc.url) == (
        "<p>x</p>",
        0,
        "https://example.com/news/1",
    )


@pytest.mark.parametrize(
    ("headers", "body", "status", "reason"),
    [
        ([("Content-Type", "text/html")], b"  \n", "200 OK", "empty payload"),
        ([], b"plain words", "200 OK", "non-HTML payload (no type)"),
        ([("Content-Type", "text/html")], b"<p>x</p>", "301 Moved", "HTTP status 301"),
        (
            [("Content-Type", "text/html"), ("Content-Encoding", "zstd")],
            b"(\xb5/\xfd",
            "200 OK",
            "unsupported content encoding (zstd)",
        ),
        (
            [("Content-Type", "text/html")],
            gzip.compress(b"<p>x</p>", mtime=0),
            "200 OK",
            "binary payload (text/html)",
        ),
    ],
    ids=["empty", "no-type", "redirect", "zstd", "gzip-without-encoding"],
)
def test_response_that_is_no_page(
    headers: list[tuple[str, str]], body: bytes, status: str, reason: str
) -> None:
    assert _read(_capture(headers, body, status=status)) == [Skip("c.warc", reason, 0)]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        mutated(SAMPLE.read_bytes()), mutated(gzip.decompress(SAMPLE.read_bytes()))
    )
)
def test_mutated_bytes_raise_only_ingest_error(data: bytes) -> None:
    try:
        for item in read_warc(
            data, path=PATH, display_path="c", options=ReaderOptions()
        ):
            assert isinstance(item, RawDocument | Skip)
    except IngestError:
        pass
