"""The commit protocol (docs/commit-protocol.md): what each commit holds together.

Refs #19. The kills at every step are in test_faults.py; these are the
failures the issue names, each on its own, in-process.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from whoosh import query as wquery

from newsindex import Index
from newsindex.errors import IndexMissingError, IndexStoreError
from newsindex.index.durable import DurableStorage
from newsindex.index.manifest import file_entries
from newsindex.index.schema import make_schema
from newsindex.records import Skip

from ..conftest import DATA, RAW
from .test_parallel import NoEntities

QUERIES = ("NATO mission", "Lavrov", "Russia suspend", "Education Secretary")


def answers(index: Index) -> list[tuple[str, int, int, float]]:
    """Every query's passages with their scores: what a user sees."""
    found = []
    for query in QUERIES:
        for p in index.search(query, limit=100, collapse=False):
            found.append((p.article_id, p.start, p.end, p.score))
    return sorted(found)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The shipped reports and the JSONL sample, one report in a subfolder."""
    root = tmp_path / "corpus"
    shutil.copytree(RAW, root)
    shutil.copy(DATA / "newsarticles-sample.jsonl", root)
    (root / "sub").mkdir()
    (first,) = root.glob("000_*.txt")
    first.rename(root / "sub" / first.name)
    return root


def build(corpus: Path, path: Path) -> Index:
    return Index.build(corpus, path, tagger=NoEntities())


def test_article_count_counts_live_articles_only(corpus: Path, tmp_path: Path) -> None:
    index = build(corpus, tmp_path / "index")
    article_id = index.articles().__next__().id
    writer = index._writer()  # a deletion left in its segment, as before #19
    writer.delete_by_term("article_id", article_id)
    writer.commit(merge=False)
    with Index.open(index.path) as reopened:
        assert reopened.searcher().doc_frequency("kind", "article") == 8
        assert reopened.article_count() == 7


def test_an_update_scores_as_a_fresh_build(corpus: Path, tmp_path: Path) -> None:
    index = build(corpus, tmp_path / "index")
    (report,) = corpus.glob("001_*.txt")
    report.write_text(report.read_text("utf-8") + "\nNATO mission.\n", "utf-8")
    assert index.update(corpus, tagger=NoEntities()).articles == 1
    fresh = build(corpus, tmp_path / "fresh")
    assert index.searcher().doc_count_all() == fresh.searcher().doc_count_all()
    assert index.searcher().doc_count() == index.searcher().doc_count_all()
    assert answers(index) == answers(fresh)


def test_remove_path_then_index_adds_the_file_back(
    corpus: Path, tmp_path: Path
) -> None:
    index = build(corpus, tmp_path / "index")
    target = str(corpus / "newsarticles-sample.jsonl")
    assert index.remove(target) == 3
    assert target not in file_entries(index.searcher())
    assert index.archive().generation() == index._ix.latest_generation()
    report = index.update(corpus, tagger=NoEntities())
    assert (report.files, report.articles, report.unchanged) == (1, 3, 5)
    assert answers(index) == answers(build(corpus, tmp_path / "fresh"))


def test_remove_id_lowers_the_file_s_article_count(
    corpus: Path, tmp_path: Path
) -> None:
    index = build(corpus, tmp_path / "index")
    target = str(corpus / "newsarticles-sample.jsonl")
    digest = file_entries(index.searcher())[target][0]
    (article_id, *_) = index.article_ids_of(target)
    assert index.remove(article_id) == 1
    searcher = index.searcher()
    assert file_entries(searcher)[target] == (digest, 2)
    assert (index.article_count(), searcher.doc_count()) == (
        7,
        searcher.doc_count_all(),
    )
    assert index.update(corpus, tagger=NoEntities()).unchanged == 6


def test_a_half_created_index_is_created_again(tmp_path: Path) -> None:
    path = tmp_path / "index"
    path.mkdir()
    # What a kill after Whoosh's first TOC and before newsindex.json leaves.
    DurableStorage(str(path)).create_index(make_schema())
    (path / "newsindex.json.tmp").write_text("{", encoding="utf-8")
    with pytest.raises(IndexMissingError):
        Index.open(path)
    with Index.create(path) as index:
        assert index.article_count() == 0
    assert sorted(p.name for p in path.iterdir() if p.name != "newsindex.lock") == [
        "_MAIN_0.toc",
        "newsindex.json",
    ]


def test_a_foreign_whoosh_index_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "theirs"
    path.mkdir()
    ix = DurableStorage(str(path)).create_index(make_schema())
    writer = ix.writer()
    writer.add_document(kind="file", path="x")
    writer.commit()
    expected = (
        f"index at {str(path)!r} has no readable newsindex.json: not a newsindex index"
    )
    for attempt in (Index.open, Index.create):
        with pytest.raises(IndexStoreError) as caught:
            attempt(path)
        assert str(caught.value) == expected


@pytest.fixture
def unreadable_sub(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """corpus/sub cannot be listed (as for root, chmod would not stop it)."""
    scandir = os.scandir
    sub = corpus / "sub"

    def denying(path: str = ".") -> object:
        if os.path.normpath(str(path)) == str(sub):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", denying)
    return sub


def test_prune_keeps_the_articles_of_an_unreadable_folder(
    corpus: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    index = build(corpus, tmp_path / "index")
    (gone,) = corpus.glob("002_*.txt")
    gone.unlink()
    (kept,) = (corpus / "sub").glob("*.txt")
    sub = request.getfixturevalue("unreadable_sub")
    report = index.update(corpus, tagger=NoEntities(), prune=True)
    assert report.removed == 1  # the deleted file, not the unread folder's
    assert report.unreadable == (Skip(str(sub), "Permission denied"),)
    assert index.article_ids_of(str(kept)) != []
    assert index.article_count() == 7
    term = wquery.Term("path", str(gone))
    assert list(index.searcher().docs_for_query(term)) == []


def test_prune_warns_of_an_unreadable_folder_in_one_line(
    corpus: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from click.testing import CliRunner

    from newsindex.cli import cli
    from newsindex.ingest import entities

    build(corpus, tmp_path / "index")
    sub = request.getfixturevalue("unreadable_sub")
    patch = request.getfixturevalue("monkeypatch")
    patch.setattr(entities, "SpacyTagger", NoEntities)
    args = ["index", str(corpus), "--index", str(tmp_path / "index"), "--prune"]
    result = CliRunner().invoke(cli, [*args, "--workers", "1", "-q"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        f"warning: cannot read folder {str(sub)!r}: Permission denied "
        "(its articles are kept)\n"
        "indexed 0 articles from 0 files, skipped 0 files (5 unchanged)\n",
    )


def _segments(index: Index) -> list[str]:
    return sorted(s.segment_id() for s in index._ix._segments())


def test_a_run_leaves_one_segment_of_its_own(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSINDEX_COMMIT_ARTICLES", "2")  # a commit every 2 articles
    index = build(corpus, tmp_path / "index")
    first = _segments(index)
    assert len(first) == 1
    assert index.archive().generation() == index._ix.latest_generation()
    unchanged = index.update(corpus, tagger=NoEntities())
    assert (unchanged.articles, _segments(index)) == (0, first)  # nothing to merge
    more = tmp_path / "more"
    shutil.copytree(DATA / "mixed", more)
    index.update(more, tagger=NoEntities(), exclude=["README*"])
    assert len(_segments(index)) == 2  # the first run's, and the second run's
    with Index.open(index.path) as reopened:
        assert reopened.archive().generation() == reopened._ix.latest_generation()
