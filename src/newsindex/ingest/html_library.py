"""What trafilatura alone makes of a page: its main text, headline, date, author.

One pass of `trafilatura.bare_extraction` with its metadata. These answers
are where newsindex's own decisions start (`html_main_text`, `html_title`,
`published`): on labelled pages no one here has seen, trafilatura's headline
and day carried better than rules fitted to the development pages (issue
#15), so a rule of ours overrides them only where the page gives independent
evidence against them.
"""

from __future__ import annotations

import trafilatura
from lxml.html import HtmlElement
from msgspec import Struct

__all__ = ["LibraryReading", "read_with_library"]


class LibraryReading(Struct, frozen=True):
    """trafilatura's answers for one page; None (or "") where it gives none."""

    text: str
    title: str | None
    date: str | None  # YYYY-MM-DD, as trafilatura gives it (htmldate's answer)
    author: str | None = None  # "A; B", as trafilatura joins several


_NOTHING = LibraryReading(text="", title=None, date=None)


def read_with_library(tree: HtmlElement, url: str | None = None) -> LibraryReading:
    """Return trafilatura's text, title and date for a parsed page.

    trafilatura copies the tree before it prunes it, so `tree` is unchanged.
    """
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
    )
    if doc is None or isinstance(doc, dict):
        return _NOTHING
    return LibraryReading(
        text=_string(doc.text) or "",
        title=_string(doc.title),
        date=_string(doc.date),
        author=_string(doc.author),
    )


def _string(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
