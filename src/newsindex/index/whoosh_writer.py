"""The Whoosh side of an update: one IndexWriter behind the `StoreWriter` interface.

Articles, their passages, manifest entries and progress entries are
documents of one Whoosh commit: the TOC rename in `commit` makes all of
them visible at once (docs/commit-protocol.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh.writing import IndexWriter

from newsindex.engines.base import Progress
from newsindex.index import manifest
from newsindex.index.documents import article_documents
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Article

__all__ = ["WhooshStoreWriter"]


class WhooshStoreWriter:
    """A `StoreWriter` (engines/base.py) on one open Whoosh IndexWriter."""

    def __init__(self, writer: IndexWriter, registry: OutletRegistry) -> None:
        self._writer = writer
        self._registry = registry

    def delete_path(self, path: str) -> None:
        self._writer.delete_by_term("path", path)  # articles, manifest, progress

    def add_articles(self, articles: Sequence[Article]) -> None:
        for article in articles:
            for doc in article_documents(article, self._registry):
                self._writer.add_document(**doc)

    def add_file(self, path: str, digest: str, articles: int) -> None:
        self._writer.add_document(
            kind="file", path=path, content_hash=digest, articles=articles
        )

    def set_progress(self, path: str, progress: Progress | None) -> None:
        manifest.set_progress(self._writer, path, progress)

    def commit(self) -> None:
        self._writer.commit(mergetype=manifest.expunge_then_merge_small)

    def cancel(self) -> None:
        try:
            self._writer.cancel()
        except Exception:  # noqa: BLE001  the failure being raised is the news
            # A writer whose commit failed half-way (a full disk) can fail
            # to cancel too; its Whoosh lock must go all the same.
            lock = self._writer.writelock
            if lock is not None and lock.fd is not None:
                lock.release()
