"""Republication clusters: a real republished pair, trims, a bridge, dates."""

from __future__ import annotations

from datetime import datetime

import pytest

from newsindex.archive import Archive, ClusterInfo, Member
from newsindex.ingest.entities import SpacyTagger
from newsindex.records import Article
from tests.archive.conftest import abc_text, copy_of

ABC = "999c07ff2fdfe5e9"  # AP on ABC News, 2017-03-27
ALJAZEERA = "d8703c36f4447967"  # re-headlined and re-leded on Al Jazeera, 2017-03-28


def _groups(archive: Archive, articles: list[Article]) -> list[list[str]]:
    """Each cluster's members as names, in the order of `articles`."""
    names = {a.id: a.source.path.removesuffix(".txt") for a in articles}
    infos = archive.clusters_of(names)
    clusters: dict[str, list[str]] = {}
    for article in articles:
        clusters.setdefault(infos[article.id].cluster_id, []).append(names[article.id])
    return sorted(clusters.values())


def test_republished_pair_is_one_cluster(
    archive: Archive, republished: list[Article]
) -> None:
    archive.apply(republished, [], 1)
    info = ClusterInfo(
        cluster_id=ABC,
        earliest=ABC,
        members=(
            Member(ABC, "ABC News", "2017-03-27"),
            Member(ALJAZEERA, "Al Jazeera", "2017-03-28"),
        ),
        original_published=datetime(2017, 3, 27),
        republication=False,  # a day later is pick-up, not republication
    )
    assert archive.clusters_of([ALJAZEERA, ABC, "no-such-id"]) == {
        ALJAZEERA: info,
        ABC: info,
    }


def test_unrelated_stories_stay_alone(
    archive: Archive, republished: list[Article], raw_articles: list[Article]
) -> None:
    archive.apply([*republished, *raw_articles], [], 1)
    infos = archive.clusters_of(a.id for a in raw_articles)
    assert [len(i.members) for i in infos.values()] == [1, 1, 1, 1, 1]


def test_bridge_joins_trims_and_its_removal_splits_them(
    archive: Archive, trims: dict[str, Article]
) -> None:
    top, bottom, whole = trims["top"], trims["bottom"], trims["whole"]
    everything = [top, bottom, whole]
    archive.apply([top, bottom], [], 1)
    assert _groups(archive, everything[:2]) == [["bottom"], ["top"]]
    archive.apply([whole], [], 2)
    assert _groups(archive, everything) == [["top", "bottom", "whole"]]
    info = archive.clusters_of([bottom.id])[bottom.id]
    assert (info.earliest, [m.published for m in info.members]) == (
        top.id,
        ["2017-03-27", "2017-03-28", "2017-03-29"],
    )
    archive.apply([], [whole.id], 3)
    assert _groups(archive, everything[:2]) == [["bottom"], ["top"]]
    assert archive.clusters_of([whole.id]) == {}


def test_copy_far_later_is_a_republication(
    archive: Archive, tagger: SpacyTagger, republished: list[Article]
) -> None:
    later = copy_of(tagger, abc_text(), "later", "2017-05-02")
    undated = copy_of(tagger, abc_text(), "undated", None)
    archive.apply([*republished, later, undated], [], 1)
    infos = archive.clusters_of([ABC, ALJAZEERA, later.id, undated.id])
    assert {k: v.republication for k, v in infos.items()} == {
        ABC: False,
        ALJAZEERA: False,
        later.id: True,  # 36 days after the earliest copy
        undated.id: False,  # no date: cannot say
    }
    assert [m.published for m in infos[later.id].members] == [
        "2017-03-27",
        "2017-03-28",
        "2017-05-02",
        None,  # undated copies last
    ]


def test_many_ids_are_asked_in_chunks_with_the_same_answers(
    archive: Archive,
    republished: list[Article],
    raw_articles: list[Article],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsindex.archive import clusters

    archive.apply([*republished, *raw_articles], [], 1)
    ids = [a.id for a in (*republished, *raw_articles)]
    one_by_one = {}
    for article_id in ids:
        one_by_one.update(archive.clusters_of([article_id]))
    monkeypatch.setattr(clusters, "_CHUNK", 2)  # every statement a chunk of two
    asked = [*reversed(ids), "no-such-id", ids[0]]  # unknown and repeated ids
    assert archive.clusters_of(asked) == one_by_one
    assert list(archive.clusters_of(asked)) == list(reversed(ids))
