"""Open, build and update an index; the only module that opens a Whoosh writer.

An update skips files whose content hash is unchanged without parsing them,
replaces a changed file's documents, and commits in batches (every few
thousand articles or a minute). Each commit is atomic and durable
(`durable.py`): if the run dies, the last commit is the searchable index,
whole, and the next run carries on from it.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import whoosh.index as windex
from whoosh import query as wquery
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter, LockError

from newsindex.dates import parse_user_date
from newsindex.errors import (
    ArchiveBehindWarning,
    ArticleNotFoundError,
    IndexLockedError,
    IndexMissingError,
    IndexStoreError,
)
from newsindex.faults import fault_point
from newsindex.index import manifest
from newsindex.index.durable import DurableStorage, remove_leftovers
from newsindex.index.folder import (
    check_meta,
    has_index,
    reading,
    write_meta,
    writing,
)
from newsindex.index.lock import write_lock, writer_running
from newsindex.index.schema import make_schema
from newsindex.ingest.entities import EntityTagger, SpacyTagger
from newsindex.progress import ProgressFn
from newsindex.records import Article, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.discover import discover

if TYPE_CHECKING:
    from newsindex.archive import Archive
    from newsindex.archive.clusters import Sketch
    from newsindex.engines.base import OutletCount, Sort
    from newsindex.engines.whoosh.engine import WhooshEngine
    from newsindex.query.plan import DateBound
    from newsindex.query.results import SearchResults
    from newsindex.query.tree import Node

__all__ = ["Index", "UpdateReport"]


@dataclass(frozen=True, slots=True)
class UpdateReport:
    """What one `Index.update` did."""

    files: int  # files (re)indexed in this run
    articles: int  # articles (re)indexed in this run
    unchanged: int  # files skipped because their content hash was unchanged
    removed: int  # files whose articles were pruned
    skipped: tuple[Skip, ...]  # files that could not be ingested
    total_articles: int  # articles in the index after the commit
    # Files indexed with some records left out, one Skip each with a summary.
    skipped_records: tuple[Skip, ...] = ()
    # Folders that could not be read: their files were neither indexed nor
    # pruned. One Skip each (the folder, the reason).
    unreadable: tuple[Skip, ...] = ()


class Index:
    """A newsindex index directory: open it, update it, search it, get articles."""

    def __init__(self, path: Path, ix: windex.Index) -> None:
        self.path = path
        self._ix = ix
        self._searcher: Searcher | None = None
        self._archive: Archive | None = None  # a writer's
        self._read_archive: Archive | None = None
        self._warned_behind = False

    @classmethod
    def open(cls, path: Path | str) -> Index:
        """Open an existing index; raise IndexMissingError if there is none."""
        path = Path(path)
        if not has_index(path):
            raise IndexMissingError(path)
        check_meta(path)
        if not any(path.glob("_MAIN_*.toc")):
            raise IndexStoreError(
                f"index at {str(path)!r} is corrupt: its table of contents "
                "(_MAIN_*.toc) is missing"
            )
        with reading(path):
            return cls(path, DurableStorage(str(path)).open_index())

    @classmethod
    def create(cls, path: Path | str) -> Index:
        """Open the index at `path`, creating an empty one if there is none.

        Creation is atomic: the rename of `newsindex.json` into place makes
        the folder an index, and a folder a killed creation left before it
        is created again.
        """
        path = Path(path)
        if has_index(path):
            return cls.open(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
            with write_lock(path):
                if not has_index(path):
                    DurableStorage(str(path)).create_index(make_schema())
                    write_meta(path)
        except OSError as exc:
            raise IndexStoreError(
                f"cannot create index at {str(path)!r}: {exc.strerror}"
            ) from exc
        return cls.open(path)

    @classmethod
    def build(
        cls,
        corpus: Path | str,
        path: Path | str,
        *,
        tagger: EntityTagger | None = None,
        exclude: Sequence[str] = (),
        options: ReaderOptions | None = None,
        on_progress: ProgressFn | None = None,
    ) -> Index:
        """Create or update the index at `path` from the files under `corpus`."""
        index = cls.create(path)
        index.update(
            corpus,
            tagger=tagger,
            exclude=exclude,
            options=options,
            on_progress=on_progress,
        )
        return index

    def update(
        self,
        corpus: Path | str,
        *,
        tagger: EntityTagger | None = None,
        prune: bool = False,
        exclude: Sequence[str] = (),
        options: ReaderOptions | None = None,
        workers: int = 1,
        scheduler: str | None = None,
        on_progress: ProgressFn | None = None,
    ) -> UpdateReport:
        """Bring the index in line with the files under `corpus`, committing in batches.

        Unchanged files are skipped by content hash; files that cannot be
        ingested are reported in `UpdateReport.skipped`; `prune` removes the
        articles of files under `corpus` that are gone; `exclude` holds glob
        patterns of files that are not articles (`README*`); `workers` > 1
        parses and tags in that many processes, `scheduler` (a Dask scheduler
        address) on that cluster instead. Raises
        IndexLockedError if another process is writing, InputPathError if
        `corpus` does not exist.
        """
        from newsindex.index.update import UpdateRun  # ingest: only for writers

        unreadable: list[OSError] = []
        files = list(discover(corpus, exclude, on_error=unreadable.append))
        folders = [os.path.normpath(str(exc.filename)) for exc in unreadable]
        with write_lock(self.path), writing(self.path):
            remove_leftovers(self.path)
            self._catch_up_archive()
            run = UpdateRun(self, tagger or SpacyTagger(), options, workers, scheduler)
            try:
                run.ingest(files, on_progress)
                seen = {f.display_path for f in files}
                removed = run.prune(str(corpus), seen, folders) if prune else 0
                run.commit()
            finally:
                run.cancel()
        self._refresh()
        return UpdateReport(
            files=run.files,
            articles=run.articles,
            unchanged=run.unchanged,
            removed=removed,
            skipped=tuple(sorted(run.skipped, key=lambda skip: skip.path)),
            total_articles=self.article_count(),
            skipped_records=tuple(
                sorted(run.skipped_records, key=lambda skip: skip.path)
            ),
            unreadable=tuple(
                Skip(folder, exc.strerror or type(exc).__name__)
                for folder, exc in zip(folders, unreadable, strict=True)
            ),
        )

    def remove(self, target: str) -> int:
        """Delete one article (by id) or every article of a file (by source path).

        Returns how many articles went. The articles, the manifest entry and
        the archive rows change in one commit. A file removed by path leaves
        the manifest, so the next update adds it again; a file that lost one
        article by id stays listed (with one article fewer), so the article
        stays out until the file changes. Raises ArticleNotFoundError if
        `target` is neither, IndexLockedError if another process is writing.
        """
        with write_lock(self.path), writing(self.path):
            self._refresh()
            remove_leftovers(self.path)
            self._catch_up_archive()
            searcher = self.searcher()
            article = searcher.document(kind="article", article_id=target)
            if article is not None:
                term, removed = ("article_id", target), [target]
            else:
                removed = self.article_ids_of(target)
                if not removed:
                    raise ArticleNotFoundError(
                        target, f"no article or file {target!r} in the index"
                    )
                term = ("path", target)
            entry = None
            if article is not None:
                entry = searcher.document(kind="file", path=article["path"])
            writer = self._writer()
            try:
                writer.delete_by_term(*term)  # by path: the manifest entry too
                if entry is not None:
                    manifest.forget_file_entry(writer, entry["path"])
                    writer.add_document(**{**entry, "articles": entry["articles"] - 1})
                fault_point("remove")
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=manifest.expunge_then_merge_small)
            fault_point("archive:before")
            self.sync_archive([], removed)
            fault_point("archive:after")
        return len(removed)

    def archive(self) -> Archive:
        """Return the archive tables beside this index, for reading.

        Only writers write the archive (`newsindex index` brings it up to
        the index's last commit before anything else). A reader whose
        archive is behind, because a run died between its index commit and
        the archive's, answers from what is there and warns once
        (ArchiveBehindWarning; not while a writer runs, which is between its
        index commit and the archive's); a missing archive reads as empty.
        """
        if self._archive is not None:  # this process writes: its own is current
            return self._archive
        archive = self._read_archive
        if archive is None:
            from newsindex.archive import Archive  # sqlite and datasketch: on demand

            archive = Archive.open(self.path, write=False)
            if archive.path.exists():  # an empty stand-in is not kept: one may come
                self._read_archive = archive
        if not self._warned_behind and self._archive_behind(archive):
            self._warned_behind = True
            warnings.warn(ArchiveBehindWarning(self.path), stacklevel=2)
        return archive

    def _archive_behind(self, archive: Archive) -> bool:
        """Whether the archive trails the index with no writer to bring it up.

        A writer commits the archive after the index and before it lets go
        of the lock: if none holds it once the archive was seen behind, the
        archive is read again, and behind still means a run died between.
        """
        generation = int(self._ix.latest_generation())
        if (archive.generation() or 0) >= generation:
            return False
        if writer_running(self.path):  # between its two commits: it is on it
            return False
        return (archive.generation() or 0) < generation

    def _catch_up_archive(self) -> None:
        """Rebuild the archive if it is not at the last commit (the lock held).

        A run killed between an index commit and the archive's leaves it
        behind; a writer calls this before its first commit, so that the
        changes it applies start from the right rows.
        """
        archive = self._open_archive()
        ix = DurableStorage(str(self.path)).open_index()
        generation = ix.latest_generation()
        if archive.generation() != generation:
            # Its own searcher: a search may be using this Index's.
            with ix.searcher() as searcher:
                archive.rebuild(_stored_articles(searcher), generation)

    def sync_archive(
        self,
        added: Sequence[Article],
        removed: Sequence[str],
        sketches: Sequence[Sketch] | None = None,
    ) -> None:
        """Bring the archive up to the index's new commit (after a writer commit).

        `sketches`: the added articles' MinHash sketches, if made already.
        """
        self._refresh()
        archive = self._open_archive()
        generation = self._ix.latest_generation()
        known = archive.generation()
        if known is None and (added or removed) and self.article_count() > len(added):
            archive.rebuild(self.articles(), generation)
        else:
            archive.apply(added, removed, generation, sketches)

    def _open_archive(self) -> Archive:
        from newsindex.archive import Archive  # sqlite and datasketch: on demand

        if self._archive is None:
            self._archive = Archive.open(self.path)
        return self._archive

    def entities(
        self,
        query: str | None = None,
        *,
        type: str | None = None,  # noqa: A002  the CLI's --type
        since: str | None = None,
        limit: int | None = 50,
        now: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """List entities (of the articles matching `query`) as JSON-ready dicts."""
        clock = now or datetime.now(UTC)
        start = (
            parse_user_date(since, now=clock).replace(tzinfo=None) if since else None
        )
        ids = None
        if query:
            hits = self.search(query, limit=10_000, collapse=False)
            ids = {p.article_id for p in hits}
        found = self.archive().entities(
            type=type,  # type: ignore[arg-type]
            since=start,
            article_ids=ids,
            limit=limit,
        )
        return [
            {
                "key": e.key,
                "name": e.name,
                "type": e.type,
                "variants": list(e.variants),
                "articles": e.articles,
                "first": e.first.date().isoformat() if e.first else None,
                "last": e.last.date().isoformat() if e.last else None,
            }
            for e in found
        ]

    def article_ids_of(self, path: str) -> list[str]:
        """Return the ids of the stored articles that came from a source path."""
        of_file = wquery.And(
            [wquery.Term("kind", "article"), wquery.Term("path", path)]
        )
        searcher = self.searcher()
        return [
            searcher.stored_fields(d)["article_id"]
            for d in searcher.docs_for_query(of_file)
        ]

    def search(
        self,
        query: str,
        *,
        since: DateBound = None,
        until: DateBound = None,
        outlet: str | None = None,
        entity: str | None = None,
        limit: int = 10,
        offset: int = 0,
        sort: Sort = "relevance",
        collapse: bool = True,
        passages_per_article: int = 1,
        include_undated: bool = False,
        all_copies: bool = False,
        by_original_date: bool = False,
        now: datetime | None = None,
    ) -> SearchResults:
        """Search passages: `newsindex.search` on this index."""
        from newsindex.query.search import search

        return search(
            self, query, since=since, until=until, outlet=outlet, entity=entity,
            limit=limit, offset=offset, sort=sort, collapse=collapse,
            passages_per_article=passages_per_article,
            include_undated=include_undated, all_copies=all_copies,
            by_original_date=by_original_date, now=now,
        )  # fmt: skip

    def explain(
        self,
        query: str,
        *,
        since: DateBound = None,
        until: DateBound = None,
        outlet: str | None = None,
        entity: str | None = None,
        include_undated: bool = False,
        now: datetime | None = None,
    ) -> Node:
        """Return the query tree a search with these options runs, expanded."""
        from newsindex.query.plan import plan_search

        return plan_search(
            self, query, since=since, until=until, outlet=outlet, entity=entity,
            include_undated=include_undated, now=now,
        ).tree  # fmt: skip

    def get(self, article_id: str) -> Article:
        """Return a stored article; raise ArticleNotFoundError if there is none."""
        fields = self.searcher().document(kind="article", article_id=article_id)
        if fields is None:
            raise ArticleNotFoundError(article_id)
        return Article.from_dict(json.loads(fields["payload"]))

    def articles(self) -> Iterator[Article]:
        """Yield every stored article."""
        yield from _stored_articles(self.searcher())

    def facets(
        self, query: str, facets: Sequence[str], **filters: Any
    ) -> dict[str, list[tuple[str, int]]]:
        """Count articles matching `query` per facet ("outlet", "month")."""
        from newsindex.query.facets import facet_counts

        return facet_counts(self, query, facets, **filters)

    def outlets(self) -> list[OutletCount]:
        """Return every outlet with its article count and first and last dates."""
        return self.engine().outlets()

    def engine(self) -> WhooshEngine:
        """The search engine over this index's last commit (engines/base.py)."""
        from newsindex.engines.whoosh.engine import WhooshEngine

        return WhooshEngine(self.searcher(), reopen=self.searcher)

    def article_count(self) -> int:
        """Return how many articles the index holds (deleted ones not counted)."""
        searcher = self.searcher()
        if not searcher.reader().has_deletions():
            return int(searcher.doc_frequency("kind", "article"))
        # doc_frequency still counts deleted documents until a merge
        return sum(1 for _ in searcher.docs_for_query(wquery.Term("kind", "article")))

    def searcher(self) -> Searcher:
        """Return this index's searcher, reused between queries, at the last commit."""
        with reading(self.path):
            if self._searcher is None:
                self._searcher = self._ix.searcher()
            elif not self._searcher.up_to_date():
                # Not Searcher.refresh(): whoosh-reloaded 2.7.5 raises TypeError
                # refreshing a searcher opened on an empty index (EmptyReader).
                self._searcher.close()
                self._searcher = self._ix.searcher()
        return self._searcher

    def close(self) -> None:
        """Release the searcher's files and the archive's connection."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        for archive in (self._archive, self._read_archive):
            if archive is not None:
                archive.close()
        self._archive = self._read_archive = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _refresh(self) -> None:
        with reading(self.path):
            self._ix = DurableStorage(str(self.path)).open_index()
        self.close()

    def _manifest(self) -> dict[str, str]:
        entries = manifest.file_entries(self.searcher())
        return {path: digest for path, (digest, _) in entries.items()}

    def _writer(self) -> IndexWriter:
        try:
            return self._ix.writer(limitmb=256)
        except LockError as exc:
            raise IndexLockedError(self.path, None) from exc


def _stored_articles(searcher: Searcher) -> Iterator[Article]:
    for fields in searcher.documents(kind="article"):
        yield Article.from_dict(json.loads(fields["payload"]))
