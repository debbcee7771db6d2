"""What an HTML page says about itself: JSON-LD, <meta> tags, title, authors.

Pages describe themselves in several overlapping vocabularies: schema.org
JSON-LD (`{"@type": "NewsArticle", "headline": ..., "author": ...}`), Open
Graph and Twitter cards (`og:title`, `article:published_time`), Dublin Core
(`DC.date.issued`) and vendor tags (`sailthru.date`, `parsely-pub-date`).
`read_meta` gathers them once from the parsed tree; the functions below pick
the title, authors, URL, publisher and language from what it found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newsindex.ingest.byline import normalise_byline

__all__ = [
    "PageMeta",
    "byline_names",
    "element_text",
    "page_authors",
    "page_lang",
    "page_publisher",
    "page_title",
    "page_url",
    "read_meta",
]

_MAX_JSON_LD = 200_000  # a larger script is a data dump, not page metadata
_MAX_TITLE = 400
_MAX_AUTHOR = 200  # longer "author" text is a bio or a paragraph
_SPACE = re.compile(r"\s+")

# schema.org types of the page's own story, most specific first; a WebPage
# describes the page (often with the story's dates), other types (Organization,
# BreadcrumbList, ImageObject) describe something else on it.
_ARTICLE_TYPES = frozenset(
    t.casefold()
    for t in (
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "SatiricalArticle",
        "AdvertiserContentArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "DiscussionForumPosting",
        "TechArticle",
        "ScholarlyArticle",
        "MedicalScholarlyArticle",
        "Report",
        "Review",
        "Recipe",
        "VideoObject",
        "Event",
    )
)
_PAGE_TYPES = frozenset(
    t.casefold()
    for t in ("WebPage", "ItemPage", "CollectionPage", "AboutPage", "ProfilePage")
)
_STORY, _PAGE = 0, 1  # ranks of JSON-LD objects; anything else ranks below


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The structured metadata of a page, as found, before any choice."""

    # JSON-LD objects (with @graph and lists flattened), the story first:
    # article types, then web pages, then the rest, each in page order.
    json_ld: tuple[Mapping[str, Any], ...]
    # <meta> contents keyed by lowercased name, property, itemprop or http-equiv.
    tags: Mapping[str, tuple[str, ...]]

    def tag(self, *names: str) -> str | None:
        """Return the first non-empty content of the first named tag present."""
        for name in names:
            for value in self.tags.get(name, ()):
                if value.strip():
                    return value.strip()
        return None

    def story(self) -> Iterator[Mapping[str, Any]]:
        """Yield the JSON-LD objects that describe the page or its story."""
        for obj in self.json_ld:
            if _rank(obj) <= _PAGE:
                yield obj


