"""Read the dateline that opens a news story: place, region, date and agency.

Styles read, all seen in ../shared/corpora (README, sections 1 and 3):

    SAO PAULO, March 5 - Brazil has...             Reuters 1987, and its variants:
    PORTLAND, Ore., Feb 26 -   RICHMOND, Va. Feb 26 -   AMSTERDAM, 2 March -
    CHEVY CHASE, Md., - March 4 -   CHICAGO, March 4, -   WOODBRIDGE, N.J. -
    BRUSSELS, October 18. /TASS/. NATO has...      TASS
    WASHINGTON, Feb 9 (Reuters) - U.S. ...         Reuters copy on HuffPost
    Washington (CNN)Vice President...              CNN runs the text on
    WASHINGTON "?Hundreds of...                    HuffPost, `"?` a mangled em dash
    Qayyarah, Iraq - Six months after...           Al Jazeera

A dateline needs more than a capitalised word at the start of the text: the
place must be followed by a date, by an agency tag, or (for a place in capitals,
or one followed by a region) by a dash and a story that reads as prose. So
`Brussels is the capital...`, `Moscow, which ... said` and the Reuters table
header `FRANKFURT MONEY -  APRIL 7 call money 3.60/70` are not datelines.
"""

from __future__ import annotations

import datetime
import re

from msgspec import Struct

__all__ = [
    "DatelineMatch",
    "parse_dateline",
    "read_dateline_field",
    "resolve_dateline_date",
]

# A dateline sits in the first line; the longest seen is about 75 characters
# (`ADMIRAL KUZNETSOV AIRCRAFT CARRIER (Mediterranean), February 9. /TASS/. `).
_MAX_DATELINE = 200

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# Reuters' Latin American desks abbreviate in Spanish: `BUENOS AIRES, ABR 7 -`.
_SPANISH_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
# `On Tuesday, March 4 - ...` opens a sentence, not a dateline.
_WEEKDAYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
# First words that open a sentence, never a place: `In Woodbridge, N.J., ... --`.
_NOT_PLACE_START = frozenset(
    ("after", "an", "and", "as", "at", "before", "but", "by", "for", "from", "if",
     "in", "of", "on", "or", "since", "to", "until", "when", "while", "with")
)  # fmt: skip
# Wire labels that precede a dash as a dateline would: `NOTE - Net is after tax`.
_LABELS = frozenset(
    ("ADVISORY", "ANALYSIS", "BREAKING", "BULLETIN", "COMMENT", "CORRECTED",
     "CORRECTION", "EDITORIAL", "EXCLUSIVE", "FACTBOX", "FLASH", "INTERVIEW", "LIVE",
     "NOTE", "OPINION", "PREVIEW", "REFILE", "REPEAT", "REVIEW", "UPDATE", "URGENT",
     "VIDEO", "WATCH", "WRAPUP")
)  # fmt: skip

# Stripped from the words of a story when judging whether it reads as prose.
_PUNCTUATION = ",.;:'\"()\u201c\u201d\u2018\u2019"

