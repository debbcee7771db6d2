"""An HTML page -> its main text and metadata (`PageExtract`), parsed once.

The page is parsed once, with trafilatura's loader (it repairs what libxml2
refuses), and the tree is shared: `html_meta` reads what the page declares,
htmldate reads the tree (and copies what it prunes), trafilatura copies it
before extracting the main text, and the rest is read here from the tree:
the date and byline printed under the headline, labelled dates, and every
dated signal as a `DateCandidate` for `published.choose_published`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import htmldate
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from newsindex.dates import ParsedDate, parse_date_text
from newsindex.ingest.boilerplate import is_boilerplate
from newsindex.ingest.evidence import DateCandidate, PageExtract
from newsindex.ingest.html_meta import (
    PageMeta,
    element_text,
    page_authors,
    page_lang,
    page_publisher,
    page_title,
    page_url,
    read_meta,
)

__all__ = ["extract_page", "read_date", "url_date"]

_EMPTY = PageExtract(
    title=None, text="", url=None, authors=(), publisher=None, dates=(), lang=None
)


def extract_page(html: str, url: str | None = None) -> PageExtract:
    """Return the main text and metadata of an HTML page.

    `url` is where the page came from, if known; the page's own canonical URL
    wins over it. A page with no main text gives text "": this never raises
    on bad markup.
    """
    tree = _parse(html)
    if tree is None:
        return replace(_EMPTY, url=url)
    meta = read_meta(tree)
    own_url = page_url(tree, meta, url)
    title = page_title(tree, meta)
    heading = _headline(tree, title)
    byline = _byline(heading) if heading is not None else None
    return PageExtract(
        title=title,
        text=_main_text(tree, meta),
        url=own_url,
        authors=page_authors(tree, meta, byline),
        publisher=page_publisher(meta),
        dates=tuple(_dates(tree, meta, own_url, heading)),
        lang=page_lang(tree, meta),
    )


_TAG = re.compile(r"<[A-Za-z!/?]")


def _parse(html: str) -> HtmlElement | None:
    """Parse a page with trafilatura's loader; None for what is not a page.

    The loader refuses text without markup and a lone fragment it cannot
    tell from text; an XML prolog with entity definitions (a "billion laughs"
    file) is not expanded.
    """
    if not _TAG.search(html):
        return None
    try:
        tree = trafilatura.load_html(html)
    except (ValueError, TypeError):  # lxml refuses some input outright
        return None
    return tree if isinstance(tree, HtmlElement) else None


# Main text --------------------------------------------------------------------


def _main_text(tree: HtmlElement, meta: PageMeta) -> str:
    # favor_precision: on the web-page gold it passes 369 of 488 pages' snippet
    # checks against 365 by default and 357 with favor_recall, and is faster.
    doc = trafilatura.bare_extraction(
        tree,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
        favor_precision=True,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not isinstance(text, str) or not text.strip():
        return "\n".join(_story_lines(_fallback_text(tree)))
    lines = _story_lines(text)
    lead = _lead(tree, meta, lines)
    return "\n".join([lead, *lines] if lead else lines)


# A line that sends the reader to another story: "Lea también: ...",
# "Read more: ...", "LE PUEDE INTERESAR: ...", "Lesen Sie auch: ...".
_TEASER = re.compile(
    r"^(?:>>|»)?\s*(?:lea(?:\s+(?:también|más))?|lee\s+también|read\s+(?:more|also)"
    r"|also\s+read|see\s+also|lesen\s+sie\s+(?:auch|hier|mehr)|auch\s+lesen"
    r"|mehr\s+(?:dazu|zum\s+thema)|siehe\s+auch|le\s+puede\s+interesar|puedes\s+ver"
    r"|vea\s+también|mira\s+también|lire\s+aussi|à\s+lire\s+(?:aussi|également)"
    r"|voir\s+aussi|leggi\s+anche|leia\s+também)\s*[:|>»]"
    r"|^>>.*<<$",  # ">> Wegen Corona: Danni Büchner muss ... schließen <<"
    re.IGNORECASE,
)
_MAX_TEASER = 200
# A heading over links to other stories: "NOTAS RELACIONADAS", "Empfohlene
# Beiträge", "Das Thema könnte dich auch interessieren:".
_RELATED = re.compile(
    r"^(?:notas?\s+relacionadas?|contenido\s+relacionado|empfohlene\s+beiträge"
    r"|weitere\s+(?:themen|beiträge|artikel|nachrichten)\b.*"
    r"|mehr\s+(?:themen|zum\s+thema|artikel)\b.*"
    r"|das\s+(?:thema\s+)?könnte\s+(?:dich|sie)\s+auch\s+interessieren"
    r"|lesen\s+sie\s+auch.*|related\s+(?:articles|stories|posts|content)"
    r"|more\s+(?:stories|from)\b.*|à\s+lire\s+aussi|sur\s+le\s+même\s+sujet"
    r"|articles?\s+similaires|ähnliche\s+(?:artikel|beiträge))\s*:?$",
    re.IGNORECASE,
)
_MAX_HEADING = 80


def _story_lines(text: str) -> list[str]:
    """One paragraph per line, without teasers, furniture or a trailing link list.

    A "related stories" heading in the second half of the text ends the story:
    what follows it are other stories' headlines (larepublica.net).
    """
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    kept: list[str] = []
    for number, line in enumerate(lines):
        if len(line) <= _MAX_HEADING and _RELATED.match(line):
            if number >= len(lines) / 2:
                break
            continue
        if len(line) <= _MAX_TEASER and _TEASER.match(line):
            continue
        if not is_boilerplate(line):
            kept.append(line)
    return kept


_LEAD_KEY = 60  # characters of the description that must open the lead
_LEAD_PROBE = 20  # characters an element's own text must share with it
_MAX_LEAD = 1500


def _lead(tree: HtmlElement, meta: PageMeta, lines: list[str]) -> str | None:
    """The standfirst under the headline, when the extraction left it out.

    trafilatura drops a lead set apart from the body (class="lead", "intro");
    the page's description repeats it. When the page shows the description's
    text and the main text lacks it, the element showing it gives the first
    paragraph (alpin.de, dbjr.de, chemietechnik.de in the web-page gold: 27
    pages miss a `with` snippet that only the lead holds).
    """
    description = meta.tag("og:description", "description", "twitter:description")
    key = _fold(description or "").rstrip(" .…")[:_LEAD_KEY]
    if len(key) < _LEAD_KEY // 2 or any(key in _fold(line) for line in lines):
        return None
    body = next(tree.iter("body"), tree)
    for element in body.iter():
        own = element.text
        if _skipped(element) or not own or key[:_LEAD_PROBE] not in _fold(own):
            continue
        node: HtmlElement | None = element
        while node is not None:
            text = element_text(node)
            if len(text) > _MAX_LEAD:
                break
            if _fold(text).startswith(key):
                return text
            node = node.getparent()
    return None


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


_MIN_PARAGRAPH_WORDS = 5


def _fallback_text(tree: HtmlElement) -> str:
    """Paragraphs of the <article> (or the page) when trafilatura finds none."""
    scope = next(tree.iter("article"), tree)
    paragraphs = (element_text(p) for p in scope.iter("p"))
    return "\n".join(p for p in paragraphs if len(p.split()) >= _MIN_PARAGRAPH_WORDS)


# Under the headline ---------------------------------------------------------------

_SKIP = frozenset({"script", "style", "noscript", "template", "svg"})
# "Von Lisa Petrich", "By Perry Bacon Jr.", "Par Matthieu Hy", "Text: Anna Meier".
_BYLINE = re.compile(
    r"^(?:by|von|par|text|texte|autor|autorin|author|auteur|written\s+by"
    r"|geschrieben\s+von|ein\s+beitrag\s+von)\s*:?\s+\S",
    re.IGNORECASE,
)
_MAX_BYLINE = 120
_BYLINE_ELEMENTS = 40  # elements looked at under the headline


def _headline(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The <h1> holding the title, else the first <h1> with text."""
    first = None
    for heading in tree.iter("h1"):
        text = element_text(heading)
        if title is not None and text == title:
            return heading
        if first is None and text:
            first = heading
    return first


