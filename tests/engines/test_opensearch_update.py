"""Updating an index on OpenSearch: workers write, files are replaced, runs resume.

Each ingest worker sends its own articles (`engines/opensearch/sink.py`);
the updating process deletes what a changed file's new version replaces
and writes the manifest. The index that comes out is the one a Whoosh
build of the same files holds, article for article.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from osmem_server import OsmemServer

from newsindex import Index
from newsindex.archive import clusters
from newsindex.cli import cli
from newsindex.engines.opensearch.documents import read_sketch, sketch_json
from newsindex.index import update

from ..conftest import RAW
from ..index.test_parallel import NoEntities


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSINDEX_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(RAW, tmp_path / "raw")
    return tmp_path / "raw"


def articles(index: Index) -> list[tuple[str, str, str]]:
    return sorted((a.id, a.source.path, a.body) for a in index.articles())


def test_two_workers_write_what_whoosh_holds(
    osmem_server: OsmemServer,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(update, "_BATCH_FILES", 2)  # 5 files: three batches
    whoosh = Index.create(tmp_path / "whoosh")
    whoosh.update(corpus, tagger=NoEntities(), workers=1)
    cluster = Index.create(f"{osmem_server.url}/two-workers")
    report = cluster.update(corpus, tagger=NoEntities(), workers=2)
    assert (report.files, report.articles, report.total_articles) == (5, 5, 5)
    assert articles(cluster) == articles(whoosh)
    assert cluster.manifest() == whoosh.manifest()
    assert cluster.archive().article_count() == 5


def test_a_changed_file_replaces_its_old_articles(
    osmem_server: OsmemServer, corpus: Path
) -> None:
    index = Index.create(f"{osmem_server.url}/changed")
    index.update(corpus, tagger=NoEntities())
    changed = sorted(corpus.glob("003_*.txt"))[0]
    (old_id,) = index.article_ids_of(f"{corpus}/{changed.name}")
    changed.write_text(changed.read_text("utf-8") + "\nA line added later.\n", "utf-8")
    report = index.update(corpus, tagger=NoEntities())
    assert (report.files, report.unchanged, report.total_articles) == (1, 4, 5)
    (new_id,) = index.article_ids_of(f"{corpus}/{changed.name}")
    assert new_id != old_id
    assert old_id not in {a.id for a in index.articles()}
    assert index.archive().article_count() == 5


class _Killed(Exception):
    pass


def die(*args: object) -> None:
    raise _Killed


@pytest.mark.parametrize(
    ("where_it_dies", "redone"),
    [
        # Articles sent and old ones deleted, manifest entries not written:
        # the next run ingests the two changed files again.
        ("newsindex.engines.opensearch.manifest.Manifest.write", 2),
        # Everything written, the commit not counted done: the files are
        # in, and every archive cache (this machine's too) is rebuilt.
        ("newsindex.engines.opensearch.index.OpenSearchIndex.sync_archive", 0),
    ],
)
def test_a_run_that_dies_in_its_commit_is_completed_by_the_next(
    osmem_server: OsmemServer,
    corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    where_it_dies: str,
    redone: int,
) -> None:
    where = f"{osmem_server.url}/killed-{redone}"
    Index.create(where).update(corpus, tagger=NoEntities())
    for path in sorted(corpus.glob("00[12]_*.txt")):
        path.write_text(path.read_text("utf-8") + "\nMore news.\n", "utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(where_it_dies, die)
        with pytest.raises(_Killed):
            Index.open(where).update(corpus, tagger=NoEntities())
    again = Index.open(where)
    report = again.update(corpus, tagger=NoEntities())
    assert (report.files, report.unchanged, report.total_articles) == (
        redone,
        5 - redone,
        5,
    )
    fresh = Index.create(f"{osmem_server.url}/killed-{redone}-fresh")
    fresh.update(corpus, tagger=NoEntities())
    assert articles(again) == articles(fresh)
    assert again.manifest() == fresh.manifest()
    cached = again.archive()
    assert cached.article_count() == 5
    assert sorted(cached.clusters_of(a.id for a in again.articles())) == sorted(
        a.id for a in fresh.articles()
    )


def test_another_machine_rebuilds_from_the_kept_sketches(
    osmem_server: OsmemServer,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The workers' MinHash sketches are kept in the cluster, and read back whole."""
    where = f"{osmem_server.url}/sketches"
    Index.create(where).update(corpus, tagger=NoEntities())
    written = Index.open(where).archive()
    ids = [a.id for a in Index.open(where).articles()]
    expected = written.clusters_of(ids)

    def no_sketching(*args: object) -> None:
        raise AssertionError("sketched again")

    monkeypatch.setenv("NEWSINDEX_CACHE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setattr(clusters, "sketch_articles", no_sketching)
    rebuilt = Index.open(where).archive()
    assert rebuilt.clusters_of(ids) == expected
    assert rebuilt.article_count() == 5


def test_a_sketch_reads_back_as_it_was_made(raw_index: Index) -> None:
    for sketch in clusters.sketch_articles(list(raw_index.articles())):
        again = read_sketch(json.loads(json.dumps(sketch_json(sketch))))
        assert (again.shingles, again.figures) == (sketch.shingles, sketch.figures)
        assert sketch.values is not None
        assert again.values is not None
        assert again.values.tolist() == sketch.values.tolist()


def test_optimize_force_merges_and_changes_no_answer(
    osmem_server: OsmemServer, corpus: Path
) -> None:
    where = f"{osmem_server.url}/optimized"
    cluster = Index.create(where)
    cluster.update(corpus, tagger=NoEntities(), workers=1)
    before = [(p.article_id, p.start, p.end) for p in cluster.search("Lavrov")]
    result = CliRunner().invoke(cli, ["optimize", "--index", where])
    assert (result.exit_code, result.stderr) == (0, f"optimized {where}\n")
    after = [(p.article_id, p.start, p.end) for p in cluster.search("Lavrov")]
    assert after == before != []
