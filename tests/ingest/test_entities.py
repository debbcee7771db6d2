"""Entities from tagged spans: grouping, short forms, acronyms (no model needed)."""

from __future__ import annotations

from newsindex.ingest.entities import build_entities
from newsindex.records import Entity


def spans_of(text: str, *found: tuple[str, str]) -> list[tuple[str, int, int]]:
    """Tag each (label, surface) at its first occurrence after the previous one."""
    spans, pos = [], 0
    for label, surface in found:
        start = text.index(surface, pos)
        spans.append((label, start, start + len(surface)))
        pos = start + len(surface)
    return spans


def test_spellings_and_surname_join_one_person() -> None:
    # raw/000 spells the minister both ways and then uses the bare surname.
    text = (
        "Foreign Minister Sergei Lavrov said on Monday. Lavrov said more. "
        "Russian Foreign Minister Sergey Lavrov said at a press conference."
    )
    spans = spans_of(
        text,
        ("PERSON", "Sergei Lavrov"),
        ("PERSON", "Lavrov"),
        ("PERSON", "Sergey Lavrov"),
    )
    assert build_entities(text, spans) == (
        Entity(
            key="sergei lavrov",
            name="Sergei Lavrov",
            type="person",
            mentions=((17, 30), (47, 53), (90, 103)),
            variants=("Lavrov", "Sergei Lavrov", "Sergey Lavrov"),
        ),
    )


def test_shared_surname_stays_apart() -> None:
    text = "Kim Jong-un and Kim Jong-nam met. Kim left."
    spans = spans_of(text, ("PERSON", "Kim Jong-un"), ("PERSON", "Kim Jong-nam"))
    keys = [e.key for e in build_entities(text, spans)]
    assert keys == ["kim jong un", "kim jong nam"]


def test_acronym_joins_its_expansion() -> None:
    text = "The North Atlantic Treaty Organization met. NATO said no."
    spans = spans_of(
        text, ("ORG", "The North Atlantic Treaty Organization"), ("ORG", "NATO")
    )
    (nato,) = build_entities(text, spans)
    assert (nato.key, nato.name, nato.mentions) == (
        "nato",
        "North Atlantic Treaty Organization",
        ((4, 38), (44, 48)),
    )


def test_mention_spans_point_at_the_cleaned_name() -> None:
    text = "work of the NATO Information Office in Moscow"
    spans = spans_of(text, ("ORG", "the NATO Information Office"), ("GPE", "Moscow"))
    entities = build_entities(text, spans)
    assert [(e.type, text[e.mentions[0][0] : e.mentions[0][1]]) for e in entities] == [
        ("org", "NATO Information Office"),
        ("place", "Moscow"),
    ]


def test_other_labels_are_ignored() -> None:
    text = "On October 6, eight Russian diplomats left."
    spans = spans_of(
        text, ("DATE", "October 6"), ("CARDINAL", "eight"), ("NORP", "Russian")
    )
    assert build_entities(text, spans) == ()


def test_mislabelled_full_name_joins_the_person() -> None:
    # raw/003: spaCy tags a bulleted "Sergei Lavrov" as ORG, the bare surname as PERSON.
    text = "• Sergei Lavrov said the move came. Foreign Minister Lavrov told the media."
    spans = spans_of(text, ("ORG", "Sergei Lavrov"), ("PERSON", "Lavrov"))
    (lavrov,) = build_entities(text, spans)
    assert (lavrov.key, lavrov.type, lavrov.name, lavrov.mentions) == (
        "sergei lavrov",
        "person",
        "Sergei Lavrov",
        ((2, 15), (53, 59)),
    )


def test_person_span_with_an_institution_word_is_an_org() -> None:
    text = "the NATO Military Liaison Mission Moscow starting on November 1"
    spans = spans_of(text, ("PERSON", "Liaison Mission Moscow"))
    (entity,) = build_entities(text, spans)
    assert (entity.type, entity.key) == ("org", "liaison mission moscow")


def test_an_acronym_mistagged_as_a_person_is_no_surname() -> None:
    # dai2017 (Al Jazeera): spaCy tags "UN" as PERSON beside "Kim Jong-un".
    text = "Kim Jong-un's half-brother was killed, the UN said. Kim Jong-un denied it."
    spans = spans_of(
        text, ("PERSON", "Kim Jong-un"), ("PERSON", "UN"), ("PERSON", "Kim Jong-un")
    )
    keys = sorted((e.type, e.key, e.variants) for e in build_entities(text, spans))
    assert keys == [
        ("person", "kim jong un", ("Kim Jong-un",)),
        ("person", "un", ("UN",)),
    ]
