"""Quotes across the archive: one statement in its outlets' wordings."""

from __future__ import annotations

import pytest

from newsindex.archive import Archive, QuoteHit
from newsindex.archive.quotes import content_words
from newsindex.records import Article

RAW_003 = "b68e923fd065a4dd"  # dated 2024-05-23 (the page's scrape date)
RAW_004 = "d6f01867f02302b4"  # dated 2021-10-19


@pytest.fixture
def raw(archive: Archive, raw_articles: list[Article]) -> Archive:
    archive.apply(raw_articles, [], 1)
    return archive


def test_statement_in_two_wordings_earliest_first(raw: Archive) -> None:
    assert raw.find_quotes("not interested in equal dialogue") == [
        QuoteHit(
            article_id=RAW_004,
            text="NATO isn’t interested in any kind of equal dialogue or joint work,",
            start=1561,
            end=1627,
            speaker="Sergei Lavrov",
            outlet=None,
            published="2021-10-19",
            score=1.0,
            speaker_key="sergei lavrov",
        ),
        QuoteHit(
            article_id=RAW_004,
            text=(
                "These NATO actions have shown that the bloc is not interested in an "
                "equal dialogue or joint efforts to defuse military-political tension. "
                "Its policy towards Russia is becoming increasingly more aggressive. "
                "The myth about the alleged “Russian threat"
            ),
            start=1793,
            end=2041,
            speaker="Russian Foreign Ministry",
            outlet=None,
            published="2021-10-19",
            score=1.0,
            speaker_key="russian foreign ministry",
        ),
        QuoteHit(
            article_id=RAW_003,
            text="NATO is not interested in equal dialogue or cooperation,",
            start=884,
            end=940,
            speaker="Sergei Lavrov",  # the text says "Lavrov said"
            outlet=None,
            published="2024-05-23",
            score=1.0,
            speaker_key="sergei lavrov",
        ),
    ]


def test_one_wording_finds_the_other(raw: Archive) -> None:
    # raw/003's words: raw/004 lacks "cooperation", 4 of 5 content words.
    hits = raw.find_quotes("NATO is not interested in equal dialogue or cooperation")
    assert [(h.article_id, h.start, h.score) for h in hits] == [
        (RAW_004, 1561, 0.8333),
        (RAW_004, 1793, 0.8333),
        (RAW_003, 884, 1.0),
    ]


def test_hits_point_into_the_bodies(raw: Archive, raw_articles: list[Article]) -> None:
    bodies = {a.id: a.body for a in raw_articles}
    hits = raw.find_quotes("suspending the operations of our permanent mission")
    assert hits
    assert all(bodies[h.article_id][h.start : h.end] == h.text for h in hits)


@pytest.mark.parametrize(
    "text",
    ["interested in cooking pasta", "", "the of and"],
    ids=["unrelated", "empty", "stopwords"],
)
def test_no_match_is_empty(raw: Archive, text: str) -> None:
    assert raw.find_quotes(text) == []


def test_a_negated_statement_needs_a_negated_quote(raw: Archive) -> None:
    # raw/002: "... while at the same time we remain open to dialogue ..."
    assert [h.article_id for h in raw.find_quotes("we remain open to dialogue")] == [
        "a3928598792b1ff4"
    ]
    assert raw.find_quotes("we do not remain open to dialogue") == []
    # The other way round is allowed: a long quote may negate something else.
    assert len(raw.find_quotes("NATO is interested in equal dialogue")) == 3


def test_british_and_american_spelling_match(raw: Archive) -> None:
    # raw/002 writes "deterrence and defense".
    hits = raw.find_quotes("we have strengthened our deterrence and defence")
    assert [(h.article_id, h.score) for h in hits] == [("a3928598792b1ff4", 1.0)]


def test_quotes_go_with_their_article(raw: Archive) -> None:
    raw.apply([], [RAW_004], 2)
    hits = raw.find_quotes("not interested in equal dialogue")
    assert [h.article_id for h in hits] == [RAW_003]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "NATO isn’t interested in any kind of equal dialogue",
            ["nato", "not", "interest", "equal", "dialogu"],
        ),
        ("We don't see any need", ["not", "see", "need"]),
        ("they won’t", ["not"]),
        ("Russia’s aggressive actions", ["russia", "aggressiv", "action"]),
    ],
)
def test_content_words(text: str, words: list[str]) -> None:
    assert content_words(text) == words
