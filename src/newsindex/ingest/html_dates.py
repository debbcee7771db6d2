"""The dates of an HTML page: every dated signal, and the reading of date text.

`page_dates` yields each signal as a `DateCandidate` for
`published.choose_published`, best first: what the page declares (JSON-LD,
<meta>), what it shows (the date under the headline, a labelled date, dates
marked up in the body), its URL, and htmldate's reading. `read_date` reads
the date text pages hold, in their languages; `url_date` reads a URL's path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from datetime import UTC, datetime
from urllib.parse import urlsplit

import htmldate
import htmldate.utils
from lxml import etree
from lxml.html import HtmlElement

from newsindex.dates import ParsedDate, parse_date_text
from newsindex.ingest.evidence import LIBRARY_DATE, URL_MONTH_DAY, DateCandidate
from newsindex.ingest.html_meta import PageMeta
from newsindex.ingest.html_visible import element_text, text_after

__all__ = ["page_dates", "read_date", "url_date"]

# <meta> names of the original publication date, most specific first.
_PUBLISHED_TAGS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "published_time",
    "datepublished",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
    "citation_online_date",
    "citation_date",
    "article.published",
    "cxenseparse:recs:publishtime",
    "originalpublicationdate",
)
_MODIFIED_TAGS = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
)
_JSON_LD_DATES = (
    ("datePublished", False),
    ("dateCreated", False),
    ("uploadDate", False),  # a VideoObject's
    ("dateModified", True),
)


def page_dates(
    tree: HtmlElement,
    meta: PageMeta,
    url: str | None,
    heading: HtmlElement | None,
    html: str | None = None,
    library: str | None = None,
) -> Iterator[DateCandidate]:
    """Yield the date signals, best first: declared, shown, marked up, URL, htmldate.

    `library` is trafilatura's date for the page (`html_library`), the
    answer `published.choose_published` starts from.
    """
    for obj in meta.story():
        for key, modified in _JSON_LD_DATES:
            parsed = read_date(obj.get(key))
            if parsed is not None:
                yield DateCandidate(
                    parsed, "json-ld", modified=modified, source=f"json-ld:{key}"
                )
    for names, modified in ((_PUBLISHED_TAGS, False), (_MODIFIED_TAGS, True)):
        for name in names:
            for value in meta.tags.get(name, ()):
                parsed = read_date(value)
                if parsed is not None:
                    yield DateCandidate(
                        parsed, "meta", modified=modified, source=f"meta:{name}"
                    )
    yield from _rdfa_dates(tree)
    if heading is not None:
        yield from _date_under(heading)
    yield from _labelled_date(tree)
    yield from _marked_up_dates(tree)
    parsed = url_date(url) if url is not None else None
    if parsed is not None:
        yield DateCandidate(parsed, "url", source="url")
        if parsed.precision == "month":
            yield from _day_in_month(tree, parsed)
    own = _htmldate_tree(html) if html is not None else None
    yield from _htmldate(tree if own is None else own)
    parsed = _no_new_year(read_date(library))
    if parsed is not None:
        yield DateCandidate(parsed, "text", source=LIBRARY_DATE)


# RDFa Dublin Core on any element, as Drupal 7 writes it under a blog post's
# headline (data.gov.uk, 2014): <span property="dc:date dc:created"
# content="2014-03-04T14:38:10+00:00">Submitted by ...</span>.
_RDFA_PUBLISHED = (
    "dc:date",
    "dc:created",
    "dc:issued",
    "dcterms:created",
    "dcterms:issued",
    "dcterms:date",
    "schema:datepublished",
)
_RDFA_MODIFIED = ("dc:modified", "dcterms:modified", "schema:datemodified")
_RDFA = etree.XPath("//*[not(self::meta)][@property][@content]")
_MAX_RDFA = 20


def _rdfa_dates(tree: HtmlElement) -> Iterator[DateCandidate]:
    """Dates declared in RDFa attributes: `property="dc:date" content="..."`."""
    for element in _RDFA(tree)[:_MAX_RDFA]:
        names = (element.get("property") or "").lower().split()
        name = next((n for n in names if n in _RDFA_PUBLISHED), None)
        modified = name is None
        name = name or next((n for n in names if n in _RDFA_MODIFIED), None)
        parsed = read_date(element.get("content")) if name else None
        if parsed is not None:
            yield DateCandidate(
                parsed, "meta", modified=modified, source=f"rdfa:{name}"
            )


_TIME = r"(?:\s*(?:,|-|–|\||um|à|at)?\s*\d{1,2}[:h]\d\d(?:\s*(?:uhr|[ap]\.?m\.?))?)?"


def _date_pattern() -> str:
    month = (
        "(?:"
        + "|".join(sorted(map(re.escape, _MONTH_NUMBER), key=len, reverse=True))
        + r")(?!\w)\.?"
    )
    # A date as pages print it, with an optional time after it: 18.10.2021,
    # 2021-10-18, 17/02/2022, 18. Oktober 2021, 1er mars 2020, 20 Feb, 2020,
    # 17 de marzo de 2020, October 18, 2021.
    return (
        r"(?<![\w.])(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{4}-\d\d-\d\d"
        r"|\d{1,2}/\d{1,2}/\d{4}"
        rf"|\d{{1,2}}(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?{month},?\s+(?:de\s+)?\d{{4}}"
        rf"|{month}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}){_TIME}(?!\d)"
    )


_WINDOW = 300  # characters of page text read under the headline
_LABEL_SPAN = 30  # characters before a date where an "Updated" label counts
# Labels of a last change: "Aktualisiert am", "Mis à jour le", "Last updated".
_UPDATED = re.compile(
    r"(?:aktualisiert|geändert|updated|modified|mis\s+à\s+jour|modifié|actualizado)"
    r"\W{0,4}(?:am|on|le|el)?\s*(?:[^\W\d]{2,10}\.?,?\s*)?$",
    re.IGNORECASE,
)
_VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
)
_MAX_PAGE_TEXT = 100_000


def _date_under(heading: HtmlElement) -> Iterator[DateCandidate]:
    """The first date printed under the headline, as readers see it.

    A page prints its date in the byline block under the headline ("Stand:
    28.04.2020 18:00 Uhr" on tagesschau.de); one labelled as an update ("Last
    updated 04 Jun 2020" on pythonspeed.com) is a modification date. On the
    web-page gold this date is right on 95% of the pages that show one.
    """
    window = text_after(heading, _WINDOW)
    match = _SHOWN_DATE.search(window)
    parsed = read_date(match[0]) if match is not None else None
    if match is not None and parsed is not None:
        label = window[max(0, match.start() - _LABEL_SPAN) : match.start()]
        modified = bool(_UPDATED.search(label))
        yield DateCandidate(
            parsed, "text", modified=modified, source="text:under-headline"
        )


def _day_in_month(tree: HtmlElement, month: ParsedDate) -> Iterator[DateCandidate]:
    """The first date the page's text gives in the month its URL names.

    A URL's `/2015/08/` is an upload folder; a page that prints a day of that
    month dates itself more precisely. Used only when nothing else gives a
    day (published.py).
    """
    text = " ".join(" ".join(_VISIBLE_TEXT(tree))[:_MAX_PAGE_TEXT].split())
    for match in _SHOWN_DATE.finditer(text):
        parsed = read_date(match[0])
        if parsed is None or parsed.precision not in ("datetime", "day"):
            continue
        when = parsed.when
        if (when.year, when.month) == (month.when.year, month.when.month):
            yield DateCandidate(parsed, "text", source=URL_MONTH_DAY)
            return


def _labelled_date(tree: HtmlElement) -> Iterator[DateCandidate]:
    """The first date the page labels as its publication, anywhere in its text.

    "Mise en ligne 23 mai 2019" on arteradio.com, "Datum: 03.11.2021" on
    autohaus.de, away from the headline.
    """
    text = " ".join(" ".join(_VISIBLE_TEXT(tree))[:_MAX_PAGE_TEXT].split())
    for match in _LABELLED_DATE.finditer(text):
        parsed = read_date(match["date"])
        if parsed is not None:
            yield DateCandidate(parsed, "text", source="text:labelled")
            return


_MAX_TIMES = 1  # later <time> elements date comments and teasers


def _marked_up_dates(tree: HtmlElement) -> Iterator[DateCandidate]:
    """Dates marked up in the body: itemprop="datePublished", <time datetime>."""
    for element in tree.xpath(
        "//*[not(self::meta)][@itemprop='datePublished' or @itemprop='dateCreated'"
        " or @itemprop='dateModified']"
    ):
        value = element.get("datetime") or element.get("content")
        parsed = read_date(value or element_text(element))
        if parsed is not None:
            prop = element.get("itemprop")
            yield DateCandidate(
                parsed,
                "text",
                modified=prop == "dateModified",
                source=f"microdata:{prop}",
            )
    for element in tree.xpath("//time[@datetime]")[:_MAX_TIMES]:
        parsed = read_date(element.get("datetime"))
        if parsed is not None:
            yield DateCandidate(parsed, "text", source="time")
    for element in _DATED_CLASS(tree)[:_MAX_DATED_CLASS]:
        text = element_text(element)
        match = _SHOWN_DATE.search(text) if len(text) <= _MAX_DATED_TEXT else None
        parsed = read_date(match[0]) if match is not None else None
        if parsed is not None:
            yield DateCandidate(parsed, "text", source="text:dated-class")
            break


# Blogger's <h2 class="date-header">, WordPress's <span class="posted-on">.
_DATED_CLASS = etree.XPath(
    "//body//*[contains(@class, 'date') or contains(@class, 'Date')"
    " or contains(@class, 'datum') or contains(@class, 'time')"
    " or contains(@class, 'published') or contains(@class, 'posted-on')]"
    "[not(ancestor-or-self::*[contains(@class, 'comment')])]"
)
_MAX_DATED_CLASS = 30
_MAX_DATED_TEXT = 120


def _htmldate_tree(html: str) -> HtmlElement | None:
    """The page as htmldate's own loader reads it.

    trafilatura's loader drops what htmldate reads on some pages: on
    blog.goo.ne.jp (gold 2020-07-03) htmldate finds the day in the page's
    text as loaded by itself and nothing in trafilatura's tree.
    """
    try:
        tree = htmldate.utils.load_html(html)
    except ValueError:
        return None
    return tree if isinstance(tree, HtmlElement) else None


def _htmldate(page: HtmlElement) -> Iterator[DateCandidate]:
    """htmldate's reading: its original date, and its latest as a modification.

    Without its free-text guessing (`extensive_search=False`): on the gold,
    where htmldate alone dates a page, the guess is right on 21 pages and
    dates 25 pages the annotators found undated.
    """
    for original in (True, False):
        try:
            found = htmldate.find_date(
                deepcopy(page), extensive_search=False, original_date=original
            )
        except ValueError:  # htmldate raises on some malformed markup
            found = None
        parsed = _no_new_year(read_date(found))
        if parsed is not None:
            yield DateCandidate(
                parsed, "text", modified=not original, source="htmldate"
            )


def _no_new_year(parsed: ParsedDate | None) -> ParsedDate | None:
    """htmldate fills a bare year ("© 2004") with January 1st: keep the year."""
    if parsed is not None and (parsed.when.month, parsed.when.day) == (1, 1):
        return ParsedDate(parsed.when, "year")
    return parsed


# Date text ----------------------------------------------------------------------

# /2021/10/18/, /2021-10-18/, /20211018/, /2017/7/12/ and month-only /2021/10/.
_URL_DAY = re.compile(
    r"/((?:19|20)\d\d)(?:[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])"
    r"|/([1-9]|1[0-2])/([1-9]|[12]\d|3[01]))(?=[/_.-]|$)"
)
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")
_MAX_URL = 2048


def url_date(url: str) -> ParsedDate | None:
    """Return the date a URL's path gives, at day or month precision, or None."""
    try:
        path = urlsplit(url[:_MAX_URL]).path
    except ValueError:
        return None
    day = _URL_DAY.search(path)
    if day is not None:
        year, month, mday = int(day[1]), int(day[2] or day[4]), int(day[3] or day[5])
        try:
            return ParsedDate(datetime(year, month, mday), "day")  # noqa: DTZ001 - a calendar day, no zone
        except ValueError:  # /2021/02/30/
            return None
    month_match = _URL_MONTH.search(path)
    if month_match is None:
        return None
    first = datetime(int(month_match[1]), int(month_match[2]), 1)  # noqa: DTZ001 - as above
    return ParsedDate(first, "month")


# Month names in the languages the pages come in (English, German, French,
# Spanish, Italian, Portuguese, Dutch, Russian and Polish genitives) and their
# usual abbreviations: "18. Oktober 2021", "1er mars 2020", "17 de marzo de
# 2020", "15 августа 2016".
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene",
        "gennaio", "janeiro", "januari", "января", "stycznia"),
    2: ("february", "feb", "februar", "feber", "février", "fevrier", "févr",
        "febrero", "febbraio", "fevereiro", "februari", "февраля", "lutego"),
    3: ("march", "mar", "märz", "maerz", "mrz", "mär", "mars", "marzo", "março",
        "maart", "марта", "marca"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "апреля",
        "kwietnia"),
    5: ("may", "mai", "mayo", "maggio", "maio", "mei", "мая", "maja"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "junho", "июня",
        "czerwca"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "julho",
        "июля", "lipca"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus", "августа",
        "sierpnia"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre",
        "settembre", "setembro", "set", "сентября", "września"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre",
         "outubro", "out", "октября", "października"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "ноября",
         "listopada"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc",
         "diciembre", "dic", "dicembre", "dezembro", "декабря", "grudnia"),
}  # fmt: skip
_MONTH_NUMBER = {w: n for n, words in _MONTH_WORDS.items() for w in words}
_ENGLISH = {n: words[0].capitalize() for n, words in _MONTH_WORDS.items()}
_DATE = _date_pattern()
_SHOWN_DATE = re.compile(_DATE, re.IGNORECASE)
# Labels of publication: "Veröffentlicht am", "Datum:", "Mise en ligne",
# "Publié le", "Posted on", with a weekday allowed before the date
# ("Veröffentlicht am Montag, 18. Oktober 2021").
_LABELLED_DATE = re.compile(
    r"(?<!\w)(?:veröffentlicht|erstellt|publiziert|erschienen|datum"
    r"|mise?\s+en\s+ligne|publié|published|posted|publicado|pubblicato)"
    rf"(?:\s+(?:am|on|le|el|il))?\s*:?\s*(?:[^\W\d]+,?\s+)?(?P<date>{_DATE})",
    re.IGNORECASE,
)
_MONTH_WORD = re.compile(
    r"(?<!\w)("
    + "|".join(sorted(map(re.escape, _MONTH_NUMBER), key=len, reverse=True))
    + r")(?!\w)\.?",
    re.IGNORECASE,
)
# Words around a date that dateutil does not read: weekdays, "am", "um 14:30
# Uhr", "le", "à 14h30", "17 de marzo de 2020".
_WEEKDAY = re.compile(
    r"(?<!\w)(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes"
    r"|miércoles|jueves|viernes|sábado|domingo)(?!\w),?",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"(?<!\w)(?:(?:am|um|le|den|à|el|il)(?=\s+\d)|uhr|de|del|do)(?!\w)",
    re.IGNORECASE,
)
_FRENCH_TIME = re.compile(r"(\d{1,2})\s*h\s*(\d\d)(?!\d)")  # 14h30
_FIRST = re.compile(r"(?<!\d)1er(?!\w)")  # 1er mars
_EPOCH = re.compile(r"\d{10}(?:\d{3})?")  # seconds or milliseconds
_MAX_DATE_VALUE = 80


def read_date(value: object) -> ParsedDate | None:
    """Read a date value from a page: ISO, epoch seconds, `18. Oktober 2021`.

    Returns None for anything that is not one whole date with a 4-digit year
    (see `dates.parse_date_text`); an ISO time keeps its zone.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX_DATE_VALUE:
        return None
    if _EPOCH.fullmatch(text):
        seconds = int(text[:10])
        return ParsedDate(datetime.fromtimestamp(seconds, tz=UTC), "datetime")
    parsed = parse_date_text(text)
    if parsed is not None:
        return parsed
    text = _FIRST.sub("1", text)
    text = _MONTH_WORD.sub(lambda m: _ENGLISH[_MONTH_NUMBER[m[1].lower()]], text)
    text = _FRENCH_TIME.sub(r"\1:\2", _WEEKDAY.sub(" ", text))
    return parse_date_text(" ".join(_FILLER.sub(" ", text).split()))
