"""The archive of an index: what spans articles, kept in step with its commits.

`Archive.apply` is called with each index commit's added and removed
articles and that commit's generation; `generation()` tells the indexer
whether the archive matches the index, and `rebuild` starts it over when
it does not (after a crash between the two commits, or a schema change).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

# The archive's entity and quote tables are imported where used: a search
# opens the archive for copies only, and a new process pays for every import
# (quotes' rapidfuzz, the names and gazetteer behind lookup).
from newsindex.archive import clusters, db
from newsindex.archive.results import ClusterInfo, EntitySummary, QuoteHit
from newsindex.errors import DiskFullError, IndexStoreError
from newsindex.records import Article, EntityType, Published

if TYPE_CHECKING:
    from newsindex.archive.entities import Bucket

__all__ = ["Archive"]

_REBUILD_BATCH = 256  # articles sketched at once during a rebuild


class Archive:
    """Entities, quotes and republication clusters across an index's articles."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, index_dir: Path, *, write: bool = True) -> Archive:
        """Open the archive of the index at `index_dir`, creating it if missing.

        `write=False`: for reading only; nothing is created or changed on
        disk (a missing archive reads as empty). Raises IndexStoreError if
        it cannot be created or is corrupt.
        """
        conn = db.connect(Path(index_dir), write=write)
        return cls(conn, Path(index_dir) / db.FILE_NAME)

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def article_count(self) -> int:
        """How many articles the archive holds."""
        with self._errors():
            (count,) = self._conn.execute("SELECT count(*) FROM articles").fetchone()
            return int(count)

    def generation(self) -> int | None:
        """The index commit generation the archive matches, None if never synced."""
        with self._errors():
            return db.get_generation(self._conn)

    def apply(
        self,
        added: Sequence[Article],
        removed: Sequence[str],
        generation: int,
        sketches: Sequence[clusters.Sketch] | None = None,
    ) -> None:
        """Forget `removed` ids, add `added` articles, record `generation`: one commit.

        An id in both is replaced; an unknown removed id is ignored.
        `sketches` are the added articles' (`sketch_articles`), if already
        made (in ingest workers). Raises IndexStoreError if the file cannot
        be written (nothing is then changed).
        """
        from newsindex.archive import entities as alias_table

        if sketches is None:
            sketches = clusters.sketch_articles(added)  # before taking the lock
        # The same id twice: the last one wins.
        latest = {a.id: (a, s) for a, s in zip(added, sketches, strict=True)}
        with self._errors(), db.transaction(self._conn):
            touched: set[Bucket] = set()
            for article_id in sorted({*removed, *latest}):
                touched |= self._forget(article_id)
            for article, sketch in latest.values():
                touched |= self._add(article, sketch)
            alias_table.resolve(self._conn, touched)
            db.set_generation(self._conn, generation)

    def rebuild(
        self,
        articles: Iterable[Article],
        generation: int,
        *,
        stored: Callable[[str], clusters.Sketch | None] | None = None,
    ) -> None:
        """Start over from `articles` (every article of the index): one commit.

        `stored(article_id)`: the article's sketch if one was kept (None:
        sketch it here).
        """
        from newsindex.archive import entities as alias_table

        with self._errors(), db.transaction(self._conn):
            db.clear(self._conn)
            touched: set[Bucket] = set()
            for batch in _batches(articles, _REBUILD_BATCH):
                latest = {a.id: a for a in batch}
                for article_id in latest:
                    touched |= self._forget(
                        article_id
                    )  # an id seen in an earlier batch
                batch = list(latest.values())
                sketches = _sketches(batch, stored)
                for article, sketch in zip(batch, sketches, strict=True):
                    touched |= self._add(article, sketch)
            alias_table.resolve(self._conn, touched)
            db.set_generation(self._conn, generation)

    def clusters_of(self, article_ids: Iterable[str]) -> dict[str, ClusterInfo]:
        """The republication cluster of each known id (alone: a cluster of one)."""
        with self._errors():
            return clusters.clusters_of(self._conn, article_ids)

    def entity_keys(self, name: str) -> frozenset[str]:
        """Every stored key naming the same entity as `name`, and `name`'s own keys."""
        from newsindex.archive import lookup

        with self._errors():
            return lookup.entity_keys(self._conn, name)

    def spellings(self, name: str) -> frozenset[str]:
        """Every surface form written for the person `name` names, archive-wide."""
        from newsindex.archive import lookup

        with self._errors():
            return lookup.spellings(self._conn, name)

    def entities(
        self,
        *,
        type: EntityType | None = None,  # noqa: A002  the CLI option's name
        since: datetime | None = None,
        article_ids: Collection[str] | None = None,
        limit: int | None = None,
    ) -> list[EntitySummary]:
        """Unified entities with variants, article counts and first and last dates.

        `since` keeps articles published then or later (undated ones go);
        `article_ids` keeps those articles only (a search's hits). Most
        articles first, then most mentions, then by entity.
        """
        from newsindex.archive import lookup

        with self._errors():
            return lookup.summaries(
                self._conn,
                type_=type,
                since=since,
                article_ids=article_ids,
                limit=limit,
            )

    def articles_naming(
        self,
        keys: Collection[str],
        *,
        surnames: Collection[str] = (),
        article_ids: Collection[str],
    ) -> int:
        """How many of `article_ids` an entity filter of `keys` (and `surnames`,
        matched as a key's last word) keeps."""
        from newsindex.archive import lookup

        with self._errors():
            return lookup.articles_naming(self._conn, keys, surnames, article_ids)

    def find_quotes(self, text: str, *, limit: int = 20) -> list[QuoteHit]:
        """Quotes carrying the statement `text`, earliest first; [] if none."""
        from newsindex.archive import quotes

        with self._errors():
            return quotes.find_quotes(self._conn, text, limit)

    def _forget(self, article_id: str) -> set[Bucket]:
        from newsindex.archive import entities as alias_table
        from newsindex.archive import quotes

        row = self._conn.execute(
            "SELECT n FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return set()
        (n,) = row
        clusters.remove_article(self._conn, n)
        quotes.remove_quotes(self._conn, n)
        touched = alias_table.remove_article(self._conn, n)
        self._conn.execute("DELETE FROM articles WHERE n = ?", (n,))
        return touched

    def _add(self, article: Article, sketch: clusters.Sketch) -> set[Bucket]:
        from newsindex.archive import entities as alias_table
        from newsindex.archive import quotes

        first, last = _bounds(article.published)
        cursor = self._conn.execute(
            "INSERT INTO articles (id, outlet, published, sort_key, latest, shingles, "
            "sketch, numbers, cluster) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.outlet.name if article.outlet else None,
                article.published.iso() if article.published else None,
                first,
                last,
                sketch.shingles,
                sketch.values.tobytes() if sketch.values is not None else None,
                " ".join(sorted(sketch.figures)),
                article.id,
            ),
        )
        n = cursor.lastrowid
        assert n is not None
        clusters.add_article(self._conn, n, sketch)
        quotes.add_quotes(self._conn, n, article)
        return alias_table.add_article(self._conn, n, article)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                raise DiskFullError(self.path.parent) from exc
            raise IndexStoreError(f"archive {str(self.path)!r} failed: {exc}") from exc


def _bounds(published: Published | None) -> tuple[str | None, str | None]:
    """The first and last instant a date stands for, UTC: `2021-10` spans October."""
    from newsindex.archive.lookup import utc_key

    if published is None:
        return None, None
    start = published.utc().replace(tzinfo=None)
    if published.precision == "year":
        end = start.replace(year=start.year + 1, month=1, day=1, hour=0, minute=0)
    elif published.precision == "month":
        end = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    elif published.precision == "day":
        end = start + timedelta(days=1)
    else:
        end = start + timedelta(seconds=1)
    end -= timedelta(seconds=1)
    return utc_key(start), utc_key(end)


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sketches(
    batch: list[Article], stored: Callable[[str], clusters.Sketch | None] | None
) -> list[clusters.Sketch]:
    """The batch's sketches: those kept, and the others made now."""
    kept = [stored(a.id) if stored is not None else None for a in batch]
    missing = [a for a, sketch in zip(batch, kept, strict=True) if sketch is None]
    made = iter(clusters.sketch_articles(missing) if missing else [])
    return [sketch if sketch is not None else next(made) for sketch in kept]
