"""The five shipped reports, field by field (DESIGN.md "Records", issue 3)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.errors import IngestError
from newsindex.index.documents import article_documents
from newsindex.ingest.article import draft_article
from newsindex.ingest.layout import lay_out_text
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Article, Dateline, Outlet, Published, RawDocument

from ..conftest import raw_file


def ingest(prefix: str) -> tuple[str, Article]:
    path = raw_file(prefix)
    text = path.read_text(encoding="utf-8")
    raw = RawDocument(path=f"raw/{path.name}", media_type="text", text=text)
    return text, draft_article(raw)


def test_001_tass_header_date_dateline_and_outlet() -> None:
    _, a = ingest("001")
    assert a.title == (
        "NATO received no official notification on mutual suspension of missions "
        "from Russia yet"
    )
    assert a.published == Published(
        when=datetime(2021, 10, 18, 16, 46), precision="datetime", evidence="header"
    )
    assert a.to_dict()["published"]["when"] == "2021-10-18T16:46"
    assert a.outlet == Outlet(name="TASS", evidence="dateline")
    assert a.body.startswith("On Monday, Sergey Lavrov said that Russia decided")
    assert a.dateline is not None
    assert a.body[a.dateline.start : a.dateline.end] == "BRUSSELS, October 18. /TASS/. "
    assert (a.dateline.place, a.dateline.date_text, a.dateline.agency) == (
        "BRUSSELS",
        "October 18",
        "TASS",
    )
    assert (a.dateline.date, a.dateline.year_inferred) == (date(2021, 10, 18), True)
    assert a.cites == ()  # "in response to TASS’ request" is its own outlet


def test_002_year_less_dateline_gives_no_date() -> None:
    _, a = ingest("002")
    assert a.published is None  # 2019 in the text belongs to an earlier event
    assert a.dateline == Dateline(
        place="BRUSSELS",
        date_text="October 18",
        agency="TASS",
        start=a.dateline.start if a.dateline else -1,
        end=a.dateline.end if a.dateline else -1,
    )
    assert a.outlet == Outlet(name="TASS", evidence="dateline")
    assert a.title == (
        "NATO regrets Russia’s decision to suspend diplomatic missions but is ready "
        "for dialogue"
    )
    assert a.cites == ()  # "told TASS" in a TASS report


def test_003_page_date_wins_and_furniture_goes() -> None:
    _, a = ingest("003")
    assert a.published == Published(
        when=datetime(2024, 5, 23), precision="day", evidence="header"
    )
    assert (
        a.title
        == "After the members are excluded - Russia suspends its mission in NATO - News"
    )
    assert "After the members are excluded" not in a.body  # the repeated headline
    assert "See also" not in a.body
    assert a.body.startswith("• The Russian Foreign Minister announced")
    assert a.outlet is None


def test_004_labelled_date_and_cites() -> None:
    _, a = ingest("004")
    assert a.published == Published(
        when=datetime(2021, 10, 19), precision="day", evidence="header"
    )
    assert a.title is None
    assert a.body.startswith(
        "Russia has suspended its North Atlantic Treaty Organization"
    )
    assert [(c.name, a.body[c.start : c.end]) for c in a.cites] == [
        ("BBC", "BBC"),
        ("Associated Press", "The Associated Press"),
        ("The Guardian", "the Guardian"),
    ]


def test_000_no_date_evidence_and_cites_tass() -> None:
    _, a = ingest("000")
    assert a.published is None
    assert a.outlet is None
    assert a.title is None
    (cite,) = a.cites
    assert (cite.name, a.body[cite.start : cite.end]) == ("TASS", "TASS")
    assert a.body[cite.start - 31 : cite.end] == "in response to a question from TASS"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_body_lines_map_back_to_the_file(prefix: str) -> None:
    text, a = ingest(prefix)
    assert a.source_map
    for seg in a.source_map:
        body_part = a.body[seg.body_start : seg.body_start + seg.length]
        assert text[seg.source_start : seg.source_start + seg.length] == body_part


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_article_id_is_stable_and_json_round_trips(prefix: str) -> None:
    _, first = ingest(prefix)
    _, again = ingest(prefix)
    assert first.id == again.id
    assert Article.from_dict(first.to_dict()) == first


# Generated articles: furniture, a header date, a headline, paragraphs.
_words = st.text(
    alphabet=st.sampled_from(list('abcdefgh XYZ.,’“”"-')), min_size=1, max_size=80
)
_lines = st.one_of(
    _words,
    st.sampled_from(
        ["All news", "18 Oct 2021, 16:46", "", "  ", "See also Other story"]
    ),
    st.just("BRUSSELS, October 18. /TASS/. NATO said so."),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_lines, min_size=1, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_provenance_points_at_the_text_it_claims(
    lines: list[str], newline: str
) -> None:
    text = newline.join(lines).replace(
        "\r\n", "\n"
    )  # readers decode with universal newlines
    raw = RawDocument(path="gen.txt", media_type="text", text=text)
    if not lay_out_text(text).body.strip():
        with pytest.raises(IngestError, match=r"^no article text"):
            draft_article(raw)
        return
    article = draft_article(raw)
    registry = OutletRegistry.default()
    for doc in article_documents(article, registry):
        if doc["kind"] != "passage":
            continue
        assert article.body[doc["start"] : doc["end"]] == doc["text"]
        assert text[doc["source_start"] : doc["source_end"]] == doc["text"]
