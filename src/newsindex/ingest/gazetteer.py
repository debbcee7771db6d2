"""Known forms of places and organisations, from the packaged `gazetteer.json`.

News writes one country or body several ways (`U.S.`, `USA`, `the United
States`; `UN`, `United Nations`), and no spelling rule joins `Britain` to
`United Kingdom`. The gazetteer lists such forms as data: a form matched
whole (case, dots, spacing and a leading `the` folded away) gives its
group's key and type. A form inside a longer name is no match, so `Energy
Union` never becomes `EU`, nor `US Navy` the United States.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import cast

from anyascii import anyascii

from newsindex.records import EntityType

__all__ = ["Known", "form_key", "is_not_a_name", "lookup"]

_WORD = re.compile(r"[a-z0-9]+")
_LETTER_RUN = re.compile(r"\b[a-z](?: [a-z]\b)+")  # `u s a` -> `usa`
_TYPES = frozenset({"person", "org", "place"})


@dataclass(frozen=True, slots=True)
class Known:
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
