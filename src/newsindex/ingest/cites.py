"""Outlets a body names as the source of its material: "told TASS", "As per BBC".

One compiled pass finds every registry alias in the body (a trie-shaped regex,
linear in the body's length); each hit is then judged by the few words around
it, so the context patterns only ever run on short windows. A plain mention
(`the BBC building`) is not a cite, and a name outside the registry never is.

Aliases are matched as written in `outlets.json` (case matters: `AP` is a
token, `ap` is not), except that a leading `The` may be `the`. A one-word alias
such as `Reuters` or `The Guardian` does not match when a capitalised word
follows, since it is then part of another name: `the Guardian Council`,
`Bloomberg Philanthropies`, `Sputnik V`. A wire-credit trailer that closes a
paragraph and lists only aliases (`mb/rt (AFP, dpa, Reuters)`) cites each of
them; a dateline tag (`WASHINGTON (Reuters) -`) does not.
"""

from __future__ import annotations

import functools
import re
from typing import TypeAlias

from msgspec import Struct

from newsindex.ingest.outlet import OutletEntry, OutletRegistry
from newsindex.records import Cite

__all__ = ["find_cites"]


def _words(text: str) -> frozenset[str]:
    """Return the set of whitespace-separated words in `text`."""
    return frozenset(text.split())


_MAX_BODY = 2_000_000  # characters scanned; a cite beyond this is not found
_BEFORE_WINDOW = 120  # characters of context read before and after a name
_AFTER_WINDOW = 100

_APOS = "[’']"
_POSSESSIVE = rf"(?:{_APOS}s|{_APOS})?"  # TASS's, TASS’, Reuters'
_ARTICLE = r"(?:\s+(?:a|an|the))?"
_WHAT = (  # what a report "according to" was: "according to a report by Reuters"
    r"(?:\s+(?:new|recent|latest|earlier|separate|exclusive))?"
    r"(?:\s+(?:report|reports|reporting|tally|count|survey|poll|analysis|"
    r"investigation|estimates?|calculations|data|figures|sources?|documents?)"
    r"\s+(?:by|from|in|of|at|cited\s+by|seen\s+by))?"
)

# Words that, just before an outlet's name, make it the source of what follows.
# Each ends where the name starts, apart from an optional "the".
_BEFORE_NAME = (
    r"\btold",
    r"\btells",
    r"\btelling",
    r"\b(?:said|says|saying|stated|explained|explaining|confirmed|confirming|"
    r"noted|added|admitted|admitting|conceded|revealed|disclosed|insisted|"
    r"complained|complaining|remarked|wrote|writing|speaking|spoke|talking|"
    r"talked|commenting|commented|replying|replied)\s+to",
    r"\b(?:interviews?|conversation|comments?|remarks|statement|e-?mail|letter|"
    r"message|note|briefing|response|reply|answer)\s+(?:to|with|for)",
    r"\b(?:interviewed|asked|contacted|reached|approached|questioned)\s+by",
    r"\b(?:questions?|requests?|inquiry|inquiries|enquiry|query|queries)"
    r"\s+(?:from|by)",
    rf"\baccording\s+to{_ARTICLE}{_WHAT}",
    rf"\bas\s+per{_ARTICLE}{_WHAT}",
    r"\b(?:quoted|cited|reported|published|broadcast|aired|obtained|seen|"
    r"reviewed|verified|compiled|carried|released)\s+by",
    r"\b(?:analysis|research|reporting|investigation|polling|poll|survey|data|"
    r"calculations|estimates?|figures|reports?)\s+(?:by|from)",
    # "he wrote in the Financial Times", "an op-ed in The Hill"
    r"\b(?:wrote|writes|writing|written|published|appeared|quoted|op-?ed|column|"
    r"article|editorial|piece|story|commentary|essay|interview)\s+in",
    # "Sasse said on MSNBC", "in an interview on CNN"
    r"\b(?:said|says|saying|told|speaking|spoke|appeared|appearing|interviewed|"
    r"remarked|argued|admitted|stated|claimed|interview|appearance)\s+on",
    r"\b(?:citing|quoting)",
)
_BEFORE = re.compile(
    r"(?:" + "|".join(_BEFORE_NAME) + r")\s+(?:the\s+)?$", re.IGNORECASE
)

