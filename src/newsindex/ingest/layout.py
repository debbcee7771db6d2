"""Read the layout of a plain-text article: header date, headline, byline, body.

Saved and scraped text files carry the page's furniture above the story:

    All news                              <- navigation: dropped
    18 Oct 2021, 16:46                    <- header date: a field, not body
    NATO received no official ...         <- headline: the title
    On Monday, Sergey Lavrov said ...     <- first body paragraph

The body is built from lines of the file copied unchanged (only their outer
whitespace trimmed), so each body line maps back to its place in the file
through a `Segment`.
"""

from __future__ import annotations

import re

from msgspec import Struct

from newsindex.dates import ParsedDate, find_header_date
from newsindex.ingest.boilerplate import is_boilerplate
from newsindex.ingest.dateline import parse_dateline
from newsindex.records import Segment

__all__ = ["Layout", "lay_out_text"]

_MAX_HEADLINE_WORDS = 25
_MAX_HEADLINE_CHARS = 200
_BYLINE = re.compile(r"^(?:by|von|par|por)\s+\S", re.IGNORECASE)
_DASHES = re.compile(r"\s*[-\u2010-\u2015]\s*")


class Layout(Struct, frozen=True):
    """The parts of a plain-text article, with its body's map into the file."""

    title: str | None
    body: str
    segments: tuple[Segment, ...]
    header_date: ParsedDate | None
    byline: str | None


def lay_out_text(
    text: str,
    known_title: str | None = None,
    known_date: ParsedDate | None = None,
) -> Layout:
    """Split a plain-text article into header date, title, byline and body.

    With `known_title` (from metadata) no headline is looked for; a line that
    repeats it is dropped from the body. With `known_date` (the record's own
    date field) a date opening the text is its header only when it names the
    same day, give or take one for time zones: otherwise it is the story's
    first words ("Sunday, 9 January-2011 was the day." in an RTÉ article of
    2017-03-18 in dai2017) and stays in the body. A headline-only brief (a
    wire flash, a Reuters `TYPE="BRIEF"`) keeps its headline line as its body.
    """
    title: str | None = known_title.strip() if known_title else None
    find_title = title is None
    header_date: ParsedDate | None = None
    byline: str | None = None
    parts: list[str] = []
    segments: list[Segment] = []
    body_len = 0
    blank_before = False
    headline_line: tuple[int, str] | None = None  # where the headline was written
    pos = 0
    for raw_line in text.split("\n"):
        line_start, pos = pos, pos + len(raw_line) + 1
        start, line = _trim(raw_line, line_start)
        if not line:
            blank_before = bool(parts)
            continue
        if is_boilerplate(line):
            continue
        if not parts:  # still above the story: look for its furniture
            found = find_header_date(line) if header_date is None else None
            if found is not None and not _same_day(found[0], known_date):
                found = None  # a date the story opens with, not this record's
            if found is not None:
                header_date = found[0]
                start, line = _trim(line[found[2] :], start + found[2])
                if not line:
                    continue
            if find_title and title is None and _looks_like_headline(line):
                title, headline_line = line, (start, line)
                continue
            if byline is None and _BYLINE.match(line) and len(line) < 120:
                byline = line
                continue
        if title is not None and _same_headline(line, title):
            headline_line = headline_line or (start, line)
            continue  # pages often print the headline twice
        sep = ("\n\n" if blank_before else "\n") if parts else ""
        parts.append(sep)
        body_len += len(sep)
        last = segments[-1] if segments else None
        if last and sep == "\n" and last.source_start + last.length + 1 == start:
            # The two lines sit in the file as in the body, one "\n" apart:
            # one segment, so a passage over a wrapped line still maps back.
            segments[-1] = Segment(
                body_start=last.body_start,
                source_start=last.source_start,
                length=last.length + 1 + len(line),
            )
        else:
            segments.append(
                Segment(body_start=body_len, source_start=start, length=len(line))
            )
        parts.append(line)
        body_len += len(line)
        blank_before = False
    if not parts and headline_line is not None:
        start, line = headline_line
        segments.append(Segment(body_start=0, source_start=start, length=len(line)))
        parts.append(line)
    return Layout(
        title=title if find_title else None,
        body="".join(parts),
        segments=tuple(segments),
        header_date=header_date,
        byline=byline,
    )


def _same_day(found: ParsedDate, known: ParsedDate | None) -> bool:
    """Could `found` be the header of a record dated `known` (None: unknown)?"""
    if known is None or known.precision in ("month", "year"):
        return True
    if found.precision in ("month", "year"):
        return False
    return abs((found.when.date() - known.when.date()).days) <= 1


def _trim(line: str, start: int) -> tuple[int, str]:
    stripped = line.lstrip()
    return start + len(line) - len(stripped), stripped.rstrip()


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return (
        1 < len(words) <= _MAX_HEADLINE_WORDS
        and len(line) <= _MAX_HEADLINE_CHARS
        and not line.endswith((".", ",", ";", ":", "…"))
        and next((c for c in line if c.isalpha()), "a").isupper()
        and parse_dateline(line) is None
    )


def _same_headline(a: str, b: str) -> bool:
    return _DASHES.sub(" - ", a).casefold() == _DASHES.sub(" - ", b).casefold()
