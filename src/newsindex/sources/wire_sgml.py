"""Wire-service SGML: Reuters-21578 (`<REUTERS>`) and TREC (`<DOC>`) collections.

A story's text is its elements' text in order, tags removed: the title line,
the byline, then the dateline running into the body (`SALVADOR, Feb 26 -
Showers continued...`), as the ingester reads a plain wire story. Character
references are unescaped (`&lt;SRD>` -> `<SRD>`), and the wire's control
characters (`&#2;` start of text, `&#3;` end, `&#22;`, `&#31;`, ...) removed.

Reuters-21578 (README.txt of the distribution, section VI):

    <REUTERS ... NEWID="4">  <DATE>26-FEB-1987 15:07:13.72</DATE> ...
    <TEXT>&#2;
    <TITLE>...</TITLE> <AUTHOR>    by Janie Gabbett, Reuters</AUTHOR>
    <DATELINE>    LOS ANGELES, Feb 26 - </DATELINE><BODY>...</BODY></TEXT>

`<TEXT TYPE="BRIEF">` stories are a headline alone (`******<TITLE>...</TITLE>
Blah blah blah.`): their text is the headline, without the flash asterisks and
the collection's filler line. TREC documents (AP, WSJ, FT, LA Times, FBIS):

    <DOC> <DOCNO> AP880212-0001 </DOCNO> <HEAD>...</HEAD> <BYLINE>...</BYLINE>
    <DATELINE>JERUSALEM (AP) </DATELINE> <TEXT> ... </TEXT> </DOC>
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

from msgspec.structs import replace

from newsindex.dates import parse_date_text
from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip, format_when
from newsindex.sources.base import ReaderOptions

__all__ = ["read_sgml"]

_RECORD_START = re.compile(rb"<(REUTERS|DOC)(?=[\s>])[^>]*>", re.IGNORECASE)
_RECORD_END = {
    name: re.compile(rb"</" + name.encode() + rb"\s*>", re.IGNORECASE)
    for name in ("REUTERS", "DOC")
}
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*"([^"]*)\"""")
_TAG = re.compile(r"</?[A-Za-z][\w.-]*(?:\s[^<>]*)?>")
_BLOCK_TAG = re.compile(r"</?P\s*>", re.IGNORECASE)  # LA Times paragraphs
_REFERENCE = re.compile(
    r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));"
)
# C0 and C1 control characters but tab and newline: wire codes, not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")

# The flash marks before a brief's headline, and the filler line Reuters-21578
# puts after it (1,269 of its 1,463 briefs): `******<TITLE>...</TITLE>Blah blah
# blah.`
_FLASH_MARKS = re.compile(r"^\*+(?=<TITLE>)", re.IGNORECASE | re.MULTILINE)
_BRIEF_FILLER = re.compile(r"(</TITLE>)\s*Blah blah blah\.", re.IGNORECASE)
# `26-FEB-1987 15:01:01.79`; some carry a leading space, a double space or
# trailing wire codes (`27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM`).
_WIRE_DATE = re.compile(
    r"\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})"
    r"(?:\s+(\d{1,3}):(\d\d):(\d\d)(?:\.(\d{1,6}))?)?"
)
_MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip

# TREC DOCNO prefix -> the outlet, and how the DOCNO writes its date.
_TREC_COLLECTIONS: dict[str, tuple[str, str | None]] = {
    "AP": ("Associated Press", "yymmdd"),  # AP880212-0001
    "WSJ": ("The Wall Street Journal", "yymmdd"),  # WSJ870324-0001
    "FT": ("Financial Times", None),  # FT911-1
    "LA": ("Los Angeles Times", "mmddyy"),  # LA010189-0001
    "FBIS": ("Foreign Broadcast Information Service", None),  # FBIS3-1
}
_DOCNO = re.compile(r"([A-Z]+)(\d{6})?")
# Title, byline, dateline and date tags, first found first.
_TITLE_TAGS = ("HEADLINE", "HL", "HEAD", "TI")
_BYLINE_TAGS = ("BYLINE", "BY")
_DATE_TAGS = ("DATE", "DD", "DATE1")
# `FT  14 MAY 91 / (CORRECTED) Jubilee of a jet`: the FT heads every headline
# with its issue.
_FT_ISSUE = re.compile(r"FT\s+\d{1,2}\s+[A-Z]{3}\s+\d\d\s*/\s*")
_SLASHED_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d\d)")  # WSJ <DD> 03/24/87
_YEAR = re.compile(r".*?\b\d{4}\b")  # LA Times: "January 1, 1989, Sunday, ..."


