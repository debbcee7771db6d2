"""The entity facet: the names most matching articles carry, each counted as
the search with that entity filter counts (the web page's facet links)."""

from __future__ import annotations

from typing import Any

import pytest

from newsindex import Index
from newsindex.archive import Archive
from newsindex.query import entity_facet
from newsindex.query.entity_facet import EntityCount


def test_the_top_entities_of_a_search(raw_index: Index) -> None:
    assert raw_index.entity_facet("NATO mission") == [
        EntityCount("Moscow", "place", 5),
        EntityCount("North Atlantic Treaty Organization", "org", 5),
        EntityCount("Russia", "place", 5),
        EntityCount("Sergei Lavrov", "person", 5),
        EntityCount("Brussels", "place", 4),
        EntityCount("Jens Stoltenberg", "person", 4),
        EntityCount("NATO Information Office", "org", 4),
        EntityCount("Kremlin", "org", 3),
        EntityCount("Liaison Mission Moscow", "org", 3),
        EntityCount("TASS", "org", 3),
    ]


@pytest.mark.parametrize(
    ("fixture", "query", "filters"),
    [
        ("raw_index", "Lavrov", {"outlet": "TASS"}),
        ("raw_index", "Lavrov", {"since": "2021-10", "until": "2021-10"}),
        ("raw_index", "NATO", {"until": "2021-10", "include_undated": True}),
        ("mixed_index", "Trump", {}),
        ("mixed_index", "oil", {"outlet": "Reuters"}),
        ("mixed_index", "Brexit", {}),
    ],
)
def test_each_count_is_the_entity_filter_total(
    request: pytest.FixtureRequest, fixture: str, query: str, filters: dict[str, Any]
) -> None:
    index: Index = request.getfixturevalue(fixture)
    facet = index.entity_facet(query, limit=8, **filters)
    assert len(facet) == 8
    totals = [index.search(query, entity=e.name, **filters).total for e in facet]
    assert [e.count for e in facet] == totals
    assert totals == sorted(totals, reverse=True)


def test_past_the_passage_cap_the_engine_counts(
    raw_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Too many passages to read every matching article id: candidates come
    # from the best 3 passages, and the engine counts each, still the total.
    def unused(*args: object, **kwargs: object) -> int:
        raise AssertionError("the archive cannot count a partial id set")

    monkeypatch.setattr(entity_facet, "MAX_PASSAGES", 3)
    monkeypatch.setattr(Archive, "articles_naming", unused)
    capped = raw_index.entity_facet("NATO", limit=4)
    assert [e.count for e in capped] == [
        raw_index.search("NATO", entity=e.name).total for e in capped
    ]
    assert [e.count for e in capped] == [5, 5, 5, 5]


def test_one_entry_per_filter(mixed_index: Index) -> None:
    # `Trump` (a person by the archive's vote, though the model tags some
    # mentions as an organisation) is one entry whose filter also matches
    # Donald Trump, counted as the filter counts; Donald Trump is his own.
    assert mixed_index.entity_facet("Trump", limit=5) == [
        EntityCount("Donald Trump", "person", 7),
        EntityCount("Reuters", "org", 7),
        EntityCount("Trump", "person", 7),
        EntityCount("United States", "place", 5),
        EntityCount("Russia", "place", 4),
    ]


def test_no_match_no_entities(raw_index: Index) -> None:
    assert raw_index.entity_facet("zanzibar") == []


def test_a_bad_limit_is_named(raw_index: Index) -> None:
    with pytest.raises(ValueError, match=r"^need limit >= 1: 0$"):
        raw_index.entity_facet("NATO", limit=0)