_L = r"[^\W\d_]"  # a letter, in any script
# One word of a place or region: BRUSSELS, N.J., ST.PETERSBURG, NOVO-OGARYOVO,
# al-Ahmar. A hyphen only joins letters, so `Korea--` ends at `Korea`.
_WORD = rf"{_L}(?:{_L}|['\u2019.]|-(?={_L}))*+(?!\w)"
# Up to five words joined by spaces or slashes: RIO DE JANEIRO, SHANGHAI/WASHINGTON.
_WORDS = rf"{_WORD}(?:(?:\ {{1,2}}|/){_WORD}){{0,4}}"
_REGION = rf"""(?:
      \s*,\s*{_WORDS}                    # , Ore.   , British Columbia
    | \s*/\s*{_WORDS}\s*/(?=\s*,)        # BONN /Germany/, February 9. /TASS/.
    | \s*\(\s*{_WORDS}\s*\)(?=\s*,)      # BANGALORE (India), February 9. /TASS/.
)"""
_HEAD = rf"""
    ^[\s*]*                              # indentation, wire flash marks: ****LONDON
    (?P<place>{_WORDS})
    (?P<regions>{_REGION}{{1,4}})?
"""
# Month spellings vary (March, MArch, Marc, Macrh, ABR), so the pattern takes
# any short word and _read_month() decides.
_MONTH = r"[A-Za-z]{3,10}+(?![A-Za-z])"
_DATE = rf"""
    (?P<dlead>[\s,.]*+(?(regions)(?:-\s*)?))  # `Md., - March 4`, `Mo. - March 13`
    (?P<date>
        (?P<month>{_MONTH})(?:\.?,?\s+|\.)(?P<day>\d{{1,3}})(?!\d)
            (?:(?:,\s*|\s+)\d{{4}}(?!\d))?      # Feb. 7, 2017 /PRNewswire/
      | (?P<dday>\d{{1,2}})\s+(?P<dmonth>{_MONTH})\.?  # AMSTERDAM, 2 March -
      | (?P<omonth>{_MONTH})\.?             # CHICAGO, April -
    )
"""
# Hyphen(s), en dash, em dash or HuffPost's `"?`; `"?-` and `- -A` occur too.
_EN_EM = r"[\u2013\u2014]"
_DASH = rf"""(?:-+|{_EN_EM}|"\?)"""
_SEP = rf"(?>\s*{_DASH}(?:\s*{_DASH})*)\s*"
# Without a date or agency tag only a dash that stands apart will do, so that
# a hyphenated word is never read as one: `WASHINGTON - `, `Korea-- The`.
_BARE_SEP = rf"(?>(?:\s*,)?(?:\s+-+|-{{2,}}|\s*{_EN_EM}|\s*\"\?)(?:\s*{_DASH})*)\s*"
# An agency is named in letters only: Reuters, AP, AFP, CNN, PRNewswire, TASS.
_AGENCY_WORD = r"[^\W\d_](?:[^\W\d_]|[&.'-])*"
# `(Reuters) - ` or CNN's `(CNN)Vice`: text may run on, but only with no space.
_PAREN_AGENCY = (
    rf"\s*\((?P<pagency>{_AGENCY_WORD}(?:\ {_AGENCY_WORD}){{0,2}})\)"
    rf"(?:{_SEP}|(?P<runin>(?=[^\W_]|[\"\u201c\u2018'])))"
)
# `. /TASS/. `, `./TASS/.`, `. /TASS /.`, `/TASS, Maxim Allanazarov/.`, `/PRNewswire/.-`
# The slash must stand apart, or `Oct/Dec` and `USG/Taiwan 54,000 mt` would match.
_SLASH_AGENCY = rf"""(?:\s*[.,]\s*|\s+)/\s*
    (?P<sagency>{_AGENCY_WORD}(?:,?\ {_AGENCY_WORD}){{0,5}})
    \s*/(?:\s*\.)?(?:\s*-)?\s*"""

_DATED = re.compile(
    rf"""{_HEAD}{_DATE}
    (?:
        {_PAREN_AGENCY}
      | {_SLASH_AGENCY}
      | \s*,\s*(?P<wagency>[A-Z][A-Za-z]{{1,15}}){_SEP}   # March 11, Reuter -
      | (?:\s*,)?{_SEP}                                    # March 4, -
    )""",
    re.VERBOSE,
)
_UNDATED = re.compile(
    rf"""{_HEAD}
    (?:
        {_PAREN_AGENCY}
      | {_SLASH_AGENCY}
      | {_BARE_SEP}
    )""",
    re.VERBOSE,
)


class DatelineMatch(Struct, frozen=True, kw_only=True):
    """A dateline found at the start of a text, with its span in that text."""

    place: str  # as written, stripped: "BRUSSELS", "SAO PAULO", "Washington"
    region: str | None  # "Ore." in "PORTLAND, Ore., Feb 26 -"
    date_text: str | None  # as written: "October 18", "Feb 26", "2 March"
    month: int | None  # 1-12 when date_text was read
    day: int | None  # None when absent or not 1-31 (`March 187` occurs)
    agency: str | None  # "TASS" for "/TASS/", "Reuters" for "(Reuters)"
    start: int  # text[start:end] is the dateline with its separator
    end: int  # text[end:] is the story


