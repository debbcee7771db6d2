"""The embedded index: a folder of Whoosh segments beside its archive.

`WhooshIndex` is the `Index` (index/base.py) that `Index.open(folder)`
returns; this is the only module that opens a Whoosh writer.

An update skips files whose content hash is unchanged without parsing them,
replaces a changed file's documents, and commits in batches (every few
thousand articles or a minute). Each commit is atomic and durable
(`durable.py`): if the run dies, the last commit is the searchable index,
whole, and the next run carries on from it.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import whoosh.index as windex
from whoosh import query as wquery
from whoosh.searching import Searcher

from newsindex.engines.base import Progress
from newsindex.errors import (
    ArchiveBehindWarning,
    ArticleNotFoundError,
    IndexLockedError,
    IndexMissingError,
    IndexStoreError,
)
from newsindex.faults import fault_point
from newsindex.index import manifest
from newsindex.index.base import Index, Location, UpdateReport
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
from newsindex.records import Article
from newsindex.settings import settings

if TYPE_CHECKING:
    from whoosh.writing import IndexWriter

    from newsindex.archive import Archive
    from newsindex.archive.clusters import Sketch
    from newsindex.engines.whoosh.engine import WhooshEngine
    from newsindex.index.whoosh_writer import WhooshStoreWriter

# `Index` (the engine-agnostic class, whose open/create pick the engine) and
# `UpdateReport` are index/base.py's, kept importable from here.
__all__ = ["Index", "UpdateReport", "WhooshIndex"]


class WhooshIndex(Index):
    """A newsindex index directory: open it, update it, search it, get articles."""

    def __init__(self, path: Path, ix: windex.Index) -> None:
        self.path = path
        self.location = str(path)
        self._ix = ix
        self._searcher: Searcher | None = None
        self._archive: Archive | None = None  # a writer's
        self._read_archive: Archive | None = None
        self._warned_behind = False

    @classmethod
    def _open(cls, location: Location) -> WhooshIndex:
        path = Path(location)
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
    def _create(cls, location: Location) -> WhooshIndex:
        """Open the index at `location`, creating an empty one if there is none.

        Creation is atomic: the rename of `newsindex.json` into place makes
        the folder an index, and a folder a killed creation left before it
        is created again.
        """
        path = Path(location)
        if has_index(path):
            return cls._open(path)
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
        return cls._open(path)

    @contextmanager
    def _updating(self) -> Iterator[None]:
        with write_lock(self.path), writing(self.path):
            remove_leftovers(self.path)
            self._catch_up_archive()
            before = {segment.segment_id() for segment in self._ix._segments()}
            yield
            self.merge_run(before)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """The write lock held, the last commit seen, a dead run's leftovers
        gone and the archive brought up: what a change outside an update needs."""
        with write_lock(self.path), writing(self.path):
            self._refresh()
            remove_leftovers(self.path)
            self._catch_up_archive()
            yield

    def merge_run(self, before: set[str]) -> None:
        """One segment of those a run added, merged with any level of older
        segments that it fills (manifest.run_end_merge), in a commit of its
        own; the archive is told the new generation."""
        sizes = {
            segment.segment_id(): segment.doc_count_all()
            for segment in self._ix._segments()
        }
        new = frozenset(sizes) - before
        chosen = manifest.run_end_merge(sizes, new)
        if len(chosen) < 2:
            return
        self._writer().commit(mergetype=manifest.merge_these(chosen))
        self.sync_archive([], [])

    def open_writer(self) -> WhooshStoreWriter:
        from newsindex.index.whoosh_writer import WhooshStoreWriter  # not to search
        from newsindex.ingest.outlet import OutletRegistry

        return WhooshStoreWriter(self._writer(), OutletRegistry.default())

    def manifest(self) -> dict[str, str]:
        entries = manifest.file_entries(self.searcher())
        return {path: digest for path, (digest, _) in entries.items()}

    def progress(self) -> dict[str, Progress]:
        return manifest.progress_entries(self.searcher())

    def remove(self, target: str) -> int:
        """Delete one article (by id) or every article of a file (by source path).

        Returns how many articles went. The articles, the manifest entry and
        the archive rows change in one commit. A file removed by path leaves
        the manifest, so the next update adds it again; a file that lost one
        article by id stays listed (with one article fewer), so the article
        stays out until the file changes. Raises ArticleNotFoundError if
        `target` is neither, IndexLockedError if another process is writing.
        """
        with self._exclusive():
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

    def optimize(self) -> int:
        """One segment of them all, in a commit of its own (manifest.merge_these)."""
        with self._exclusive():
            segments = frozenset(s.segment_id() for s in self._ix._segments())
            if len(segments) > 1:
                self._writer().commit(mergetype=manifest.merge_these(segments))
                self.sync_archive([], [])
        return len(segments)

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

    def get(self, article_id: str) -> Article:
        """Return a stored article; raise ArticleNotFoundError if there is none."""
        fields = self.searcher().document(kind="article", article_id=article_id)
        if fields is None:
            raise ArticleNotFoundError(article_id)
        return Article.from_dict(json.loads(fields["payload"]))

    def articles(self) -> Iterator[Article]:
        """Yield every stored article."""
        yield from _stored_articles(self.searcher())

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

    def _refresh(self) -> None:
        with reading(self.path):
            self._ix = DurableStorage(str(self.path)).open_index()
        self.close()

    def _writer(self) -> IndexWriter:
        from whoosh.writing import LockError  # a search needs no writer

        try:
            return self._ix.writer(limitmb=settings().writer_mb)
        except LockError as exc:
            raise IndexLockedError(self.path, None) from exc


def _stored_articles(searcher: Searcher) -> Iterator[Article]:
    for fields in searcher.documents(kind="article"):
        yield Article.from_dict(json.loads(fields["payload"]))
