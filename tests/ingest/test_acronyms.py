"""Whether an acronym spells a name (Reuters and dai2017 names)."""

from __future__ import annotations

import pytest

from newsindex.ingest.acronyms import abbreviates, defined_after


@pytest.mark.parametrize(
    ("acronym", "name", "expected"),
    [
        ("ICCO", "International Cocoa Organization", True),
        ("UNCTAD", "United Nations Conference on Trade and Development", True),
        ("OECD", "Organisation for Economic Co-operation and Development", True),
        ("UNDP", "U.N. Development Programme", True),
        ("GOP", 'government,"?said Painter', False),  # dai2017: not a name
        ("EURATOM", "European Atomic Energy Community", False),  # `Energy`: none
        ("IBC", "Brazilian Coffee Institute", False),  # Portuguese word order
        ("DC", "Democratic Connecticut", True),  # the letters alone say little
        ("NATO", "NATO", False),  # one word is no expansion
    ],
    ids=[
        "icco",
        "unctad",
        "oecd",
        "undp",
        "gop-junk",
        "euratom",
        "ibc",
        "dc",
        "one-word",
    ],
)
def test_abbreviates(acronym: str, name: str, expected: bool) -> None:
    assert abbreviates(acronym, name) is expected


def test_defined_after_reads_a_cut_bracket() -> None:
    # Reuters 249: `The International Coffee Organization (ICO ) council`.
    text = "The International Coffee Organization (ICO ) council talks"
    assert defined_after(text, len("The International Coffee Organization")) == "ICO"
    assert defined_after(text, len("The International")) is None
