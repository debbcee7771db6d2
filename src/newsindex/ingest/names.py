"""Canonical keys for names: spelling variants of one name get one key.

The key is a lowercase ASCII form with the usual transliteration differences
folded away, so `Sergei Lavrov`, `Sergey Lavrov` and `Серге́й Лавров` share
`sergei lavrov`, and `Aleksandr`/`Alexander`, `Kim Jong-nam`/`Kim Jong Nam`
coincide. The same rules apply to every name, in every article, so a key made
at query time matches a key made at ingest time. Places and organisations
first look their name up in the gazetteer (`ingest/gazetteer.py`), so that
`U.S.` and `United States` share a key.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

from newsindex.ingest.gazetteer import lookup
from newsindex.records import EntityType

__all__ = ["clean_name", "entity_key"]

# Titles and honorifics that spaCy sometimes keeps inside a PERSON span.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "gen",
        "general",
        "col",
        "colonel",
        "lt",
        "capt",
        "captain",
        "sgt",
        "president",
        "vice",
        "minister",
        "premier",
        "chancellor",
        "senator",
        "sen",
        "rep",
        "gov",
        "governor",
        "mayor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "sheikh",
        "ayatollah",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "judge",
        "justice",
    ]
)
# Words that qualify a title: "Foreign Minister", "Deputy Prime Minister".
_TITLE_QUALIFIERS = frozenset(
    [
        "foreign",
        "deputy",
        "prime",
        "defence",
        "defense",
        "interior",
        "finance",
        "state",
        "acting",
        "former",
        "first",
        "vice",
        "chief",
        "general",
        "russian",
        "us",
        "u.s.",
        "nato",
        "kremlin",
    ]
)
_ARTICLES = ("the ", "a ", "an ")
_POSSESSIVE = re.compile(r"[’']s?$")
_SPACE = re.compile(r"\s+")

# Per-word folds, applied in order, each for a transliteration habit seen in
# news copy: Sergey/Sergei/Serguei, Yevgeny/Evgeny, Dmitriy/Dmitrii/Dmitri,
# Aleksandr/Alexander, Mikhail/Mihail, Rachmaninoff/Rachmaninov.
_WORD_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"x", "ks"),
        (r"ph", "f"),
        (r"kh", "h"),
        (r"gue", "ge"),  # Serguei (French transliteration)
        (r"(?:iy|ii|yi|yy|y)$", "i"),  # Sergey, Dmitriy, Dmitrii -> sergei, dmitri
        (r"^ye", "e"),  # Yevgeny, Yelena -> evgeny, elena
        (r"^yu", "iu"),
        (r"^ya", "ia"),
        (r"(?<=[bcdfgkpt])er$", "r"),  # Alexander -> aleksandr, Peter -> petr
        (r"(?<=[ao])ff$", "v"),  # Rachmaninoff -> rachmaninov
        (r"(.)\1+", r"\1"),  # doubled letters: Mohammad/Mohamad
    )
)


def clean_name(text: str, type_: EntityType) -> str:
    """Strip what is not part of a name: titles, articles, possessives, spacing."""
    name = _SPACE.sub(" ", text).strip(" \t\n,.;:\"“”'‘’()[]")
    name = _POSSESSIVE.sub("", name)
    if type_ != "person" and name.lower().startswith(_ARTICLES):
        name = name.split(" ", 1)[1] if " " in name else name
    if type_ == "person":
        words = name.split(" ")
        name = " ".join(words[_title_words(words) :])
    return name


def entity_key(name: str, type_: EntityType = "person") -> str:
    """Return the canonical key of a name: `Sergey Lavrov` -> `sergei lavrov`.

    A place's or organisation's form listed in the gazetteer keys as its
    group: `U.S.` and `the United States` -> `united states`.
    """
    if type_ != "person":
        known = lookup(name)
        if known is not None:
            return known.key
    ascii_name = anyascii(unicodedata.normalize("NFKC", clean_name(name, type_)))
    words = re.findall(r"[a-z0-9]+", ascii_name.lower().replace("'", ""))
    if type_ == "person":
        # Titles again on the words: cleaning split on spaces only ("MR\x1bX").
        words = [_fold_word(w) for w in words[_title_words(words) :]]
    return " ".join(words)


def _title_words(words: list[str]) -> int:
    """How many leading words are a title: `Foreign Minister` in `Foreign Minister X`.

    Qualifiers count only when a title follows them, and the last word never.
    """
    lead = 0
    while lead < len(words) - 1 and words[lead].lower().rstrip(".") in (
        _TITLES | _TITLE_QUALIFIERS
    ):
        lead += 1
    while lead and words[lead - 1].lower().rstrip(".") not in _TITLES:
        lead -= 1
    return lead


def _fold_word(word: str) -> str:
    # Until nothing changes: a fold can make room for another ("yyu" -> "yu"
    # -> "iu"), and a key must not change when folded again.
    for _ in range(4):
        folded = word
        for pattern, repl in _WORD_FOLDS:
            folded = pattern.sub(repl, folded)
        if folded == word:
            break
        word = folded
    return word