# "in response to TASS’ request": the name sits between the two halves.
_REQUEST_BEFORE = re.compile(
    r"\b(?:in\s+response\s+to|responding\s+to|answering|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_REQUEST_AFTER = re.compile(
    rf"^{_POSSESSIVE}\s+(?:request|inquiry|enquiry|query|question)s?\b",
    re.IGNORECASE,
)

# Verbs and nouns that, just after an outlet's name, attribute material to it:
# "Reuters reported", "the Guardian stated", "Interfax news agency quoted him
# as saying", "TASS has learned", "a BBC investigation".
_AFTER = re.compile(
    rf"^{_POSSESSIVE}"
    r"(?:\s+(?:news\s+agency|news\s+service|agency|newspaper|daily|paper|magazine|"
    r"broadcaster|TV|television|channel|website|outlet|wire|correspondents?|"
    r"reporters?|journalists?|sources?))?"
    r",?\s+(?:(?:has|had|have|first|earlier|previously|also|exclusively|later|"
    r"separately|recently)\s+)*"
    r"(?:reported|reports|reporting|learned|learnt|wrote|writes|stated|states|"
    r"quoted|quotes|quoting|cited|cites|citing|revealed|reveals|disclosed|"
    r"discovered|obtained|confirmed|published|said\s+in\s+(?:a|an|its)\s+"
    r"(?:report|article|dispatch)"
    r"|(?:(?:exclusive|new|recent|joint|special|undercover)\s+)?"
    r"(?:report|investigation|analysis|tally|survey|poll|interview|documentary|"
    r"calculations?|count|review|estimates?)"
    r"|contributed\s+(?:to\s+this\s+(?:report|story|article)|reporting))\b",
    re.IGNORECASE,
)

# A wire-credit trailer closing a paragraph: "mb/rt (AFP, dpa, Reuters)".
_CREDITS = re.compile(r"\((?P<items>[^()\n]{1,160})\)(?=[\s\-–—]*(?:\n|$))")
_CREDIT_SPLIT = re.compile(r"([,/;&]|\band\b)")

# After a one-word alias, a capitalised word makes it part of another name,
# unless it is a day or month ("told Reuters Monday") or the pronoun I.
_NAME_GOES_ON = re.compile(
    r"^[ \t]+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"January|February|March|April|May|June|July|August|September|October|"
    r"November|December|I)\b)[A-Z]"
)
# Before a name, a capitalised word makes it part of a longer one ("Malaysia's
# New Straits Times"), unless it is a lead-in ("Citing Reuters"), a
# possessive ("South Korea's Yonhap") or a nationality ("German DPA").
# Only mid-sentence: "Broadcaster CNN reported" may open a sentence.
_NAME_BEFORE = re.compile(r"(?<=[\w,’']) (?P<word>[A-Z][\w\-]*) $")
_LEAD_INS = _words(
    """The A An As According Per In To By Told Tells Telling Citing Quoting Via
    With From For And Or Said Says Asked Speaking Talking Reports Reported
    Sources"""
)
_NATIONALITY = re.compile(r"(?:an|ian|ese|ish|ch|i|ic)$")
_ONE_WORD = re.compile(r"(?:[Tt]he )?[A-Z][a-z’'\-]+")

_Trie: TypeAlias = "dict[str, _Trie]"


class _Scanner(Struct, frozen=True):
    pattern: re.Pattern[str]
    entries: dict[str, OutletEntry]  # every matchable spelling -> its outlet


