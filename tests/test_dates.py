from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsindex.dates import (
    ParsedDate,
    find_header_date,
    parse_date_text,
    parse_user_date,
)
from newsindex.errors import DateParseError

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)  # a Tuesday
PLUS3 = timezone(timedelta(hours=3))
MINUS5 = timezone(timedelta(hours=-5))
END_OF_DAY = (23, 59, 59, 999999)


def _naive(*parts: int) -> datetime:
    """Build a naive datetime: (year, month, day, hour, minute, second, microsecond)."""
    year, month, day, hour, minute, second, micro = (*parts, 0, 0, 0, 0)[:7]
    return datetime(year, month, day, hour, minute, second, micro)


def _utc(*parts: int) -> datetime:
    return _naive(*parts).replace(tzinfo=UTC)


ACCEPTED = [
    # Real headers and metadata values from the corpora.
    ("18 Oct 2021, 16:46", ParsedDate(_naive(2021, 10, 18, 16, 46), "datetime")),
    ("May 23, 2024", ParsedDate(_naive(2024, 5, 23), "day")),
    ("2021-10-19", ParsedDate(_naive(2021, 10, 19), "day")),
    (
        "26-FEB-1987 15:01:01.79",  # Reuters-21578 <DATE>
        ParsedDate(_naive(1987, 2, 26, 15, 1, 1, 790000), "datetime"),
    ),
    ("2017/2/7", ParsedDate(_naive(2017, 2, 7), "day")),  # newsarticles-dai2017
    ("          2016/12/30 7:11", ParsedDate(_naive(2016, 12, 30, 7, 11), "datetime")),
    (
        "2014-03-04T14:38:10+00:00",  # RDFa dc:date
        ParsedDate(datetime(2014, 3, 4, 14, 38, 10, tzinfo=UTC), "datetime"),
    ),
    # Other forms documents use.
    (
        "2021-10-18T16:46:00+03:00",
        ParsedDate(datetime(2021, 10, 18, 16, 46, tzinfo=PLUS3), "datetime"),
    ),
    (
        "2021-10-18T16:46:00Z",
        ParsedDate(datetime(2021, 10, 18, 16, 46, tzinfo=UTC), "datetime"),
    ),
    (
        "October 18, 2021 10:30 GMT",
        ParsedDate(datetime(2021, 10, 18, 10, 30, tzinfo=UTC), "datetime"),
    ),
    (
        "October 18, 2021 10:30 GMT+3",  # dateutil alone reads this as UTC-3
        ParsedDate(datetime(2021, 10, 18, 10, 30, tzinfo=PLUS3), "datetime"),
    ),
    (
        "October 18, 2021 10:30 EST",
        ParsedDate(datetime(2021, 10, 18, 10, 30, tzinfo=MINUS5), "datetime"),
    ),
    (
        "Mon, 18 Oct 2021 16:46:00 +0300",
        ParsedDate(datetime(2021, 10, 18, 16, 46, tzinfo=PLUS3), "datetime"),
    ),
    (
        "Mon, 18 Oct 2021 16:46:00 +0300 (MSK)",
        ParsedDate(datetime(2021, 10, 18, 16, 46, tzinfo=PLUS3), "datetime"),
    ),
    ("18 Oct 2021 at 16:46", ParsedDate(_naive(2021, 10, 18, 16, 46), "datetime")),
    ("12/30/2016 7:11 PM", ParsedDate(_naive(2016, 12, 30, 19, 11), "datetime")),
    ("2021/2/7", ParsedDate(_naive(2021, 2, 7), "day")),
    ("18.10.2021", ParsedDate(_naive(2021, 10, 18), "day")),
    ("05.06.2021", ParsedDate(_naive(2021, 6, 5), "day")),  # dots: day first
    ("18/10/2021", ParsedDate(_naive(2021, 10, 18), "day")),  # 18 is no month
    ("10/18/2021", ParsedDate(_naive(2021, 10, 18), "day")),
    ("2021-10", ParsedDate(_naive(2021, 10, 1), "month")),
    ("Oct 2021", ParsedDate(_naive(2021, 10, 1), "month")),
    ("2021", ParsedDate(_naive(2021, 1, 1), "year")),
]


@pytest.mark.parametrize(
    ("text", "expected"), ACCEPTED, ids=[text.strip() for text, _ in ACCEPTED]
)
def test_parse_date_text_accepts(text: str, expected: ParsedDate) -> None:
    parsed = parse_date_text(text)
    assert parsed == expected
    assert parsed.when.utcoffset() == expected.when.utcoffset()


