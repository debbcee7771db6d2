"""What a reader sees of a parsed page: an element's text, and what follows it.

`element_text` gives one element's text (a heading, a byline, a paragraph);
`following_elements` and `text_after` walk on from an element in document
order, as the eye reads down from the headline, past scripts and styles.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["element_text", "following_elements", "skipped", "text_after"]


def element_text(element: HtmlElement) -> str:
    """Return the element's visible text, its parts spaced, whitespace collapsed.

    Parts are joined with a space, so that a byline's name and the share
    buttons after it stay apart: `Michael Hingston facebook twitter`.
    """
    return " ".join(" ".join(_VISIBLE(element)).split())


_VISIBLE = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]")


def following_elements(element: HtmlElement) -> Iterator[HtmlElement]:
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
        yield from (inner for inner in node.iter() if not skipped(inner))


def text_after(element: HtmlElement, limit: int) -> str:
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
        if not skipped(node):
            if node.text:
                yield node.text
            for child in node:
                yield from _inner_text(child)


def _inner_text(element: HtmlElement) -> Iterator[str]:
    """Yield the visible text of `element`, then its tail."""
    if not skipped(element):
        if element.text:
            yield element.text
        for child in element:
            yield from _inner_text(child)
    if element.tail:
        yield element.tail


_SKIP = frozenset({"script", "style", "noscript", "template", "svg"})


def skipped(element: HtmlElement) -> bool:
    """Is this a comment, a script or other markup that shows no text?"""
    return not isinstance(element.tag, str) or element.tag in _SKIP