def read_meta(tree: HtmlElement) -> PageMeta:
    """Collect a page's <meta> tags and JSON-LD objects."""
    tags: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attr in ("name", "property", "itemprop", "http-equiv"):
            key = element.get(attr)
            if key:
                # Some pages list several: property="og:title twitter:title".
                for name in key.lower().split():
                    tags.setdefault(name, []).append(unescape(content))
    objects: list[Mapping[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            objects.extend(_flatten(_load_json(script.text or "")))
    ordered = sorted(enumerate(objects), key=lambda item: (_rank(item[1]), item[0]))
    return PageMeta(
        json_ld=tuple(obj for _, obj in ordered),
        tags={name: tuple(values) for name, values in tags.items()},
    )


def _types(obj: Mapping[str, Any]) -> frozenset[str]:
    """The casefolded schema.org types of a JSON-LD object."""
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return frozenset(
        k.rsplit("/", 1)[-1].casefold() for k in kinds if isinstance(k, str)
    )


def _rank(obj: Mapping[str, Any]) -> int:
    types = _types(obj)
    if types & _ARTICLE_TYPES:
        return _STORY
    if types & _PAGE_TYPES:
        return _PAGE
    return _PAGE + 1


def _load_json(text: str) -> Any:
    """Parse a JSON-LD script, repairing what pages commonly get wrong."""
    text = text.strip()
    if not text or len(text) > _MAX_JSON_LD:
        return None
    # `<!--{...}-->` and `//<![CDATA[ {...} //]]>` wrappers are seen in the wild.
    text = re.sub(r"^(?:<!--|//\s*<!\[CDATA\[)|(?://\s*\]\]>|-->)$", "", text).strip()
    for attempt in (text, re.sub(r",\s*([}\]])", r"\1", text)):  # trailing commas
        try:
            return json.loads(attempt, strict=False)  # raw newlines in strings
        except ValueError:
            continue
    return None


def _flatten(data: Any) -> Iterator[Mapping[str, Any]]:
    """Yield every object of a JSON-LD document: lists and @graph unrolled."""
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from _flatten(graph)
        if "@type" in data:
            yield data
        main = data.get("mainEntity")
        if isinstance(main, dict) and "@type" in main:
            yield main


def _clean(text: str | None, limit: int = _MAX_TITLE) -> str | None:
    """Unescape entities, collapse whitespace; None for empty or overlong text."""
    if not text:
        return None
    text = _SPACE.sub(" ", unescape(text)).strip()
    return text if text and len(text) <= limit else None


def _string(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return None


# Title ------------------------------------------------------------------------

# What separates a headline from the site name in <title> and og:title:
# "Klimaschutz: Bohren, bis es heiß wird | ZEIT ONLINE",
# "Time 4 talks » Blog Archiv » Weitere Digitalisierung der Schweizer Kinos".
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|»«·•/~]|::|-{1,2}|–|—)\s+|\s*\|\s*")
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
)
_MAX_HEADINGS = 5
_MIN_PART_MATCH = 10  # a heading shorter than this may match any title by chance


def page_title(tree: HtmlElement, meta: PageMeta) -> str | None:
    """Return the headline: a heading the metadata confirms, or the metadata's own.

    An <h1> or <h2> that the JSON-LD headline, og:title or <title> also gives
    is the headline as the page shows it, without site name. Failing that,
    the first of those with its site-name parts cut off.
    """
    headline = next(
        (h for obj in meta.story() if (h := _clean(_string(obj.get("headline"))))),
        None,
    )
    declared = [
        t
        for t in (
            headline,
            _clean(meta.tag("og:title")),
            _clean(meta.tag("twitter:title")),
            _clean(tree.findtext(".//title")),
        )
        if t
    ]
    site = _site_names(meta)
    headings = []
    for element, text in _headings(tree):
        if _links_home(element):  # <h1><a href="/">Four Years Remaining</a></h1>
            site.add(_title_key(text))
        else:
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


def _headings(tree: HtmlElement) -> list[tuple[HtmlElement, str]]:
    found: list[tuple[HtmlElement, str]] = []
    for element in tree.iter("h1", "h2"):
        text = _clean(element_text(element))
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
        if href and parts.path in ("", "/") and not parts.query:
            return True
    return False


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
        tail = next((c for c in cuts if _title_key(title[c[1] : end]) in site), None)
        if tail is not None:
            end = tail[0]
            cuts = [c for c in cuts if c[1] <= end]
        elif _title_key(title[start : cuts[0][0]]) in site:
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


# Authors ----------------------------------------------------------------------


def page_authors(
    tree: HtmlElement, meta: PageMeta, byline: str | None = None
) -> tuple[str, ...]:
    """Return the authors' names from the first source that names a person.

    Sources, most reliable first: JSON-LD `author` (people, not
    organisations), <meta name="author">, elements marked as the author
    (rel="author", class="byline"), and `byline`, a "By ..." line the caller
    found under the headline. The site's own name is not an author.
    """
    site = _site_keys(meta)
    sources: tuple[Callable[[], tuple[str, ...]], ...] = (
        lambda: _json_ld_authors(meta),
        lambda: _meta_authors(meta),
        lambda: _marked_up_authors(tree),
        lambda: byline_names(byline) if byline else (),
    )
    for source in sources:
        names = tuple(n for n in source() if not _not_a_person(n, site))
        if names:
            return names
    return ()


