"""Segments: a run's become one and a full level is merged a level up
(manifest.run_end_merge), so segments stay few and writing stays cheap;
`newsindex optimize` merges them all."""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import whoosh.index as windex
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newsindex import Index
from newsindex.cli import cli
from newsindex.index.lock import write_lock
from newsindex.index.manifest import FACTOR, FLOOR, run_end_merge

from ..conftest import RAW
from .test_parallel import NoEntities


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


def _segments(path: Path) -> int:
    return len(windex.open_dir(str(path)).reader().leaf_readers())


def _answers(index: Index, query: str) -> list[tuple[str, int, int, float]]:
    found = index.search(query, limit=20, collapse=False)
    return [(p.article_id, p.start, p.end, round(p.score, 9)) for p in found]


def test_optimize_merges_every_segment_and_changes_no_answer(tmp_path: Path) -> None:
    corpus = tmp_path / "raw"
    corpus.mkdir()
    where = tmp_path / "index"
    for path in sorted(RAW.glob("*.txt"))[:3]:  # three runs: three segments
        shutil.copy(path, corpus)
        Index.build(corpus, where, tagger=NoEntities()).close()
    assert _segments(where) == 3
    with Index.open(where) as index:
        before = {q: _answers(index, q) for q in ("Lavrov", '"NATO mission"')}
        manifest = index.manifest()
    result = CliRunner().invoke(cli, ["optimize", "--index", str(where)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"optimized {where}: 3 segments now one\n"
    assert _segments(where) == 1
    with Index.open(where) as index:
        assert {q: _answers(index, q) for q in before} == before
        assert index.manifest() == manifest
        assert before["Lavrov"]


def test_optimize_waits_for_no_writer(tmp_path: Path) -> None:
    where = tmp_path / "index"
    Index.create(where).close()
    with write_lock(where):
        result = CliRunner().invoke(cli, ["optimize", "--index", str(where)])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: index is locked by another newsindex process "
        f"(pid {os.getpid()}): {str(where)!r}\n"
    )