def _byline(heading: HtmlElement) -> str | None:
    """The first short element under the headline opening with "By", "Von"."""
    for count, element in enumerate(_following_elements(heading)):
        if count >= _BYLINE_ELEMENTS:
            break
        text = element_text(element)
        if len(text) <= _MAX_BYLINE and _BYLINE.match(text):
            return text
    return None


def _following_elements(element: HtmlElement) -> Iterator[HtmlElement]:
    """Yield the elements after `element` in document order, skipping scripts."""
    node: HtmlElement | None = element
    while node is not None:
        sibling = node.getnext()
        while sibling is None:
            node = node.getparent()
            if node is None:
                return
            sibling = node.getnext()
        node = sibling
        yield from (inner for inner in node.iter() if not _skipped(inner))


def _text_after(element: HtmlElement, limit: int) -> str:
    """Return up to `limit` characters of the visible text following `element`."""
    parts: list[str] = []
    size = 0
    for chunk in _following_text(element):
        parts.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return " ".join(" ".join(parts).split())[:limit]


def _following_text(element: HtmlElement) -> Iterator[str]:
    """Yield the visible text after `element`, in document order."""
    node: HtmlElement | None = element
    while node is not None:
        if node.tail:
            yield node.tail
        sibling = node.getnext()
        while sibling is None:
            node = node.getparent()
            if node is None:
                return
            if node.tail:
                yield node.tail
            sibling = node.getnext()
        node = sibling  # its tail comes at the top of the next round
        if not _skipped(node):
            if node.text:
                yield node.text
            for child in node:
                yield from _inner_text(child)