REJECTED = [
    "",
    "   ",
    "October 18",  # no year: never guess one
    "not-a-date",
    "may",
    "2019 was a year",
    "Updated: May 23, 2024",  # labels are find_header_date's business
    "05/06/2021",  # 5 June or May 6
    "05-06-2021",
    "18/10/21",  # a 2-digit year
    "1 2 3",  # dateutil: 2003-01-02
    "20211019",
    "Monday October 2021",  # a weekday but no day
    "18 Oct 2021, 16:46 NATO",  # not a zone
    "2021-10-19 10",  # an hour needs a colon or am/pm
    "2021 10:30",  # a time but no day
    "2021-13-01",
    "Russia suspended its mission to NATO on 18 October 2021, Lavrov said.",
    "Monday, 18 October 2021, 16:46:00 +0300 . . . . . . . . . . . . . .",  # > 60
    "Monday 18 October 2021 at 16:46:00 in the afternoon, Moscow time",
]


@pytest.mark.parametrize("text", REJECTED, ids=[t or "empty" for t in REJECTED])
def test_parse_date_text_rejects(text: str) -> None:
    assert parse_date_text(text) is None


HEADERS = [
    (
        " date 2021-10-19 Russia has suspended its North Atlantic Treaty"
        " Organization (NATO) mission",
        "date 2021-10-19",
        ParsedDate(_naive(2021, 10, 19), "day"),
    ),
    (
        "18 Oct 2021, 16:46",
        "18 Oct 2021, 16:46",
        ParsedDate(_naive(2021, 10, 18, 16, 46), "datetime"),
    ),
    (
        "Published: May 23, 2024",
        "Published: May 23, 2024",
        ParsedDate(_naive(2024, 5, 23), "day"),
    ),
    ("May 23, 2024 ", "May 23, 2024", ParsedDate(_naive(2024, 5, 23), "day")),
    (
        "Posted on May 23, 2024, by Ann Lee",
        "Posted on May 23, 2024",
        ParsedDate(_naive(2024, 5, 23), "day"),
    ),
    ("posted 2017/2/7", "posted 2017/2/7", ParsedDate(_naive(2017, 2, 7), "day")),
    (
        "First published 18 Oct 2021 NATO",
        "First published 18 Oct 2021",
        ParsedDate(_naive(2021, 10, 18), "day"),
    ),
    ("DATE: 2021-10-19", "DATE: 2021-10-19", ParsedDate(_naive(2021, 10, 19), "day")),
    ("Dated 18.10.2021.", "Dated 18.10.2021.", ParsedDate(_naive(2021, 10, 18), "day")),
    (
        "created:2016/12/30 7:11",
        "created:2016/12/30 7:11",
        ParsedDate(_naive(2016, 12, 30, 7, 11), "datetime"),
    ),
    (
        "Published: October 2021",
        "Published: October 2021",
        ParsedDate(_naive(2021, 10, 1), "month"),
    ),
    (
        "          2016/12/30 7:11",
        "2016/12/30 7:11",
        ParsedDate(_naive(2016, 12, 30, 7, 11), "datetime"),
    ),
]


@pytest.mark.parametrize(
    ("line", "span_text", "expected"), HEADERS, ids=[h[1] for h in HEADERS]
)
def test_find_header_date(line: str, span_text: str, expected: ParsedDate) -> None:
    start = line.index(span_text)
    assert find_header_date(line) == (expected, start, start + len(span_text))


NOT_HEADERS = [
    "Updated: May 23, 2024",
    "updated 2021-10-19",
    "Last modified 2021-10-19",
    "Last updated: 18 Oct 2021, 16:46",
    "2019 was a year",  # a bare year opening prose
    "May 2024 was warm",
    "Date night ideas",
    "Published by TASS",
    "Russia suspends its mission, 2021-10-19",
    "All news",
    "",
]


@pytest.mark.parametrize("line", NOT_HEADERS, ids=[t or "empty" for t in NOT_HEADERS])
def test_find_header_date_none(line: str) -> None:
    assert find_header_date(line) is None


