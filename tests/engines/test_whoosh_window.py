"""InWindow: the documents and scores of the words alone, kept to a date window.

Checked against the window worked out by hand from each document's date,
on an index of several segments with deletions, undated documents and
windows small enough to be skipped through as a list and large enough to
be a mask.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import whoosh.index as windex
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wquery
from whoosh.searching import Searcher

from newsindex.engines.whoosh.window import DateWindow, InWindow
from newsindex.index.schema import make_schema

FIRST = datetime(2020, 1, 1)
DAYS = 400
WORDS = {"oil": 0.6, "opec": 0.15, "tanker": 0.02}  # share of documents


def _dated(rng: random.Random) -> datetime | None:
    if rng.random() < 0.1:
        return None
    return FIRST + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(1440))


Archive = tuple[Searcher, dict[str, datetime | None]]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """Three segments with deletions; the date of each document left (by pid)."""
    rng = random.Random(20)
    ix = windex.create_in(str(tmp_path_factory.mktemp("window")), make_schema())
    kept: dict[str, datetime | None] = {}
    for segment in range(3):
        writer = ix.writer()
        for n in range(250):
            pid = f"{segment}-{n}"
            words = [w for w, share in WORDS.items() if rng.random() < share]
            when = _dated(rng)
            fields = {"kind": "passage", "pid": pid, "text": " ".join([*words, "x"])}
            if when is not None:
                fields["published"] = when
            writer.add_document(**fields)
            kept[pid] = when
        writer.commit(merge=False)
    writer = ix.writer()
    for pid in rng.sample(sorted(kept), 40):
        writer.delete_by_term("pid", pid)
        del kept[pid]
    writer.commit(merge=False)
    searcher = ix.searcher()
    assert len(searcher.reader().leaf_readers()) == 3
    return searcher, kept


def _inside(when: datetime | None, window: DateWindow) -> bool:
    if when is None:
        return window.undated
    return (
        window.dated
        and (window.start is None or when >= window.start)
        and (window.stop is None or when <= window.stop)
    )


windows = st.builds(
    lambda start, length, open_start, open_stop, undated: DateWindow(
        None if open_start else FIRST + timedelta(days=start, hours=5),
        None if open_stop else FIRST + timedelta(days=start + length, hours=17),
        undated=undated,
    ),
    st.integers(-10, DAYS),
    st.integers(0, DAYS),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(window=windows, word=st.sampled_from(sorted(WORDS)))
def test_a_window_keeps_the_words_documents_in_it_and_their_scores(
    archive: Archive, window: DateWindow, word: str
) -> None:
    searcher, dates = archive
    words = wquery.Term("text", word)
    scored = {hit["pid"]: hit.score for hit in searcher.search(words, limit=None)}
    expected = {pid: s for pid, s in scored.items() if _inside(dates[pid], window)}
    found = searcher.search(InWindow(words, window), limit=None)
    assert {hit["pid"]: hit.score for hit in found} == expected
    assert sorted(searcher.docs_for_query(InWindow(words, window))) == sorted(
        hit.docnum for hit in found
    )


@settings(max_examples=30, deadline=None)
@given(window=windows, limit=st.integers(1, 5))
def test_the_top_hits_in_a_window_are_the_best_of_the_window(
    archive: Archive, window: DateWindow, limit: int
) -> None:
    searcher, dates = archive
    # Top-n collection skips blocks by quality; the window must not upset it.
    words = wquery.Or([wquery.Term("text", "oil"), wquery.Term("text", "opec")])
    ranked = [
        (hit.score, hit.docnum)
        for hit in searcher.search(words, limit=None)
        if _inside(dates[hit["pid"]], window)
    ]
    found = searcher.search(InWindow(words, window), limit=limit)
    assert [hit.score for hit in found] == [s for s, _ in ranked[:limit]]


def test_a_window_lists_the_documents_of_each_segment(archive: Archive) -> None:
    searcher, dates = archive
    window = DateWindow(FIRST + timedelta(days=30), FIRST + timedelta(days=60))
    reader = searcher.reader()
    listed = window.docs(reader)
    assert listed == sorted(listed)
    alive = [d for d in listed if not reader.is_deleted(d)]
    expected = [pid for pid, when in dates.items() if _inside(when, window)]
    assert sorted(reader.stored_fields(d)["pid"] for d in alive) == sorted(expected)
    assert expected


def test_two_indexes_with_the_same_segment_ids_keep_their_own_dates(
    tmp_path: Path,
) -> None:
    """Segment ids come from `random`: seeded alike, two indexes repeat them."""
    found = []
    for n, day in enumerate((FIRST, FIRST + timedelta(days=200))):
        random.seed(7)  # as hypothesis seeds it: the same segment id in both
        (tmp_path / f"ix{n}").mkdir()
        ix = windex.create_in(str(tmp_path / f"ix{n}"), make_schema())
        writer = ix.writer()
        for pid in ("a", "b"):
            writer.add_document(kind="passage", pid=pid, text="oil", published=day)
        writer.commit()
        searcher = ix.searcher()
        window = DateWindow(day - timedelta(days=1), day + timedelta(days=1))
        hits = searcher.search(InWindow(wquery.Term("text", "oil"), window))
        found.append(sorted(hit["pid"] for hit in hits))
        searcher.close()
    assert found == [["a", "b"], ["a", "b"]]
