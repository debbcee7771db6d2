"""An index on an OpenSearch cluster: `Index.open("http://host:9200/news")`.

The articles (one document each, passages nested) are in the index NAME,
the manifest of ingested files and the commit count in NAME.files
(`manifest.py`); both live in the cluster, so any machine can search and
any machine can add. The archive tables (entity aliases, quotes,
republication clusters) are derived from the articles: each machine keeps
them in a local cache (`$NEWSINDEX_CACHE_DIR`, by default
`~/.cache/newsindex`), rebuilt from the cluster's articles when the
cluster has seen commits the cache has not, and kept up incrementally by
the machine's own updates.

What is atomic: each article document (an article and its passages are
written, replaced or deleted whole). What is not: a commit. A run that dies
leaves the articles it had sent, without their files' manifest entries, so
the next run ingests those files again and overwrites the same documents
(ids come from content). See the README.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import opensearchpy

from newsindex.engines.base import Progress
from newsindex.engines.opensearch.engine import OpenSearchEngine
from newsindex.engines.opensearch.failures import translated
from newsindex.engines.opensearch.location import Cluster, parse_location
from newsindex.engines.opensearch.manifest import Manifest, scan
from newsindex.engines.opensearch.searcher import OpenSearchSearcher
from newsindex.engines.opensearch.writer import OpenSearchWriter
from newsindex.errors import ArticleNotFoundError, IndexMissingError
from newsindex.index.base import Index, Location
from newsindex.records import Article

if TYPE_CHECKING:
    from newsindex.archive import Archive
    from newsindex.archive.clusters import Sketch

__all__ = ["OpenSearchIndex"]

_CACHE_ENV = "NEWSINDEX_CACHE_DIR"
_WRITE_BATCH = 500  # articles sent in one bulk request


class OpenSearchIndex(Index):
    """A newsindex index on an OpenSearch cluster."""

    def __init__(self, cluster: Cluster, client: opensearchpy.OpenSearch) -> None:
        self.cluster = cluster
        self.location = cluster.url
        self.client = client
        self.writer = OpenSearchWriter(client, cluster.index)
        self.writer.where = cluster.url
        self.manifest_index = Manifest(client, cluster.index, cluster.url)
        self.searcher = OpenSearchSearcher(client, cluster.index)
        self.searcher.where = cluster.url
        self._archive: Archive | None = None
        self.last_commit: tuple[int, int] | None = None  # generations before, after

    @classmethod
    def _open(cls, location: Location) -> OpenSearchIndex:
        cluster = parse_location(str(location))
        index = cls(cluster, cluster.client())
        with translated(cluster.url):
            there = index.client.indices.exists(index=cluster.index)
        if not there or not index.manifest_index.exists():
            raise IndexMissingError(cluster.url)
        return index

    @classmethod
    def _create(cls, location: Location) -> OpenSearchIndex:
        cluster = parse_location(str(location))
        index = cls(cluster, cluster.client())
        index.writer.create()
        index.manifest_index.create()
        return index

    # -- writing ---------------------------------------------------------

    @contextmanager
    def _updating(self) -> Iterator[None]:
        self.archive()  # brought up to the cluster's last commit first
        yield

    def _refresh(self) -> None:
        pass  # every read asks the cluster

    def open_writer(self) -> _ClusterWriter:
        return _ClusterWriter(self)

    def manifest(self) -> dict[str, str]:
        return self.manifest_index.files()

    def progress(self) -> dict[str, Progress]:
        return self.manifest_index.progress()

    def sync_archive(
        self,
        added: Sequence[Article],
        removed: Sequence[str],
        sketches: Sequence[Sketch] | None = None,
    ) -> None:
        """Apply this machine's commit to its archive cache (or rebuild it).

        The cache is applied to only if it held exactly the commit this one
        followed; otherwise another machine wrote in between, and the cache
        is rebuilt from the cluster's articles.
        """
        if self.last_commit is None:
            return
        before, after = self.last_commit
        archive = self._cache()
        if archive.generation() == before:
            archive.apply(added, removed, after, sketches)
        else:
            archive.rebuild(self.articles(), after)

    def remove(self, target: str) -> int:
        try:
            article: Article | None = self.get(target)
        except ArticleNotFoundError:
            article = None
        self.archive()
        if article is not None:
            removed = [target]
            self.writer.delete(removed)
            entry = self.manifest_index.file_entry(article.source.path)
            if entry is not None:
                digest, count = entry
                self.manifest_index.write(
                    [
                        self.manifest_index.file_action(
                            article.source.path, digest, count - 1
                        )
                    ]
                )
        else:
            removed = self.article_ids_of(target)
            if not removed:
                raise ArticleNotFoundError(
                    target, f"no article or file {target!r} in the index"
                )
            self.writer.delete_path(target)
            self.manifest_index.write(self.manifest_index.forget_actions(target))
        self.last_commit = self.manifest_index.bump()
        self.sync_archive([], removed)
        return len(removed)

    # -- reading ---------------------------------------------------------

    def engine(self) -> OpenSearchEngine:
        return OpenSearchEngine(self.searcher)

    def archive(self) -> Archive:
        """The archive cache, brought up to the cluster's last commit."""
        archive = self._cache()
        generation = self.manifest_index.generation()
        if archive.generation() != generation:
            archive.rebuild(self.articles(), generation)
        return archive

    def get(self, article_id: str) -> Article:
        return self.searcher.get(article_id)

    def articles(self) -> Iterator[Article]:
        with translated(self.location):
            for hit in scan(
                self.client,
                self.cluster.index,
                {"match_all": {}},
                order="article_id",
                source=["payload"],
            ):
                yield Article.from_dict(hit["_source"]["payload"])

    def article_ids_of(self, path: str) -> list[str]:
        with translated(self.location):
            return [
                str(hit["_id"])
                for hit in scan(
                    self.client,
                    self.cluster.index,
                    {"term": {"path": path}},
                    order="article_id",
                    source=False,
                )
            ]

    def article_count(self) -> int:
        return self.searcher.article_count()

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None
        self.client.close()

    def _cache(self) -> Archive:
        from newsindex.archive import Archive  # sqlite and datasketch: on demand

        if self._archive is None:
            folder = _cache_root() / "opensearch" / self.manifest_index.instance()
            folder.mkdir(parents=True, exist_ok=True)
            self._archive = Archive.open(folder)
        return self._archive