USER_DATES = [
    ("today", _utc(2026, 11, 24), _utc(2026, 11, 24, *END_OF_DAY)),
    ("  Yesterday ", _utc(2026, 11, 23), _utc(2026, 11, 23, *END_OF_DAY)),
    ("this week", _utc(2026, 11, 23), _utc(2026, 11, 29, *END_OF_DAY)),
    ("last week", _utc(2026, 11, 16), _utc(2026, 11, 22, *END_OF_DAY)),
    ("this month", _utc(2026, 11, 1), _utc(2026, 11, 30, *END_OF_DAY)),
    ("last month", _utc(2026, 10, 1), _utc(2026, 10, 31, *END_OF_DAY)),
    ("this year", _utc(2026, 1, 1), _utc(2026, 12, 31, *END_OF_DAY)),
    ("last year", _utc(2025, 1, 1), _utc(2025, 12, 31, *END_OF_DAY)),
    ("3 days ago", _utc(2026, 11, 21), _utc(2026, 11, 21, *END_OF_DAY)),
    ("a day ago", _utc(2026, 11, 23), _utc(2026, 11, 23, *END_OF_DAY)),
    ("2 weeks ago", _utc(2026, 11, 10), _utc(2026, 11, 10, *END_OF_DAY)),
    ("1 month ago", _utc(2026, 10, 24), _utc(2026, 10, 24, *END_OF_DAY)),
    ("2 years ago", _utc(2024, 11, 24), _utc(2024, 11, 24, *END_OF_DAY)),
    ("2021", _utc(2021, 1, 1), _utc(2021, 12, 31, *END_OF_DAY)),
    ("2021-10", _utc(2021, 10, 1), _utc(2021, 10, 31, *END_OF_DAY)),
    ("2024-02", _utc(2024, 2, 1), _utc(2024, 2, 29, *END_OF_DAY)),
    ("2021-10-19", _utc(2021, 10, 19), _utc(2021, 10, 19, *END_OF_DAY)),
    ("2021-10-19T12:00", _utc(2021, 10, 19, 12), _utc(2021, 10, 19, 12)),
    ("2021-10-19T12:00+03:00", _utc(2021, 10, 19, 9), _utc(2021, 10, 19, 9)),
    ("2021-10-19T12:00Z", _utc(2021, 10, 19, 12), _utc(2021, 10, 19, 12)),
    ("18 Oct 2021", _utc(2021, 10, 18), _utc(2021, 10, 18, *END_OF_DAY)),
    ("October 18, 2021", _utc(2021, 10, 18), _utc(2021, 10, 18, *END_OF_DAY)),
    ("Oct 2021", _utc(2021, 10, 1), _utc(2021, 10, 31, *END_OF_DAY)),
]


@pytest.mark.parametrize(
    ("text", "start", "end"), USER_DATES, ids=[u[0].strip() for u in USER_DATES]
)
def test_parse_user_date(text: str, start: datetime, end: datetime) -> None:
    got = (parse_user_date(text, now=NOW), parse_user_date(text, now=NOW, end=True))
    assert got == (start, end)
    assert (got[0].tzinfo, got[1].tzinfo) == (UTC, UTC)


def test_parse_user_date_relative_to_nows_zone() -> None:
    now = datetime(2026, 11, 24, 1, 0, tzinfo=PLUS3)  # still the 23rd in UTC
    assert parse_user_date("today", now=now) == _utc(2026, 11, 23, 21)


BAD_USER_DATES = [
    "",
    "   ",
    "October 18",
    "not-a-date",
    "may",
    "2019 was a year",
    "05/06/2021",
    "next week",
    "3 fortnights ago",
    "99999 days ago",
    "9999 years ago",  # before year 1
    "0001-01-01T00:00+03:00",  # before year 1 in UTC
]


@pytest.mark.parametrize(
    "text", BAD_USER_DATES, ids=[t or "empty" for t in BAD_USER_DATES]
)
def test_parse_user_date_error(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_user_date(text, now=NOW)
    expected = (
        f"cannot read date {text!r} "
        "(try 2021-10-19, 2021-10, '18 Oct 2021' or 'yesterday')"
    )
    assert (str(info.value), info.value.text, info.value.exit_code) == (
        expected,
        text,
        2,
    )


def test_parse_user_date_needs_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_user_date("today", now=datetime(2026, 11, 24))


# Text that gets past dateutil's tokenizer more often than st.text() alone does.
_TOKENS = ("Oct", "May", "Monday", "GMT", "EST", "date", "at", "ago", "day", "s", "a")
date_like = st.text(alphabet="0123456789 -/.:,+TZ", max_size=30) | st.lists(
    st.sampled_from((*_TOKENS, *"0123456789 -/.:,+")), max_size=20
).map("".join)
texts = st.text() | date_like


@given(text=texts)
def test_parse_date_text_never_raises(text: str) -> None:
    parsed = parse_date_text(text)
    assert parsed is None or parsed.precision in ("datetime", "day", "month", "year")


@given(line=texts)
def test_find_header_date_span(line: str) -> None:
    found = find_header_date(line)
    if found is not None:
        _, start, end = found
        assert 0 <= start < end <= len(line)
        assert line[start:end] == line[start:end].strip()


@given(text=texts, end=st.booleans())
def test_parse_user_date_raises_only_date_parse_error(text: str, end: bool) -> None:
    try:
        when = parse_user_date(text, now=NOW, end=end)
    except DateParseError:
        return
    assert when.tzinfo is UTC


@given(d=st.dates(min_value=date(1000, 1, 1)))
@pytest.mark.parametrize("fmt", ["%d %b %Y", "%B %d, %Y", "%Y-%m-%d"])
def test_parse_date_text_roundtrip(fmt: str, d: date) -> None:
    expected = ParsedDate(_naive(d.year, d.month, d.day), "day")
    assert parse_date_text(d.strftime(fmt)) == expected
