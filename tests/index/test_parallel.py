"""Parsing and tagging in worker processes gives the same index as in one."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from dask.distributed import LocalCluster

from newsindex import Index
from newsindex.index import update
from newsindex.index.manifest import Progress, progress_entries

from ..conftest import RAW


class NoEntities:
    """A picklable tagger that finds nothing (spawned workers import this module)."""

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[tuple[str, int, int]]]:
        return [[] for _ in texts]

    def model_for(self, language: str | None) -> str | None:
        return None


def snapshot(index: Index) -> list[tuple[str, str, int, int]]:
    passages = index.search("NATO OR Lavrov OR Russia", limit=100, collapse=False)
    return sorted((p.article_id, p.text, p.start, p.end) for p in passages)


def test_workers_build_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "raw"
    shutil.copytree(RAW, corpus)
    monkeypatch.setattr(update, "_BATCH_FILES", 2)  # 5 files: three batches
    one = Index.create(tmp_path / "one")
    two = Index.create(tmp_path / "two")
    report_one = one.update(corpus, tagger=NoEntities(), workers=1)
    report_two = two.update(corpus, tagger=NoEntities(), workers=2)
    assert (report_two.files, report_two.articles) == (5, 5)
    assert (report_one.files, report_one.articles) == (5, 5)
    assert snapshot(one) == snapshot(two)
    assert len(snapshot(two)) > 20


def test_a_dask_cluster_builds_the_same_index(tmp_path: Path) -> None:
    corpus = tmp_path / "raw"
    shutil.copytree(RAW, corpus)
    local = Index.create(tmp_path / "local")
    local.update(corpus, tagger=NoEntities())
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = Index.create(tmp_path / "dask")
        report = remote.update(
            corpus, tagger=NoEntities(), scheduler=cluster.scheduler_address
        )
    assert (report.files, report.articles) == (5, 5)
    assert snapshot(remote) == snapshot(local)


@pytest.fixture
def export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Index]:
    """A JSONL export and its index built whole; from then on, every container
    is split into parts of one record."""
    corpus = tmp_path / "export"
    corpus.mkdir()
    shutil.copy(RAW.parent / "tests" / "data" / "newsarticles-sample.jsonl", corpus)
    whole = Index.create(tmp_path / "whole")
    whole.update(corpus, tagger=NoEntities())
    monkeypatch.setattr(update, "_SPLIT_BYTES", 10)  # split every container
    monkeypatch.setattr(update, "_PART_RECORDS", 1)
    return corpus, whole


def test_a_split_container_gives_the_same_articles(
    tmp_path: Path, export: tuple[Path, Index]
) -> None:
    corpus, whole = export
    split = Index.create(tmp_path / "split")
    report = split.update(corpus, tagger=NoEntities(), workers=2)
    assert (report.files, report.articles) == (1, whole.article_count())
    assert sorted(a.id for a in split.articles()) == sorted(
        a.id for a in whole.articles()
    )


class DiesOnThirdBatch(NoEntities):
    """A tagger whose run dies (in-process) when the third batch comes."""

    def __init__(self) -> None:
        self.batches = 0

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[tuple[str, int, int]]]:
        self.batches += 1
        if self.batches == 3:
            raise KeyboardInterrupt
        return super().tag(texts, languages)


class CountingTagger(NoEntities):
    """Counts the texts it is given: the articles a run tags."""

    def __init__(self) -> None:
        self.texts = 0

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[tuple[str, int, int]]]:
        self.texts += len(texts)
        return super().tag(texts, languages)


def test_a_split_container_cut_short_is_continued(
    tmp_path: Path, export: tuple[Path, Index], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, whole = export
    monkeypatch.setattr(update, "_BATCH_FILES", 1)  # one record per batch
    monkeypatch.setenv("NEWSINDEX_COMMIT_ARTICLES", "1")  # commit after each
    cut = Index.create(tmp_path / "cut")
    with pytest.raises(KeyboardInterrupt):
        cut.update(corpus, tagger=DiesOnThirdBatch())
    path = str(corpus / "newsarticles-sample.jsonl")
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    with Index.open(cut.path) as reopened:  # two parts committed, no manifest
        assert reopened.article_count() == 2
        assert reopened.manifest() == {}
        assert progress_entries(reopened.searcher()) == {
            path: Progress(digest, records=2, articles=2)
        }
        tagger = CountingTagger()
        report = reopened.update(corpus, tagger=tagger)
        assert (report.files, report.articles, tagger.texts) == (1, 1, 1)
        assert sorted(a.id for a in reopened.articles()) == sorted(
            a.id for a in whole.articles()
        )
        assert progress_entries(reopened.searcher()) == {}
        assert reopened.manifest() == whole.manifest()
        # Nothing left that the whole build lacks: no deleted documents.
        searcher = reopened.searcher()
        assert (searcher.doc_count_all(), searcher.doc_count()) == (
            whole.searcher().doc_count_all(),
            whole.searcher().doc_count_all(),
        )
        assert reopened.archive().generation() == reopened._ix.latest_generation()
