"""Date text -> datetime and precision; shared by ingest and query.

Documents: `parse_date_text` reads a whole string as a date and `find_header_date`
finds one opening a line. Both return None rather than guess: the text must give
a 4-digit year, and all-numeric dd/mm vs mm/dd forms that read both ways are
refused unless written with dots (European `18.10.2021`).

Users: `parse_user_date` resolves `--since`/`--until` text, relative forms
included, against a clock passed in as `now`.

dateutil fills every part the text leaves out from `default=`, so each text is
parsed with two defaults that differ in every field: a field that comes out the
same both times was written in the text.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Literal

import dateutil.parser
from dateutil.relativedelta import relativedelta
from msgspec import Struct

from newsindex.errors import DateParseError
from newsindex.records import Precision

__all__ = ["ParsedDate", "find_header_date", "parse_date_text", "parse_user_date"]

_MAX_DATE_TEXT = 60  # "Mon, 18 Oct 2021 16:46:00 +0300 (MSK)" is 37
_MAX_LABEL = 40  # "first published on:" plus spacing

# Two defaults differing in every field (see the module docstring). Day 1 and 8
# lie a week apart, so a weekday with no day ("Monday October 2021") lands on
# different dates and reads as "no day given".
_DEFAULT_A = datetime(2000, 1, 1)  # noqa: DTZ001 - a template; the zone comes from the text
_DEFAULT_B = datetime(2004, 2, 8, 1, 1, 1, 1)  # noqa: DTZ001 - as above

# Zone names seen in news headers. dateutil gives offsets itself for UTC/GMT/Z
# and numeric forms; any other name must be here, or the text is not read: a
# guessed zone would shift the instant, and "NATO" after a time is a word.
_ZONES: dict[str, tzinfo] = {
    name: timezone(timedelta(hours=hours))
    for name, hours in (
        ("EST", -5),
        ("EDT", -4),
        ("CST", -6),
        ("CDT", -5),
        ("MST", -7),
        ("MDT", -6),
        ("PST", -8),
        ("PDT", -7),
        ("BST", 1),
        ("CET", 1),
        ("CEST", 2),
        ("EET", 2),
        ("EEST", 3),
        ("MSK", 3),
    )
}

# dateutil reads "GMT+3" the POSIX way, as UTC-3 (dateutil issues #70, #1478);
# headers mean UTC+3, so the name is dropped and the offset read as written.
_UTC_NAME_BEFORE_OFFSET = re.compile(r"(?<![A-Za-z])(?:GMT|UTC|Z)\s*(?=[+-]\d)")
_YEAR_FIRST = re.compile(r"\d{4}(?!\d)")  # 2021-10-19, 2021/2/7: always y-m-d
_DOTTED_DAY_FIRST = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}(?!\d)")  # 18.10.2021
# A time of day needs a colon or am/pm: "2021-10-19 10 people" is not 10:00.
_TIME_OF_DAY = re.compile(r"\d:\d\d|\d\s*[ap]\.?m\b", re.IGNORECASE)

_LABEL = re.compile(
    r"""
    (?: (?:first\s+published|published|posted|created)(?:\s+on)?  # Posted on: ...
      | dated | date                                            # date 2021-10-19
    )\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_LABEL_END = re.compile(r"\s*:\s*|\s+")
# Not publication dates: the caller must not take these for one.
_UPDATE_LABEL = re.compile(r"(?:updated|last\s+(?:modified|updated))\b", re.IGNORECASE)

_AGO = re.compile(r"([0-9]{1,4}|a) (day|week|month|year)s? ago")

_Period = Literal["instant", "day", "week", "month", "year"]


class ParsedDate(Struct, frozen=True):
    """A date read from text, and how much of it the text gave."""

    when: datetime  # naive if the text gave no zone, aware if it did
    precision: Precision  # "datetime" if a time of day was given


def parse_date_text(text: str) -> ParsedDate | None:
    """Read a date written in a document (a header line, a meta value).

    The whole stripped text, at most 60 characters, must be the date, with a
    4-digit year. Returns None otherwise, and for 05/06/2021-style text that
    reads both day-first and month-first (18.10.2021, with dots, is day-first).
    """
    text = text.strip()
    if not text or len(text) > _MAX_DATE_TEXT:
        return None
    text = _UTC_NAME_BEFORE_OFFSET.sub("", text)
    if _YEAR_FIRST.match(text):
        return _read(text, dayfirst=False)
    month_first = _read(text, dayfirst=False)
    day_first = _read(text, dayfirst=True)
    if month_first == day_first:
        return month_first
    return day_first if _DOTTED_DAY_FIRST.match(text) else None


