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

from lxml.html import HtmlElement

from newsindex.ingest.html_meta import PageMeta, clean_text, first_string
from newsindex.ingest.html_site_name import (
    TITLE_SEPARATOR,
    feed_names,
    host_names,
    is_site,
    links_home,
    site_names,
    strip_site,
    title_key,
)
from newsindex.ingest.html_visible import element_text, skipped

__all__ = ["headline_element", "page_title"]

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
    publisher, the host of its URL, its feeds' titles, a domain name) are cut
    off (`html_site_name`). A kicker the <h1> prints as its first element
    goes (`_after_kicker`), and a part a declared title gives alone is kept
    (`_declared_part`). Nothing is guessed: on labelled pages no one here had
    seen, trafilatura's title matched 0.832 and our own choice among headings
    0.752 (issue #15). Without a title from trafilatura, or with one that
    none of the page's declared titles (JSON-LD, og:title, <title>) holds
    and that is not the page's only <h1> (`_sole_headline`), the page's own
    decision (`_own_title`) is taken.
    """
    declared = _declared(tree, meta)
    whole = title_key(library or "")
    site = site_names(meta) | host_names(url) | feed_names(tree)
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
        if links_home(element):
            site.add(title_key(text))
        else:
            headings.append(text)
    cut = strip_site(library or "", site, guess=False)
    printed = _after_kicker(tree, cut)
    if printed is not None:
        return printed
    cut = _declared_part(declared, cut)
    for text in headings:
        if title_key(text) in (whole, title_key(cut)):
            return text
    for text in headings:
        key = title_key(text)
        if key not in site and _is_headline_part(key, cut):
            return text
    for text in headings:
        # Two signals against one: bdzv.de's og:title is its section,
        # "Pressemitteilungen"; its <h1> and <title> give the headline. A
        # section's name is shorter than the headline that replaces it.
        key = title_key(text)
        longer = len(key) >= max(len(whole), _MIN_PART_MATCH)
        if key not in site and any(
            _gives(d, key) or (longer and key in title_key(d)) for d in declared
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
            texts.append((heading, title_key(text)))
    if len(texts) != 1:
        return False
    heading, text = texts[0]
    return text == key and not is_site(text, site) and not links_home(heading)


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
        title_key(title[: first.start()]): title_key(title[first.end() :]),
        title_key(title[last.end() :]): title_key(title[: last.start()]),
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
        if longer and pairs.get(title_key(kicker)) == title_key(rest):
            return rest
    return None


# A kicker may end in a bare colon, "Klimaschutz: Bohren, bis es heiß wird",
# which is no separator elsewhere ("Laufen im Winter: Von „bäh!“ zu ...").
_KICKER_SEPARATOR = re.compile(rf"{TITLE_SEPARATOR.pattern}|:\s+")
_LEADING_SEPARATOR = re.compile(r"^[\s|»«·•/~:\-–—]+")


def _declared_part(declared: list[str], title: str) -> str:
    """The part of `title` a declared title gives alone, if it is the longer part.

    swim.de's JSON-LD headline is "Lagen-Pyramide mit GA2"; its og:title,
    "Einheit der Woche | Lagen-Pyramide mit GA2 - SWIM.DE", adds the series
    before it. A part only one copy gives and shorter than the rest (bdzv.de's
    og:title, the section "Pressemitteilungen") stays a part.
    """
    whole = title_key(title)
    for text in declared:
        key = title_key(text)
        if key != whole and _is_headline_part(key, title):
            return text
    return title


def _gives(declared: str, key: str) -> bool:
    """Does a declared title give `key` whole, or as its headline part?"""
    return title_key(declared) == key or _is_headline_part(key, declared)


def _is_headline_part(key: str, title: str) -> bool:
    """Is `key` the title's part before or after a separator, and its longer part?

    A site's or section's name is shorter than the headline it stands
    beside: "Dezuka Suisan: Deep-Fried Fish Cakes, Hot and Fresh" keeps its
    second half though a heading says "Dezuka Suisan".
    """
    if len(key) < _MIN_PART_MATCH:
        return False
    for cut in TITLE_SEPARATOR.finditer(title):
        head, tail = title_key(title[: cut.start()]), title_key(title[cut.end() :])
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


def _own_title(tree: HtmlElement, meta: PageMeta) -> str | None:
    """The headline by the page's own signals, when trafilatura's is not."""
    declared = _declared(tree, meta)
    site = site_names(meta) | feed_names(tree)
    sections = _section_parts(declared)
    headings = []
    for element, text in _headings(tree):
        key = title_key(text)
        if links_home(element) or key in sections:
            site.add(key)  # <h1><a href="/">Four Years Remaining</a></h1>
        elif key not in site:  # "The New Republic" over a story of its own
            headings.append(text)
    keys = [title_key(t) for t in declared]
    chosen = next((h for h in headings if title_key(h) in keys), None)
    if chosen is None:
        chosen = next(
            (
                h
                for h in headings
                if len(h) >= _MIN_PART_MATCH
                and title_key(h) not in site
                and any(title_key(h) in k for k in keys)
            ),
            None,
        )
    if chosen is not None:
        return strip_site(chosen, site, guess=False)
    title = strip_site(declared[0], site, guess=True) if declared else None
    if title is None or title_key(title) in site:  # "blog | Echte Demokratie Jetzt!"
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
        first, *rest = TITLE_SEPARATOR.split(title)
        for part in rest:
            words = len(part.split())
            if 0 < words <= _MAX_SECTION_WORDS and words < len(first.split()):
                parts.add(title_key(part))
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
