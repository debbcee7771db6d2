"""What an HTML page says about itself: JSON-LD and <meta> tags, URL, publisher.

Pages describe themselves in several overlapping vocabularies: schema.org
JSON-LD (`{"@type": "NewsArticle", "headline": ..., "author": ...}`), Open
Graph and Twitter cards (`og:title`, `article:published_time`), Dublin Core
(`DC.date.issued`) and vendor tags (`sailthru.date`, `parsely-pub-date`).
`read_meta` gathers them once from the parsed tree; the functions below pick
the URL, publisher and language from what it found, and `html_title` and
`html_authors` pick the headline and the authors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from html import unescape
from typing import Any

from lxml.html import HtmlElement
from msgspec import Struct

__all__ = [
    "MAX_NAME",
    "PageMeta",
    "clean_text",
    "first_string",
    "json_ld_by_id",
    "page_lang",
    "page_publisher",
    "page_url",
    "read_meta",
    "schema_types",
]

_MAX_JSON_LD = 200_000  # a larger script is a data dump, not page metadata
_MAX_TITLE = 400
MAX_NAME = 200  # longer "author" or publisher text is a bio or a paragraph
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


class PageMeta(Struct, frozen=True):
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


def schema_types(obj: Mapping[str, Any]) -> frozenset[str]:
    """The casefolded schema.org types of a JSON-LD object."""
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return frozenset(
        k.rsplit("/", 1)[-1].casefold() for k in kinds if isinstance(k, str)
    )


def _rank(obj: Mapping[str, Any]) -> int:
    types = schema_types(obj)
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


def clean_text(text: str | None, limit: int = _MAX_TITLE) -> str | None:
    """Unescape entities, collapse whitespace; None for empty or overlong text."""
    if not text:
        return None
    text = _SPACE.sub(" ", unescape(text)).strip()
    return text if text and len(text) <= limit else None


def first_string(value: Any) -> str | None:
    """Return a JSON-LD string value, or the first of a list of strings."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return None


def json_ld_by_id(meta: PageMeta, ref: Any) -> Mapping[str, Any] | None:
    """Return the JSON-LD object whose `@id` is `ref`, or None."""
    return next((o for o in meta.json_ld if o.get("@id") == ref), None)


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
            publisher = json_ld_by_id(meta, publisher.get("@id")) or publisher
        name = publisher.get("name") if isinstance(publisher, dict) else publisher
        text = clean_text(first_string(name), MAX_NAME)
        if text:
            return text
    return clean_text(meta.tag("og:site_name"), MAX_NAME)


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
