"""An index on an OpenSearch cluster: `Index.open("http://host:9200/news")`.

The articles (one document each, passages nested, with the MinHash sketch
the ingest worker made) are in the index NAME, the manifest of ingested
files and the commit count in NAME.files (`manifest.py`); both live in the
cluster, so any machine can search and any machine can add. The archive
tables (entity aliases, quotes, republication clusters) are derived from
the articles: each machine keeps them in a local cache
(`$NEWSINDEX_CACHE_DIR`, by default `~/.cache/newsindex`), rebuilt from the
cluster's documents and their kept sketches when the cluster has seen
commits the cache has not, and kept up incrementally by the machine's own
updates.

What is atomic: each article document (an article and its passages are
written, replaced or deleted whole). What is not: a commit. The ingest
workers send their articles themselves (`sink.py`); a run that dies leaves
the articles they had sent without their files' manifest entries, so the
next run ingests those files again, overwrites the same documents (ids
come from content) and deletes what they replace. See the README.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import opensearchpy
from msgspec import Struct, field

from newsindex.engines.base import Progress
from newsindex.engines.opensearch.documents import read_sketch
from newsindex.engines.opensearch.engine import OpenSearchEngine
from newsindex.engines.opensearch.failures import translated
from newsindex.engines.opensearch.location import Cluster, parse_location
from newsindex.engines.opensearch.manifest import Manifest, scan
from newsindex.engines.opensearch.searcher import OpenSearchSearcher
from newsindex.engines.opensearch.sink import ClusterSink
from newsindex.engines.opensearch.writer import OpenSearchWriter
from newsindex.errors import ArticleNotFoundError, IndexMissingError, IndexStoreError
from newsindex.index.base import Index, Location
from newsindex.records import Article

if TYPE_CHECKING:
    from newsindex.archive import Archive
    from newsindex.archive.clusters import Sketch

__all__ = ["OpenSearchIndex"]

_CACHE_ENV = "NEWSINDEX_CACHE_DIR"


class OpenSearchIndex(Index):
    """A newsindex index on an OpenSearch cluster."""

    def __init__(self, cluster: Cluster, client: opensearchpy.OpenSearch) -> None:
        self.cluster = cluster
        self.location = cluster.url
        self.client = client
        self.writer = OpenSearchWriter(client, cluster.index)
        self.manifest_index = Manifest(client, cluster.index, cluster.url)
        self.searcher = OpenSearchSearcher(client, cluster.index)
        self._archive: Archive | None = None
        self.last_commit: tuple[int, int] | None = None  # generations before, after
        self.run = _RunState()

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
        self.run = _RunState()
        yield

    def worker_sink(self) -> ClusterSink:
        return ClusterSink(self.cluster)

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
            gone = [*removed, *self.run.deleted]
            archive.apply(added, gone, after, sketches)
            self.run.deleted = []
        else:
            self._rebuild(archive, after)

    def remove(self, target: str) -> int:
        try:
            article: Article | None = self.get(target)
        except ArticleNotFoundError:
            article = None
        removed = [target] if article is not None else self.article_ids_of(target)
        if not removed:
            raise ArticleNotFoundError(
                target, f"no article or file {target!r} in the index"
            )
        self.archive()
        with self.committing():
            if article is not None:
                self.writer.delete(removed)
                path = article.source.path
                entry = self.manifest_index.file_entry(path)
                if entry is not None:
                    digest, count = entry
                    action = self.manifest_index.file_action(path, digest, count - 1)
                    self.manifest_index.write([action])
            else:
                self.writer.delete_path(target)
                self.manifest_index.write(self.manifest_index.forget_actions(target))
        self.sync_archive([], removed)
        return len(removed)

    def optimize(self) -> int:
        """The cluster's force merge to one segment per shard (it does not say
        how many there were: 0)."""
        with translated(self.location):
            self.client.indices.forcemerge(index=self.cluster.index, max_num_segments=1)
        return 0

    @contextmanager
    def committing(self) -> Iterator[None]:
        """Count a commit begun, make its changes, count it done.

        The first count tells every archive cache that the articles are
        changing, so that a run that dies in the middle leaves the caches
        behind and they are rebuilt; the second, that the change is whole.
        """
        before, begun = self.manifest_index.bump()
        yield
        between, after = self.manifest_index.bump()
        # Another machine's commit in between: this cache cannot just apply ours.
        self.last_commit = (before if between == begun else -1, after)

    # -- reading ---------------------------------------------------------

    def engine(self) -> OpenSearchEngine:
        return OpenSearchEngine(self.searcher)

    def archive(self) -> Archive:
        """The archive cache, brought up to the cluster's last commit."""
        archive = self._cache()
        generation = self.manifest_index.generation()
        if archive.generation() != generation:
            self._rebuild(archive, generation)
        return archive

    def _rebuild(self, archive: Archive, generation: int) -> None:
        """Rebuild the cache from the cluster's articles and their kept sketches."""
        sketches: dict[str, Sketch] = {}

        def articles() -> Iterator[Article]:
            for source in self._documents(["payload", "sketch"]):
                article = Article.from_dict(source["payload"])
                if source.get("sketch"):
                    sketches[article.id] = read_sketch(source["sketch"])
                yield article

        archive.rebuild(articles(), generation, stored=lambda i: sketches.pop(i, None))

    def get(self, article_id: str) -> Article:
        return self.searcher.get(article_id)

    def articles(self) -> Iterator[Article]:
        for source in self._documents(["payload"]):
            yield Article.from_dict(source["payload"])

    def _documents(self, fields: list[str]) -> Iterator[dict[str, Any]]:
        """These fields of every article document, in article id order."""
        with translated(self.location):
            for hit in scan(
                self.client,
                self.cluster.index,
                {"match_all": {}},
                order="article_id",
                source=fields,
            ):
                yield hit["_source"]

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
            self._archive = Archive.open(_cache_folder(self.manifest_index.instance()))
        return self._archive


