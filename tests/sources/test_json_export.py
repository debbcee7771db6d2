"""JSON and JSON Lines exports: dai2017 rows as shipped, API shapes, bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.discover import CorpusFile, parse_bytes
from newsindex.sources.json_export import read_json, read_jsonl

from ..strategies import mutated

DATA = Path(__file__).resolve().parent.parent / "data"
# Lines 1, 22, 121 and 522 of newsarticles-dai2017/newsarticles.jsonl, as shipped.
SAMPLE = DATA / "newsarticles-sample.jsonl"
PATH = Path("export.json")


def _rows() -> list[dict[str, str]]:
    return [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]


def _json(obj: Any, fields: dict[str, str] | None = None) -> list[RawDocument | Skip]:
    data = json.dumps(obj).encode()
    options = ReaderOptions(fields=fields or {})
    return list(read_json(data, path=PATH, display_path="e.json", options=options))


def _json_bytes(data: bytes) -> list[RawDocument | Skip]:
    options = ReaderOptions()
    return list(read_json(data, path=PATH, display_path="e.json", options=options))


def _jsonl(data: bytes) -> list[RawDocument | Skip]:
    options = ReaderOptions()
    return list(read_jsonl(data, path=PATH, display_path="e.jsonl", options=options))


def test_dai2017_rows_need_no_field_mapping() -> None:
    rows = _rows()
    display = "raw/newsarticles.jsonl"
    docs = list(
        read_jsonl(
            SAMPLE.read_bytes(),
            path=SAMPLE,
            display_path=display,
            options=ReaderOptions(),
        )
    )
    assert docs == [
        RawDocument(
            path=display,
            media_type="json",
            text=rows[0]["text"],
            url="http://abcnews.go.com/Politics/pence-break-tie-betsy-devos-confirmation-vote-today/story?id=45310061",
            meta={
                "title": "Betsy DeVos Confirmed as Education Secretary, "
                "With Pence Casting Historic Tie-Breaking Vote",
                "published": "2017/2/7",
                "published_evidence": "meta",
            },
            record=0,
            docno="1",
            offset=0,
        ),
        # A live blog: its subtitle is not taken for the missing text.
        Skip(display, "empty text", 1),
        RawDocument(
            path=display,
            media_type="json",
            text="BAKU, February 7. /TASS/. Russian citizen Alexander Lapshin was "
            "extradited to Baku from Minsk, Azerbaijan's haqqin.az news portal "
            'reported Tuesday. "A special flight with blogger Alexander Lapshin on '
            'board landed in Baku," the portal reported. Earlier on Tuesday, the '
            "Supreme Court of Belarus upheld a lower court ruling to extradite "
            "Lapshin.",
            url="http://tass.com/world/929606",
            meta={
                "title": "Russian blogger Lapshin extradited to Baku - media",
                "published": "2017/2/7",
                "published_evidence": "meta",
            },
            record=2,
            docno="121",
            offset=3181,
        ),
        RawDocument(
            path=display,
            media_type="json",
            text=rows[3]["text"],
            url="http://europe.chinadaily.com.cn/epaper/2016-12/30/content_27818662.htm",
            meta={
                "title": "Changing the subject",
                "published": "2016/12/30 7:11",  # `          2016/12/30 7:11`
                "published_evidence": "meta",
            },
            record=3,
            docno="522",
            offset=3181 + len(SAMPLE.read_bytes().split(b"\n")[2]) + 1,
        ),
    ]
    assert rows[0]["text"].startswith("Michigan billionaire education activist")
    assert len(rows[0]["text"]) == 2529


def test_json_array_reads_like_json_lines() -> None:
    def in_array(item: RawDocument | Skip) -> RawDocument | Skip:
        if isinstance(item, Skip):
            return Skip("e.json", item.reason, item.record)
        return replace(item, path="e.json", offset=None)

    assert _json(_rows()) == [in_array(i) for i in _jsonl(SAMPLE.read_bytes())]


NEWSAPI = {
    "status": "ok",
    "totalResults": 1,
    "articles": [
        {
            "source": {"id": "bbc-news", "name": "BBC News"},
            "author": "BBC News",
            "title": "Brexit bill passes",
            "description": "MPs back the bill.",
            "url": "https://www.bbc.co.uk/news/uk-politics-1",
            "urlToImage": "https://ichef.bbci.co.uk/1.jpg",
            "publishedAt": "2017-03-13T19:00:00Z",
            "content": "MPs have backed the bill... [+1234 chars]",
        }
    ],
}


@pytest.mark.parametrize(
    ("obj", "fields", "expected"),
    [
        pytest.param(
            NEWSAPI,
            {},
            RawDocument(
                path="e.json",
                media_type="json",
                text="MPs have backed the bill... [+1234 chars]",
                url="https://www.bbc.co.uk/news/uk-politics-1",
                meta={
                    "title": "Brexit bill passes",
                    "author": "BBC News",
                    "published": "2017-03-13T19:00:00Z",
                    "published_evidence": "meta",
                    "outlet": "BBC News",
                    "outlet_evidence": "json",
                },
                record=0,
            ),
            id="newsapi-source-name",
        ),
        pytest.param(
            # news-please: maintext, date_publish, authors, source_domain
            {
                "authors": ["Ann Lee", "John Smith"],
                "date_download": "2021-10-19 08:00:00",
                "date_modify": None,
                "date_publish": "2021-10-18 16:46:00",
                "description": "A summary.",
                "language": "en",
                "maintext": "The text.",
                "source_domain": "tass.com",
                "title": "A title",
                "url": "https://tass.com/world/1",
            },
            {},
            RawDocument(
                path="e.json",
                media_type="json",
                text="The text.",
                url="https://tass.com/world/1",
                meta={
                    "title": "A title",
                    "author": "Ann Lee; John Smith",
                    "published": "2021-10-18 16:46:00",
                    "lang": "en",
                    "capture_date": "2021-10-19 08:00:00",
                    "outlet": "tass.com",
                    "outlet_evidence": "json",
                    "published_evidence": "meta",
                },
                record=0,
            ),
            id="news-please",
        ),
        pytest.param(
            # schema.org names, authors as objects, epoch seconds
            {
                "headline": "A headline",
                "articleBody": "Body.",
                "datePublished": 1486425600,
                "dateModified": 1486429200000,
                "author": [{"@type": "Person", "name": "Ann Lee"}],
                "publisher": {"name": "Example News"},
                "id": 42,
            },
            {},
            RawDocument(
                path="e.json",
                media_type="json",
                text="Body.",
                meta={
                    "title": "A headline",
                    "author": "Ann Lee",
                    "published": "2017-02-07T00:00:00+00:00",
                    "modified": "2017-02-07T01:00:00+00:00",
                    "outlet": "Example News",
                    "outlet_evidence": "json",
                    "published_evidence": "meta",
                },
                record=0,
                docno="42",
            ),
            id="schema-org-epoch",
        ),
        pytest.param(
            # no text field at all: the description stands in; a URL is no outlet
            {
                "Title": "Feed item",
                "Description": "Only a summary.",
                "pubDate": "Tue, 07 Feb 2017 10:00:00 GMT",
                "source": "https://example.com/item",
            },
            {},
            RawDocument(
                path="e.json",
                media_type="json",
                text="Only a summary.",
                url="https://example.com/item",
                meta={
                    "title": "Feed item",
                    "published": "Tue, 07 Feb 2017 10:00:00 GMT",
                    "published_evidence": "meta",
                },
                record=0,
            ),
            id="description-fallback",
        ),
        pytest.param(
            # the text as a list of paragraphs, CRLF line ends
            {"story": ["First.\r\nStill first.", "  ", "Second."], "date": 20170207},
            {},
            RawDocument(
                path="e.json",
                media_type="json",
                text="First.\nStill first.\n\nSecond.",
                meta={"published": "20170207", "published_evidence": "meta"},
                record=0,
            ),
            id="paragraph-list-day-number",
        ),
        pytest.param(
            {"body_html": "<p>Text</p>", "text": "", "src": {"name": "X"}},
            {"text": "body_html", "outlet": "src.name"},
            RawDocument(
                path="e.json",
                media_type="json",
                text="<p>Text</p>",
                meta={"outlet": "X", "outlet_evidence": "json"},
                record=0,
            ),
            id="mapped-fields",
        ),
    ],
)
def test_fields_found_by_name(
    obj: Any, fields: dict[str, str], expected: RawDocument
) -> None:
    assert _json(obj, fields) == [expected]


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param({"text": ""}, Skip("e.json", "empty text", 0), id="empty"),
        pytest.param(
            {"text": "  ", "summary": "S"}, Skip("e.json", "empty text", 0), id="blank"
        ),
        pytest.param({"title": "T"}, Skip("e.json", "no text field", 0), id="none"),
        pytest.param(
            {"text": {"a": 1}},
            Skip("e.json", "text field holds a object", 0),
            id="object",
        ),
    ],
)
def test_record_without_text_is_skipped(obj: Any, expected: Skip) -> None:
    assert _json(obj) == [expected]


def test_mapped_text_field_missing() -> None:
    got = _json({"text": "T"}, {"text": "content"})
    assert got == [Skip("e.json", "no text field 'content'", 0)]


@pytest.mark.parametrize(
    "obj",
    [
        pytest.param(
            {"hits": {"total": 1, "hits": [{"_id": "a1", "_source": {"text": "T"}}]}},
            id="elasticsearch",
        ),
        pytest.param(
            {"response": {"status": "ok", "results": [{"text": "T"}]}}, id="guardian"
        ),
        pytest.param({"payload": [{"text": "T"}], "meta": {"n": 1}}, id="only-list"),
        pytest.param(
            {
                "title": "Feed",
                "description": "A feed.",
                "items": [{"content_text": "T"}],
            },
            id="json-feed",
        ),
        pytest.param([{"text": "T"}], id="array"),
        pytest.param({"text": "T", "items": [{"text": "U"}]}, id="single-article"),
    ],
)
def test_records_found_in_api_responses(obj: Any) -> None:
    (doc,) = _json(obj)
    assert isinstance(doc, RawDocument)
    assert (doc.text, doc.record) == ("T", 0)


def test_elasticsearch_hit_id_is_the_docno() -> None:
    (doc,) = _json({"hits": {"hits": [{"_id": "a1", "_source": {"text": "T"}}]}})
    assert isinstance(doc, RawDocument)
    assert doc.docno == "a1"


def test_array_item_that_is_not_an_object() -> None:
    got = _json([{"text": "T"}, 3])
    assert got[1] == Skip("e.json", "not a JSON object", 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b" \n", "empty file"),
        (b'{"text": "a",', "invalid JSON: Expecting property name enclosed in "
         "double quotes (line 1, column 14)"),
        (b'"just a string"', "expected a JSON object or array, found a string"),
        (b"[]", "no records in the JSON document"),
        (b'{"articles": []}', "no records in the JSON document"),
        (b"\x00\x01binary", "binary content, not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid JSON: nested too deeply"),
    ],
)  # fmt: skip
def test_unusable_json_file(data: bytes, message: str) -> None:
    with pytest.raises(IngestError) as err:
        _json_bytes(data)
    assert (str(err.value), err.value.path) == (message, PATH)


def test_json_lines_saved_as_json() -> None:
    got = _json_bytes(b'{"text": "A"}\n{"text": "B"}\n')
    assert [
        (d.text, d.record, d.offset) for d in got if isinstance(d, RawDocument)
    ] == [
        ("A", 0, 0),
        ("B", 1, 14),
    ]


def test_bad_line_is_skipped_and_reading_goes_on() -> None:
    lines = SAMPLE.read_bytes().split(b"\n")
    broken = b'{"title": "a" "text": "b"}'
    data = b"\n".join([lines[0], broken, b"", b"[1, 2]", lines[2], b""])
    got = _jsonl(data)
    assert [d if isinstance(d, Skip) else (d.record, d.docno) for d in got] == [
        (0, "1"),
        Skip("e.jsonl", "invalid JSON on line 2: Expecting ',' delimiter", 1),
        Skip("e.jsonl", "not a JSON object on line 4", 3),
        (4, "121"),
    ]


def test_indented_document_saved_as_jsonl() -> None:
    data = json.dumps({"articles": [{"text": "T"}]}, indent=2).encode()
    (doc,) = _jsonl(data)
    assert isinstance(doc, RawDocument)
    assert (doc.text, doc.record, doc.offset) == ("T", 0, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json at all\nnor this\n", "not JSON Lines: line 1: Expecting value"),
        (b"\n\n", "empty file"),
        (b"1\n2\n", "not JSON Lines: line 1: not a JSON object"),
    ],
)
def test_unusable_jsonl_file(data: bytes, message: str) -> None:
    with pytest.raises(IngestError) as err:
        _jsonl(data)
    assert str(err.value) == message


def test_truncated_gzip_export(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl.gz"
    data = gzip.compress(SAMPLE.read_bytes())[:1000]
    file = CorpusFile(path, "export.jsonl.gz")
    with pytest.raises(IngestError) as err:
        list(parse_bytes(file, data))
    assert str(err.value) == "truncated gzip file"


def test_gzipped_export_reads_as_plain(tmp_path: Path) -> None:
    file = CorpusFile(tmp_path / "export.jsonl.gz", "export.jsonl.gz")
    got = list(parse_bytes(file, gzip.compress(SAMPLE.read_bytes())))
    plain = list(
        read_jsonl(
            SAMPLE.read_bytes(),
            path=SAMPLE,
            display_path="export.jsonl.gz",
            options=ReaderOptions(),
        )
    )
    assert got == plain


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(SAMPLE.read_bytes()), as_array=st.booleans())
def test_mutated_bytes_raise_only_ingest_error(data: bytes, as_array: bool) -> None:
    if as_array:
        data = b"[" + data.replace(b"}\n{", b"},{") + b"]"
    reader = read_json if as_array else read_jsonl
    try:
        for item in reader(data, path=PATH, display_path="e", options=ReaderOptions()):
            assert isinstance(item, RawDocument | Skip)
    except IngestError:
        pass
