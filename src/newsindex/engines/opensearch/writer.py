"""Write articles to an OpenSearch index: create it, upsert, delete, refresh.

An article's document id is its `Article.id`, which is derived from its
content, so writing the same articles again replaces them (an idempotent
upsert): a run that stopped half-way is completed by running it again.
Each bulk request is atomic per document, not per request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import opensearchpy
from opensearchpy import helpers

from newsindex.archive.clusters import Sketch
from newsindex.engines.opensearch.documents import article_document
from newsindex.engines.opensearch.failures import location, translated
from newsindex.engines.opensearch.mapping import index_template, template_name
from newsindex.engines.opensearch.requests import delete_ids_body, delete_path_body
from newsindex.errors import IndexStoreError
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Article

__all__ = ["OpenSearchWriter"]

_CHUNK = 500  # articles per bulk request


class OpenSearchWriter:
    """Create, fill and prune one newsindex index on an OpenSearch cluster."""

    def __init__(
        self,
        client: opensearchpy.OpenSearch,
        index: str,
        *,
        registry: OutletRegistry | None = None,
    ) -> None:
        self.client = client
        self.index = index
        self.where = location(client, index)
        self._registry = registry or OutletRegistry.default()

    def create(self) -> bool:
        """Put the index template and create the index; False if it existed.

        Both steps can run again: the template is replaced by the same one.
        """
        with translated(self.where):
            self.client.indices.put_index_template(
                name=template_name(self.index), body=index_template(self.index)
            )
            if self.client.indices.exists(index=self.index):
                return False
            try:
                self.client.indices.create(index=self.index)
            except opensearchpy.RequestError as exc:
                if exc.error == "resource_already_exists_exception":
                    return False  # another writer created it meanwhile
                raise
        return True

    def write(
        self,
        articles: Iterable[Article],
        *,
        clusters: Mapping[str, str] | None = None,
        content_hashes: Mapping[str, str] | None = None,
        sketches: Mapping[str, Sketch] | None = None,
    ) -> int:
        """Upsert articles in bulk; return how many were written.

        `clusters`: article id -> republication cluster id (default: its own
        id). `content_hashes`: source path -> the file's content hash.
        `sketches`: article id -> its MinHash sketch, kept for archive caches.
        Raises IndexStoreError naming the first article the cluster refused.
        """
        clusters = clusters or {}
        hashes = content_hashes or {}
        sketched = sketches or {}

        def actions() -> Iterator[dict[str, Any]]:
            for article in articles:
                yield {
                    "_op_type": "index",
                    "_index": self.index,
                    "_id": article.id,
                    "_source": article_document(
                        article,
                        self._registry,
                        cluster=clusters.get(article.id),
                        content_hash=hashes.get(article.source.path),
                        sketch=sketched.get(article.id),
                    ),
                }

        with translated(self.where):
            try:
                written, _ = helpers.bulk(
                    self.client, actions(), chunk_size=_CHUNK, max_retries=2
                )
            except helpers.BulkIndexError as exc:
                first = exc.errors[0].get("index", {})
                error = first.get("error", {})
                why = error.get("reason", error) if isinstance(error, dict) else error
                raise IndexStoreError(
                    f"{len(exc.errors)} articles not written, first "
                    f"{first.get('_id')!r}: {why}: {self.where!r}"
                ) from exc
        return int(written)

    def delete(self, article_ids: Iterable[str]) -> int:
        """Delete articles by id; return how many there were."""
        ids = list(article_ids)
        if not ids:
            return 0
        return self._delete_by_query(delete_ids_body(ids))

    def delete_path(self, path: str) -> int:
        """Delete every article read from `path`; return how many there were."""
        return self._delete_by_query(delete_path_body(path))

    def refresh(self) -> None:
        """Make everything written so far visible to searches."""
        with translated(self.where):
            self.client.indices.refresh(index=self.index)

    def _delete_by_query(self, body: dict[str, Any]) -> int:
        with translated(self.where):
            answer = self.client.delete_by_query(
                index=self.index, body=body, refresh=True, conflicts="proceed"
            )
        return int(answer.get("deleted", 0))
