"""Only writers write the archive; a reader reads what is there.

A run that dies between its index commit and the archive's leaves the
archive behind (or missing). A reader, such as the read-only server, must
not rewrite files in the index it serves: it answers from the archive as it
is and warns once; the next writer brings the archive up first.
"""

from __future__ import annotations

import shutil
import sqlite3
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import Index
from newsindex.cli import cli
from newsindex.errors import ArchiveBehindWarning

from ..conftest import RAW
from .test_parallel import NoEntities


def copy_of(raw_index: Index, tmp_path: Path) -> Path:
    copy = tmp_path / "index"
    shutil.copytree(raw_index.path, copy)
    return copy


def set_behind(index_dir: Path) -> int:
    """The archive as a run killed before its archive commit leaves it: one
    commit behind the index. Returns the generation it is at."""
    with Index.open(index_dir) as index:
        behind = index._ix.latest_generation() - 1
    with sqlite3.connect(index_dir / "archive.sqlite") as conn:
        conn.execute(
            "UPDATE meta SET value = ? WHERE name = 'generation'", (str(behind),)
        )
    return behind


def test_a_reader_answers_from_a_missing_archive_and_writes_nothing(
    raw_index: Index, tmp_path: Path
) -> None:
    copy = copy_of(raw_index, tmp_path)
    (copy / "archive.sqlite").unlink()
    before = sorted(p.name for p in copy.iterdir())
    with Index.open(copy) as index, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert len(index.search("Lavrov")) == 5
        assert index.entities() == []
    assert {w.category for w in caught} == {ArchiveBehindWarning}
    assert sorted(p.name for p in copy.iterdir()) == before


def test_a_reader_does_not_rebuild_a_stale_archive(
    raw_index: Index, tmp_path: Path
) -> None:
    copy = copy_of(raw_index, tmp_path)
    behind = set_behind(copy)
    with Index.open(copy) as index:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert len(index.search("Lavrov")) == 5
            assert len(index.search("NATO")) == 5  # warned once, not per search
        assert [w.category for w in caught] == [ArchiveBehindWarning]
        assert str(caught[0].message) == (
            f"the archive of {str(copy)!r} is behind its index (a run stopped "
            "between commits): entities, quotes and copies answer from what it "
            "holds until the next `newsindex index`"
        )
        assert index.archive().generation() == behind
    with sqlite3.connect(copy / "archive.sqlite") as conn:  # still as it was left
        (row,) = conn.execute("SELECT value FROM meta WHERE name = 'generation'")
    assert row == (str(behind),)


def test_the_next_writer_brings_the_archive_up(
    raw_index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = copy_of(raw_index, tmp_path)
    set_behind(copy)
    corpus = tmp_path / "raw"
    shutil.copytree(RAW, corpus)
    monkeypatch.chdir(tmp_path)
    with Index.open(copy) as index:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ArchiveBehindWarning)
            index.update("raw", tagger=NoEntities())  # every file unchanged
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert index.archive().generation() == index._ix.latest_generation()
            assert len(index.entities()) > 0


def test_the_cli_says_so_once_on_stderr(raw_index: Index, tmp_path: Path) -> None:
    copy = copy_of(raw_index, tmp_path)
    set_behind(copy)
    result = CliRunner().invoke(cli, ["search", "Lavrov NATO", "--index", str(copy)])
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: the archive of {str(copy)!r} is behind its index (a run "
        "stopped between commits): entities, quotes and copies answer from what "
        "it holds until the next `newsindex index`\n"
    )
