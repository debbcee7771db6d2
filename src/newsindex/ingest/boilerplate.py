"""Lines that belong to the page around a story, not to the story.

Whole-line rules only: a line is boilerplate when all of it is a navigation
label (`All news`), a teaser for another story (`See also  Mexican border -
US President Biden's setback...`), a share or subscribe prompt, a cookie
notice or a copyright line. Story sentences that merely contain these words
are kept.
"""

from __future__ import annotations

import re

__all__ = ["is_boilerplate"]

_MAX_TEASER = 200  # a teaser is a headline, not a paragraph

# Exact labels, compared case-insensitively after trimming punctuation.
_LABELS = frozenset(
    label.casefold()
    for label in (
        "All news",
        "All stories",
        "Latest news",
        "More news",
        "Top stories",
        "Most read",
        "Most popular",
        "Related",
        "Related articles",
        "Related stories",
        "Related news",
        "Read more",
        "Share",
        "Share this",
        "Share this article",
        "Share this story",
        "Tweet",
        "Print",
        "Email",
        "E-mail",
        "Comments",
        "Advertisement",
        "Sponsored",
        "Skip to content",
        "Skip to main content",
        "Back to top",
        "Subscribe",
        "Sign in",
        "Log in",
        "Menu",
        "Search",
        "Home",
        "Close",
        "Accept",
        "Accept all",
        "Accept cookies",
    )
)

# A prefix that introduces a link to another story, followed by its headline.
_TEASER = re.compile(
    r"^(?:see\s+also|read\s+also|also\s+read|read\s+more|more\s+on\s+this)\b"
    r"\s*[:\-\u2013\u2014|>»]?\s*\S"
    # Words that are teasers only with a separator: "Watch: ...", "Related | ..."
    r"|^(?:related|watch|listen|more|video|photos?)\s*[:|>»]\s*\S",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"^(?:share|follow\s+us|like\s+us)\s+(?:on|via|this)\b.{0,80}$"
    r"|^(?:sign\s+up|subscribe)\b.{0,120}\bnewsletters?\b.{0,60}$",
    re.IGNORECASE,
)
_COOKIES = re.compile(r"\b(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b", re.I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b).{0,160}$", re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """Return True if the whole line is page furniture rather than story text."""
    text = line.strip()
    if not text:
        return False
    if text.strip(" .:|>»-").casefold() in _LABELS:
        return True
    if len(text) <= _MAX_TEASER and _TEASER.match(text) and not _ends_sentence(text):
        return True
    return bool(
        _SHARE.match(text) or _COPYRIGHT.match(text) or _COOKIES.search(text[:300])
    )


def _ends_sentence(text: str) -> bool:
    # A teaser is a headline: it does not end like a sentence of the story.
    return text.rstrip("\"”’' ").endswith((".", "!", "?", ":"))
