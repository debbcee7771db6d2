"""The pure name rules behind the alias table (no model needed)."""

from __future__ import annotations

import pytest

from newsindex.archive.aliases import (
    initials,
    join_letters,
    name_node,
    node_key,
    paren_pairs,
    shortens,
)
from newsindex.ingest.entities import build_entities
from newsindex.ingest.names import entity_key

# (short form, full name) as written in real copy: raw/, newsarticles-dai2017
# (AP's `Bashar Assad`, TASS's `Bashar al-Assad`), Reuters-21578.
SHORTENS = [
    ("Lavrov", "Sergei Lavrov"),
    ("Lavrov", "Sergey Lavrov"),
    ("Stoltenberg", "Jens Stoltenberg"),
    ("Bashar Assad", "Bashar al-Assad"),
    ("al-Assad", "Bashar al-Assad"),
    ("Tayyip Erdogan", "Recep Tayyip Erdogan"),
    ("Jong-nam", "Kim Jong-nam"),
    ("J. Stoltenberg", "Jens Stoltenberg"),
    ("George Bush", "George W. Bush"),
]
# Different people who share a last word: neither shortens the other.
APART = [
    ("James Baker", "Howard Baker"),
    ("Kim Jong-un", "Kim Jong-nam"),
    ("George W. Bush", "George H. W. Bush"),
    ("Jeb Bush", "George Bush"),
    ("Dmitry Peskov", "Dmitry Medvedev"),
    # dai2017: `the name Kim Chol, a known alias` beside the arrested
    # `Kim Jong-chol, 35`; a dropped middle word that is no initial.
    ("Kim Chol", "Kim Jong-chol"),
]


@pytest.mark.parametrize(
    ("short", "full"), SHORTENS, ids=[f"{s}<{f}" for s, f in SHORTENS]
)
def test_short_form_shortens_the_full_name_and_not_back(short: str, full: str) -> None:
    a, b = entity_key(short), entity_key(full)
    assert (shortens(a, b), shortens(b, a)) == (True, False)


@pytest.mark.parametrize(("a", "b"), APART, ids=[f"{a}!{b}" for a, b in APART])
def test_different_people_do_not_shorten_each_other(a: str, b: str) -> None:
    assert (
        shortens(entity_key(a), entity_key(b)),
        shortens(entity_key(b), entity_key(a)),
    ) == (False, False)


@pytest.mark.parametrize(
    ("key", "joined"),
    [
        ("u n", "un"),
        ("u n security council", "un security council"),
        ("u s treasury", "us treasury"),
        ("kim jong un", "kim jong un"),
    ],
)
def test_spelt_out_letters_join(key: str, joined: str) -> None:
    assert join_letters(key) == joined


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("north atlantic treaty organization", "nato"),
        ("european union", "eu"),
        ("organization for economic cooperation and development", "oecd"),
        ("general agreement on tariffs and trade", "gatt"),
        ("nato", None),
    ],
)
def test_initials(key: str, expected: str | None) -> None:
    assert initials(key) == expected


def test_hyphenated_council_matches_in_either_order() -> None:
    # DW 2017: "the NATO-Russia Council (NRC)"; raw/002 and TASS: "the
    # Russia-NATO Council".
    text = "meetings of the NATO-Russia Council and of the Russia-NATO Council"
    first = text.index("NATO-Russia Council")
    second = text.index("Russia-NATO Council")
    spans = [("ORG", first, first + 19), ("ORG", second, second + 19)]
    entities = build_entities(text, spans)
    assert [node_key(e) for e in entities] == [
        "nato russia council",
        "nato russia council",
    ]
    assert name_node("Russia-NATO Council", "org") == "nato russia council"


def test_full_name_with_acronym_in_brackets_pairs_them() -> None:
    # newsarticles-dai2017 (The Gambia leaving the court). The article joins
    # the bracketed acronym to the name itself (ingest/entity_rules.py), so
    # the body has no pair left for paren_pairs; the archive pairs the
    # entity's variants (`_pairs`).
    text = (
        "Under his rule, The Gambia also pulled out of-the Commonwealth and "
        "announced its withdrawal from the International Criminal Court (ICC)."
    )
    start = text.index("the International Criminal Court")
    spans = [("ORG", start, start + len("the International Criminal Court"))]
    entities = build_entities(text, spans)
    assert [(e.key, e.variants) for e in entities] == [
        ("icc", ("ICC", "International Criminal Court"))
    ]
    assert paren_pairs(text, entities) == []


def test_a_gazetteer_form_pairs_nothing() -> None:
    # TASS, 2017-03-16 (newsarticles-dai2017 id 2604): both forms key as `eu`.
    text = (
        "There is currently no sense for Turkey to continue implementing an "
        "agreement with the European Union (EU) on refugees"
    )
    start = text.index("the European Union")
    spans = [("ORG", start, start + len("the European Union"))]
    entities = build_entities(text, spans)
    assert ([e.key for e in entities], paren_pairs(text, entities)) == (["eu"], [])


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("North Atlantic Treaty Organisation", "nato"),  # gazetteer forms
        ("North Atlantic Treaty Organization", "nato"),
        ("Warsaw Treaty Organisation", "warsaw treaty organization"),
        ("U.N. Security Council", "un security council"),
        ("UN Security Council", "un security council"),
    ],
)
def test_organisation_spellings_meet(name: str, node: str) -> None:
    assert name_node(name, "org") == node
