"""The archive file: generations, one transaction per change, rebuilds."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import pytest

from newsindex.archive import Archive
from newsindex.errors import IndexStoreError
from newsindex.records import Article

NAMES = ["Sergei Lavrov", "Lavrov", "NATO", "James Baker", "Baker", "Howard Baker"]


def _state(archive: Archive, articles: list[Article]) -> dict[str, object]:
    """Everything the archive answers about these articles."""
    ids = sorted(a.id for a in articles)
    with sqlite3.connect(archive.path) as conn:
        names = sorted(
            conn.execute(
                "SELECT articles.id, names.key, names.type, names.entity FROM names "
                "JOIN articles ON articles.n = names.n"
            )
        )
    return {
        "clusters": archive.clusters_of(ids),
        "entities": archive.entities(),
        "keys": {n: archive.entity_keys(n) for n in NAMES},
        "quotes": archive.find_quotes("not interested in equal dialogue"),
        "names": names,
    }


def test_rebuild_equals_incremental(
    tmp_path: Path,
    raw_articles: list[Article],
    republished: list[Article],
    trims: dict[str, Article],
    bakers: list[Article],
) -> None:
    top, bottom, whole = trims["top"], trims["bottom"], trims["whole"]
    raw, howard = raw_articles, bakers[1]
    with Archive.open(tmp_path / "a") as incremental:
        incremental.apply([*raw[:3], *bakers[:3]], [], 1)
        incremental.apply([*republished, top, bottom], [raw[0].id], 2)
        incremental.apply([whole, *raw[3:], *bakers[3:]], [], 3)
        incremental.apply([raw[0]], [whole.id, howard.id, "unknown-id"], 4)
        final = [*raw, *republished, top, bottom, *bakers]
        final.remove(howard)
        expected = _state(incremental, final)
    shuffled = random.Random(6).sample(final, len(final))
    with Archive.open(tmp_path / "b") as rebuilt:
        rebuilt.apply([whole], [], 1)  # stale content the rebuild must drop
        rebuilt.rebuild(iter(shuffled), 4)
        assert _state(rebuilt, final) == expected
        assert rebuilt.generation() == 4


def test_generation_is_kept_with_the_file(
    tmp_path: Path, raw_articles: list[Article]
) -> None:
    with Archive.open(tmp_path) as archive:
        assert archive.generation() is None
        archive.apply(raw_articles, [], 7)
        assert archive.generation() == 7
    with Archive.open(tmp_path) as archive:
        assert archive.generation() == 7
        archive.rebuild(raw_articles, 9)
        assert archive.generation() == 9


def test_replacing_an_article_keeps_one_copy(
    archive: Archive, raw_articles: list[Article]
) -> None:
    archive.apply(raw_articles, [], 1)
    before = archive.entities()
    archive.apply(raw_articles[:2], [a.id for a in raw_articles[:2]], 2)
    assert archive.entities() == before


def test_a_failed_apply_changes_nothing(
    archive: Archive, raw_articles: list[Article]
) -> None:
    archive.apply(raw_articles[:2], [], 1)
    before = archive.entities()
    with sqlite3.connect(archive.path, timeout=0.1) as blocker:
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        archive._conn.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(IndexStoreError, match="database is locked"):
            archive.apply(raw_articles[2:], [raw_articles[0].id], 2)
        blocker.rollback()
    assert (archive.entities(), archive.generation()) == (before, 1)


def test_readers_see_the_last_commit(
    tmp_path: Path, raw_articles: list[Article]
) -> None:
    with Archive.open(tmp_path) as writer, Archive.open(tmp_path) as reader:
        writer.apply(raw_articles[:1], [], 1)
        committed = ["Sergei Lavrov", "Jens Stoltenberg"]
        assert [e.name for e in reader.entities(type="person")] == committed
        with sqlite3.connect(writer.path) as other:
            other.execute("BEGIN IMMEDIATE")
            other.execute("DELETE FROM names")  # a write in progress (WAL)
            assert [e.name for e in reader.entities(type="person")] == committed
            other.rollback()


def test_other_schema_version_is_recreated_empty(
    tmp_path: Path, raw_articles: list[Article]
) -> None:
    with Archive.open(tmp_path) as archive:
        archive.apply(raw_articles, [], 3)
        path = archive.path
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE name = 'schema'")
    with Archive.open(tmp_path) as archive:
        assert (archive.generation(), archive.entities()) == (None, [])


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "archive.sqlite").write_bytes(b"not a database\n" * 100)
    with pytest.raises(IndexStoreError) as caught:
        Archive.open(tmp_path)
    assert str(caught.value) == (
        f"archive {str(tmp_path / 'archive.sqlite')!r} is corrupt or unreadable: "
        "file is not a database (delete it: the next index run rebuilds it)"
    )


def test_a_reader_opens_the_archive_while_a_writer_holds_it(
    tmp_path: Path, raw_articles: list[Article]
) -> None:
    with Archive.open(tmp_path) as archive:
        archive.apply(raw_articles, [], 1)
    writer = sqlite3.connect(tmp_path / "archive.sqlite", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a writer's apply in progress
    try:
        started = time.monotonic()
        with Archive.open(tmp_path) as reader:
            assert reader.generation() == 1
        assert time.monotonic() - started < 5  # not the 10 s busy wait
    finally:
        writer.execute("ROLLBACK")
        writer.close()
