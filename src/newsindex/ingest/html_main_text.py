"""The main text of an HTML page: the story, one paragraph per line.

trafilatura finds the story's paragraphs; what it keeps that is not the
story (teasers for other stories, a trailing list of related links, site
furniture) is dropped here, and a lead it drops is put back. A page where
it finds nothing gives the paragraphs of its <article>.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsindex.ingest.boilerplate import is_boilerplate
from newsindex.ingest.html_meta import PageMeta
from newsindex.ingest.html_visible import element_text, skipped

__all__ = ["main_text"]


def main_text(tree: HtmlElement, meta: PageMeta, extracted: str) -> str:
    """Return the page's story, one paragraph per line; "" when it has none.

    `extracted` is trafilatura's main text with its default settings
    (`html_library`); what it keeps that is not the story goes, a lead it
    dropped comes back.
    """
    if not extracted.strip():
        return "\n".join(_story_lines(_fallback_text(tree)))
    lines = _story_lines(extracted)
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
        if skipped(element) or not own or key[:_LEAD_PROBE] not in _fold(own):
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
