"""Quote speakers resolved to the article's people: `Schiff` -> `Adam Schiff`.

`ingest/quotes.py` reads the name (or pronoun) the text puts beside a
quotation. Here a name becomes the full name of the one person entity it
names (a surface form of it, its key, or its surname when one person of the
article has it), and a pronoun the person last in subject position before
the quotation: the speaker of an earlier quotation, or a person who opens a
sentence. CNN, 2017-03-02: Sen. Franken's question ends `the Minnesota
Democrat asked`, then `Sessions was a senator and a top Trump surrogate ...
"I never met with any Russian officials ...," he said.` is Sessions, not
the last quoted speaker nor Trump, the last name. When no one is found, the
quotation has no speaker: never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from msgspec.structs import replace

from newsindex.ingest.names import clean_name, entity_key
from newsindex.ingest.quotes import PRONOUNS
from newsindex.records import Entity, Quote

__all__ = ["resolve_speakers"]

_REACH = 1500  # characters before a quotation where its pronoun's person may be
# What may stand between a sentence's start and its subject: a title or two.
_SENTENCE_START = re.compile(
    r"(?:^|[.!?:\n]\s*[\"“”]?\s*|-{2,}\s*)(?:[A-Z][a-z]{1,11}\.?\s+){0,3}$"
)


def resolve_speakers(
    body: str, quotes: Sequence[Quote], entities: Sequence[Entity]
) -> tuple[Quote, ...]:
    """The quotes with each speaker a person's full name, or None if unknown."""
    people = [e for e in entities if e.type == "person"]
    anchors = sorted(
        (start, name)
        for start, name in _person_places(body, people)
        if _SENTENCE_START.search(body[max(0, start - 40) : start])
    )
    out: list[Quote] = []
    for quote in quotes:
        speaker = quote.speaker
        if speaker is not None and speaker.lower() in PRONOUNS:
            earlier = [(q.end, q.speaker) for q in out if q.speaker is not None]
            before = [
                (pos, name)
                for pos, name in [*anchors, *earlier]
                if quote.start - _REACH <= pos < quote.start
            ]
            speaker = max(before)[1] if before else None
        elif speaker is not None:
            speaker = _full_name(speaker, people)
        out.append(replace(quote, speaker=speaker))
    return tuple(out)


def _person_places(body: str, people: Sequence[Entity]) -> set[tuple[int, str]]:
    """Where each person is named: the tagged mentions, and the untagged uses
    of a surname that one person of the article has (spaCy missed `Sessions
    was a senator` beside `Jeff Sessions`)."""
    places = {(start, e.name) for e in people for start, _ in e.mentions}
    owners: dict[str, list[Entity]] = {}
    for entity in people:
        surname = entity.name.split()[-1]
        if " " in entity.name and surname[:1].isupper():
            owners.setdefault(surname, []).append(entity)
    for surname, found in owners.items():
        if len(found) == 1:
            pattern = rf"\b(?:{re.escape(surname)}|{re.escape(surname.upper())})\b"
            places.update(
                (m.start(), found[0].name) for m in re.finditer(pattern, body)
            )
    return places


def _full_name(speaker: str, people: Sequence[Entity]) -> str:
    """The person entity `speaker` names, by form, key or unique surname."""
    name = clean_name(speaker, "person") or speaker
    key = entity_key(name, "person")
    for entity in people:
        if name in entity.variants or key == entity.key:
            return entity.name
    if " " not in key:
        owners = [e for e in people if e.key.rsplit(" ", 1)[-1] == key]
        if len(owners) == 1:
            return owners[0].name
    return name
