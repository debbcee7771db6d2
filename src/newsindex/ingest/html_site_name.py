"""The site's name as a page gives it, and the parts of a title that name it.

A <title> or og:title often appends the site's name to the headline
("... | ZEIT ONLINE"). The page names its site in several places, each a
piece of evidence `strip_site` cuts by: og:site_name, application-name and
the JSON-LD publisher (`site_names`), the host of its URL (`host_names`),
the titles of its RSS and Atom feeds (`feed_names`), and a heading linked
to its home page (`links_home`). A title part is never cut on a guess.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newsindex.ingest.html_meta import PageMeta, clean_text, page_publisher

__all__ = [
    "TITLE_SEPARATOR",
    "feed_names",
    "host_names",
    "is_site",
    "links_home",
    "site_names",
    "strip_site",
    "title_key",
]

_SPACE = re.compile(r"\s+")

# What separates a headline from the site name in <title> and og:title:
# "Klimaschutz: Bohren, bis es heiß wird | ZEIT ONLINE",
# "Time 4 talks » Blog Archiv » Weitere Digitalisierung der Schweizer Kinos",
# "Laufen im Winter: ... in 12 Monaten. \u203a Nordish by Nature" (the single
# angle quotes are escaped here, where they look like < and >).
TITLE_SEPARATOR = re.compile(r"\s+(?:[|»«\u203a\u2039·•/~:]|::|-{1,2}|–|—)\s+|\s*\|\s*")
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
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?$")


def host_names(url: str | None) -> set[str]:
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


def feed_names(tree: HtmlElement) -> set[str]:
    """The site's name as its feeds give it: "Nordish by Nature » Feed"."""
    names = set()
    for title in islice(_FEEDS(tree), _MAX_FEEDS):
        parts = TITLE_SEPARATOR.split(clean_text(str(title)) or "", maxsplit=1)
        if len(parts) == 2 and parts[0].strip():
            names.add(title_key(parts[0]))
    return names


def links_home(heading: HtmlElement) -> bool:
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


def title_key(text: str) -> str:
    """Fold a title or part of one for comparison: quotes, dashes, case, spaces."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip().casefold()


def site_names(meta: PageMeta) -> set[str]:
    """The names the page's metadata gives its site, and generic section names."""
    names = {meta.tag("og:site_name"), meta.tag("application-name")}
    names.add(page_publisher(meta))
    return {title_key(n) for n in names if n} | _GENERIC_PARTS


def strip_site(title: str, site: set[str], *, guess: bool) -> str:
    """Cut site-name parts off the ends of a title.

    Parts naming the site (og:site_name, the publisher, a heading linked home)
    go; with `guess` and no named part found, the shorter end part goes:
    "Lexikon « Nalas Löwenseiten" -> "Lexikon".
    """
    cuts = [(m.start(), m.end()) for m in TITLE_SEPARATOR.finditer(title)]
    start, end = 0, len(title)
    removed = False
    while cuts:
        # "Enchufla Figuren - Salsa-Figuren - Rueda in Berlin": a site name may
        # hold a separator itself.
        tail = next((c for c in cuts if is_site(title[c[1] : end], site)), None)
        if tail is not None:
            end = tail[0]
            cuts = [c for c in cuts if c[1] <= end]
        elif is_site(title[start : cuts[0][0]], site):
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


def is_site(part: str, site: set[str]) -> bool:
    """Is this part of a title a site's name: a named one, or a domain name?"""
    key = title_key(part)
    # "Evangelisches Jugendwerk in Württemberg (ejw)": the name, its acronym.
    bare = _BRACKETED.sub("", key).strip()
    return key in site or bare in site or bool(_DOMAIN.match(key))


_BRACKETED = re.compile(r"\s*\([^()]{1,20}\)$")
