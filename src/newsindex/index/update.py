"""One update run: read changed files, ingest them in batches, write, commit.

`Index.update` holds the lock and opens the run; this module does the work
in between. It is imported only by writers, so a search never loads the
ingest pipeline.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from msgspec import Struct, field

from newsindex.archive.clusters import Sketch
from newsindex.engines.base import Progress, StoreWriter
from newsindex.errors import IngestError
from newsindex.faults import fault_point
from newsindex.ingest.entities import EntityTagger
from newsindex.logs import get_logger
from newsindex.parallel import run_batches
from newsindex.pipeline import Batch, FileResult, Part, empty_reason, summarise_skips
from newsindex.progress import Progress as RunProgress
from newsindex.progress import ProgressFn
from newsindex.records import Article, RawDocument, Skip
from newsindex.settings import settings
from newsindex.sources.base import ReaderOptions
from newsindex.sources.discover import CorpusFile, parse_bytes, read_bytes

if TYPE_CHECKING:
    from newsindex.index.base import Index

__all__ = ["UpdateRun"]

_log = get_logger(__name__)

# Files go to the tagger (and to a worker) in batches this big.
_BATCH_FILES = 32
_BATCH_BYTES = 512 * 1024
# A container this large is read here and its records sent out in parts of
# this many, so that one big export or wire file keeps every worker busy.
_SPLIT_BYTES = 1024 * 1024
_PART_RECORDS = 64
# Pages are read whole in the worker: decoding is cheap, extraction is not.
_WHOLE_SUFFIXES = frozenset({".html", ".htm", ".txt", ".text"})


def _more_than_a_batch(files: list[CorpusFile]) -> bool:
    if len(files) > _BATCH_FILES:
        return True
    size = 0
    for file in files:
        with contextlib.suppress(OSError):  # read_bytes reports it later
            size += file.path.stat().st_size
    return size > _SPLIT_BYTES


def _part_size(part: Part) -> int:
    return sum(len(raw.text) for raw in part.raws)


# Commits come every settings().commit_articles articles or commit_seconds:
# a killed run loses at most that much work, and the next run skips what was
# committed: whole files by content hash, a split file's committed parts by
# its progress entry (manifest.py).


class _SoFar(Struct):
    """A split file's parts written so far in this run."""

    digest: str
    articles: int = 0  # written, in this run or (resumed) committed before it
    records: int = 0  # records written (or skipped) so far, from the first
    skips: list[Skip] = field(default_factory=list)
    started: bool = False  # its old articles deleted, new ones being written


class _Tally(Struct):
    """What a run has done, for its progress reports: bytes are credited as
    a file's work is written, a split file's in proportion to its records."""

    sizes: dict[str, int] = field(default_factory=dict)
    files_total: int = 0
    files_done: int = 0
    bytes_done: int = 0
    records: int = 0
    commits: int = 0
    current: str = ""
    # A split file's records to come in this run, and its bytes credited.
    _parts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def passed(self, path: str) -> None:
        """A file left out before any work (unchanged, or unreadable)."""
        self.files_done += 1
        self.bytes_done += self.sizes.get(path, 0)
        self.current = path

    def split(self, path: str, records: int) -> None:
        self._parts[path] = (records, 0)

    def written(self, result: FileResult) -> None:
        path = result.display_path
        size = self.sizes.get(path, 0)
        self.current = path
        if result.records is None:  # a whole file
            self.records += len(result.articles) + len(result.skips) or 1
            self.bytes_done += size
        else:
            self.records += result.records
            total, credited = self._parts.get(path, (0, 0))
            share = size if result.last else size * result.records // max(total, 1)
            share = min(share, size - credited)
            self._parts[path] = (total, credited + share)
            self.bytes_done += share
        if result.last:
            self.files_done += 1
            self._parts.pop(path, None)

    def progress(self, articles: int) -> RunProgress:
        return RunProgress(
            files_done=self.files_done,
            files_total=self.files_total,
            bytes_done=self.bytes_done,
            bytes_total=sum(self.sizes.values()),
            records=self.records,
            articles=articles,
            commits=self.commits,
            current=self.current,
        )