def read_sgml(
    data: bytes, *, path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    """Yield one RawDocument per <REUTERS> or <DOC> record.

    `docno` is the Reuters NEWID or the TREC DOCNO, `offset` the record's byte
    offset. Raises IngestError if the file holds no such record.
    """
    if not data.strip():
        raise IngestError("empty file", path=path)
    starts = list(_RECORD_START.finditer(data))
    if not starts:
        raise IngestError("no <REUTERS> or <DOC> records", path=path)
    encoding = _encoding(data)
    for index, start in enumerate(starts):
        name = start[1].decode("ascii").upper()
        limit = starts[index + 1].start() if index + 1 < len(starts) else len(data)
        close = _RECORD_END[name].search(data, start.end(), limit)
        if close is None:
            yield Skip(display_path, f"unterminated <{name}> record", index)
            continue
        tag = start[0].decode(encoding)
        content = data[start.end() : close.start()].decode(encoding)
        content = content.replace("\r\n", "\n").replace("\r", "\n")
        if name == "REUTERS":
            doc = _reuters(tag, content, display_path, index)
        else:
            doc = _trec(content, display_path, index)
        if doc.text:
            yield replace(doc, offset=start.start())
        else:
            yield Skip(display_path, "empty text", index)


def _encoding(data: bytes) -> str:
    """UTF-8 if the file is valid UTF-8, else Latin-1, which reads any byte.

    reut2-017.sgm has one stray 0xFC byte; the collections are otherwise ASCII.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def _reuters(tag: str, content: str, display_path: str, index: int) -> RawDocument:
    meta = {"outlet": "Reuters", "outlet_evidence": "collection"}
    published = _wire_date(_element(content, "DATE") or "")
    if published:
        meta["published"] = published
        meta["published_evidence"] = "header"
    text = _element(content, "TEXT") or ""
    for name, key in (("TITLE", "title"), ("AUTHOR", "author")):
        value = _clean_line(_element(text, name))
        if value:
            meta[key] = value
    text = _BRIEF_FILLER.sub(r"\1", _FLASH_MARKS.sub("", text))
    attributes = dict(_ATTRIBUTE.findall(tag))
    return RawDocument(
        path=display_path,
        media_type="sgml",
        text=_clean(_TAG.sub("", text)).strip(),
        meta=meta,
        record=index,
        docno=attributes.get("NEWID") or None,
    )


def _trec(content: str, display_path: str, index: int) -> RawDocument:
    docno = _clean_line(_element(content, "DOCNO"))
    title = _clean_line(_first(content, _TITLE_TAGS))
    if title:
        title = _FT_ISSUE.sub("", title, count=1) or title
    bylines = [_clean_line(b) for b in _elements(content, _BYLINE_TAGS)]
    byline = ", ".join(b for b in bylines if b)
    dateline = _clean_line(_element(content, "DATELINE"))
    body = "\n\n".join(
        _paragraphs(t) for t in _elements(content, ("TEXT",)) if t.strip()
    )
    lead = f"{dateline} {body}" if dateline and body else dateline or body
    meta: dict[str, str] = {}
    if title:
        meta["title"] = title
    if byline:
        meta["author"] = byline
    if dateline and body:
        meta["dateline"] = dateline  # the text opens with it
    collection = _TREC_COLLECTIONS.get(_docno_prefix(docno))
    if collection:
        meta["outlet"] = collection[0]
        meta["outlet_evidence"] = "collection"
    published = _trec_date(_clean_line(_first(content, _DATE_TAGS)))
    published = published or _docno_date(docno)
    if published:
        meta["published"] = published
        meta["published_evidence"] = "header"
    return RawDocument(
        path=display_path,
        media_type="sgml",
        text="\n".join(part for part in (title, byline, lead) if part),
        meta=meta,
        record=index,
        docno=docno,
    )


def _element(content: str, name: str) -> str | None:
    """The content of the first <NAME ...>...</NAME> element, or None."""
    found = _elements(content, (name,))
    return found[0] if found else None


def _first(content: str, names: tuple[str, ...]) -> str | None:
    """The content of the first element of the first name present."""
    for name in names:
        found = _element(content, name)
        if found is not None and found.strip():
            return found
    return None


def _elements(content: str, names: tuple[str, ...]) -> list[str]:
    """The contents of every element of these names, in document order."""
    alternatives = "|".join(names)
    pattern = rf"<({alternatives})(?:\s[^>]*)?>(.*?)</\1\s*>"
    return [m[2] for m in re.finditer(pattern, content, re.IGNORECASE | re.DOTALL)]


def _clean(text: str) -> str:
    """Unescape character references and drop control characters."""
    return _CONTROL.sub("", _REFERENCE.sub(_unescape, text))


def _clean_line(text: str | None) -> str | None:
    """An element's text on one line: tags out, references read, spaces joined."""
    if text is None:
        return None
    return " ".join(_clean(_TAG.sub(" ", text)).split()) or None


def _paragraphs(text: str) -> str:
    """A TREC <TEXT>: <P> tags become paragraph breaks, runs of blank lines one."""
    text = _TAG.sub("", _BLOCK_TAG.sub("\n\n", text))
    return _BLANK_LINES.sub("\n\n", _clean(text)).strip()


def _unescape(match: re.Match[str]) -> str:
    """One character reference: `&lt;` -> `<`; `&#2;` (a control code) -> ``."""
    if match[3]:  # a named entity; one SGML knows and HTML does not stays as is
        return html.entities.html5.get(f"{match[3]};", match[0])
    code = int(match[1]) if match[1] else int(match[2], 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def _wire_date(text: str) -> str | None:
    """`26-FEB-1987 15:01:01.79` -> `1987-02-26T15:01:01.790000` (no zone given).

    A broken time (`31-MAR-1987 605:12:19.12`, NEWID 17192) leaves the day.
    """
    match = _WIRE_DATE.match(text)
    if match is None or match[2].lower() not in _MONTHS:
        return None
    day = _iso_day(int(match[3]), _MONTHS.index(match[2].lower()) + 1, int(match[1]))
    if day is None:
        return None
    hour, minute, second, fraction = match.groups()[3:]
    if hour is None:
        return day
    try:
        clock = time(
            int(hour), int(minute), int(second), int((fraction or "0").ljust(6, "0"))
        )
    except ValueError:
        return day
    return f"{day}T{clock.isoformat()}"


def _trec_date(text: str | None) -> str | None:
    """A TREC date tag as ISO 8601: `910514` (FT), `03/24/87` (WSJ), `1 March 1994`."""
    if not text:
        return None
    if re.fullmatch(r"\d{6}", text):
        return _six_digit_date(text, "yymmdd")
    slashed = _SLASHED_DATE.fullmatch(text)
    if slashed:
        month, day, year = slashed.groups()
        return _iso_day(int(year), int(month), int(day))
    leading = _YEAR.match(text)
    parsed = parse_date_text(leading[0]) if leading else None
    if parsed is None or parsed.precision in ("year", "month"):
        return None
    return format_when(parsed.when, parsed.precision)


def _docno_prefix(docno: str | None) -> str:
    match = _DOCNO.match(docno or "")
    return match[1] if match else ""


def _docno_date(docno: str | None) -> str | None:
    """The date a DOCNO spells: AP880212-0001 -> 1988-02-12."""
    match = _DOCNO.match(docno or "")
    if match is None or match[2] is None:
        return None
    layout = _TREC_COLLECTIONS.get(match[1], ("", None))[1]
    return _six_digit_date(match[2], layout) if layout else None


def _six_digit_date(digits: str, layout: str) -> str | None:
    a, b, c = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    if layout == "yymmdd":
        return _iso_day(a, b, c)
    return _iso_day(c, a, b)  # mmddyy


def _iso_day(year: int, month: int, day: int) -> str | None:
    if year < 100:  # TREC's collections are 1987-1994; wrap at 50 all the same
        year += 1900 if year >= 50 else 2000
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
