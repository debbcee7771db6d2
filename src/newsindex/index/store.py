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
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import whoosh.index as windex
from whoosh import query as wquery
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter, LockError

from newsindex.errors import (
    ArticleNotFoundError,
    IndexLockedError,
    IndexMissingError,
    IndexStoreError,
    IngestError,
)
from newsindex.index.documents import article_documents
from newsindex.index.durable import DurableStorage
from newsindex.index.lock import write_lock
from newsindex.index.schema import SCHEMA_VERSION, make_schema
from newsindex.ingest.entities import EntityTagger, SpacyTagger
from newsindex.ingest.outlet import OutletRegistry
from newsindex.parallel import run_batches
from newsindex.pipeline import Batch, FileResult, summarise_skips
from newsindex.records import Article, Passage, Skip
from newsindex.settings import settings
from newsindex.sources.base import ReaderOptions
from newsindex.sources.discover import CorpusFile, discover, read_bytes

if TYPE_CHECKING:
    from newsindex.query.facets import OutletCount

__all__ = ["Index", "UpdateReport"]

_META_NAME = "newsindex.json"
# Files go to the tagger (and to a worker) in batches this big.
_BATCH_FILES = 32
_BATCH_BYTES = 4 * 1024 * 1024
# Commits come every settings().commit_articles articles or commit_seconds:
# a killed run loses at most that much work, and the next run skips what was
# committed (by content hash).

ProgressFn = Callable[[int, int], None]


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


