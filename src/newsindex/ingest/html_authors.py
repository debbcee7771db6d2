"""The authors of an HTML page: every source's candidate, then one decision.

The sources (`author_choice.AuthorSource`): JSON-LD `author`, elements
marked as the author (rel="author", itemprop="author", a class naming the
author or the byline), a "By ..." line under the headline (`byline_under`),
<meta name="author">, an "Autor:" label, a "By ..." line opening the main
text, and trafilatura's own author. Each source's names are checked
(`author_check.check_names`), and one decision among the sources,
`author_choice.choose_authors`, counts their agreement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newsindex.ingest.author_check import Site, check_names
from newsindex.ingest.author_choice import (
    AuthorCandidate,
    AuthorSource,
    choose_authors,
    name_key,
)
from newsindex.ingest.byline import normalise_byline
from newsindex.ingest.html_meta import (
    MAX_NAME,
    PageMeta,
    clean_text,
    first_string,
    json_ld_by_id,
    page_publisher,
    schema_types,
)
from newsindex.ingest.html_visible import element_text, following_elements

__all__ = ["author_candidates", "byline_names", "byline_under", "page_authors"]

_SPACE = re.compile(r"\s+")


def page_authors(
    tree: HtmlElement,
    meta: PageMeta,
    byline: str | None = None,
    url: str | None = None,
    *,
    text: str = "",
    library: str | None = None,
) -> tuple[str, ...]:
    """Return the authors' names the page's sources support best.

    `byline` is a "By ..." line the caller found under the headline, `text`
    the page's main text (one paragraph a line), `library` trafilatura's
    author ("A; B"). () when no source but trafilatura names a person.
    """
    return choose_authors(author_candidates(tree, meta, byline, url, text, library))


def author_candidates(
    tree: HtmlElement,
    meta: PageMeta,
    byline: str | None = None,
    url: str | None = None,
    text: str = "",
    library: str | None = None,
) -> tuple[AuthorCandidate, ...]:
    """Return each source's checked names, sources most reliable first.

    A source whose names are all refused gives no candidate.
    """
    site = Site(names=frozenset(_site_keys(meta)), hosts=frozenset(_host_keys(url)))
    sources: dict[AuthorSource, Callable[[], tuple[str, ...]]] = {
        "json-ld": lambda: _json_ld_authors(meta),
        "markup": lambda: _marked_up_authors(tree),
        "byline": lambda: byline_names(byline) if byline else (),
        "meta": lambda: _meta_authors(meta),
        "label": lambda: _labelled_author(tree),
        "text": lambda: _text_byline(text),
        "library": lambda: _library_authors(library),
    }
    candidates = []
    for source, read in sources.items():
        names = check_names(read(), site)
        if names:
            candidates.append(AuthorCandidate(source=source, names=names))
    return tuple(candidates)


# What opens a byline and is not a name: "Von", "By", "Par", "Text:", "Autor:".
_BYLINE_LEAD = re.compile(
    r"^(?:(?:written|posted|submitted|published|geschrieben|verfasst|erstellt"
    r"|veröffentlicht|publiziert|publié|ein\s+beitrag|ein\s+artikel)\s+)?"
    r"(?:by|von|par|text|texte|autor|autorin|author|auteur|redaktion:)\b\s*:?\s*",
    re.IGNORECASE,
)
# Where the names end in German and French bylines too: a date label, a
# weekday before a date, "le 07 Mai 2020", "am 7. Juli", a month name.
_BYLINE_END = re.compile(
    r"\s(?:veröffentlicht|aktualisiert|erstellt|stand|publié|mis\s+à\s+jour|lesezeit"
    r"|foto|bild|fotos|photo)\b"
    r"|\s(?:mo|di|mi|do|fr|sa|so|lun|mar|mer|jeu|ven|sam|dim)\.?,?\s+\d"
    r"|\s(?:le|am|on|vom|du|den)\s+(?:[^\W\d]{2,10}\.?,?\s+)?\d"
    r"|\s(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober"
    r"|november|dezember|janvier|février|mars|avril|juin|juillet|août"
    r"|septembre|octobre|novembre|décembre)\b",
    re.IGNORECASE,
)


def byline_names(text: str) -> tuple[str, ...]:
    """Names in a byline as pages print it: `Von Lisa Petrich Mi, 18. Oktober`."""
    text = _SPACE.sub(" ", text).strip()[:MAX_NAME]
    text = _BYLINE_LEAD.sub("", text, count=1)
    end = _BYLINE_END.search(text)
    return normalise_byline(_without_role(text[: end.start()] if end else text))


def _without_role(text: str) -> str:
    """Cut the role after the names: "Uta Staschewski, Projektleiterin der HSS".

    A comma-separated part with a lowercase word that is no name particle
    ("von", "de", "und") describes the author; it and what follows go.
    """
    kept = []
    for part in text.split(","):
        words = part.strip(" .").split()
        if any(w[0].islower() and w not in _NAME_PARTICLES for w in words):
            break
        kept.append(part)
    return ",".join(kept) if kept else text


def _site_keys(meta: PageMeta) -> set[str]:
    names = {
        meta.tag("og:site_name"),
        meta.tag("application-name"),
        meta.tag("twitter:site"),
        page_publisher(meta),
    }
    keys = {name_key(n) for n in names if n}
    return {k for k in keys if k}


def _host_keys(url: str | None) -> set[str]:
    """`https://www.phillyvoice.com/x` -> {"phillyvoice", "phillyvoicecom"}."""
    try:
        host = (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return set()
    labels = host.removeprefix("www.").split(".")
    # The registrable name: popsugar in popsugar.co.uk, not co.
    names = [label for label in labels[:-1] if len(label) > _SHORT_LABEL]
    if not names:
        return set()
    return {name_key(names[-1]), name_key(host.removeprefix("www."))}


_SHORT_LABEL = 3  # co, com, org, gv: second-level suffixes, not names


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
            item = json_ld_by_id(meta, item["@id"]) or item
        text: str | None = None
        if isinstance(item, str):
            text = item
        elif isinstance(item, dict):
            if schema_types(item) & _ORGANISATIONS:
                continue  # "author": {"@type": "Organization", "name": "LA NACION"}
            text = first_string(item.get("name"))
            if text is None and isinstance(item.get("givenName"), str):
                text = f"{item['givenName']} {item.get('familyName', '')}"
        text = clean_text(text, MAX_NAME)
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
            if "://" in value or not clean_text(value, MAX_NAME):
                continue  # article:author often holds a profile URL
            names = normalise_byline(value)
            if names:
                return names
    return ()


# Elements a page marks as its author: rel and itemprop, and a class naming
# the author or the byline ("author-name", "date-author", "news-list-author",
# "byline"), as trafilatura's own search does; comment sections have their
# own authors. What such an element holds is checked like any name, and a
# page's other sources outvote it (author_choice).
_AUTHOR_XPATH = (
    "//*[@rel='author' or @itemprop='author' or contains(@class, 'author')"
    " or contains(@class, 'byline')]"
    "[not(ancestor-or-self::*[contains(@class, 'comment')"
    " or contains(@id, 'comment')])]"
)


def _marked_up_authors(tree: HtmlElement) -> tuple[str, ...]:
    """Names marked as authors in the page: rel="author", itemprop="author"."""
    for element in tree.xpath(_AUTHOR_XPATH):
        name_el = element.find(".//*[@itemprop='name']")
        target = name_el if name_el is not None else element
        text = clean_text(target.get("content") or element_text(target), MAX_NAME)
        if text:
            names = byline_names(text)
            if names:
                return names
    return ()


# "Autorin: Uta Staschewski, Projektleiterin der HSS in Tunesien." at the foot
# of a story (hss.de): a line the page labels as its author, with a colon.
_AUTHOR_LABEL = re.compile(
    r"^(?:autor|autorin|autoren|author|authors|auteur|auteure|autora"
    r"|verfasser|verfasserin)\s*:\s*(?P<names>\S.*)$",
    re.IGNORECASE,
)
_LABEL_ELEMENTS = etree.XPath(
    "//body//*[self::p or self::strong or self::b or self::em or self::span"
    " or self::div or self::small]"
    "[not(ancestor-or-self::*[contains(@class, 'comment')])]"
)
_MAX_LABEL_ELEMENTS = 3000
# Lowercase words a name or a list of names may hold.
_NAME_PARTICLES = frozenset(
    [
        "von",
        "van",
        "de",
        "der",
        "den",
        "da",
        "di",
        "del",
        "della",
        "du",
        "le",
        "la",
        "bin",
        "al",
        "el",
        "ter",
        "ten",
        "zu",
        "y",
        "und",
        "and",
        "et",
    ]
)


def _labelled_author(tree: HtmlElement) -> tuple[str, ...]:
    """Names after "Autor:" in a short line anywhere in the page, role cut off."""
    for element in _LABEL_ELEMENTS(tree)[:_MAX_LABEL_ELEMENTS]:
        text = _SPACE.sub(" ", element_text(element)).strip()
        match = _AUTHOR_LABEL.match(text) if len(text) <= _MAX_BYLINE else None
        if match is None:
            continue
        # "Samuel Diekmann (Sponsored Post)": a note, not a name.
        names = byline_names(match["names"].split("(")[0])
        if names:
            return names
    return ()


# Under the headline -------------------------------------------------------------

# "Von Lisa Petrich", "By Perry Bacon Jr.", "Par Matthieu Hy", "Text: Anna Meier".
_BYLINE = re.compile(
    r"^(?:by|von|par|text|texte|autor|autorin|author|auteur|written\s+by"
    r"|submitted\s+by|posted\s+by|geschrieben\s+von|ein\s+beitrag\s+von)"
    r"\s*:?\s+\S",
    re.IGNORECASE,
)
_MAX_BYLINE = 120
_BYLINE_ELEMENTS = 40  # elements looked at under the headline


def byline_under(heading: HtmlElement) -> str | None:
    """Return the first short text under `heading` opening with "By", "Von"."""
    for count, element in enumerate(following_elements(heading)):
        if count >= _BYLINE_ELEMENTS:
            break
        text = element_text(element)
        if len(text) <= _MAX_BYLINE and _BYLINE.match(text):
            return text
    return None


def _library_authors(library: str | None) -> tuple[str, ...]:
    """trafilatura's "A; B" as names."""
    return normalise_byline(library.replace(";", ",")) if library else ()


_TEXT_LINES = 5  # lines of the main text where a byline opens the story


def _text_byline(text: str) -> tuple[str, ...]:
    """Names in a short "Von Daniela Obers" line opening the main text."""
    for line in text.splitlines()[:_TEXT_LINES]:
        line = line.strip()
        if len(line) <= _MAX_BYLINE and _BYLINE.match(line):
            return byline_names(line)
    return ()
