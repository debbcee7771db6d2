"""An HTML page -> its main text and metadata (`PageExtract`), parsed once.

The page is parsed once, with trafilatura's loader (it repairs what libxml2
refuses), and the tree is shared by the modules that read it: `html_library`
gives trafilatura's own answers, where the decisions start; `html_meta`
reads what the page declares, `html_title` and `html_authors` pick the
headline and the authors, `html_main_text` the story (trafilatura copies the
tree before extracting it), and `html_dates` every dated signal as a
`DateCandidate` for `published.choose_published` (htmldate copies what it
prunes).
"""

from __future__ import annotations

import re

import trafilatura
from lxml.html import HtmlElement
from msgspec.structs import replace

from newsindex.ingest.evidence import PageExtract
from newsindex.ingest.html_authors import byline_under, page_authors
from newsindex.ingest.html_dates import page_dates, read_date, url_date
from newsindex.ingest.html_library import read_with_library
from newsindex.ingest.html_main_text import main_text
from newsindex.ingest.html_meta import page_lang, page_publisher, page_url, read_meta
from newsindex.ingest.html_title import headline_element, page_title

# read_date and url_date live in html_dates; they stay importable from here.
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
    library = read_with_library(tree, own_url)
    title = page_title(tree, meta, library.title, own_url)
    heading = headline_element(tree, title)
    byline = byline_under(heading) if heading is not None else None
    dates = page_dates(tree, meta, own_url, heading, html, library.date)
    text = main_text(tree, meta, library.text)
    authors = page_authors(
        tree, meta, byline, own_url, text=text, library=library.author
    )
    return PageExtract(
        title=title,
        text=text,
        url=own_url,
        authors=authors,
        publisher=page_publisher(meta),
        dates=tuple(dates),
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
