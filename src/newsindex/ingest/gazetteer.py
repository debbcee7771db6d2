"""Known forms of places and organisations, from the packaged `gazetteer.json`.

News writes one country or body several ways (`U.S.`, `USA`, `the United
States`; `UN`, `United Nations`), and no spelling rule joins `Britain` to
`United Kingdom`. The gazetteer lists such forms as data: a form matched
whole (case, dots, spacing and a leading `the` folded away) gives its
group's key and type. A form inside a longer name is no match, so `Energy
Union` never becomes `EU`, nor `US Navy` the United States.

`find_forms` finds the listed forms in a text as written (case kept, any
spacing), for the mentions the model missed: Reuters' `the General Agreement
on Tariffs and Trade` was tagged in none of four dev stories.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources
from typing import cast

from anyascii import anyascii
from msgspec import Struct

from newsindex.records import EntityType

__all__ = ["Known", "find_forms", "form_key", "is_not_a_name", "lookup"]

_WORD = re.compile(r"[a-z0-9]+")
_LETTER_RUN = re.compile(r"\b[a-z](?: [a-z]\b)+")  # `u s a` -> `usa`
_TYPES = frozenset({"person", "org", "place"})
# In a line set in capitals (a Reuters headline, `NEW OPEC MEASURES`) a short
# form is as likely a word (`WHO`, `US`): such lines need a longer form.
_MIN_IN_CAPITALS = 4


class Known(Struct, frozen=True):
    """A gazetteer group: the key its forms are stored under, and its type."""

    key: str
    type: EntityType
    name: str  # the group's first name, as written in the gazetteer


def form_key(name: str) -> str:
    """The folded form a name is looked up by: `The U.S.` -> `us`."""
    text = anyascii(unicodedata.normalize("NFKC", name)).lower().replace("'", "")
    words = _WORD.findall(text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return _LETTER_RUN.sub(lambda m: m[0].replace(" ", ""), " ".join(words))


def lookup(name: str) -> Known | None:
    """The group a name is a listed form of, or None."""
    return _table()[0].get(form_key(name))


def is_not_a_name(name: str) -> bool:
    """Whether a span is a listed non-name (`Brexit`): an event, not an entity."""
    return form_key(name) in _table()[1]


def find_forms(text: str) -> list[tuple[EntityType, int, int]]:
    """Each listed form written whole in `text`: (type, start, end), in order.

    Case is kept (`Fed`, not `fed`; `WHO`, not `who`), spacing may differ
    (a line break inside `General Agreement on\nTariffs`), and the longest
    form wins where several start at one place.
    """
    pattern, types = _form_pattern()
    found = []
    for match in pattern.finditer(text):
        start, end = match.span()
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if end - start < _MIN_IN_CAPITALS and not any(c.islower() for c in line):
            continue
        found.append((types[" ".join(match[0].split())], start, end))
    return found


@functools.cache
def _form_pattern() -> tuple[re.Pattern[str], dict[str, EntityType]]:
    text = resources.files("newsindex").joinpath("gazetteer.json").read_text("utf-8")
    types: dict[str, EntityType] = {}
    for group in json.loads(text)["groups"]:
        for name in group["names"]:
            types[name] = cast(EntityType, group["type"])
    forms = sorted(types, key=lambda n: (-len(n), n))
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in form.split()) for form in forms
    )
    # Not inside a longer word or dotted abbreviation: `UNSC`, `U.S.A`.
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w]|\.\w)"), types


@functools.cache
def _table() -> tuple[dict[str, Known], frozenset[str]]:
    text = resources.files("newsindex").joinpath("gazetteer.json").read_text("utf-8")
    data = json.loads(text)
    forms: dict[str, Known] = {}
    for group in data["groups"]:
        type_ = group["type"]
        if type_ not in _TYPES:
            raise ValueError(f"gazetteer group of unknown type: {type_!r}")
        names = group["names"]
        known = Known(form_key(names[0]), cast(EntityType, type_), names[0])
        for name in names:
            key = form_key(name)
            if forms.get(key, known) != known:
                raise ValueError(f"gazetteer form in two groups: {name!r}")
            forms[key] = known
    return forms, frozenset(form_key(n) for n in data["not_names"])
