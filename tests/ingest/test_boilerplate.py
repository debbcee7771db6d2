"""Boilerplate lines: page furniture goes, story sentences stay."""

from __future__ import annotations

import pytest

from newsindex.ingest.boilerplate import is_boilerplate

FURNITURE = [
    "All news",  # raw/001, raw/002 (TASS)
    # raw/003
    "See also  Mexican border - US President Biden's setback in the Supreme Court",
    "Share this article",
    "READ MORE: Russia expels NATO staff",
    "Advertisement",
    "© 2021 TASS. All rights reserved",
    "We use cookies to improve your experience on our site.",
    "Sign up for our daily newsletter",
    "Watch: Lavrov's press conference",
]
STORY = [
    "NATO did not provide any details",  # a subheading in raw/003
    "Russia-NATO relations",  # raw/004
    "More than 100 people were evacuated.",
    "Read the full statement below.",
    "Russian Foreign Minister Sergey Lavrov said earlier that Russia is suspending its "
    "permanent mission to NATO from November 1.",
    "Sharing intelligence with allies remains a priority",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_is_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", STORY)
def test_story_lines_are_kept(line: str) -> None:
    assert not is_boilerplate(line)