def find_cites(
    body: str, registry: OutletRegistry, *, own_outlet: str | None
) -> tuple[Cite, ...]:
    """Return one Cite per place the body attributes material to a registry outlet.

    `own_outlet` is the canonical name (or any alias) of the article's own
    outlet, which is never a cite. Cites come sorted by `start`; `body[start:end]`
    is the outlet's name as written.
    """
    scanner = _scanner(registry)
    own = registry.by_name(own_outlet) if own_outlet else None
    own_name = own.name if own is not None else own_outlet
    text = body[:_MAX_BODY]
    spans: dict[tuple[int, int], str] = {}
    for match in scanner.pattern.finditer(text):
        entry = scanner.entries[match.group()]
        start, end = match.span()
        if entry.name == own_name:
            continue
        after = text[end : end + _AFTER_WINDOW]
        if _ONE_WORD.fullmatch(match.group()) and _NAME_GOES_ON.match(after):
            continue
        before = text[max(0, start - _BEFORE_WINDOW) : start]
        if _continues_name(match.group(), before):
            continue
        if _is_cite(before, after):
            spans[start, end] = entry.name
    for (start, end), name in _credits(text, scanner):
        if name != own_name:
            spans.setdefault((start, end), name)
    return tuple(
        Cite(name=name, start=start, end=end)
        for (start, end), name in sorted(spans.items())
    )


def _credits(text: str, scanner: _Scanner) -> list[tuple[tuple[int, int], str]]:
    """Return the outlets of credit trailers whose every item is an alias."""
    found: list[tuple[tuple[int, int], str]] = []
    for match in _CREDITS.finditer(text):
        items: list[tuple[tuple[int, int], str]] = []
        pos = match.start("items")
        # re.split with a group alternates items and separators.
        for i, piece in enumerate(_CREDIT_SPLIT.split(match.group("items"))):
            if i % 2 == 0:
                name = piece.strip()
                entry = scanner.entries.get(name)
                if entry is None:
                    items = []
                    break
                start = pos + len(piece) - len(piece.lstrip())
                items.append(((start, start + len(name)), entry.name))
            pos += len(piece)
        found.extend(items)
    return found


def _continues_name(alias: str, before: str) -> bool:
    """Say whether the alias is the tail of a longer capitalised name."""
    if alias[:4] in ("The ", "the "):
        return False
    word = _NAME_BEFORE.search(before)
    if word is None:
        return False
    word_text = word.group("word")
    return word_text not in _LEAD_INS and not _NATIONALITY.search(word_text)


def _is_cite(before: str, after: str) -> bool:
    if _BEFORE.search(before) or _AFTER.match(after):
        return True
    return bool(_REQUEST_BEFORE.search(before) and _REQUEST_AFTER.match(after))


@functools.lru_cache(maxsize=8)
def _scanner(registry: OutletRegistry) -> _Scanner:
    """Compile the alias pattern of a registry (cached: registries are immutable)."""
    entries: dict[str, OutletEntry] = {}
    for entry in registry.entries():
        for alias in entry.aliases:
            spellings = [alias]
            if alias.startswith("The "):
                spellings.append("the " + alias[4:])
            for spelling in spellings:
                entries.setdefault(spelling, entry)
    names = _trie_pattern(sorted(entries))
    # Not inside a word or a hyphenated name; ASCII apostrophes and hyphens
    # after the name are fine ("TASS's", "AP-NORC poll").
    pattern = re.compile(rf"(?<![\w\-])(?:{names})(?!\w)")
    return _Scanner(pattern=pattern, entries=entries)


def _trie_pattern(words: list[str]) -> str:
    """Return a regex matching any of `words`, longest first at each position.

    A trie keeps the pattern's cost per body position to a few character
    tests, where a flat alternation of 200 aliases would try each in turn.
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _node_pattern(trie)


def _node_pattern(node: _Trie) -> str:
    ends_here = "" in node
    branches = [
        re.escape(char) + _node_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        # Greedy optional: try the longer alias first, fall back to this one.
        return f"(?:{body})?"
    return body
