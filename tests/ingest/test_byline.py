"""Bylines: real ones from the corpora, the shapes news sites use, invariants."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.ingest.byline import normalise_byline
from newsindex.ingest.outlet import OutletEntry, OutletRegistry

DATA = Path(__file__).resolve().parent.parent / "data"
REUTERS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "reuters21578"


def _load_cases() -> list[Any]:
    """Reuters-21578 `<AUTHOR>` values as they stand in the .sgm files (leading
    spaces included), and bylines run into the body in newsarticles-dai2017."""
    lines = (DATA / "bylines.jsonl").read_text(encoding="utf-8").splitlines()
    return [pytest.param(case, id=case["id"]) for case in map(json.loads, lines)]


CASES = _load_cases()


def test_fixture_holds_thirty_reuters_authors_with_unique_ids() -> None:
    ids = [param.id for param in CASES]
    assert len([i for i in ids if i is not None and i.startswith("reuters-")]) >= 30
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES)
def test_real_byline(case: dict[str, Any]) -> None:
    assert normalise_byline(case["text"]) == tuple(case["expected"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By JOHN SMITH and Ann Lee", ("John Smith", "Ann Lee")),
        ("by Janie Gabbett, Reuters", ("Janie Gabbett",)),
        ("John Smith | CNN", ("John Smith",)),
        ("Von Anna Müller", ("Anna Müller",)),
        ("Von Anna Müller und Max Mustermann", ("Anna Müller", "Max Mustermann")),
        ("Von Miller", ("Von Miller",)),
        ("By Jane Doe, Staff Writer", ("Jane Doe",)),
        ("By Jane Doe and John Roe, Associated Press", ("Jane Doe", "John Roe")),
        ("Reuters Staff", ()),
        ("Associated Press Writer", ()),
        ("By The Associated Press", ()),
        ("By Mary O'BRIEN", ("Mary O'Brien",)),
        ("By Ronald McDONALD", ("Ronald McDonald",)),
        ("RONALD MCDONALD", ("Ronald McDonald",)),
        ("By Jane Doe, Published 10:30 AM", ("Jane Doe",)),
        ("By Jane Doe, CNN\nUpdated 4:56 PM ET, Mon March 6, 2017", ("Jane Doe",)),
        ("By Jane Doe March 3, 2021", ("Jane Doe",)),
        ("By Jane Doe, Monday", ("Jane Doe",)),
        ("Jane Doe; John Roe", ("Jane Doe", "John Roe")),
        ("Jane Doe & John Roe", ("Jane Doe", "John Roe")),
        ("Jane Doe, John Roe and Ann Lee", ("Jane Doe", "John Roe", "Ann Lee")),
        ("Jean-Luc de la Croix", ("Jean-Luc de la Croix",)),
        ("JEAN-LUC DE LA CROIX", ("Jean-Luc de la Croix",)),
        ("Mary McCarthy", ("Mary McCarthy",)),
        ("CNN's Jane Doe", ("Jane Doe",)),
        ("By Jane Doe in Moscow", ("Jane Doe",)),
        ("By Jane Doe for The Washington Post", ("Jane Doe",)),
        ("Reporting by Jane Doe; Editing by John Roe", ("Jane Doe",)),
        ("By John Smith, Jr.", ("John Smith Jr.",)),
        ("By JOHN SMITH III", ("John Smith III",)),
        ("By JJ Abrams", ("JJ Abrams",)),
        ("By Jane Doe, jane@example.com @janedoe", ("Jane Doe",)),
        ("By JANE DOE, JANE DOE", ("Jane Doe",)),
        # A user name holds digits (kochbar.de, archive.org's dzs-clan.de).
        ("Marianne1", ("Marianne1",)),
        ("Bo2man", ("Bo2man",)),
        ("By Jane Doe 2 hours ago", ("Jane Doe",)),
        ("", ()),
        ("By", ()),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else None,
)
def test_byline_shapes(text: str, expected: tuple[str, ...]) -> None:
    assert normalise_byline(text) == expected


def test_registry_decides_what_is_an_outlet() -> None:
    planet = OutletEntry(
        name="Daily Planet", aliases=("Daily Planet",), agency_tags=(), domains=()
    )
    text = "By Clark Kent and Lois Lane, Daily Planet"
    assert normalise_byline(text, OutletRegistry([planet])) == (
        "Clark Kent",
        "Lois Lane",
    )
    assert normalise_byline(text) == ("Clark Kent", "Lois Lane", "Daily Planet")


def _reuters_authors() -> list[str]:
    authors: list[str] = []
    for path in sorted(REUTERS.glob("reut2-*.sgm")):
        text = path.read_text(encoding="latin-1")
        authors += re.findall(r"<AUTHOR>(.*?)</AUTHOR>", text, re.DOTALL)
    return authors


@pytest.mark.skipif(not REUTERS.exists(), reason="needs ../shared/corpora")
def test_every_reuters_author_gives_full_names_without_the_agency() -> None:
    authors = _reuters_authors()
    bad = [
        (text, names)
        for text, names in ((t, normalise_byline(t)) for t in authors)
        if not names or any(" " not in n or "reuter" in n.casefold() for n in names)
    ]
    assert (len(authors), bad) == (830, [])


_PIECES = [
    "By ", "by ", "JOHN ", "Smith", "O'BRIEN", "McDONALD", ", ", ";", " and ",
    "Reuters", "AP", "Staff", "Von ", "Jr.", "de ", "LA ", "ß", "ǆ", "ŉ", "'", "-",
    ".", " ", "III", "É", " in ", "Updated ", "1", "@", "|", "Editing by ", "CNN's ",
    "Monday", " for ", "&", "The AP", "/", " - ", "\n",
]  # fmt: skip
bylines = st.one_of(
    st.text(), st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)
)


@settings(deadline=None)
@given(text=bylines)
def test_normalise_is_idempotent(text: str) -> None:
    names = normalise_byline(text)
    assert normalise_byline(", ".join(names)) == names


@pytest.mark.parametrize("case", CASES)
def test_real_byline_is_a_fixed_point(case: dict[str, Any]) -> None:
    names = tuple(case["expected"])
    assert normalise_byline(", ".join(names)) == names