def _inner_text(element: HtmlElement) -> Iterator[str]:
    """Yield the visible text of `element`, then its tail."""
    if not _skipped(element):
        if element.text:
            yield element.text
        for child in element:
            yield from _inner_text(child)
    if element.tail:
        yield element.tail


def _skipped(element: HtmlElement) -> bool:
    return not isinstance(element.tag, str) or element.tag in _SKIP


# Date signals -------------------------------------------------------------------

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


def _dates(
    tree: HtmlElement, meta: PageMeta, url: str | None, heading: HtmlElement | None
) -> Iterator[DateCandidate]:
    """Every date signal, best first: declared, shown, marked up, URL, htmldate."""
    for obj in meta.story():
        for key, modified in _JSON_LD_DATES:
            parsed = read_date(obj.get(key))
            if parsed is not None:
                yield DateCandidate(parsed, "json-ld", modified=modified)
    for names, modified in ((_PUBLISHED_TAGS, False), (_MODIFIED_TAGS, True)):
        for name in names:
            for value in meta.tags.get(name, ()):
                parsed = read_date(value)
                if parsed is not None:
                    yield DateCandidate(parsed, "meta", modified=modified)
    if heading is not None:
        yield from _date_under(heading)
    yield from _labelled_date(tree)
    yield from _marked_up_dates(tree)
    parsed = url_date(url) if url is not None else None
    if parsed is not None:
        yield DateCandidate(parsed, "url")
    yield from _htmldate(tree)


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
    r"\W{0,4}(?:am|on|le|el)?\s*$",
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
    window = _text_after(heading, _WINDOW)
    match = _SHOWN_DATE.search(window)
    parsed = read_date(match[0]) if match is not None else None
    if match is not None and parsed is not None:
        label = window[max(0, match.start() - _LABEL_SPAN) : match.start()]
        yield DateCandidate(parsed, "text", modified=bool(_UPDATED.search(label)))


def _labelled_date(tree: HtmlElement) -> Iterator[DateCandidate]:
    """The first date the page labels as its publication, anywhere in its text.

    "Mise en ligne 23 mai 2019" on arteradio.com, "Datum: 03.11.2021" on
    autohaus.de, away from the headline.
    """
    text = " ".join(" ".join(_VISIBLE_TEXT(tree))[:_MAX_PAGE_TEXT].split())
    for match in _LABELLED_DATE.finditer(text):
        parsed = read_date(match["date"])
        if parsed is not None:
            yield DateCandidate(parsed, "text")
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
            modified = element.get("itemprop") == "dateModified"
            yield DateCandidate(parsed, "text", modified=modified)
    for element in tree.xpath("//time[@datetime]")[:_MAX_TIMES]:
        parsed = read_date(element.get("datetime"))
        if parsed is not None:
            yield DateCandidate(parsed, "text")
    for element in _DATED_CLASS(tree)[:_MAX_DATED_CLASS]:
        text = element_text(element)
        match = _SHOWN_DATE.search(text) if len(text) <= _MAX_DATED_TEXT else None
        parsed = read_date(match[0]) if match is not None else None
        if parsed is not None:
            yield DateCandidate(parsed, "text")
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


def _htmldate(tree: HtmlElement) -> Iterator[DateCandidate]:
    """htmldate's reading: its original date, and its latest as a modification.

    Without its free-text guessing (`extensive_search=False`): on the gold,
    where htmldate alone dates a page, the guess is right on 21 pages and
    dates 25 pages the annotators found undated.
    """
    for original in (True, False):
        try:
            found = htmldate.find_date(
                tree, extensive_search=False, original_date=original
            )
        except ValueError:  # htmldate raises on some malformed markup
            found = None
        parsed = read_date(found)
        if parsed is not None and (parsed.when.month, parsed.when.day) == (1, 1):
            # htmldate fills a bare year ("© 2004") with January 1st.
            parsed = ParsedDate(parsed.when, "year")
        if parsed is not None:
            yield DateCandidate(parsed, "text", modified=not original)


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