class _ClusterWriter:
    """A `StoreWriter` on a cluster: deletes now, articles in bulk, manifest last.

    A path's old articles and entries go at once (before its new articles
    are sent); articles go in bulk requests of `_WRITE_BATCH`; at `commit`
    the rest are sent and made visible, then the manifest entries written,
    then the commit counted. Each document is atomic; the commit is not.
    """

    def __init__(self, index: OpenSearchIndex) -> None:
        self.index = index
        self._articles: list[Article] = []
        self._entries: list[dict[str, Any]] = []

    def delete_path(self, path: str) -> None:
        self.index.writer.delete_path(path)
        self.index.manifest_index.write(self.index.manifest_index.forget_actions(path))

    def add_articles(self, articles: Sequence[Article]) -> None:
        self._articles.extend(articles)
        if len(self._articles) >= _WRITE_BATCH:
            self._send()

    def add_file(self, path: str, digest: str, articles: int) -> None:
        self._entries.append(
            self.index.manifest_index.file_action(path, digest, articles)
        )

    def set_progress(self, path: str, progress: Progress | None) -> None:
        self._entries.append(self.index.manifest_index.progress_action(path, progress))

    def commit(self) -> None:
        self._send()
        self.index.writer.refresh()
        self.index.manifest_index.write(self._entries)
        self._entries = []
        self.index.last_commit = self.index.manifest_index.bump()

    def cancel(self) -> None:
        # Articles already sent stay: without their manifest entries, the
        # next run sends them again, to the same ids.
        self._articles, self._entries = [], []

    def _send(self) -> None:
        if self._articles:
            self.index.writer.write(self._articles)
            self._articles = []


def _cache_root() -> Path:
    configured = os.environ.get(_CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsindex"
