"""Article.language: identified from the body, the declared tag as fallback."""

from __future__ import annotations

import pytest

from newsindex.ingest.article import draft_article
from newsindex.ingest.language import identify_language
from newsindex.records import RawDocument


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        pytest.param(
            # newsarticles-dai2017 article_id 121 (tass.com)
            "BAKU, February 7. /TASS/. Russian citizen Alexander Lapshin was "
            "extradited to Baku from Minsk, Azerbaijan's haqqin.az news portal "
            "reported Tuesday.",
            None,
            "en",
            id="tass-en",
        ),
        pytest.param(
            # tagesschau.de-rheinmetall (webpages-htmldate-trafilatura)
            "Der Rüstungskonzern Rheinmetall hat offenbar über Jahre hinweg "
            "vertrauliche Daten ungeschützt im Internet gespeichert.",
            "en",
            "de",
            id="german-story-under-an-english-template",
        ),
        pytest.param("Datum: 03.11.2021", "de-DE", "de", id="too-short-declared"),
        pytest.param("Datum: 03.11.2021", None, None, id="too-short-undeclared"),
        pytest.param("Kurz.", "x-klingon", None, id="declared-not-iso-639-1"),
    ],
)
def test_identify_language(
    text: str, declared: str | None, expected: str | None
) -> None:
    assert identify_language(text, declared) == expected


def test_article_carries_its_language() -> None:
    raw = RawDocument(
        path="a.txt",
        media_type="text",
        text="Ferry service across the harbor resumed Friday after a storm kept "
        "boats at their moorings for two days, officials said.",
    )
    article = draft_article(raw)
    assert article.language == "en"
    assert article.to_dict()["language"] == "en"