def find_header_date(line: str) -> tuple[ParsedDate, int, int] | None:
    """Find a date opening a line, optionally after a label ("Published: ...").

    Returns the date and the span (start, end) in `line` of the label and date,
    without the whitespace around them. None if the line does not start with a
    date, if its label is "Updated" or "Last modified", or if an unlabelled
    line opens with a bare year or month ("2019 was a year").
    """
    start = len(line) - len(line.lstrip())
    head = line[: start + _MAX_LABEL + _MAX_DATE_TEXT]
    if _UPDATE_LABEL.match(head, start):
        return None
    date_start = start
    label = _LABEL.match(head, start)
    if label is not None:
        sep = _LABEL_END.match(head, label.end())
        if sep is None:  # "dates ...", "posted2021"
            label = None
        else:
            date_start = sep.end()
    for end in _word_ends(head, date_start):
        candidate = head[date_start:end].rstrip(",;")
        parsed = parse_date_text(candidate)
        if parsed is None:
            continue
        if label is None and parsed.precision in ("year", "month"):
            return None
        return parsed, start, date_start + len(candidate)
    return None


def parse_user_date(text: str, *, now: datetime, end: bool = False) -> datetime:
    """Resolve a date the user typed (--since/--until) to an aware UTC datetime.

    Reads ISO and partial ISO ("2021-10"), dates as written ("18 Oct 2021") and
    relative ones against `now` ("yesterday", "last month", "3 days ago").
    Gives the first instant of the period named, or with `end=True` the last;
    a time of day names an instant. A time with no zone is read as UTC.

    Raises DateParseError if the text is none of these, and ValueError if `now`
    is naive.
    """
    if now.utcoffset() is None:
        raise ValueError(f"now must be an aware datetime, not {now!r}")
    message = (
        f"cannot read date {text!r} "
        "(try 2021-10-19, 2021-10, '18 Oct 2021' or 'yesterday')"
    )
    try:
        period = _relative_period(text, now) or _written_period(text)
        if period is None:
            raise DateParseError(message, text=text)
        first, last = _bounds(*period)
        return (last if end else first).astimezone(UTC)
    except (ValueError, OverflowError) as exc:  # out of range: "9999 years ago"
        raise DateParseError(message, text=text) from exc


def _read(text: str, *, dayfirst: bool) -> ParsedDate | None:
    try:
        a = dateutil.parser.parse(
            text, default=_DEFAULT_A, dayfirst=dayfirst, tzinfos=_zone
        )
        b = dateutil.parser.parse(
            text, default=_DEFAULT_B, dayfirst=dayfirst, tzinfos=_zone
        )
    except (ValueError, OverflowError):  # ParserError is a ValueError
        return None
    # "1 2 3" parses as 2003-01-02: the year must be written out in full.
    if a.year != b.year or not re.search(rf"(?<!\d){a.year:04d}(?!\d)", text):
        return None
    has_month, has_day, has_time = a.month == b.month, a.day == b.day, a.hour == b.hour
    if has_time:
        if not (has_day and has_month and _TIME_OF_DAY.search(text)):
            return None
        return ParsedDate(a, "datetime")
    if has_day:
        return ParsedDate(a, "day") if has_month else None
    if a.day != _DEFAULT_A.day:  # a weekday with no day moved it
        return None
    return ParsedDate(a, "month" if has_month else "year")


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """Give dateutil the zone for a name or offset, so no local zone leaks in."""
    if offset is not None:
        return UTC if offset == 0 else timezone(timedelta(seconds=offset))
    if name is None:
        return None
    zone = _ZONES.get(name)
    if zone is None:
        raise ValueError(f"unknown time zone {name!r}")
    return zone


def _word_ends(text: str, start: int) -> list[int]:
    """Return the ends of the words in text[start:], longest span first."""
    ends = [m.end() for m in re.finditer(r"\S+", text[start:])]
    return [start + e for e in reversed(ends) if e <= _MAX_DATE_TEXT]


def _relative_period(text: str, now: datetime) -> tuple[datetime, _Period] | None:
    words = " ".join(text.lower().split())
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    match words:
        case "today":
            return today, "day"
        case "yesterday":
            return today - timedelta(days=1), "day"
        case "this week":
            return today - timedelta(days=today.weekday()), "week"
        case "last week":
            return today - timedelta(days=today.weekday() + 7), "week"
        case "this month":
            return today.replace(day=1), "month"
        case "last month":
            return today.replace(day=1) - relativedelta(months=1), "month"
        case "this year":
            return today.replace(month=1, day=1), "year"
        case "last year":
            return today.replace(month=1, day=1, year=today.year - 1), "year"
    ago = _AGO.fullmatch(words)
    if ago is None:
        return None
    count = 1 if ago[1] == "a" else int(ago[1])
    return today - relativedelta(**{f"{ago[2]}s": count}), "day"


def _written_period(text: str) -> tuple[datetime, _Period] | None:
    parsed = parse_date_text(text)
    if parsed is None:
        return None
    when = parsed.when
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if parsed.precision == "datetime":
        return when, "instant"
    return when, parsed.precision


def _bounds(start: datetime, period: _Period) -> tuple[datetime, datetime]:
    """Return the first and last instant of the period beginning at `start`."""
    if period == "instant":
        return start, start
    if period == "week":
        last_day = start + timedelta(days=6)
    elif period == "month":
        last_day = start.replace(day=monthrange(start.year, start.month)[1])
    elif period == "year":
        last_day = start.replace(month=12, day=31)
    else:
        last_day = start
    return start, last_day.replace(hour=23, minute=59, second=59, microsecond=999999)