# What opens a byline and is not a name: "Von", "By", "Par", "Text:", "Autor:".
_BYLINE_LEAD = re.compile(
    r"^(?:(?:written|posted|geschrieben|verfasst|ein\s+beitrag|ein\s+artikel)\s+)?"
    r"(?:by|von|par|text|texte|autor|autorin|author|auteur|redaktion:)\b\s*:?\s*",
    re.IGNORECASE,
)
# Where the names end in German and French bylines too: a date label, a
# weekday before a date, "le 07 Mai 2020", "am 7. Juli", a month name.
_BYLINE_END = re.compile(
    r"\s(?:veröffentlicht|aktualisiert|erstellt|stand|publié|mis\s+à\s+jour|lesezeit"
    r"|foto|bild|fotos|photo)\b"
    r"|\s(?:mo|di|mi|do|fr|sa|so|lun|mar|mer|jeu|ven|sam|dim)\.?,?\s+\d"
    r"|\s(?:le|am|on|vom|du|den)\s+\d"
    r"|\s(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober"
    r"|november|dezember|janvier|février|mars|avril|juin|juillet|août"
    r"|septembre|octobre|novembre|décembre)\b",
    re.IGNORECASE,
)


def byline_names(text: str) -> tuple[str, ...]:
    """Names in a byline as pages print it: `Von Lisa Petrich Mi, 18. Oktober`."""
    text = _SPACE.sub(" ", text).strip()[:_MAX_AUTHOR]
    text = _BYLINE_LEAD.sub("", text, count=1)
    end = _BYLINE_END.search(text)
    return normalise_byline(text[: end.start()] if end else text)


# Placeholders CMSs put where an author's name goes ("No Author" on
# japantimes.co.jp is read as the name "No").
_PLACEHOLDERS = frozenset(
    {
        "admin",
        "administrator",
        "unknown",
        "unbenannt",
        "anonymous",
        "anonym",
        "null",
        "none",
        "no",
        "publisher",
        "redaktion",
        "editor",
    }
)


# Words that make a name an organisation's: a legal form or a newsroom
# ("Olympia-Verlag GmbH", "Naturstrom AG", "Redacción EC", "TVT-Redaktion").
_ORGANISATION_WORDS = frozenset(
    {
        "gmbh",
        "ag",
        "e.v",
        "e.v.",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "llc",
        "verlag",
        "redaktion",
        "redacción",
        "redaccion",
        "redazione",
        "rédaction",
        "newsroom",
    }
)


def _not_a_person(name: str, site: set[str]) -> bool:
    key = _key(name)
    if not key or name.casefold() in _PLACEHOLDERS:
        return True
    words = {w for part in name.casefold().split() for w in (part, *part.split("-"))}
    if words & _ORGANISATION_WORDS:
        return True
    # "Die Tagespresse" on dietagespresse.com, "Lecker.de" on lecker.de.
    return any(key == s or (len(key) >= _MIN_SITE_KEY and key in s) for s in site)


_MIN_SITE_KEY = 5


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _site_keys(meta: PageMeta) -> set[str]:
    names = {
        meta.tag("og:site_name"),
        meta.tag("application-name"),
        meta.tag("twitter:site"),
        page_publisher(meta),
    }
    keys = {_key(n) for n in names if n}
    return {k for k in keys if k}


def _json_ld_authors(meta: PageMeta) -> tuple[str, ...]:
    for obj in meta.story():
        names = _json_ld_names(obj.get("author"), meta)
        if names:
            return names
    return ()


