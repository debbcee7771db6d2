"""An index, wherever it lives: what every engine's index does the same way.

`Index.open(location)` and `Index.create(location)` choose the engine from
the location: a folder is the embedded Whoosh index (`index/store.py`), an
`http://` or `https://` URL an index on an OpenSearch cluster
(`engines/opensearch/index.py`). Searching, explaining, facets, entities and
outlets go through the engine interface (`engines/base.py`) and the archive;
an update reads, parses and tags files the same way for both
(`index/update.py`) and writes through the engine's `StoreWriter`. This
module imports no engine.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from newsindex.records import Article, Skip

if TYPE_CHECKING:
    from newsindex.archive import Archive
    from newsindex.archive.clusters import Sketch
    from newsindex.engines.base import (
        OutletCount,
        Progress,
        SearchEngine,
        Sort,
        StoreWriter,
    )
    from newsindex.ingest.entities import EntityTagger
    from newsindex.parallel import Sink
    from newsindex.progress import ProgressFn
    from newsindex.query.entity_facet import EntityCount
    from newsindex.query.plan import DateBound
    from newsindex.query.results import SearchResults
    from newsindex.query.tree import Node
    from newsindex.sources.base import ReaderOptions

__all__ = ["Index", "Location", "UpdateReport"]

Location = str | Path  # a folder, or the URL of an index on a cluster


class UpdateReport(Struct, frozen=True):
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


def is_url(location: Location) -> bool:
    """Whether `location` names an index on a cluster rather than a folder."""
    return isinstance(location, str) and location.lower().startswith(
        ("http://", "https://")
    )


class Index(ABC):
    """A newsindex index: open it, update it, search it, get articles.

    `Index.open`, `Index.create` and `Index.build` called on this class pick
    the engine from the location; called on an engine's own class, they use
    that engine.
    """

    location: str  # where the index is, as messages show it

    @classmethod
    def open(cls, location: Location) -> Index:
        """Open an existing index; raise IndexMissingError if there is none."""
        return _engine_class(cls, location)._open(location)

    @classmethod
    def create(cls, location: Location) -> Index:
        """Open the index at `location`, creating an empty one if there is none."""
        return _engine_class(cls, location)._create(location)

    @classmethod
    def build(
        cls,
        corpus: Path | str,
        location: Location,
        *,
        tagger: EntityTagger | None = None,
        exclude: Sequence[str] = (),
        options: ReaderOptions | None = None,
        on_progress: ProgressFn | None = None,
    ) -> Index:
        """Create or update the index at `location` from the files under `corpus`."""
        index = cls.create(location)
        index.update(
            corpus,
            tagger=tagger,
            exclude=exclude,
            options=options,
            on_progress=on_progress,
        )
        return index

    @classmethod
    @abstractmethod
    def _open(cls, location: Location) -> Index: ...

    @classmethod
    @abstractmethod
    def _create(cls, location: Location) -> Index: ...

    # -- writing ---------------------------------------------------------

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
        from newsindex.ingest.entities import SpacyTagger
        from newsindex.sources.discover import discover

        unreadable: list[OSError] = []
        files = list(discover(corpus, exclude, on_error=unreadable.append))
        folders = [os.path.normpath(str(exc.filename)) for exc in unreadable]
        with self._updating():
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

    @abstractmethod
    def _updating(self) -> AbstractContextManager[None]:
        """Hold what an update needs (the write lock) and bring the archive up."""

    @abstractmethod
    def _refresh(self) -> None:
        """See the index's last commit from now on."""

    @abstractmethod
    def open_writer(self) -> StoreWriter:
        """A writer for one commit's worth of changes (an update holds the lock)."""

    def worker_sink(self) -> Sink | None:
        """Where ingest workers send their articles themselves (None: to the writer).

        An engine with one writer (Whoosh) takes every article through
        `open_writer`; one with many (OpenSearch) lets each worker send its
        own, and its writer only records them.
        """
        return None

    @abstractmethod
    def manifest(self) -> dict[str, str]:
        """The files the index holds: source path -> content hash."""

    @abstractmethod
    def progress(self) -> dict[str, Progress]:
        """The split containers whose parts are partly committed, by path."""

    @abstractmethod
    def sync_archive(
        self,
        added: Sequence[Article],
        removed: Sequence[str],
        sketches: Sequence[Sketch] | None = None,
    ) -> None:
        """Bring the archive up to the index's new commit (after a writer commit)."""

    @abstractmethod
    def remove(self, target: str) -> int:
        """Delete one article (by id) or every article of a file (by source path).

        Returns how many articles went; ArticleNotFoundError if `target` is
        neither.
        """

    @abstractmethod
    def optimize(self) -> int:
        """Merge the index's segments into one, for the fastest searches.

        Updates keep segments few on their own (a run's merge at its end);
        this is for an archive that will now be read much more than written.
        Returns how many segments there were (0 where the engine does not
        say); IndexLockedError if another process is writing.
        """

    # -- reading ---------------------------------------------------------

    @abstractmethod
    def engine(self) -> SearchEngine:
        """The search engine over this index's last commit (engines/base.py)."""

    def warm(self) -> None:
        """Read ahead what the first searches of this commit would wait for."""
        self.engine().warm()

    @abstractmethod
    def archive(self) -> Archive:
        """The archive tables (aliases, quotes, clusters) of this index."""

    @abstractmethod
    def get(self, article_id: str) -> Article:
        """Return a stored article; raise ArticleNotFoundError if there is none."""

    @abstractmethod
    def articles(self) -> Iterator[Article]:
        """Yield every stored article."""

    @abstractmethod
    def article_ids_of(self, path: str) -> list[str]:
        """Return the ids of the stored articles that came from a source path."""

    @abstractmethod
    def article_count(self) -> int:
        """Return how many articles the index holds."""

    @abstractmethod
    def close(self) -> None:
        """Release what the index holds open."""

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

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

    def facets(
        self, query: str, facets: Sequence[str], **filters: Any
    ) -> dict[str, list[tuple[str, int]]]:
        """Count articles matching `query` per facet ("outlet", "month")."""
        from newsindex.query.facets import facet_counts

        return facet_counts(self, query, facets, **filters)

    def entity_facet(
        self,
        query: str,
        *,
        limit: int = 10,
        since: DateBound = None,
        until: DateBound = None,
        outlet: str | None = None,
        include_undated: bool = False,
        now: datetime | None = None,
    ) -> list[EntityCount]:
        """The entities most articles matching `query` name, each counted as
        search() with `entity=<its name>` counts (the other filters apply)."""
        from newsindex.query.entity_facet import entity_facet

        return entity_facet(
            self, query, limit=limit, since=since, until=until, outlet=outlet,
            include_undated=include_undated, now=now,
        )  # fmt: skip

    def outlets(self) -> list[OutletCount]:
        """Return every outlet with its article count and first and last dates."""
        return self.engine().outlets()

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
        from newsindex.dates import parse_user_date  # dateutil: only here

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


def _engine_class(cls: type[Index], location: Location) -> type[Index]:
    if cls is not Index:
        return cls
    from newsindex.engines import index_class  # the one place that picks an engine

    return index_class(location)
