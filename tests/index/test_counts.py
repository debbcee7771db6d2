"""Counts are of the articles stored, never of deleted documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsindex import Index

from ..conftest import RAW
from .test_parallel import NoEntities


def test_changed_files_leave_the_count_at_what_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(RAW, tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    with Index.create(tmp_path / "index") as index:
        assert index.update("raw", tagger=NoEntities()).total_articles == 5
        for path in sorted((tmp_path / "raw").glob("00[12]_*.txt")):
            path.write_text(path.read_text("utf-8") + "\nUpdated.\n", "utf-8")
        report = index.update("raw", tagger=NoEntities())
        assert (report.articles, report.unchanged, report.total_articles) == (2, 3, 5)
        assert index.article_count() == 5
        assert len(list(index.articles())) == 5
        assert index.search("Lavrov", all_copies=True).total == 5
