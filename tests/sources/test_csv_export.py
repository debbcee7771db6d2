"""CSV exports: dai2017 rows written back to CSV, delimiters, bad input."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from msgspec.structs import replace

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources import csv_export
from newsindex.sources.base import ReaderOptions
from newsindex.sources.csv_export import read_csv
from newsindex.sources.json_export import read_jsonl

from ..strategies import mutated

DATA = Path(__file__).resolve().parent.parent / "data"
# Lines 1, 22, 121 and 522 of newsarticles-dai2017/newsarticles.jsonl: the
# dataset was a CSV before it was converted, and goes back to one here.
SAMPLE = DATA / "newsarticles-sample.jsonl"
PATH = Path("export.csv")


def _sample_csv(delimiter: str = ",", bom: str = "") -> bytes:
    rows = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return (bom + out.getvalue()).encode("utf-8")


def _read(
    data: bytes, fields: dict[str, str] | None = None
) -> list[RawDocument | Skip]:
    options = ReaderOptions(fields=fields or {})
    return list(read_csv(data, path=PATH, display_path="e.csv", options=options))


@pytest.mark.parametrize(
    ("delimiter", "bom"),
    [(",", ""), (";", ""), ("\t", ""), (",", "\ufeff")],
    ids=["comma", "semicolon", "tab", "bom"],
)
def test_dai2017_rows_read_as_from_json_lines(delimiter: str, bom: str) -> None:
    def as_csv(item: RawDocument | Skip) -> RawDocument | Skip:
        if isinstance(item, Skip):
            return Skip("e.csv", item.reason, item.record)
        return replace(item, path="e.csv", offset=None)

    options = ReaderOptions()
    lines = read_jsonl(
        SAMPLE.read_bytes(), path=SAMPLE, display_path="", options=options
    )
    expected = [as_csv(item) for item in lines]
    assert _read(_sample_csv(delimiter, bom)) == expected
    assert expected[1] == Skip("e.csv", "empty text", 1)
    assert isinstance(expected[3], RawDocument)
    assert (expected[3].docno, expected[3].meta["published"]) == (
        "522",
        "2016/12/30 7:11",
    )


def test_header_names_found_by_name() -> None:
    data = (
        "Headline;Story Text;Published At;Byline;Link\r\n"
        'Café rates held;"The bank held rates;\r\nit said.";1486425600;Ann Lee;'
        "https://example.com/a\r\n"
    ).encode("cp1252")
    assert _read(data) == [
        RawDocument(
            path="e.csv",
            media_type="json",
            text="The bank held rates;\nit said.",
            url="https://example.com/a",
            meta={
                "title": "Café rates held",
                "author": "Ann Lee",
                "published": "2017-02-07T00:00:00+00:00",
                "published_evidence": "meta",
            },
            record=0,
        )
    ]


def test_mapped_text_column() -> None:
    data = b"id,headline,copy\n7,A,The copy.\n"
    (doc,) = _read(data, {"text": "copy"})
    assert isinstance(doc, RawDocument)
    assert (doc.text, doc.docno, doc.meta) == ("The copy.", "7", {"title": "A"})


def test_blank_lines_and_short_rows() -> None:
    data = b"title,text,url\n\nA,Text A\n,\nB,Text B,https://b.example/\n"
    got = _read(data)
    assert [d if isinstance(d, Skip) else (d.record, d.text, d.url) for d in got] == [
        (0, "Text A", None),
        Skip("e.csv", "empty text", 1),
        (2, "Text B", "https://b.example/"),
    ]


def test_field_longer_than_the_csv_default_limit() -> None:
    text = "word " * 100_000  # 500,000 characters; the csv default stops at 131,072
    (doc,) = _read(f'title,text\nLong,"{text}"\n'.encode())
    assert isinstance(doc, RawDocument)
    assert doc.text == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"id,title,url\n1,A,https://a.example/\n",
            "no text column in header: 'id', 'title', 'url'",
            id="no-text-column",
        ),
        pytest.param(b"title,text\n", "no rows after the header", id="header-only"),
        pytest.param(b"", "empty file", id="empty"),
        pytest.param(b"\xef\xbb\xbf\n \n", "empty file", id="bom-only"),
        pytest.param(b"a\x00b,text\n", "binary content, not CSV", id="binary"),
    ],
)
def test_unusable_csv_file(data: bytes, message: str) -> None:
    with pytest.raises(IngestError) as err:
        _read(data)
    assert (str(err.value), err.value.path) == (message, PATH)


def test_headerless_file_names_a_few_of_its_cells() -> None:
    row = ",".join(f"cell number {i} of a data row" for i in range(14))
    with pytest.raises(IngestError) as err:
        _read(f"{row}\n{row}\n".encode())
    names = ", ".join(repr(f"cell number {i} of a data row") for i in range(12))
    assert str(err.value) == f"no text column in header: {names} and 2 more"


@pytest.fixture
def small_field_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The csv module's field limit (process-wide) at 50, restored after."""
    old = csv.field_size_limit(50)
    monkeypatch.setattr(csv_export, "_FIELD_LIMIT", 50)
    yield
    csv.field_size_limit(old)


@pytest.mark.usefixtures("small_field_limit")
def test_csv_error_after_rows_is_a_skip_for_the_rest() -> None:
    data = b"title,text\nA,Short.\nB," + b"x" * 60 + b"\nC,Never read.\n"
    got = _read(data)
    assert got[1:] == [
        Skip("e.csv", "invalid CSV on line 3: field larger than field limit (50)", 1)
    ]


@pytest.mark.usefixtures("small_field_limit")
def test_csv_error_before_any_row() -> None:
    with pytest.raises(IngestError) as err:
        _read(b"title,text\nB," + b"x" * 60 + b"\n")
    assert str(err.value) == "invalid CSV on line 2: field larger than field limit (50)"


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(_sample_csv(";")))
def test_mutated_bytes_raise_only_ingest_error(data: bytes) -> None:
    try:
        for item in read_csv(
            data, path=PATH, display_path="e", options=ReaderOptions()
        ):
            assert isinstance(item, RawDocument | Skip)
    except IngestError:
        pass
