"""Quote speakers resolved to the article's people (no model: spans given)."""

from __future__ import annotations

from newsindex.ingest.entities import build_entities
from newsindex.ingest.quotes import find_quotes
from newsindex.ingest.speakers import resolve_speakers


def spans_of(text: str, *found: tuple[str, str]) -> list[tuple[str, int, int]]:
    spans, pos = [], 0
    for label, surface in found:
        start = text.index(surface, pos)
        spans.append((label, start, start + len(surface)))
        pos = start + len(surface)
    return spans


# CNN, 2017-03-02 (newsarticles-dai2017 id 1775), cut down.
SESSIONS = (
    "Attorney General Jeff Sessions met the ambassador. SEN. AL FRANKEN: "
    '"If there was any evidence that anyone affiliated with the Trump campaign '
    'communicated with the Russian government, what would you do?," the '
    "Minnesota Democrat asked. --------------------------- Sessions was a "
    "senator and a top Trump surrogate when he met the ambassador twice. In a "
    "statement Thursday, he said reports that he met Russian officials are false. "
    '"I never met with any Russian officials to discuss issues of the campaign. '
    'I have no idea what this allegation is about," he said.'
)


def test_a_pronoun_is_the_person_in_subject_position_not_the_last_name() -> None:
    spans = spans_of(
        SESSIONS,
        ("PERSON", "Jeff Sessions"),
        ("PERSON", "AL FRANKEN"),
        ("PERSON", "Trump"),
        ("PERSON", "Trump"),
    )
    entities = build_entities(SESSIONS, spans)
    quotes = resolve_speakers(SESSIONS, find_quotes(SESSIONS), entities)
    assert [q.speaker for q in quotes] == ["Minnesota Democrat", "Jeff Sessions"]


def test_a_surname_speaker_is_the_full_name() -> None:
    # dai2017 (HuffPost): the House intelligence committee's ranking Democrat.
    text = (
        "Rep. Adam Schiff said that the committee has called no witnesses. "
        '"We have not reached a conclusion on issues of collusion," Schiff said.'
    )
    entities = build_entities(text, spans_of(text, ("PERSON", "Adam Schiff")))
    (quote,) = resolve_speakers(text, find_quotes(text), entities)
    assert quote.speaker == "Adam Schiff"


def test_a_pronoun_with_no_one_before_it_has_no_speaker() -> None:
    text = '"We will not back down from this fight at all," he said.'
    (quote,) = resolve_speakers(text, find_quotes(text), ())
    assert quote.speaker is None