class _RunState(Struct):
    """What an update run's writers share across its commits."""

    # Paths whose old articles are to go once their new ones are all in.
    replacing: set[str] = field(default_factory=set)
    # The articles the workers sent this run, by source path.
    sent: dict[str, set[str]] = field(default_factory=dict)
    # Ids deleted by a commit beyond those the update asked for.
    deleted: list[str] = field(default_factory=list)


class _ClusterWriter:
    """A `StoreWriter` on a cluster: the workers send the articles, this the rest.

    Articles arrive from the ingest workers (`sink.py`); this writer notes
    their ids. A file being replaced keeps its old articles until its last
    part is in: then, at `commit`, the old articles that the new version
    did not write again (by id, which comes from content) are deleted, and
    its manifest entry written. A pruned file's articles go at `commit`.
    Each document is atomic; the commit is not (see the module's doc).
    """

    def __init__(self, index: OpenSearchIndex) -> None:
        self.index = index
        self._entries: list[dict[str, Any]] = []
        self._complete: set[str] = set()

    def delete_path(self, path: str) -> None:
        self.index.run.replacing.add(path)

    def add_articles(self, articles: Sequence[Article]) -> None:
        for article in articles:  # sent by the worker that tagged them
            self.index.run.sent.setdefault(article.source.path, set()).add(article.id)

    def add_file(self, path: str, digest: str, articles: int) -> None:
        self._complete.add(path)
        self._entries.append(
            self.index.manifest_index.file_action(path, digest, articles)
        )

    def set_progress(self, path: str, progress: Progress | None) -> None:
        self._entries.append(self.index.manifest_index.progress_action(path, progress))

    def commit(self) -> None:
        index, run = self.index, self.index.run
        with index.committing():
            self._apply(index, run)

    def _apply(self, index: OpenSearchIndex, run: _RunState) -> None:
        index.writer.refresh()  # what the workers sent, visible
        forget: list[dict[str, Any]] = []
        for path in sorted(run.replacing):
            if path in run.sent and path not in self._complete:
                continue  # more of it to come: its old articles stay till then
            kept = run.sent.pop(path, set())
            old = [i for i in index.article_ids_of(path) if i not in kept]
            index.writer.delete(old)
            run.deleted.extend(old)
            run.replacing.discard(path)
            forget.extend(index.manifest_index.forget_actions(path))
        index.manifest_index.write([*forget, *self._entries])
        self._entries, self._complete = [], set()

    def cancel(self) -> None:
        # Articles already sent stay: without their files' manifest entries,
        # the next run sends them again, to the same ids.
        self._entries, self._complete = [], set()


def _cache_folder(instance: str) -> Path:
    """This index's archive cache: under $NEWSINDEX_CACHE_DIR or the user's cache.

    Where neither can be written (a read-only home), a folder of the
    system's temporary directory, so that searching still works.
    """
    configured = os.environ.get(_CACHE_ENV)
    if configured:
        roots = [Path(configured)]
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        roots = [Path(base) / "newsindex"]
    roots.append(Path(tempfile.gettempdir()) / f"newsindex-cache-{os.getuid()}")
    for root in roots:
        folder = root / "opensearch" / instance
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            error = exc
            continue
        return folder
    raise IndexStoreError(
        f"cannot make an archive cache in {str(roots[0])!r} "
        f"(set {_CACHE_ENV}): {error.strerror}"
    )
