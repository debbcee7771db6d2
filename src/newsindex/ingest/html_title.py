"""The headline of an HTML page, as the page shows it, without the site name.

A page gives its headline several times: in JSON-LD, og:title, <title> and
an <h1>, the metadata copies often with the site's name appended ("... |
ZEIT ONLINE"). `page_title` starts from trafilatura's title and prints it
as a heading gives it, or takes a heading the declared titles confirm;
`headline_element` finds that heading again, to read what is printed under it.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newsindex.ingest.html_meta import (
    PageMeta,
    clean_text,
    first_string,
    page_publisher,
)
from newsindex.ingest.html_visible import element_text, skipped

__all__ = ["headline_element", "page_title"]

_SPACE = re.compile(r"\s+")

# What separates a headline from the site name in <title> and og:title:
# "Klimaschutz: Bohren, bis es heiß wird | ZEIT ONLINE",
# "Time 4 talks » Blog Archiv » Weitere Digitalisierung der Schweizer Kinos",
# "Laufen im Winter: ... in 12 Monaten. \u203a Nordish by Nature" (single
# angle quotes, written as escapes).
_TITLE_SEPARATOR = re.compile(
    r"\s+(?:[|»«\u203a\u2039·•/~:]|::|-{1,2}|–|—)\s+|\s*\|\s*"
)
# Parts of a <title> that name a section, not the story.
_GENERIC_PARTS = frozenset(
    ["blog archive", "blog archiv", "blog", "home", "startseite", "accueil", "news"]
)
# Typographic quotes and dashes differ between a page's <h1> and its <meta>
# copies: „Arschloch“ in the heading, "Arschloch" in og:title.
_QUOTES = str.maketrans(
    dict.fromkeys("\u201e\u201c\u201d\u00ab\u00bb", '"')  # „ “ ” « »
    | dict.fromkeys("\u201a\u2018\u2019\u2039\u203a", "'")  # single quotes
    | dict.fromkeys("\u2013\u2014", "-")  # – —
    | {"\u00ad": None, "\u2026": "..."}  # soft hyphen "Deutsch­land", …
)
_MAX_HEADINGS = 5
_MIN_PART_MATCH = 10  # a heading shorter than this may match any title by chance


def page_title(
    tree: HtmlElement,
    meta: PageMeta,
    library: str | None = None,
    url: str | None = None,
) -> str | None:
    """Return the headline: trafilatura's, unless the page shows it otherwise.

    `library` is trafilatura's title. A heading (<h1>, <h2>) that gives the
    same words, or the part of it before or after a separator ("Bohren, bis
    es heiß wird" in "Klimaschutz: Bohren, bis es heiß wird | ZEIT ONLINE"
    when no heading says more), is the headline as the page prints it;
    failing that, parts the page names as its site (og:site_name, the
    publisher, the host of its URL, a domain name) are cut off. Nothing is
    guessed: on labelled pages no one here had seen, trafilatura's title
    matched 0.832 and our own choice among headings 0.752 (issue #15).
    Without a title from trafilatura, or with one that none of the page's
    declared titles (JSON-LD, og:title, <title>) holds, the page's own
    decision (`_own_title`) is taken.
    """
    declared = _declared(tree, meta)
    whole = _title_key(library or "")
    site = _site_names(meta) | _host_names(url) | _feed_names(tree)
    if not whole or (
        declared
        and not any(_gives(d, whole) for d in declared)
        and not _sole_headline(tree, whole, site | _section_parts(declared))
    ):
        # trafilatura took a heading the page's declared titles do not give
        # as their headline: "Pressemitteilungen" over a press release, the
        # blog's name "The Two-Way" in "Rail Strike Ends : The Two-Way : NPR".
        return _own_title(tree, meta)
    headings = []
    for element, text in _headings(tree):
        if _links_home(element):
            site.add(_title_key(text))
        else:
            headings.append(text)
    cut = _strip_site(library or "", site, guess=False)
    printed = _after_kicker(tree, cut)
    if printed is not None:
        return printed
    cut = _declared_part(declared, cut)
    for text in headings:
        if _title_key(text) in (whole, _title_key(cut)):
            return text
    for text in headings:
        key = _title_key(text)
        if key not in site and _is_headline_part(key, cut):
            return text
    for text in headings:
        # Two signals against one: bdzv.de's og:title is its section,
        # "Pressemitteilungen"; its <h1> and <title> give the headline. A
        # section's name is shorter than the headline that replaces it.
        key = _title_key(text)
        longer = len(key) >= max(len(whole), _MIN_PART_MATCH)
        if key not in site and any(
            _gives(d, key) or (longer and key in _title_key(d)) for d in declared
        ):
            return text
    return cut


def _sole_headline(tree: HtmlElement, key: str, site: set[str]) -> bool:
    """Is `key` the page's only <h1>, and no site, section or link home?

    verivox.de prints one <h1>, "Leasing oder Finanzierung? Jetzt Angebote
    berechnen!", under the <title> "Leasing oder Finanzierung? Rechner, Vor-
    und Nachteile | VERIVOX": the heading is what the reader sees. A blog's
    name in its only <h1>, linked home ("Four Years Remaining"), is not.
    """
    texts = []
    for heading in islice(tree.iter("h1"), _MAX_HEADINGS):
        text = clean_text(element_text(heading))
        if text:
            texts.append((heading, _title_key(text)))
    if len(texts) != 1:
        return False
    heading, text = texts[0]
    return text == key and not _is_site(text, site) and not _links_home(heading)


def _after_kicker(tree: HtmlElement, title: str) -> str | None:
    """The headline an <h1> prints after its kicker, when the title holds both.

    A kicker (a topic line, "Dachzeile") printed as the heading's first
    element, with the headline after it, is the title's first or last part:
    zeit.de's <h1> holds <span class="article-heading__kicker">Klimaschutz
    </span><span class="visually-hidden">:</span><span>Bohren, bis es heiß
    wird</span>, titled "Klimaschutz: Bohren, bis es heiß wird"; tagesschau.de's
    og:title puts its kicker last, "Daten von Rheinmetall gehackt - Interne
    Unterlagen im Netz". The page's own markup tells the kicker apart; no
    part is guessed.
    """
    cuts = list(_KICKER_SEPARATOR.finditer(title))
    if not cuts:
        return None
    first, last = cuts[0], cuts[-1]
    pairs = {
        _title_key(title[: first.start()]): _title_key(title[first.end() :]),
        _title_key(title[last.end() :]): _title_key(title[: last.start()]),
    }
    for heading in islice(tree.iter("h1"), _MAX_HEADINGS):
        if (heading.text or "").strip():
            continue
        lead = next((c for c in heading if not skipped(c)), None)
        kicker = clean_text(element_text(lead)) if lead is not None else None
        whole = clean_text(element_text(heading))
        if not kicker or not whole or not whole.startswith(kicker):
            continue
        rest = _LEADING_SEPARATOR.sub("", whole[len(kicker) :])
        longer = len(rest) > len(kicker)  # a kicker is shorter than its headline
        if longer and pairs.get(_title_key(kicker)) == _title_key(rest):
            return rest
    return None


# A kicker may end in a bare colon, "Klimaschutz: Bohren, bis es heiß wird",
# which is no separator elsewhere ("Laufen im Winter: Von „bäh!“ zu ...").
_KICKER_SEPARATOR = re.compile(rf"{_TITLE_SEPARATOR.pattern}|:\s+")
_LEADING_SEPARATOR = re.compile(r"^[\s|»«·•/~:\-–—]+")


def _declared_part(declared: list[str], title: str) -> str:
    """The part of `title` a declared title gives alone, if it is the longer part.

    swim.de's JSON-LD headline is "Lagen-Pyramide mit GA2"; its og:title,
    "Einheit der Woche | Lagen-Pyramide mit GA2 - SWIM.DE", adds the series
    before it. A part only one copy gives and shorter than the rest (bdzv.de's
    og:title, the section "Pressemitteilungen") stays a part.
    """
    whole = _title_key(title)
    for text in declared:
        key = _title_key(text)
        if key != whole and _is_headline_part(key, title):
            return text
    return title


def _gives(declared: str, key: str) -> bool:
    """Does a declared title give `key` whole, or as its headline part?"""
    return _title_key(declared) == key or _is_headline_part(key, declared)


def _is_headline_part(key: str, title: str) -> bool:
    """Is `key` the title's part before or after a separator, and its longer part?

    A site's or section's name is shorter than the headline it stands
    beside: "Dezuka Suisan: Deep-Fried Fish Cakes, Hot and Fresh" keeps its
    second half though a heading says "Dezuka Suisan".
    """
    if len(key) < _MIN_PART_MATCH:
        return False
    for cut in _TITLE_SEPARATOR.finditer(title):
        head, tail = _title_key(title[: cut.start()]), _title_key(title[cut.end() :])
        if (key, len(head) > len(tail)) in ((head, True), (tail, False)):
            return True
    return False


def _declared(tree: HtmlElement, meta: PageMeta) -> list[str]:
    """The titles the page declares: JSON-LD headline, og:title, <title>."""
    headline = next(
        (
            h
            for obj in meta.story()
            if (h := clean_text(first_string(obj.get("headline"))))
        ),
        None,
    )
    return [
        t
        for t in (
            headline,
            clean_text(meta.tag("og:title")),
            clean_text(meta.tag("twitter:title")),
            clean_text(tree.findtext(".//title")),
        )
        if t
    ]


_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?$")


def _host_names(url: str | None) -> set[str]:
    """The page's host as a title may name it: "swim.de", "swim"."""
    try:
        host = (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return set()
    host = host.casefold().removeprefix("www.")
    return {host, host.split(".")[0]} if "." in host else set()


# An RSS or Atom feed's title names the site before a separator:
# <link rel="alternate" type="application/rss+xml" title="Nordish by Nature
# &raquo; Feed"> (WordPress writes one per site and one per post's comments).
_FEEDS = etree.XPath(
    "//link[@rel='alternate'][contains(@type, 'rss') or contains(@type, 'atom')]/@title"
)
_MAX_FEEDS = 5


def _feed_names(tree: HtmlElement) -> set[str]:
    """The site's name as its feeds give it: "Nordish by Nature » Feed"."""
    names = set()
    for title in islice(_FEEDS(tree), _MAX_FEEDS):
        parts = _TITLE_SEPARATOR.split(clean_text(str(title)) or "", maxsplit=1)
        if len(parts) == 2 and parts[0].strip():
            names.add(_title_key(parts[0]))
    return names


def _own_title(tree: HtmlElement, meta: PageMeta) -> str | None:
    """The headline by the page's own signals, when trafilatura's is not."""
    declared = _declared(tree, meta)
    site = _site_names(meta) | _feed_names(tree)
    sections = _section_parts(declared)
    headings = []
    for element, text in _headings(tree):
        key = _title_key(text)
        if _links_home(element) or key in sections:
            site.add(key)  # <h1><a href="/">Four Years Remaining</a></h1>
        elif key not in site:  # "The New Republic" over a story of its own
            headings.append(text)
    keys = [_title_key(t) for t in declared]
    chosen = next((h for h in headings if _title_key(h) in keys), None)
    if chosen is None:
        chosen = next(
            (
                h
                for h in headings
                if len(h) >= _MIN_PART_MATCH
                and _title_key(h) not in site
                and any(_title_key(h) in k for k in keys)
            ),
            None,
        )
    if chosen is not None:
        return _strip_site(chosen, site, guess=False)
    title = _strip_site(declared[0], site, guess=True) if declared else None
    if title is None or _title_key(title) in site:  # "blog | Echte Demokratie Jetzt!"
        return headings[0] if headings else title
    return title


def _section_parts(declared: list[str]) -> set[str]:
    """Short parts after a title's headline: the site's or a section's name.

    "Vatican Rejects Claims : The Two-Way : NPR": a part after a separator,
    of at most four words and fewer than the part before the first
    separator. A heading that is such a part alone is a section banner.
    """
    parts: set[str] = set()
    for title in declared:
        first, *rest = _TITLE_SEPARATOR.split(title)
        for part in rest:
            words = len(part.split())
            if 0 < words <= _MAX_SECTION_WORDS and words < len(first.split()):
                parts.add(_title_key(part))
    return parts


_MAX_SECTION_WORDS = 4


def _headings(tree: HtmlElement) -> list[tuple[HtmlElement, str]]:
    found: list[tuple[HtmlElement, str]] = []
    for element in tree.iter("h1", "h2"):
        text = clean_text(element_text(element))
        if text:
            found.append((element, text))
        if len(found) >= _MAX_HEADINGS:
            break
    return found


def _links_home(heading: HtmlElement) -> bool:
    """Is this heading the site's name, linked to its home page?"""
    for link in heading.iter("a"):
        if "home" in (link.get("rel") or "").lower().split():
            return True
        # web.archive.org/web/20140226054445/http://www.time4talks.com/
        href = _WAYBACK.sub("", (link.get("href") or "").strip())
        try:
            parts = urlsplit(href)
        except ValueError:
            continue
        if href and parts.path in ("", "/") and _only_language(parts.query):
            return True
    return False


# A home page in another language is still the home page: pronats.de links
# its name to "/?locale=de-DE"; "/?p=42" is a WordPress post.
_LANGUAGE_KEYS = frozenset({"lang", "language", "locale", "hl"})


def _only_language(query: str) -> bool:
    keys = {part.partition("=")[0].casefold() for part in query.split("&") if part}
    return keys <= _LANGUAGE_KEYS


_WAYBACK = re.compile(r"^.*/web/\d+[a-z_]*/")


def _title_key(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip().casefold()


def _site_names(meta: PageMeta) -> set[str]:
    names = {meta.tag("og:site_name"), meta.tag("application-name")}
    names.add(page_publisher(meta))
    return {_title_key(n) for n in names if n} | _GENERIC_PARTS


def _strip_site(title: str, site: set[str], *, guess: bool) -> str:
    """Cut site-name parts off the ends of a title.

    Parts naming the site (og:site_name, the publisher, a heading linked home)
    go; with `guess` and no named part found, the shorter end part goes:
    "Lexikon « Nalas Löwenseiten" -> "Lexikon".
    """
    cuts = [(m.start(), m.end()) for m in _TITLE_SEPARATOR.finditer(title)]
    start, end = 0, len(title)
    removed = False
    while cuts:
        # "Enchufla Figuren - Salsa-Figuren - Rueda in Berlin": a site name may
        # hold a separator itself.
        tail = next((c for c in cuts if _is_site(title[c[1] : end], site)), None)
        if tail is not None:
            end = tail[0]
            cuts = [c for c in cuts if c[1] <= end]
        elif _is_site(title[start : cuts[0][0]], site):
            start = cuts.pop(0)[1]
        else:
            break
        removed = True
    if guess and not removed and cuts:
        if len(title[cuts[-1][1] : end]) <= len(title[start : cuts[0][0]]):
            end = cuts[-1][0]
        else:
            start = cuts[0][1]
    return title[start:end].strip() or title


def _is_site(part: str, site: set[str]) -> bool:
    """Is this part of a title a site's name: a named one, or a domain name?"""
    key = _title_key(part)
    # "Evangelisches Jugendwerk in Württemberg (ejw)": the name, its acronym.
    bare = _BRACKETED.sub("", key).strip()
    return key in site or bare in site or bool(_DOMAIN.match(key))


_BRACKETED = re.compile(r"\s*\([^()]{1,20}\)$")


def headline_element(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """Return the <h1> holding `title`, else the first <h1> with text."""
    first = None
    for heading in tree.iter("h1"):
        text = element_text(heading)
        if title is not None and text == title:
            return heading
        if first is None and text:
            first = heading
    return first