def parse_dateline(text: str) -> DatelineMatch | None:
    """Find the dateline at the start of `text` (leading whitespace allowed).

    Return None if there is none. Never raises on a str; raises TypeError otherwise.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_dateline() needs a str, got {type(text).__name__}")
    head = text[:_MAX_DATELINE]
    for pattern in (_DATED, _UNDATED):
        m = pattern.match(head)
        if m is not None and (found := _read(text, m)) is not None:
            return found
    return None


# A dateline given as its own field (TREC's <DATELINE>): it is a dateline by
# position, so no story after it is needed. "PORTLAND, Maine (AP)",
# "NEW YORK", "MOSCOW, March 1 (Interfax)".
_FIELD = re.compile(
    r"""^\s*(?P<place>[^\W\d][^,(]{0,60}?)     # PORTLAND, NEW YORK
    (?:,\s*(?P<rest>[^(]{1,60}?))?            # Maine / March 1 / Ore., Feb 26
    \s*(?:\((?P<agency>[^)]{1,40})\))?         # (AP)
    \s*[-\u2013\u2014]*\s*$""",
    re.VERBOSE,
)
_FIELD_DATE = re.compile(r"^(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})$")


def read_dateline_field(text: str) -> DatelineMatch | None:
    """Read a dateline a source gives as a field of its own, or None.

    `start`/`end` span the field's text as given (stripped of outer spaces).
    """
    field = text[:_MAX_DATELINE].strip()
    m = _FIELD.match(field)
    if m is None:
        return None
    region, date_text, month, day = None, None, None, None
    for part in (p.strip() for p in (m["rest"] or "").split(",") if p.strip()):
        dated = _FIELD_DATE.match(part)
        found = _read_month(dated["month"]) if dated else None
        if dated is not None and found is not None:
            date_text, month = part, found
            day = int(dated["day"]) if 1 <= int(dated["day"]) <= 31 else None
        elif region is None and date_text is None:
            region = part
    return DatelineMatch(
        place=m["place"].strip(),
        region=region,
        date_text=date_text,
        month=month,
        day=day,
        agency=m["agency"].strip() if m["agency"] else None,
        start=0,
        end=len(field),
    )


def resolve_dateline_date(
    month: int, day: int, reference: datetime.date
) -> datetime.date | None:
    """Return the date month/day names nearest to `reference`.

    The year is reference's year -1, same or +1; a tie goes to the earlier date.
    None if month/day is impossible (Feb 30) in all three years.
    """
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(datetime.date(year, month, day))
        except ValueError:  # Feb 29 outside leap years; year 0 or 10000
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs((d - reference).days), d))


def _read(text: str, m: re.Match[str]) -> DatelineMatch | None:
    """Turn a pattern match into a DatelineMatch, or None if it is no dateline."""
    place_start, place_end = m.span("place")
    place = m["place"]
    # `MURMANSK. February 9.`: a lone final period stands for the comma.
    lone_period = place.endswith(".") and place.split()[-1].count(".") == 1
    if lone_period and text[place_end : place_end + 1].isspace():
        place = place[:-1]
    if not _could_be_place(place):
        return None
    groups = m.groupdict()
    region = _region(text, m)
    agency = (
        groups["pagency"] or _slash_agency(groups["sagency"]) or groups.get("wagency")
    )
    end = m.end()
    while end < len(text) and text[end].isspace():  # past the length cap
        end += 1
    month = day = None
    date_text = groups.get("date")
    if date_text is not None:
        month = _read_month(groups["month"] or groups["dmonth"] or groups["omonth"])
        between = text[place_end : m.start("date")]
        tagged = groups["sagency"] is not None or groups["pagency"] is not None
        # An agency tag vouches for a dateline whose date is misspelt (dai2017:
        # `MOSCOW, Moscow 28. /TASS/.`): place and agency stand, no month or day.
        vouched = tagged and "," in between and _is_capitals(place)
        if month is None and not vouched:
            return None
        if month is not None and not _date_reads(text, m, place, between, end):
            return None
        if month is not None:
            digits = groups["day"] or groups["dday"]
            day = int(digits) if 1 <= int(digits or 0) <= 31 else None
            # A month with no day needs its comma (`CHICAGO, April -`): table
            # rows read `PELLETS APRIL - 104.00`, `WEEK AGO --- 2,900` (agosto).
            if day is None and "," not in between:
                return None
    elif not _undated_is_dateline(m, place, region, text[end : end + 120]):
        return None
    return DatelineMatch(
        place=place,
        region=region,
        date_text=date_text,
        month=month,
        day=day,
        agency=agency,
        start=place_start,
        end=end,
    )


def _date_reads(
    text: str, m: re.Match[str], place: str, between: str, end: int
) -> bool:
    """Whether a read month and day open a dateline, not a sentence or a range."""
    # `DETROIT June 18 -` has no comma, but `Since March 4 - ` is a sentence.
    if "," not in between and not _is_capitals(place):
        return False
    # `SEC FINDS SEPTEMBER 11-12 U.S. STOCK...`: a date range, not a dash.
    return not (
        text[end - 1 : end] in "-\u2013\u2014" and text[end : end + 1].isdigit()
    )


def _could_be_place(place: str) -> bool:
    """Whether a dateline could name this place: not `On Tuesday`, not `NOTE`."""
    words = re.split(r"[ /]+", place)
    return (
        words[0].lower() not in _NOT_PLACE_START
        and not any(w.lower() in _WEEKDAYS for w in words)
        and place.upper() not in _LABELS
    )


def _undated_is_dateline(
    m: re.Match[str], place: str, region: str | None, story: str
) -> bool:
    """Whether a place with no date before its tag or dash opens a dateline.

    Capitals (`WASHINGTON - `) or a region (`Qayyarah, Iraq - `) make a place;
    `Merchant bank Pierson, Heldring en Pierson - in an estimate` is prose.
    """
    capitals = _is_capitals(place)
    if not place[0].isupper():
        return False
    if not capitals and any(
        len(w) > 3 and not any(c.isupper() for c in w) for w in place.split()
    ):
        return False
    if m["sagency"] is not None:
        return True
    if _starts_like_table(story):
        # `TOKYO RUBBER (YEN PER KILO) - APRIL 07`, `FRANKFURT MONEY -  APRIL 7 call`
        return False
    if m["pagency"] is not None:
        # `Washington (CNN)Vice`; `Gould Inc (GLD) - Offering of...` is a list.
        return capitals or m["runin"] is not None
    if not _reads_as_prose(story):
        # `CORRECTION - BANCA NAZIONALE DEL LAVORO`, `EXTENDED WEATHER OUTLOOK -
        # OFFICIAL` (Reuters-21578 headlines, no dateline).
        return False
    if region is not None:
        return _each_part_capitalised(m["regions"])
    return capitals


def _reads_as_prose(story: str) -> bool:
    """Whether a story opens like a sentence, with lower-case words on line one."""
    if not story or story[0].isdigit():
        return False
    first_line = story.split("\n", 1)[0]
    words = [w.strip(_PUNCTUATION) for w in story.split(maxsplit=12)[:12]]
    lower_words = sum(w.isalpha() and w.islower() for w in words)
    return lower_words >= 2 and any(c.islower() for c in first_line)


def _starts_like_table(story: str) -> bool:
    """Whether a story opens as a table does: `APRIL 7 Thai`, `AVR 07 81.750`."""
    m = re.match(r"([A-Za-z]{2,10})\.?,?\s+\d", story)
    return m is not None and (m[1].isupper() or _read_month(m[1]) is not None)


def _region(text: str, m: re.Match[str]) -> str | None:
    """Return the region as written: "Ore.", "Grand Cayman, British West Indies"."""
    if m["regions"] is None:
        return None
    start, end = m.span("regions")
    while start < end and text[start] in " \t\r\n,/(":
        start += 1
    while end > start and text[end - 1] in " \t\r\n/)":
        end -= 1
    return text[start:end] or None


def _slash_agency(inner: str | None) -> str | None:
    """Return "TASS" for `/TASS/`, `/TASS /`, `/TASS./`, `/TASS, Maxim Allanazarov/`."""
    if inner is None:
        return None
    return inner.split(",")[0].rstrip(" .") or None


def _is_capitals(place: str) -> bool:
    """Whether a place is written in capitals, as wire datelines are: "SAO PAULO"."""
    return any(c.isupper() for c in place) and not any(c.islower() for c in place)


def _each_part_capitalised(regions: str) -> bool:
    """Whether every region has a capitalised word: "Iraq", "occupied West Bank"."""
    parts = [p for p in re.split(r"[,/()]", regions) if p.strip()]
    return all(any(w[0].isupper() for w in p.split()) for p in parts)


def _read_month(token: str) -> int | None:
    """Return the month a token names, allowing abbreviations and one typo.

    `Feb`, `APril`, `Marc`, `Apri`, `Sept` are prefixes of a month name; `ABR`
    is Spanish; `Macrh`, `Mach`, `Narch`, `Juen`, `Jne` and `Junee` (all in
    Reuters-21578) are one edit away from one. None if no month or several fit.
    """
    t = token.lower().rstrip(".")
    if len(t) < 3:
        return None
    found = {
        i % 12 + 1
        for i, name in enumerate(_MONTHS + _SPANISH_MONTHS)
        if name.startswith(t)
    }
    if not found:
        # Not `may`: `say`, `way` and `day` are one edit from it.
        found = {
            i + 1
            for i, name in enumerate(_MONTHS)
            if name != "may" and _one_edit(t, name)
        }
    return found.pop() if len(found) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` is `b` with one letter added, dropped, changed or swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
    return a[i + 1 :] == b[i + 1 :] or swapped