def _json_ld_names(value: Any, meta: PageMeta) -> tuple[str, ...]:
    """Read a JSON-LD `author`: a string, a Person, a reference, or a list."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict) and "name" not in item and "@id" in item:
            item = _by_id(meta, item["@id"]) or item
        text: str | None = None
        if isinstance(item, str):
            text = item
        elif isinstance(item, dict):
            if _types(item) & _ORGANISATIONS:
                continue  # "author": {"@type": "Organization", "name": "LA NACION"}
            text = _string(item.get("name"))
            if text is None and isinstance(item.get("givenName"), str):
                text = f"{item['givenName']} {item.get('familyName', '')}"
        text = _clean(text, _MAX_AUTHOR)
        if text and "://" not in text:
            names.extend(normalise_byline(text))
    return tuple(dict.fromkeys(names))


_ORGANISATIONS = frozenset(
    t.casefold()
    for t in ("Organization", "NewsMediaOrganization", "Corporation", "WebSite")
)
_AUTHOR_TAGS = (
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)


def _meta_authors(meta: PageMeta) -> tuple[str, ...]:
    for tag in _AUTHOR_TAGS:
        for value in meta.tags.get(tag, ()):
            if "://" in value or not _clean(value, _MAX_AUTHOR):
                continue  # article:author often holds a profile URL
            names = normalise_byline(value)
            if names:
                return names
    return ()


def _by_id(meta: PageMeta, ref: Any) -> Mapping[str, Any] | None:
    return next((o for o in meta.json_ld if o.get("@id") == ref), None)


# Elements a page marks as its author; comment sections have their own.
_AUTHOR_XPATH = (
    "//*[@rel='author' or @itemprop='author' or contains(@class, 'author-name')"
    " or contains(@class, 'byline')]"
    "[not(ancestor-or-self::*[contains(@class, 'comment')"
    " or contains(@id, 'comment')])]"
)


def _marked_up_authors(tree: HtmlElement) -> tuple[str, ...]:
    """Names marked as authors in the page: rel="author", itemprop="author"."""
    for element in tree.xpath(_AUTHOR_XPATH):
        name_el = element.find(".//*[@itemprop='name']")
        target = name_el if name_el is not None else element
        text = _clean(target.get("content") or element_text(target), _MAX_AUTHOR)
        if text:
            names = byline_names(text)
            if names:
                return names
    return ()


def element_text(element: HtmlElement) -> str:
    """Return the element's visible text, its parts spaced, whitespace collapsed.

    Parts are joined with a space, so that a byline's name and the share
    buttons after it stay apart: `Michael Hingston facebook twitter`.
    """
    return " ".join(" ".join(_VISIBLE(element)).split())


_VISIBLE = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]")


# URL, publisher, language -------------------------------------------------------


def page_url(tree: HtmlElement, meta: PageMeta, given: str | None) -> str | None:
    """Return the page's own URL: canonical link, og:url, else the one given."""
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href.startswith(("http://", "https://")):
            return href
    og = meta.tag("og:url")
    if og and og.startswith(("http://", "https://")):
        return og
    return given


def page_publisher(meta: PageMeta) -> str | None:
    """Return the publisher: JSON-LD publisher name, else og:site_name."""
    for obj in meta.story():
        publisher = obj.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and "name" not in publisher:
            publisher = _by_id(meta, publisher.get("@id")) or publisher
        name = publisher.get("name") if isinstance(publisher, dict) else publisher
        text = _clean(_string(name), _MAX_AUTHOR)
        if text:
            return text
    return _clean(meta.tag("og:site_name"), _MAX_AUTHOR)


_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def page_lang(tree: HtmlElement, meta: PageMeta) -> str | None:
    """Return the language the page declares, as a BCP 47 tag (`de`, `fr-FR`)."""
    root = tree.getroottree().getroot()
    for value in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.tag("og:locale"),
        meta.tag("content-language", "language", "dc.language"),
    ):
        value = (value or "").strip()
        if _LANG.match(value):
            return value.replace("_", "-")
    return None
