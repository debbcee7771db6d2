"""The archive-wide type vote on real dai2017 sentences, tagged by the model."""

from __future__ import annotations

from newsindex.archive import Archive
from newsindex.ingest.entities import SpacyTagger
from newsindex.records import Article
from tests.archive.conftest import ingest_text

# dai2017 records 187, 201 and 809: `Minsk` read as an organisation; record
# 1693 as the city.
MINSK_AS_ORG = (
    "Minsk insisted on lowering the price of Russian natural gas from $132 to "
    "$73 per 1,000 cubic meters.",
    "Minsk has had no grievances regarding the text of the document until now, "
    "she said.",
    "Minsk confirms its commitment to allied relationship with Russia, "
    "Belarusian Foreign Ministry spokesman, Dmitry Mironchik, said on Thursday.",
)
# dai2017 records 131, 709, 1366 and 1927: `Minsk` in `the Minsk agreements`,
# read as an organisation too.
MINSK_AGREEMENTS = (
    '"The problem is that Ukraine is not implementing the Minsk agreements.',
    "Few people would disagree that the Minsk agreements have had little impact "
    "in bringing peace to the battle-weary people of eastern Ukraine.",
)
MINSK_AS_PLACE = (
    '"A meeting of the Trilateral Contact Group has begun in Minsk," she wrote '
    "on Facebook."
)


def _types(articles: list[Article], name: str) -> list[str]:
    return [e.type for a in articles for e in a.entities if e.name == name]


def _voted(archive: Archive, name: str) -> list[tuple[str, str, int]]:
    return [
        (e.type, e.name, e.articles) for e in archive.entities() if name in e.variants
    ]


def test_a_known_city_misread_in_most_stories_stays_a_place(
    archive: Archive, tagger: SpacyTagger
) -> None:
    texts = [*MINSK_AS_ORG, MINSK_AS_PLACE]
    articles = [ingest_text(tagger, t, f"{i}.txt") for i, t in enumerate(texts)]
    assert _types(articles, "Minsk") == ["org", "org", "org", "place"]
    archive.apply(articles, [], 1)
    assert _voted(archive, "Minsk") == [("place", "Minsk", 4)]


def test_a_known_place_read_otherwise_over_four_times_as_often_is_not_kept(
    archive: Archive, tagger: SpacyTagger
) -> None:
    # The weight is evidence, not a veto: five readings as an organisation to
    # one as a place outvote it (wrongly here, as the model errs in all five).
    texts = [*MINSK_AS_ORG, *MINSK_AGREEMENTS, MINSK_AS_PLACE]
    articles = [ingest_text(tagger, t, f"{i}.txt") for i, t in enumerate(texts)]
    assert _types(articles, "Minsk") == [*["org"] * 5, "place"]
    archive.apply(articles, [], 1)
    assert _voted(archive, "Minsk") == [("org", "Minsk", 6)]
