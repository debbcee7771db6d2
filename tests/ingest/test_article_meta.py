"""Articles from records that carry metadata: exports, wire stories, crawls."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from newsindex.ingest.article import draft_article
from newsindex.records import Article, Dateline, Outlet, Published, RawDocument
from newsindex.sources.base import ReaderOptions
from newsindex.sources.wire_sgml import read_sgml

# newsarticles-dai2017, article_id 121 (tass.com), as the JSON reader gives it.
TASS_2017 = RawDocument(
    path="newsarticles.jsonl",
    media_type="json",
    record=120,
    docno="121",
    url="http://tass.com/world/929606",
    text=(
        "BAKU, February 7. /TASS/. Russian citizen Alexander Lapshin was extradited "
        "to Baku from Minsk, Azerbaijan's haqqin.az news portal reported Tuesday."
    ),
    meta={
        "title": "Russian blogger Lapshin extradited to Baku - media",
        "published": "2017/2/7",
        "published_evidence": "meta",
    },
)


def test_export_fields_make_the_article() -> None:
    a = draft_article(TASS_2017)
    assert a.title == "Russian blogger Lapshin extradited to Baku - media"
    assert a.published == Published(
        when=datetime(2017, 2, 7), precision="day", evidence="meta"
    )
    assert a.outlet == Outlet(name="TASS", evidence="domain")
    assert a.dateline is not None
    assert (a.dateline.place, a.dateline.agency, a.dateline.date) == (
        "BAKU",
        "TASS",
        date(2017, 2, 7),
    )
    assert (a.source.record, a.source.docno, a.source.url) == (
        120,
        "121",
        "http://tass.com/world/929606",
    )
    assert a.source_map == ()  # offsets into a JSON field are body offsets only


def test_named_outlet_beats_the_domain() -> None:
    raw = RawDocument(
        path="export.json",
        media_type="json",
        url="http://tass.com/world/929606",
        text="Body text of a republished story.",
        meta={"outlet": "Associated Press", "outlet_evidence": "json"},
    )
    assert draft_article(raw).outlet == Outlet(name="Associated Press", evidence="json")


def test_capture_date_gives_a_dateline_its_year_and_says_so() -> None:
    # A crawled copy of raw/002: no date on the page, crawled on 2021-10-20.
    raw = RawDocument(
        path="crawl.warc.gz",
        media_type="json",
        text=(
            "BRUSSELS, October 18. /TASS/. NATO regrets Russia’s decision to suspend "
            "the work of diplomatic missions in Brussels and Moscow."
        ),
        meta={"capture_date": "2021-10-20T08:00:00Z"},
    )
    a = draft_article(raw)
    assert a.published == Published(
        when=datetime(2021, 10, 18), precision="day", evidence="dateline", inferred=True
    )
    assert a.dateline is not None
    assert (a.dateline.date, a.dateline.year_inferred) == (date(2021, 10, 18), True)


def test_modified_date_alone_is_not_taken_for_an_original_when_one_exists() -> None:
    raw = RawDocument(
        path="export.json",
        media_type="json",
        text="A story.",
        meta={"published": "2021-10-18", "modified": "2021-10-20T09:00:00+00:00"},
    )
    published = draft_article(raw).published
    assert published is not None
    assert published.when == datetime(2021, 10, 18)


def test_dateline_a_day_off_a_wire_timestamp_is_consistent() -> None:
    # Reuters NEWID 5, filed 26-FEB-1987 15:52 UTC from WELLINGTON (local Feb 27).
    raw = RawDocument(
        path="reut2-000.sgm",
        media_type="sgml",
        text="WELLINGTON, Feb 27 - New Zealand's trading bank seasonally adjusted...",
        meta={"published": "26-FEB-1987 15:52:00.00", "published_evidence": "header"},
    )
    a = draft_article(raw)
    assert a.dateline is not None
    assert a.dateline.date == date(1987, 2, 27)
    assert a.published is not None
    assert (a.published.when, a.published.note) == (datetime(1987, 2, 26, 15, 52), None)


def test_a_dateline_days_away_is_kept_with_a_note() -> None:
    raw = RawDocument(
        path="export.json",
        media_type="json",
        text="BRUSSELS, October 18. /TASS/. NATO regrets Russia’s decision.",
        meta={"published": "2021-10-23"},
    )
    a = draft_article(raw)
    assert a.dateline is not None
    assert a.dateline.date == date(2021, 10, 18)
    assert a.published == Published(
        when=datetime(2021, 10, 23),
        precision="day",
        evidence="meta",
        note=(
            "dateline 'October 18' reads 2021-10-18, 5 days from the meta date; "
            "the meta date is kept because a dateline marks where and when the "
            "story was filed, not when this copy was published"
        ),
    )


# newsarticles-dai2017 records whose text opens with a date of its story, not
# of the record: article_id, the record's date, the url, the opening words.
_STORY_OPENS_WITH_A_DATE = [
    (
        "2952",
        "2017/3/18",
        "http://www.rte.ie/news/politics/2017/0318/860717-conor-mcmorrow-druid-s-"
        "glen-meeting-to-extend-kenny-s-tenure/",
        "Sunday, 9 January-2011 was the day. 'Fitzpatrick breaks his silence' was "
        "the front page headline.",
    ),
    (
        "736",
        "2017/2/9",
        "http://www.bbc.co.uk/news/world-38925101",
        "On January 21st 2003, Antoine Dixon attacked his ex-partner Simonne "
        "Butler with a samurai sword, severing both of her hands.",
    ),
    (
        "1277",
        "2017/2/17",
        "http://www.aljazeera.com/indepth/opinion/2017/02/romania-2017-protests-"
        "1989-ceausescu-170216114655475.html",
        "December 21,-1989, University Square, Bucharest, Romania, in the dead of "
        "night. About 5,000 protesters were there, mostly young people.",
    ),
]


@pytest.mark.parametrize(
    ("docno", "published", "url", "text"),
    _STORY_OPENS_WITH_A_DATE,
    ids=[row[0] for row in _STORY_OPENS_WITH_A_DATE],
)
def test_record_date_beats_a_date_opening_the_text(
    docno: str, published: str, url: str, text: str
) -> None:
    raw = RawDocument(
        path="newsarticles.jsonl",
        media_type="json",
        docno=docno,
        url=url,
        text=text,
        meta={"published": published, "published_evidence": "meta"},
    )
    a = draft_article(raw)
    year, month, day = map(int, published.split("/"))
    assert a.published is not None
    assert (a.published.when, a.published.evidence) == (
        datetime(year, month, day),
        "meta",
    )
    assert a.body == text  # the opening date is the story's: it stays


def test_header_of_the_records_own_day_is_still_cut() -> None:
    raw = RawDocument(
        path="export.jsonl",
        media_type="json",
        text="7 February 2017\nBAKU, February 7. /TASS/. Russian citizen Alexander "
        "Lapshin was extradited to Baku from Minsk.",
        meta={"published": "2017/2/7", "published_evidence": "meta"},
    )
    assert draft_article(raw).body.startswith("BAKU, February 7.")


def _trec_article(docno: str) -> Article:
    sample = Path(__file__).resolve().parent.parent / "data" / "trec-sample.sgml"
    (raw,) = (
        doc
        for doc in read_sgml(
            sample.read_bytes(),
            path=sample,
            display_path="trec-sample.sgml",
            options=ReaderOptions(),
        )
        if isinstance(doc, RawDocument) and doc.docno == docno
    )
    return draft_article(raw)


@pytest.mark.parametrize(
    ("docno", "expected"),
    [
        pytest.param(
            "AP880212-0001",
            Dateline(place="PORTLAND", region="Maine", agency="AP", start=0, end=20),
            id="ap-place-region-agency",  # <DATELINE>PORTLAND, Maine (AP) </DATELINE>
        ),
        pytest.param(
            "WSJ870324-0001",
            Dateline(place="NEW YORK", start=0, end=8),
            id="wsj-place-only",  # <DATELINE> NEW YORK </DATELINE>
        ),
    ],
)
def test_trec_dateline_field_is_the_dateline(docno: str, expected: Dateline) -> None:
    article = _trec_article(docno)
    assert article.dateline == expected
    assert article.body[expected.start : expected.end] in (
        "PORTLAND, Maine (AP)",
        "NEW YORK",
    )