def _size(file: CorpusFile) -> int:
    try:
        return file.path.stat().st_size
    except OSError:  # read_bytes reports it later
        return 0


class UpdateRun:
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
        self.manifest = index.manifest()
        self.progress = index.progress()
        self.writer: StoreWriter | None = None
        self.files = self.articles = self.unchanged = 0
        self.skipped: list[Skip] = []
        self.skipped_records: list[Skip] = []
        self._uncommitted = 0
        self._last_commit = time.monotonic()
        self._done = 0
        self._tally = _Tally()
        self._split: dict[str, _SoFar] = {}  # split files with parts to come
        self._added: list[Article] = []  # since the last commit, for the archive
        self._removed: list[str] = []
        self._sketches: list[Sketch] = []  # of the articles in _added

    def ingest(self, files: list[CorpusFile], on_progress: ProgressFn | None) -> None:
        tally = self._tally
        tally.sizes = {file.display_path: _size(file) for file in files}
        tally.files_total = len(files)

        def report(_count: int) -> None:
            if on_progress is not None:
                on_progress(tally.progress(self.articles))

        report(0)  # the totals are known before the model loads
        # A pool pays for itself only with more than one batch of work.
        workers = self.workers if _more_than_a_batch(files) else 1
        batches = self._changed_batches(files, report)
        for results in run_batches(
            batches,
            workers=workers,
            tagger=self.tagger,
            options=self.options,
            scheduler=self.scheduler,
            sink=self.index.worker_sink(),
        ):
            self._write(results)
            for result in results:
                self._tally.written(result)
            report(0)

    def _changed_batches(
        self, files: list[CorpusFile], report: Callable[[int], None]
    ) -> Iterator[Batch]:
        """Read and hash each file; yield the changed ones in batches of parts."""
        batch: Batch = []
        size = 0
        for file in files:
            try:
                digest, data = read_bytes(file)
                if self.manifest.get(file.display_path) == digest:
                    self.unchanged += 1
                    self._tally.passed(file.display_path)
                    report(1)
                    continue
                parts = self._parts(file, digest, data)
            except IngestError as exc:
                self.skipped.append(Skip(file.display_path, str(exc)))
                self._tally.passed(file.display_path)
                report(1)
                continue
            if len(parts) > 1 or parts[0].data is None:
                self._tally.split(file.display_path, sum(len(p.raws) for p in parts))
            for part in parts:
                batch.append(part)
                size += len(part.data) if part.data is not None else _part_size(part)
                if len(batch) >= _BATCH_FILES or size >= _BATCH_BYTES:
                    yield batch
                    batch, size = [], 0
        if batch:
            yield batch

    def _parts(self, file: CorpusFile, digest: str, data: bytes) -> list[Part]:
        """A small file whole; a large container's records split across parts.

        A container whose first records a killed run committed (its progress
        entry has this content hash) continues after them.
        """
        if len(data) < _SPLIT_BYTES or file.path.suffix.lower() in _WHOLE_SUFFIXES:
            return [Part(file, digest, data=data)]
        items = list(parse_bytes(file, data, self.options))
        raws = [item for item in items if isinstance(item, RawDocument)]
        skips = tuple(item for item in items if isinstance(item, Skip))
        if not raws:
            raise IngestError(empty_reason(skips), path=file.path)
        done = self.progress.get(file.display_path)
        if done is not None and done.digest == digest:
            self._split[file.display_path] = _SoFar(
                digest, done.articles, done.records, started=True
            )
            _log.info(
                "continuing %s after its %d committed records (%d articles)",
                file.display_path,
                done.records,
                done.articles,
            )
            raws = raws[done.records :]
        chunks = [
            raws[i : i + _PART_RECORDS] for i in range(0, len(raws), _PART_RECORDS)
        ] or [[]]  # every record committed but the manifest entry: one empty part
        return [
            Part(
                file,
                digest,
                raws=tuple(chunk),
                skips=skips if n == len(chunks) - 1 else (),
                last=n == len(chunks) - 1,
            )
            for n, chunk in enumerate(chunks)
        ]

    def _write(self, results: list[FileResult]) -> None:
        for result in results:
            self._write_part(result)
        limits = settings()
        overdue = time.monotonic() - self._last_commit >= limits.commit_seconds
        if self._uncommitted >= limits.commit_articles or overdue:
            self.commit()

    def _write_part(self, part: FileResult) -> None:
        """Write a file's (or a split file's part's) articles as they arrive.

        A split file's old articles go when its first articles arrive, and
        its manifest entry comes with its last part; a commit in between
        records its progress (`commit`), from which a run that dies there
        continues.
        """
        path = part.display_path
        so_far = self._split.pop(path, None) or _SoFar(part.digest)
        so_far.skips.extend(part.skips)
        so_far.records += part.records or 0
        if part.error is None and part.articles:
            writer = self._open_writer()
            if not so_far.started:
                if path in self.manifest or path in self.progress:  # else: new
                    self._removed.extend(self.index.article_ids_of(path))
                writer.delete_path(path)
                so_far.started = True
            self._added.extend(part.articles)
            self._sketches.extend(part.sketches)
            writer.add_articles(part.articles)
            so_far.articles += len(part.articles)
            self.articles += len(part.articles)
            self._uncommitted += len(part.articles)
        if not part.last:
            self._split[path] = so_far
            fault_point("part")
            return
        if not so_far.articles:
            self.skipped.append(Skip(path, part.error or empty_reason(so_far.skips)))
            return
        if so_far.skips:
            self.skipped_records.append(Skip(path, summarise_skips(so_far.skips)))
        writer = self._open_writer()
        if part.records is not None:
            writer.set_progress(path, None)
        writer.add_file(path, part.digest, so_far.articles)
        self.files += 1

    def prune(self, corpus: str, seen: set[str], unreadable: list[str]) -> int:
        """Delete the files under `corpus` that are gone: listed, but not seen.

        A file under a folder that could not be read (`unreadable`) was not
        seen either, but is kept: only what is known to be gone goes.
        """
        root = os.path.normpath(corpus)

        def under(path: str, folder: str) -> bool:
            return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)

        gone = [
            path
            for path in sorted({*self.manifest, *self.progress})
            if path not in seen
            and under(path, root)
            and not any(under(path, folder) for folder in unreadable)
        ]
        writer = self._open_writer() if gone else None
        for path in gone:
            assert writer is not None
            self._removed.extend(self.index.article_ids_of(path))
            writer.delete_path(path)  # articles, manifest, progress
        if gone:
            fault_point("prune")
        return len(gone)

    def commit(self) -> None:
        if self.writer is not None:
            for path, so_far in self._split.items():
                if so_far.started:  # parts of it are in this commit
                    progress = Progress(so_far.digest, so_far.records, so_far.articles)
                    self.writer.set_progress(path, progress)
            self.writer.commit()
            self.writer = None
            self._tally.commits += 1
            # The archive follows each commit; if the run dies in between, the
            # next open sees its generation behind and rebuilds it.
            fault_point("archive:before")
            self.index.sync_archive(self._added, self._removed, self._sketches)
            fault_point("archive:after")
        self._added, self._removed, self._sketches = [], [], []
        self._uncommitted = 0
        self._last_commit = time.monotonic()

    def cancel(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            writer.cancel()

    def _open_writer(self) -> StoreWriter:
        if self.writer is None:
            self.writer = self.index.open_writer()
        return self.writer
