"""Wire SGML: real Reuters-21578 stories, a TREC sample, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.wire_sgml import read_sgml

from ..strategies import mutated

DATA = Path(__file__).resolve().parent.parent / "data"
# The DOCTYPE line and NEWID 2, 4 (with an AUTHOR) and 30 (a BRIEF with the
# filler line) of reut2-000.sgm, and NEWID 11790 (a BRIEF without it) of
# reut2-011.sgm, byte for byte.
REUTERS = DATA / "reuters-sample.sgm"
# Made up here in the shapes of TREC disks 1-5 (AP, WSJ, FT, LA Times, FBIS).
TREC = DATA / "trec-sample.sgml"
PATH = Path("wire.sgm")
REUTERS_META = {"outlet": "Reuters", "outlet_evidence": "collection"}


def _read(data: bytes) -> list[RawDocument | Skip]:
    options = ReaderOptions()
    return list(read_sgml(data, path=PATH, display_path="w.sgm", options=options))


def _story(
    text: str, meta: dict[str, str], record: int, docno: str, offset: int
) -> RawDocument:
    return RawDocument(
        path="w.sgm",
        media_type="sgml",
        text=text,
        meta=meta,
        record=record,
        docno=docno,
        offset=offset,
    )


def test_reuters_stories() -> None:
    docs = _read(REUTERS.read_bytes())
    assert docs[0] == _story(
        "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT\n"
        "    CLEVELAND, Feb 26 - Standard Oil Co and BP North America\n"
        "Inc said they plan to form a venture to manage the money market\n"
        "borrowing and investment activities of both companies.\n"
        "    BP North America is a subsidiary of British Petroleum Co\n"
        "Plc <BP>, which also owns a 55 pct interest in Standard Oil.\n"
        "    The venture will be called BP/Standard Financial Trading\n"
        "and will be operated by Standard Oil under the oversight of a\n"
        "joint management committee.\n"
        "\n"
        " Reuter",
        {
            **REUTERS_META,
            "title": "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT",
            "published": "1987-02-26T15:02:20",  # 26-FEB-1987 15:02:20.00
            "published_evidence": "header",
        },
        record=0,
        docno="2",
        offset=36,
    )
    assert docs[2:] == [
        _story(
            "ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN LATEST WEEK",
            {
                **REUTERS_META,
                "title": "ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS "
                "IN LATEST WEEK",
                "published": "1987-02-26T15:41:56.540000",
                "published_evidence": "header",
            },
            record=2,
            docno="30",
            offset=4416,
        ),
        _story(
            "SWEDEN'S BOLIDEN TO ANNOUNCE MAJOR CORPORATE TAKEOVER\nTODAY - OFFICIAL.",
            {
                **REUTERS_META,
                "title": "SWEDEN'S BOLIDEN TO ANNOUNCE MAJOR CORPORATE TAKEOVER "
                "TODAY - OFFICIAL.",
                "published": "1987-04-01T03:29:31.280000",  # ` 1-APR-1987 03:29...`
                "published_evidence": "header",
            },
            record=3,
            docno="11790",
            offset=4942,
        ),
    ]


def test_reuters_story_with_author() -> None:
    doc = _read(REUTERS.read_bytes())[1]
    assert isinstance(doc, RawDocument)
    assert (doc.record, doc.docno, doc.offset, dict(doc.meta)) == (
        1,
        "4",
        992,
        {
            **REUTERS_META,
            "title": "TALKING POINT/BANKAMERICA <BAC> EQUITY OFFER",
            "author": "by Janie Gabbett, Reuters",
            "published": "1987-02-26T15:07:13.720000",
            "published_evidence": "header",
        },
    )
    assert doc.text.startswith(
        "TALKING POINT/BANKAMERICA <BAC> EQUITY OFFER\n"
        "    by Janie Gabbett, Reuters\n"
        "    LOS ANGELES, Feb 26 - BankAmerica Corp is not under\n"
        "pressure to act quickly"
    )
    assert "First Interstate Bancorp <I> takeover bid" in doc.text
    assert doc.text.endswith("minimizing losses to the creditor banks.\n Reuter")
    assert len(doc.text) == 2946


def test_stray_latin1_byte() -> None:
    # reut2-017.sgm, NEWID 17980: `growth.\xfc&#5;&#30;side measures`
    data = REUTERS.read_bytes().replace(
        b"committee.\n", b"committee.\xfc&#5;&#30;\n", 1
    )
    doc = _read(data)[0]
    assert isinstance(doc, RawDocument)
    assert "joint management committee.\u00fc\n\n Reuter" in doc.text


def _trec(
    text: str, meta: dict[str, str], record: int, docno: str, offset: int
) -> RawDocument:
    return _story(text, {**meta, "published_evidence": "header"}, record, docno, offset)


def test_trec_documents() -> None:
    assert _read(TREC.read_bytes()) == [
        _trec(
            "Ferry Service Resumes After Storm\n"
            "By JANE DOE, Associated Press Writer\n"
            "PORTLAND, Maine (AP) Ferry service across the harbor resumed Friday "
            "after a storm\n"
            "kept boats at their moorings for two days, officials said.\n"
            "   ``We are back on the normal schedule,'' said a port spokesman.",
            {
                "title": "Ferry Service Resumes After Storm",
                "author": "By JANE DOE, Associated Press Writer",
                "dateline": "PORTLAND, Maine (AP)",  # <DATELINE>
                "outlet": "Associated Press",
                "outlet_evidence": "collection",
                "published": "1988-02-12",  # from the DOCNO
            },
            record=0,
            docno="AP880212-0001",
            offset=0,
        ),
        _trec(
            "Widget Maker Sets Plan & Dividend\n"
            "NEW YORK Example Widgets Inc. said its board approved a plan to buy "
            "back\nshares and raised the quarterly dividend to 12 cents.",
            {
                "title": "Widget Maker Sets Plan & Dividend",
                "dateline": "NEW YORK",
                "outlet": "The Wall Street Journal",
                "outlet_evidence": "collection",
                "published": "1987-03-24",  # <DD> 03/24/87</DD>
            },
            record=1,
            docno="WSJ870324-0001",
            offset=536,
        ),
        _trec(
            "Canal traffic rises in spring\n"
            "By JOHN ROE, Transport Correspondent\n"
            "Traffic on the canal rose by a tenth in the spring months, the\n"
            "operator said yesterday.",
            {
                "title": "Canal traffic rises in spring",  # "FT  14 MAY 91 / " cut
                "author": "By JOHN ROE, Transport Correspondent",
                "outlet": "Financial Times",
                "outlet_evidence": "collection",
                "published": "1991-05-14",  # <DATE>910514
            },
            record=2,
            docno="FT911-1",
            offset=853,
        ),
        _trec(
            "CITY PLANS NEW PARK\n"
            "The city will open a new park in the spring.\n\n"
            "Work begins next month.",
            {
                "title": "CITY PLANS NEW PARK",
                "outlet": "Los Angeles Times",
                "outlet_evidence": "collection",
                "published": "1989-01-01",  # January 1, 1989, Sunday, Home Edition
            },
            record=3,
            docno="LA010189-0001",
            offset=1202,
        ),
        _trec(
            "Radio Reports Harvest Figures\n"
            "Language:  Russian \n"
            "The grain harvest reached 90 million tonnes, the radio said.",
            {
                "title": "Radio Reports Harvest Figures",
                "outlet": "Foreign Broadcast Information Service",
                "outlet_evidence": "collection",
                "published": "1994-03-01",  # <DATE1>  1 March 1994 </DATE1>
            },
            record=4,
            docno="FBIS3-1",
            offset=1481,
        ),
        _trec(  # a headline alone: the headline is the text
            "Markets Closed for Holiday",
            {
                "title": "Markets Closed for Holiday",
                "outlet": "Associated Press",
                "outlet_evidence": "collection",
                "published": "1988-02-13",
            },
            record=5,
            docno="AP880213-0002",
            offset=1807,
        ),
    ]


def test_trec_document_of_an_unknown_collection() -> None:
    data = b"<DOC>\r\n<DOCNO> SJMN91-06001001 </DOCNO>\r\n<TEXT>Text.</TEXT>\r\n</DOC>"
    assert _read(data) == [
        RawDocument(
            path="w.sgm",
            media_type="sgml",
            text="Text.",
            record=0,
            docno="SJMN91-06001001",
            offset=0,
        )
    ]


@pytest.mark.parametrize(
    ("date", "published"),
    [
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01.790000"),
        (" 3-MAR-1987  09:15:05.40", "1987-03-03T09:15:05.400000"),
        ("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM", "1987-03-27T00:02:59.130000"),
        ("31-MAR-1987 605:12:19.12", "1987-03-31"),  # NEWID 17192: the day stands
        ("31-FEB-1987 10:00:00.00", None),
        ("sometime in March", None),
    ],
)
def test_reuters_wire_date(date: str, published: str | None) -> None:
    data = (
        f'<REUTERS NEWID="9">\n<DATE>{date}</DATE>\n'
        "<TEXT>&#2;\n<TITLE>T</TITLE>&#3;</TEXT>\n</REUTERS>\n"
    ).encode()
    (doc,) = _read(data)
    assert isinstance(doc, RawDocument)
    assert doc.meta.get("published") == published
    assert doc.meta.get("published_evidence") == ("header" if published else None)


def test_empty_and_unterminated_records_are_skipped() -> None:
    stories = REUTERS.read_bytes()
    empty = (
        b'<REUTERS NEWID="12793">\n<DATE> 3-APR-1987 07:09:06.48</DATE>\n'
        b'<TEXT TYPE="UNPROC">&#2;\n&#3;\n\n</TEXT>\n</REUTERS>\n'
    )  # reut2-012.sgm
    cut = stories[: stories.index(b"</REUTERS>", 1000)]  # NEWID 4 loses its end
    got = _read(empty + cut)
    assert [d if isinstance(d, Skip) else d.docno for d in got] == [
        Skip("w.sgm", "empty text", 0),
        "2",
        Skip("w.sgm", "unterminated <REUTERS> record", 2),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\n  \n", "empty file"),
        (b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n', "no <REUTERS> or <DOC> records"),
        (b"<DOCNO>AP1</DOCNO><DOCUMENT>", "no <REUTERS> or <DOC> records"),
    ],
)
def test_file_without_records(data: bytes, message: str) -> None:
    with pytest.raises(IngestError) as err:
        _read(data)
    assert (str(err.value), err.value.path) == (message, PATH)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(mutated(REUTERS.read_bytes()), mutated(TREC.read_bytes())))
def test_mutated_bytes_raise_only_ingest_error(data: bytes) -> None:
    try:
        for item in read_sgml(
            data, path=PATH, display_path="w", options=ReaderOptions()
        ):
            assert isinstance(item, RawDocument | Skip)
    except IngestError:
        pass
