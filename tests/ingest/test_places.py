"""Place names from CLDR, as the archive's type vote asks for them."""

from __future__ import annotations

import pytest

from newsindex.ingest.places import is_known_place


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("Kiev", True),  # the zone alias Europe/Kiev
        ("Kyiv", True),
        ("Minsk", True),
        ("the Ukraine", True),  # folded as gazetteer keys are
        ("Western Europe", True),  # a CLDR region
        ("Allemagne", True),  # French, a language with a model
        ("European Union", False),  # CLDR territory EU, not a place
        ("United Nations", False),
        ("Casey", False),  # Antarctica/Casey, a research station
        ("Trump", False),
    ],
)
def test_known_places(name: str, known: bool) -> None:
    assert is_known_place(name) is known
