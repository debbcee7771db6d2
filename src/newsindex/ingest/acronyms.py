"""Whether an acronym abbreviates a name, as news writes acronyms.

An acronym takes each content word's initial, and sometimes a few more
letters of the same word in order: `ICCO` is the International COCoa
Organization, `EURATOM` the EURopean ATOMic energy community only if every
word gives a letter (it does not: `Energy` gives none, so the article's
brackets must say so, `defined_after`). Minor words (`of`, `and`) may give
their initial or nothing: `OPEC`, `UNCTAD`.
"""

from __future__ import annotations

import functools
import re

__all__ = ["abbreviates", "defined_after"]

_MINOR_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "de", "&"})
_NOT_ALNUM = re.compile(r"[\W_]+")
# `Name (ACR)`, also with the closing bracket cut off or a space inside:
# Reuters `The International Coffee Organization (ICO )`.
_BRACKETED = re.compile(r"\s*\(\s*([A-Z][A-Z.&]{1,9})\s*\)?")
_MAX_WORDS = 12


def abbreviates(acronym: str, name: str) -> bool:
    """Whether `acronym` spells `name` (both as written): `ICCO`, `International
    Cocoa Organization` -> True; `ICO`, `International Cocoa Organisation` too.

    A name's words other than minor ones are capitalised.
    """
    written = name.split()
    if not all(w[0].isupper() or w.lower() in _MINOR_WORDS for w in written):
        return False  # not a name: dai2017's `government,"?said Painter` for GOP
    letters = "".join(c for c in acronym.lower() if c.isalnum())
    # A hyphenated word is one word: `Co-operation` gives the C of OECD.
    words = tuple(w for w in (_NOT_ALNUM.sub("", w) for w in name.lower().split()) if w)
    if len(words) < 2 or len(words) > _MAX_WORDS or not letters:
        return False
    return _spells(letters, words)


def defined_after(text: str, end: int) -> str | None:
    """The acronym written in brackets right after `text[:end]`, or None."""
    found = _BRACKETED.match(text, end, end + 16)
    return found[1] if found else None


@functools.cache
def _spells(letters: str, words: tuple[str, ...]) -> bool:
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if word in _MINOR_WORDS and _spells(letters, rest):
        return True
    if not letters or letters[0] != word[0]:
        return False
    # The initial, then any further letters of this word, in order.
    return any(
        _spells(letters[taken:], rest)
        for taken in range(1, len(letters) + 1)
        if _in_order(letters[1:taken], word[1:])
    )


def _in_order(part: str, word: str) -> bool:
    chars = iter(word)
    return all(c in chars for c in part)