class Index:
    """A newsindex index directory: open it, update it, search it, get articles."""

    def __init__(self, path: Path, ix: windex.Index) -> None:
        self.path = path
        self._ix = ix
        self._searcher: Searcher | None = None

    @classmethod
    def open(cls, path: Path | str) -> Index:
        """Open an existing index; raise IndexMissingError if there is none."""
        path = Path(path)
        if not _has_index(path):
            raise IndexMissingError(path)
        _check_meta(path)
        try:
            return cls(path, DurableStorage(str(path)).open_index())
        except Exception as exc:
            raise IndexStoreError(
                f"index at {str(path)!r} is corrupt or unreadable: {exc}"
            ) from exc

    @classmethod
    def create(cls, path: Path | str) -> Index:
        """Open the index at `path`, creating an empty one if there is none."""
        path = Path(path)
        if _has_index(path):
            return cls.open(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
            with write_lock(path):
                if not _has_index(path):
                    DurableStorage(str(path)).create_index(make_schema())
                    (path / _META_NAME).write_text(
                        json.dumps({"schema": SCHEMA_VERSION}) + "\n", encoding="utf-8"
                    )
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
        files = list(discover(corpus, exclude))
        with write_lock(self.path):
            run = _UpdateRun(self, tagger or SpacyTagger(), options, workers, scheduler)
            try:
                run.ingest(files, on_progress)
                removed = (
                    run.prune(str(corpus), {f.display_path for f in files})
                    if prune
                    else 0
                )
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
        )

    def remove(self, target: str) -> int:
        """Delete one article (by id) or every article of a file (by source path).

        Returns how many articles went. The file stays in the manifest, so an
        unchanged file is not indexed again until it changes. Raises
        ArticleNotFoundError if `target` is neither, IndexLockedError if
        another process is writing.
        """
        searcher = self.searcher()
        if searcher.document(kind="article", article_id=target) is not None:
            term = ("article_id", target)
            count = 1
        else:
            of_file = wquery.And(
                [wquery.Term("kind", "article"), wquery.Term("path", target)]
            )
            count = len(list(searcher.docs_for_query(of_file)))
            if count == 0:
                raise ArticleNotFoundError(
                    target, f"no article or file {target!r} in the index"
                )
            term = ("path", target)
        with write_lock(self.path):
            writer = self._writer()
            try:
                writer.delete_by_term(*term)
                if term[0] == "path":  # keep the manifest entry: see above
                    manifest = searcher.document(kind="file", path=target)
                    if manifest is not None:
                        writer.add_document(**manifest)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        self._refresh()
        return count

    def search(self, query: str, **options: Any) -> list[Passage]:
        """Search passages; see `newsindex.search` for the options."""
        from newsindex.query.search import search

        return search(self, query, **options)

    def get(self, article_id: str) -> Article:
        """Return a stored article; raise ArticleNotFoundError if there is none."""
        fields = self.searcher().document(kind="article", article_id=article_id)
        if fields is None:
            raise ArticleNotFoundError(article_id)
        return Article.from_dict(json.loads(fields["payload"]))

    def articles(self) -> Iterator[Article]:
        """Yield every stored article."""
        for fields in self.searcher().documents(kind="article"):
            yield Article.from_dict(json.loads(fields["payload"]))

    def facets(
        self, query: str, facets: Sequence[str], **filters: Any
    ) -> dict[str, list[tuple[str, int]]]:
        """Count articles matching `query` per facet ("outlet", "month")."""
        from newsindex.query.facets import facet_counts

        return facet_counts(self, query, facets, **filters)

    def outlets(self) -> list[OutletCount]:
        """Return every outlet with its article count and first and last dates."""
        from newsindex.query.facets import list_outlets

        return list_outlets(self)

    def article_count(self) -> int:
        """Return how many articles the index holds."""
        return int(self.searcher().doc_frequency("kind", "article"))

    def searcher(self) -> Searcher:
        """Return this index's searcher, reused between queries, at the last commit."""
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        elif not self._searcher.up_to_date():
            # Not Searcher.refresh(): whoosh-reloaded 2.7.5 raises TypeError
            # refreshing a searcher opened on an empty index (EmptyReader).
            self._searcher.close()
            self._searcher = self._ix.searcher()
        return self._searcher

    def close(self) -> None:
        """Release the searcher's files."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _refresh(self) -> None:
        self._ix = DurableStorage(str(self.path)).open_index()
        self.close()

    def _manifest(self) -> dict[str, str]:
        return {
            fields["path"]: fields["content_hash"]
            for fields in self.searcher().documents(kind="file")
        }

    def _writer(self) -> IndexWriter:
        try:
            return self._ix.writer(limitmb=256)
        except LockError as exc:
            raise IndexLockedError(self.path, None) from exc


class _UpdateRun:
    """The state of one update: a writer opened on the first change."""

    def __init__(
        self,
        index: Index,
        tagger: EntityTagger,
        options: ReaderOptions | None,
        workers: int,
        scheduler: str | None,
    ) -> None:
        self.index = index
        self.tagger = tagger
        self.options = options
        self.workers = workers
        self.scheduler = scheduler
        self.registry = OutletRegistry.default()
        self.manifest = index._manifest()
        self.writer: IndexWriter | None = None
        self.files = self.articles = self.unchanged = 0
        self.skipped: list[Skip] = []
        self.skipped_records: list[Skip] = []
        self._uncommitted = 0
        self._last_commit = time.monotonic()
        self._done = 0

    def ingest(self, files: list[CorpusFile], on_progress: ProgressFn | None) -> None:
        def report(count: int) -> None:
            self._done += count
            if on_progress is not None:
                on_progress(self._done, len(files))

        report(0)  # the total is known before the model loads
        # A pool pays for itself only with more than one batch of work.
        workers = self.workers if len(files) > _BATCH_FILES else 1
        batches = self._changed_batches(files, report)
        for results in run_batches(
            batches,
            workers=workers,
            tagger=self.tagger,
            options=self.options,
            scheduler=self.scheduler,
        ):
            self._write(results)
            report(len(results))

    def _changed_batches(
        self, files: list[CorpusFile], report: ProgressFn
    ) -> Iterator[Batch]:
        """Read and hash each file; yield the changed ones in batches."""
        batch: Batch = []
        size = 0
        for file in files:
            try:
                digest, data = read_bytes(file)
            except IngestError as exc:
                self.skipped.append(Skip(file.display_path, str(exc)))
                report(1)
                continue
            if self.manifest.get(file.display_path) == digest:
                self.unchanged += 1
                report(1)
                continue
            batch.append((file, digest, data))
            size += len(data)
            if len(batch) >= _BATCH_FILES or size >= _BATCH_BYTES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def _write(self, results: list[FileResult]) -> None:
        writer: IndexWriter | None = None
        for result in results:
            if result.error is not None:
                self.skipped.append(Skip(result.display_path, result.error))
                continue
            if result.skips:
                summary = summarise_skips(result.skips)
                self.skipped_records.append(Skip(result.display_path, summary))
            writer = writer or self._open_writer()
            writer.delete_by_term("path", result.display_path)
            for article in result.articles:
                for doc in article_documents(article, self.registry):
                    writer.add_document(**doc)
            writer.add_document(
                kind="file",
                path=result.display_path,
                content_hash=result.digest,
                articles=len(result.articles),
            )
            self.files += 1
            self.articles += len(result.articles)
            self._uncommitted += len(result.articles)
        limits = settings()
        overdue = time.monotonic() - self._last_commit >= limits.commit_seconds
        if self._uncommitted >= limits.commit_articles or overdue:
            self.commit()

    def prune(self, corpus: str, seen: set[str]) -> int:
        root = os.path.normpath(corpus)
        gone = [
            path
            for path in self.manifest
            if path not in seen and (path == root or path.startswith(root + os.sep))
        ]
        writer = self._open_writer() if gone else None
        for path in gone:
            assert writer is not None
            writer.delete_by_term("path", path)
        return len(gone)

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.commit()
            self.writer = None
        self._uncommitted = 0
        self._last_commit = time.monotonic()

    def cancel(self) -> None:
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None

    def _open_writer(self) -> IndexWriter:
        if self.writer is None:
            self.writer = self.index._writer()
        return self.writer


def _has_index(path: Path) -> bool:
    # Not windex.exists_in(): it opens the index and raises on a corrupt one.
    return path.is_dir() and any(path.glob("_MAIN_*.toc"))


def _check_meta(path: Path) -> None:
    meta_path = path / _META_NAME
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexStoreError(
            f"index at {str(path)!r} has no readable {_META_NAME}: "
            "not a newsindex index"
        ) from exc
    if meta.get("schema") != SCHEMA_VERSION:
        raise IndexStoreError(
            f"index at {str(path)!r} has schema {meta.get('schema')!r}, "
            f"this newsindex reads {SCHEMA_VERSION}: rebuild it"
        )
