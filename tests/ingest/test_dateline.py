"""Datelines: real ones from the corpora, openings that are not one, invariants."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsindex.ingest.dateline import (
    DatelineMatch,
    parse_dateline,
    read_dateline_field,
    resolve_dateline_date,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def _load_cases() -> list[Any]:
    """Real datelines, each with the story start that follows it in its source.

    Reuters-21578 `<DATELINE>` + `<BODY>` as they stand in the .sgm files; TASS,
    CNN, HuffPost, Al Jazeera and China Daily openings from newsarticles-dai2017;
    raw/001. A case with an `xfail` reason is a known miss.
    """
    lines = (DATA / "datelines.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines]
    return [
        pytest.param(
            case,
            id=case["id"],
            marks=[pytest.mark.xfail(strict=True, reason=case["xfail"])]
            if "xfail" in case
            else [],
        )
        for case in cases
    ]


CASES = _load_cases()


def test_fixture_holds_forty_real_datelines_with_unique_ids() -> None:
    ids = [param.id for param in CASES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES)
def test_real_dateline(case: dict[str, Any]) -> None:
    expected = DatelineMatch(**case["expected"])
    assert case["text"][expected.start : expected.end] == case["dateline"]
    assert parse_dateline(case["text"]) == expected


# Openings from the same sources that are not datelines.
NOT_DATELINES = {
    "place-starts-a-sentence": "Brussels is the capital of Belgium and hosts NATO.",
    "place-comma-which": "Moscow, which suspended its mission, said on Monday that",
    # raw/001, raw/002, raw/003: headline, date and time lines.
    "headline-raw-001": (
        "NATO received no official notification on mutual suspension of missions "
        "from Russia yet"
    ),
    "headline-raw-002": (
        "NATO regrets Russia\u2019s decision to suspend diplomatic missions but is "
        "ready for dialogue"
    ),
    "headline-with-dashes-raw-003": (
        "After the members are excluded - Russia suspends its mission in NATO - News"
    ),
    "date-line-raw-003": "May 23, 2024",
    "timestamp-raw-001": "18 Oct 2021, 16:46",
    # Reuters-21578: table headers and headlines of stories with no <DATELINE>,
    # and body paragraphs.
    "reuters-101-table-header": (
        "FEDERAL RESERVE MONEY SUPPLY REPORT - FEB 26\n    One Week Ended Feb 16\n"
        " M-1.........................736.7 up.......2.1"
    ),
    "reuters-13308-table-with-parentheses": (
        "TOKYO RUBBER (YEN PER KILO) - APRIL 07\n          PREV     OPG    1045"
    ),
    "reuters-3719-correction-label": (
        "CORRECTED - BANCA NAZIONALE DEL LAVORO =2 LONDON\n    The warrants will be "
        "issued by EFI Banca."
    ),
    "reuters-883-note-label": (
        "NOTE - Net is after tax 171.03 mln dlrs vs 188.52 mln,\ninterest 337.39 mln"
    ),
    "reuters-2690-company-and-ticker": (
        "Gould Inc (GLD) - Offering of two mln shares of convertible\nexchangeable "
        "preferred stock"
    ),
    "reuters-9230-preposition-then-place": (
        "In Woodbridge, N.J., Supermarkets General -- responding to\na previous "
        "letter to its board by Dart"
    ),
    "reuters-2197-company-and-partners": (
        "Merchant bank Pierson, Heldring en Pierson - in an estimate\nreflecting "
        "general sentiment - said last month"
    ),
    "reuters-888-slash-in-prose": (
        "The sterling/yen rate was about 240.34/44 today, up from\n234.50 at the "
        "start of the calendar year"
    ),
    # newsarticles-dai2017.
    "cnn-2530-tag-without-place": (
        "(CNN)A federal judge in Hawaii blocked President Donald Trump's new travel "
        "ban on Wednesday"
    ),
    "huffpost-1907-date-without-place": (
        "March 3 (Reuters) - Two inmates have been killed during a disturbance at a "
        "maximum security prison"
    ),
    "huffpost-65-party-and-state": (
        "Rep. Sean Duffy (R-Wis.) vehemently defended President Donald Trump's ban "
        "on refugees and travelers"
    ),
    "dw-264-abbreviation": (
        "The chairman of the Social Democrats (SPD) has said a comprehensive "
        "approach to the migrant crisis"
    ),
    "dw-223-score": (
        "Hamburg 2-0 Cologne (Jung 5', Wood 76') Hamburg scored a goal in each half"
    ),
    "chinadaily-1071-list-then-dash": (
        "Skydiving, hiking, kayaking - they're all part of the plan as sports "
        "tourism takes off"
    ),
    "chinadaily-555-prose-then-dash": (
        "To buy or not to buy - that is the question for Hu Chengru, 39, a "
        "prospective homebuyer in"
    ),
    "aljazeera-319-subtitle-run-in": (
        "Controversial at home, and condemned abroad.- Israel's parliament passed a "
        "new law on Monday,"
    ),
    "empty": "",
    "whitespace": " \n\t ",
}


@pytest.mark.parametrize(
    "text", list(NOT_DATELINES.values()), ids=list(NOT_DATELINES.keys())
)
def test_not_a_dateline(text: str) -> None:
    assert parse_dateline(text) is None


@pytest.mark.parametrize("value", [None, 3, b"PARIS (AFP) - x"])
def test_non_str_raises_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match="parse_dateline"):
        parse_dateline(value)


def test_only_the_first_200_characters_are_searched() -> None:
    assert parse_dateline(" " * 200 + "PARIS (AFP) - x") is None


@pytest.mark.parametrize(
    ("month", "day", "reference", "expected"),
    [
        # Reuters-21578 NEWID=48: `WELLINGTON, Feb 27 -` filed 26-FEB-1987 (UTC).
        (2, 27, datetime.date(1987, 2, 26), datetime.date(1987, 2, 27)),
        (12, 31, datetime.date(1987, 1, 2), datetime.date(1986, 12, 31)),
        (1, 2, datetime.date(1986, 12, 31), datetime.date(1987, 1, 2)),
        (2, 29, datetime.date(1987, 3, 1), datetime.date(1988, 2, 29)),
        # 183 days either side (1988 is a leap year): the earlier one wins.
        (7, 1, datetime.date(1987, 12, 31), datetime.date(1987, 7, 1)),
        (2, 30, datetime.date(1987, 3, 1), None),
        (13, 1, datetime.date(1987, 3, 1), None),
        (0, 1, datetime.date(1987, 3, 1), None),
    ],
    ids=["next-day", "year-back", "year-on", "leap-day", "tie", "feb-30", "m13", "m0"],
)
def test_resolve_dateline_date(
    month: int,
    day: int,
    reference: datetime.date,
    expected: datetime.date | None,
) -> None:
    assert resolve_dateline_date(month, day, reference) == expected


@given(
    when=st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
    offset=st.integers(-150, 150),
)
def test_resolve_finds_a_date_within_150_days(when: datetime.date, offset: int) -> None:
    reference = when + datetime.timedelta(days=offset)
    assert resolve_dateline_date(when.month, when.day, reference) == when


# Places for generated datelines: real ones, and made-up words without vowels,
# which can never be a word the parser refuses as a place (IN, MONDAY, NOTE).
REAL_PLACES = [
    "BRUSSELS", "SAO PAULO", "THE HAGUE", "RIO DE JANEIRO", "ST. LOUIS",
    "WINSTON-SALEM", "NOVO-OGARYOVO", "SHANGHAI/WASHINGTON", "KUALA LUMPUR",
    "ADMIRAL KUZNETSOV AIRCRAFT CARRIER", "MAITLAND", "PARIS",
]  # fmt: skip
places = st.sampled_from(REAL_PLACES) | st.from_regex(
    r"[BCDFGHJKLMNPQRSTVWXZ]{3,10}( [BCDFGHJKLMNPQRSTVWXZ]{3,10}){0,2}", fullmatch=True
)
MONTHS = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "FEB": 2, "Feb.": 2,
    "March": 3, "MARCH": 3, "Mar": 3, "April": 4, "APRIL": 4, "APril": 4, "Apr": 4,
    "May": 5, "June": 6, "JUNE": 6, "July": 7, "August": 8, "Aug": 8,
    "September": 9, "Sept": 9, "Sep": 9, "October": 10, "Oct": 10,
    "November": 11, "Nov": 11, "December": 12, "Dec.": 12,
}  # fmt: skip
agencies = st.sampled_from(["Reuters", "AP", "AFP", "CNN", "UPI", "dpa", "Xinhua"])
stories = st.text(min_size=1).filter(str.isalnum)


@given(
    place=places,
    month=st.sampled_from(list(MONTHS)),
    day=st.integers(1, 31),
    rest=stories,
)
def test_generated_dated_dateline(place: str, month: str, day: int, rest: str) -> None:
    text = f"{place}, {month} {day} - {rest}"
    m = parse_dateline(text)
    assert m is not None
    assert (m.place, m.date_text, m.month, m.day) == (
        place,
        f"{month} {day}",
        MONTHS[month],
        day,
    )
    assert text[m.end :] == rest


@given(place=places, agency=agencies, rest=stories)
def test_generated_agency_dateline(place: str, agency: str, rest: str) -> None:
    text = f"{place} ({agency}) - {rest}"
    m = parse_dateline(text)
    assert m is not None
    assert (m.place, m.agency, text[m.end :]) == (place, agency, rest)


# Texts built from the pieces datelines are made of, in dateline order, so
# that about a third of them open with one.
pieces = st.tuples(
    st.sampled_from(["PARIS", "Paris", "NEW YORK", "des moines", "  ****LONDON", "In"]),
    st.lists(
        st.sampled_from(
            [", N.J.", ", Ore.", ",", " ", ", March 4", " 2 March", ", Marc 14",
             ". February 9", ", 1987", " (Bashkiria),", " /Germany/,", " Monday"]
        ),
        max_size=3,
    ).map("".join),
    st.sampled_from(
        [" - ", "-", " -- ", " \u2014 ", ' "?', " (AP) - ", "(CNN)", ". /TASS/. ",
         " /TASS/", ", Reuter - ", "\n    ", ""]
    ),
    st.sampled_from(
        ["The Bank of Japan said", "x", "said the", "APRIL 7 call money", "", "("]
    ),
).map("".join)  # fmt: skip


@given(st.text() | pieces)
def test_never_raises(text: str) -> None:
    result = parse_dateline(text)
    assert result is None or isinstance(result, DatelineMatch)


@given(pieces)
def test_a_dateline_span_holds_its_parts(text: str) -> None:
    m = parse_dateline(text)
    if m is not None:
        dateline = text[m.start : m.end]
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start :].startswith(m.place)
        assert m.place in dateline
        for part in (m.region, m.date_text, m.agency):
            assert part is None or part in dateline
        assert m.month is None or 1 <= m.month <= 12
        assert m.day is None or 1 <= m.day <= 31


@pytest.mark.parametrize(
    "text",
    [
        # Reuters-21578 table rows and a headline that a loose reading took for
        # datelines (AGO is Spanish for August; 11-12 is a date range).
        "WEEK AGO ---     2,900   800     400\nYEAR AGO ---     2,100",
        "PELLETS APRIL - 104.00 - UNC\nGLUTEN MEAL 60 PCT BULK APR",
        "SEC FINDS SEPTEMBER 11-12 U.S. STOCK MARKET DROP NOT DUE TO INDEX",
    ],
    ids=["week-ago-table", "month-without-day-table", "date-range-headline"],
)
def test_reuters_table_rows_are_not_datelines(text: str) -> None:
    assert parse_dateline(text) is None


def test_agency_tag_vouches_for_a_misspelt_date() -> None:
    # newsarticles-dai2017, tass.com: the month is written as the city again.
    text = "MOSCOW, Moscow 28. /TASS/. Russian President Vladimir Putin holds talks"
    m = parse_dateline(text)
    assert m is not None
    assert (m.place, m.agency, m.date_text, m.month, m.day) == (
        "MOSCOW",
        "TASS",
        "Moscow 28",
        None,
        None,
    )
    assert text[m.end :] == "Russian President Vladimir Putin holds talks"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        pytest.param(
            "PORTLAND, Maine (AP) ",
            DatelineMatch(place="PORTLAND", region="Maine", date_text=None,
                          month=None, day=None, agency="AP", start=0, end=20),
            id="trec-ap",
        ),
        pytest.param(
            "PORTLAND, Ore., Feb 26 -",
            DatelineMatch(place="PORTLAND", region="Ore.", date_text="Feb 26",
                          month=2, day=26, agency=None, start=0, end=24),
            id="reuters-region-and-date",
        ),
        pytest.param("(AP)", None, id="agency-alone"),
    ],
)  # fmt: skip
def test_read_dateline_field(field: str, expected: DatelineMatch | None) -> None:
    assert read_dateline_field(field) == expected
