"""One documented decision among the author candidates a page gives.

Each source of a page's authors (JSON-LD `author`, marked-up author
elements, a "By ..." line under the headline, <meta name="author">, an
"Autor:" label, a "By ..." line opening the text, trafilatura's own author)
gives a candidate: the names it reads, each already checked
(`author_check`). The decision:

1. A name's support is the sum of the weights of the sources that name it
   (names compared without case, spacing or punctuation: "Markus M
   Haefliger" is "Markus M. Haefliger"); a candidate's support is its
   least supported name's. Agreement between sources counts for more than
   any single one: a byline naming another writer of the page (a related
   story's, an editor's) loses to two sources that agree on the author.
2. The candidate with the highest support wins; a tie goes to the more
   reliable source (`AUTHOR_SOURCES` order).
3. trafilatura's candidate (`LIBRARY`) only confirms: it reads the same
   metadata we read and otherwise guesses from class names, and alone it
   was right on 7 of the 34 development pages where it was the only source.
   It is never the answer itself, nor a fuller list (it joins every name it
   finds).
4. Co-authors one source leaves out: a kept candidate that names every
   winning author and more gives the fuller list (refinery29.com's JSON-LD
   names Sadhbh O'Sullivan, its <meta> adds Elisabeth Kochan).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from msgspec import Struct

__all__ = [
    "AUTHOR_SOURCES",
    "LIBRARY",
    "AuthorCandidate",
    "AuthorSource",
    "choose_authors",
    "name_key",
]

AuthorSource = Literal[
    "json-ld", "markup", "byline", "meta", "label", "text", "library"
]
# Most reliable first, with each source's weight: what the page states for
# machines and shows under its headline, then what a CMS fills in for every
# page of the site, then lines found in the text, then trafilatura.
_WEIGHTS: dict[AuthorSource, int] = {
    "json-ld": 3,
    "markup": 3,
    "byline": 3,
    "meta": 2,
    "label": 2,
    "text": 2,
    "library": 1,
}
AUTHOR_SOURCES: tuple[AuthorSource, ...] = tuple(_WEIGHTS)
LIBRARY: AuthorSource = "library"


class AuthorCandidate(Struct, frozen=True):
    """The checked names one source of a page gives as its authors."""

    source: AuthorSource
    names: tuple[str, ...]


def name_key(name: str) -> str:
    """Compare names without case, spacing or punctuation."""
    return "".join(c for c in name.casefold() if c.isalnum())


def choose_authors(candidates: Sequence[AuthorCandidate]) -> tuple[str, ...]:
    """Return the authors the candidates support best; () when none is kept."""
    support: dict[str, int] = {}
    for source in {c.source for c in candidates}:
        named = {name_key(n) for c in candidates if c.source == source for n in c.names}
        for key in named:
            support[key] = support.get(key, 0) + _WEIGHTS[source]
    kept = [c for c in candidates if c.names and c.source != LIBRARY]
    if not kept:
        return ()
    winner = max(
        kept,
        key=lambda c: (
            min(support[name_key(n)] for n in c.names),
            -AUTHOR_SOURCES.index(c.source),
        ),
    )
    keys = {name_key(n) for n in winner.names}
    for other in kept:
        if keys < {name_key(n) for n in other.names}:
            return other.names
    return winner.names
