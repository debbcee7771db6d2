"""Readers bring a stale archive up only when no writer is running."""

from __future__ import annotations

import shutil
from pathlib import Path

from newsindex import Index
from newsindex.index.lock import write_lock


def stale_copy(raw_index: Index, tmp_path: Path) -> Path:
    """A copy of the index whose archive died before its first sync."""
    copy = tmp_path / "index"
    shutil.copytree(raw_index.path, copy)
    (copy / "archive.sqlite").unlink()
    return copy


def test_a_reader_rebuilds_a_stale_archive_when_no_one_writes(
    raw_index: Index, tmp_path: Path
) -> None:
    with Index.open(stale_copy(raw_index, tmp_path)) as index:
        archive = index.archive()
        assert archive.generation() == index._ix.latest_generation()
        assert len(index.search("Lavrov")) == 5


def test_a_reader_leaves_the_archive_to_a_running_writer(
    raw_index: Index, tmp_path: Path
) -> None:
    copy = stale_copy(raw_index, tmp_path)
    with write_lock(copy), Index.open(copy) as index:
        assert index.archive().generation() is None  # left for the writer
        found = index.search("Lavrov", all_copies=True)
        assert len(found) == 5  # words need no archive; copies stay apart
    with Index.open(copy) as index:  # the writer has gone: now it is rebuilt
        assert index.archive().generation() == index._ix.latest_generation()
