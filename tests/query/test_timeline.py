"""`timeline()`: a period's count is what search() counts for its dates."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsindex import Index
from newsindex.engines.base import INTERVALS, Interval, period_start
from newsindex.errors import UsageError
from newsindex.ingest.entities import EntityTagger
from newsindex.query.search import search
from newsindex.query.timeline import period_label, timeline

from ..conftest import raw_file

QUERIES = ["OPEC", "oil OR Brexit", "Reuters -outlet:Reuters"]


@pytest.mark.parametrize("by", INTERVALS)
@pytest.mark.parametrize("query", QUERIES)
def test_each_period_counts_what_search_counts(
    mixed_index: Index, query: str, by: Interval
) -> None:
    chart = timeline(mixed_index, query, by=by)
    assert chart.periods, "the mixed archive is dated"
    # Every period with articles, and the first and last of the empty ones
    # (the archive spans 1987 to 2017: thousands of empty days).
    empty = [p for p in chart.periods if not p.count]
    checked = [p for p in chart.periods if p.count] + empty[:1] + empty[-1:]
    for p in checked:
        found = search(
            mixed_index, query, since=p.since.isoformat(), until=p.until.isoformat()
        )
        assert (p.period, found.total) == (p.period, p.count)
    assert chart.dated == sum(p.count for p in chart.periods)
    assert chart.total == search(mixed_index, query).total


def test_split_counts_per_outlet_add_up(mixed_index: Index) -> None:
    whole = timeline(mixed_index, "OPEC", by="year")
    split = timeline(mixed_index, "OPEC", by="year", split="outlet")
    per_year: dict[str, int] = {}
    for p in split.periods:
        per_year[p.period] = per_year.get(p.period, 0) + p.count
    assert per_year == {p.period: p.count for p in whole.periods if p.count}
    for p in split.periods:
        if p.outlet == "unknown":
            continue
        found = search(
            mixed_index,
            "OPEC",
            outlet=p.outlet,
            since=p.since.isoformat(),
            until=p.until.isoformat(),
        )
        assert (p.period, p.outlet, found.total) == (p.period, p.outlet, p.count)


def test_the_shipped_corpus_by_month(raw_index: Index) -> None:
    chart = timeline(raw_index, "Lavrov", since="2021-09", until="2021-11")
    assert [p.to_dict() for p in chart.periods] == [
        {"period": "2021-09", "count": 0},
        {"period": "2021-10", "count": 2},
        {"period": "2021-11", "count": 0},
    ]
    assert (chart.total, chart.undated) == (2, 0)


def test_undated_articles_are_counted_apart(raw_index: Index) -> None:
    chart = timeline(raw_index, "said", by="year")
    assert (chart.total, chart.undated, chart.dated) == (5, 2, 3)
    assert [p.period for p in chart.periods] == ["2021", "2022", "2023", "2024"]


def test_bad_interval_and_split_are_usage_errors(raw_index: Index) -> None:
    with pytest.raises(UsageError, match=r"^no interval named 'hour' "):
        timeline(raw_index, "Lavrov", by="hour")
    with pytest.raises(UsageError, match=r"^can split a timeline by outlet only"):
        timeline(raw_index, "Lavrov", split="entity")


@pytest.mark.parametrize(
    ("day", "by", "label"),
    [
        (date(2017, 1, 1), "week", "2016-W52"),  # a Sunday: the ISO week of 2016
        (date(2017, 1, 2), "week", "2017-W01"),
        (date(2020, 12, 31), "week", "2020-W53"),
        (date(2017, 3, 5), "day", "2017-03-05"),
        (date(2017, 3, 5), "month", "2017-03"),
        (date(2017, 3, 5), "year", "2017"),
    ],
)
def test_period_labels(day: date, by: Interval, label: str) -> None:
    assert period_label(period_start(day, by), by) == label


@given(day=st.dates(min_value=date(1, 1, 8), max_value=date(9998, 12, 1)))
def test_a_day_is_in_its_period(day: date) -> None:
    for by in INTERVALS:
        start = period_start(day, by)
        assert start <= day
        assert period_start(start, by) == start  # idempotent
        assert period_label(start, by) == period_label(
            period_start(day - timedelta(days=(day - start).days), by), by
        )


def test_counts_across_a_segment_without_dates(
    tmp_path: Path, tagger: EntityTagger
) -> None:
    """A commit of only undated, outlet-less articles has no `published` or
    `outlet` column; the next commit's values stay on their own documents."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(raw_file("000"), corpus)  # undated, no outlet
    index = Index.build(corpus, tmp_path / "index", tagger=tagger)
    shutil.copy(raw_file("001"), corpus)  # TASS, 2021-10-18
    index.update(corpus, tagger=tagger)
    chart = timeline(index, "Brussels", by="day")
    assert [p.to_dict() for p in chart.periods] == [
        {"period": "2021-10-18", "count": 1}
    ]
    assert (chart.total, chart.undated) == (1, 0)
    assert index.facets("Brussels", ["outlet", "month"]) == {
        "outlet": [("TASS", 1)],
        "month": [("2021-10", 1)],
    }
    assert search(index, "Brussels", outlet="TASS").total == 1
    assert search(index, "mission", since="2021-10-18").total == 1
