"""manifest.run_end_merge: the run's segments become one, and a full level
is merged a level up, so segments stay few and writing stays cheap."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from newsindex.index.manifest import FACTOR, FLOOR, run_end_merge


def test_a_runs_own_segments_are_merged_and_the_older_kept() -> None:
    sizes = {"old": 150_000, "a": 14_000, "b": 14_000, "c": 900}
    assert run_end_merge(sizes, frozenset({"a", "b", "c"})) == {"a", "b", "c"}


def test_a_run_of_one_segment_merges_nothing_below_a_full_level() -> None:
    sizes = {f"old{n}": 15_000 for n in range(FACTOR - 2)} | {"new": 3_000}
    assert run_end_merge(sizes, frozenset({"new"})) == frozenset()


def test_the_run_that_fills_a_level_merges_it() -> None:
    sizes = {f"old{n}": 15_000 for n in range(FACTOR - 1)} | {"new": 3_000}
    assert run_end_merge(sizes, frozenset({"new"})) == frozenset(sizes)


def test_a_level_up_is_not_touched_by_a_merge_below_it() -> None:
    big = {f"big{n}": FLOOR * FACTOR for n in range(FACTOR - 1)}
    small = {f"small{n}": 1_000 for n in range(FACTOR - 1)}
    chosen = run_end_merge(big | small | {"new": 1_000}, frozenset({"new"}))
    assert chosen == frozenset(small) | {"new"}


@given(runs=st.lists(st.integers(1, 60_000), min_size=1, max_size=300))
def test_segments_stay_few_and_each_document_is_rewritten_a_few_times(
    runs: list[int],
) -> None:
    segments: dict[str, int] = {}
    written = 0
    for n, docs in enumerate(runs):
        # A run leaves two segments, as commits every so often do.
        new = {f"r{n}a": docs - docs // 2, f"r{n}b": docs // 2}
        segments |= {seg: size for seg, size in new.items() if size}
        written += docs
        chosen = run_end_merge(segments, frozenset(seg for seg in new if new[seg]))
        if len(chosen) > 1:
            merged = sum(segments.pop(seg) for seg in chosen)
            segments[f"m{n}"] = merged
            written += merged
        levels: dict[int, int] = {}
        for size in segments.values():
            level = max(0, math.floor(math.log(size / FLOOR, FACTOR) + 1e-12))
            levels[level] = levels.get(level, 0) + 1
        assert all(count < FACTOR for count in levels.values()), segments
    total = sum(runs)
    assert sum(segments.values()) == total
    # Written once, merged once per run, then once per level climbed.
    climbs = max(1, math.ceil(math.log(max(total / FLOOR, 1), FACTOR)) + 1)
    assert written <= total * (2 + climbs)
