"""The manifest of an index on a cluster: a second index beside the articles.

`NAME.files` holds one document per ingested file (`kind: file`: path,
content hash, article count), one per split container being written
(`kind: progress`: how many of its records and articles are in), and the
index's `generation` document: created with the index (it carries the
index's `instance`, a random id, so that a local cache of one index is never
taken for another's), and written again at every commit, so that its
`_version` counts the commits. Any machine reads and adds to the same
manifest; a file's entry is written after its articles, so that a run that
dies in between ingests the file again (an idempotent upsert: article ids
come from their content).
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import opensearchpy
from opensearchpy import helpers

from newsindex.engines.base import Progress
from newsindex.engines.opensearch.failures import translated
from newsindex.errors import IndexStoreError

__all__ = ["Manifest", "files_index", "scan"]

_PAGE = 1000
_BUMP_TRIES = 50
_GENERATION = "generation"
_MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "kind": {"type": "keyword"},
        "path": {"type": "keyword"},
        "content_hash": {"type": "keyword"},
        "articles": {"type": "integer"},
        "records": {"type": "integer"},
        "instance": {"type": "keyword"},
    },
}


def files_index(index: str) -> str:
    """The name of the manifest index beside the article index `index`."""
    return f"{index}.files"


def scan(
    client: opensearchpy.OpenSearch,
    index: str,
    query: dict[str, Any],
    *,
    order: str,
    source: list[str] | bool,
) -> Iterator[dict[str, Any]]:
    """Every hit of `query`, a page at a time, in `order` (a keyword field).

    Pages follow `search_after` on that field, which needs no scroll
    context on the cluster and sees each document once.
    """
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {
            "query": query,
            "sort": [{order: "asc"}],
            "size": _PAGE,
            "_source": source,
            "track_total_hits": False,
        }
        if after is not None:
            body["search_after"] = after
        hits = client.search(index=index, body=body)["hits"]["hits"]
        yield from hits
        if len(hits) < _PAGE:
            return
        after = hits[-1]["sort"]


class Manifest:
    """Read and write one index's `NAME.files`."""

    def __init__(self, client: opensearchpy.OpenSearch, index: str, where: str):
        self.client = client
        self.name = files_index(index)
        self.where = where

    def create(self) -> None:
        """Create the manifest index and its generation document, if missing."""
        with translated(self.where):
            if not self.client.indices.exists(index=self.name):
                try:
                    self.client.indices.create(
                        index=self.name,
                        body={
                            "settings": {"index": {"number_of_shards": 1}},
                            "mappings": _MAPPINGS,
                        },
                    )
                except opensearchpy.RequestError as exc:
                    if exc.error != "resource_already_exists_exception":
                        raise
            # A ConflictError: made by an earlier or another run.
            with contextlib.suppress(opensearchpy.ConflictError):
                self.client.create(
                    index=self.name,
                    id=_GENERATION,
                    body={"kind": _GENERATION, "instance": uuid.uuid4().hex},
                    refresh=True,
                )

    def exists(self) -> bool:
        with translated(self.where):
            return bool(self.client.indices.exists(index=self.name))

    def instance(self) -> str:
        """The random id this index was created with."""
        return str(self._generation_doc()["_source"]["instance"])

    def generation(self) -> int:
        """How many commits the index has seen (the generation doc's version)."""
        return int(self._generation_doc()["_version"]) - 1

    def bump(self) -> tuple[int, int]:
        """Count one commit more; return the generations before and after it.

        The write is conditional on the version read (optimistic
        concurrency), so `before` is exactly the commit this one follows,
        even with writers on other machines.
        """
        for _ in range(_BUMP_TRIES):
            doc = self._generation_doc()
            with translated(self.where):
                try:
                    answer = self.client.index(
                        index=self.name,
                        id=_GENERATION,
                        body=doc["_source"],
                        if_seq_no=doc["_seq_no"],
                        if_primary_term=doc["_primary_term"],
                        refresh=True,
                    )
                except opensearchpy.ConflictError:
                    continue  # another writer committed meanwhile: read again
            return int(doc["_version"]) - 1, int(answer["_version"]) - 1
        raise IndexStoreError(
            f"could not record a commit: {_BUMP_TRIES} other writers came first: "
            f"{self.where!r}"
        )

    def files(self) -> dict[str, str]:
        """Source path -> content hash of every file the index holds."""
        return {
            hit["_source"]["path"]: hit["_source"]["content_hash"]
            for hit in self._scan("file", ["path", "content_hash"])
        }

    def file_entry(self, path: str) -> tuple[str, int] | None:
        """The content hash and article count listed for `path` (None: not listed)."""
        with translated(self.where):
            try:
                found = self.client.get(index=self.name, id=_file_id("file", path))
            except opensearchpy.NotFoundError:
                return None
        return str(found["_source"]["content_hash"]), int(found["_source"]["articles"])

    def progress(self) -> dict[str, Progress]:
        """The split containers partly written, by source path."""
        fields = ["path", "content_hash", "records", "articles"]
        return {
            hit["_source"]["path"]: Progress(
                hit["_source"]["content_hash"],
                hit["_source"]["records"],
                hit["_source"]["articles"],
            )
            for hit in self._scan("progress", fields)
        }

    def write(self, actions: list[dict[str, Any]]) -> None:
        """Apply bulk actions (from `file_action`, `progress_action`, ...)."""
        if not actions:
            return
        with translated(self.where):
            # 404: a delete of an entry that is not there (nothing to do).
            helpers.bulk(
                self.client, actions, refresh=True, max_retries=2, ignore_status=(404,)
            )

    def file_action(self, path: str, digest: str, articles: int) -> dict[str, Any]:
        source = {"kind": "file", "path": path, "content_hash": digest}
        return self._index_action("file", path, {**source, "articles": articles})

    def progress_action(self, path: str, progress: Progress | None) -> dict[str, Any]:
        if progress is None:
            return self._delete_action("progress", path)
        source = {
            "kind": "progress",
            "path": path,
            "content_hash": progress.digest,
            "records": progress.records,
            "articles": progress.articles,
        }
        return self._index_action("progress", path, source)

    def forget_actions(self, path: str) -> list[dict[str, Any]]:
        """Delete a path's manifest and progress entries."""
        return [self._delete_action(kind, path) for kind in ("file", "progress")]

    def drop(self) -> None:
        """Delete the manifest index (with the article index, by `remove-index`)."""
        with translated(self.where):
            self.client.indices.delete(index=self.name, ignore_unavailable=True)

    def _generation_doc(self) -> dict[str, Any]:
        with translated(self.where):
            found: dict[str, Any] = self.client.get(index=self.name, id=_GENERATION)
        return found

    def _scan(self, kind: str, fields: list[str]) -> Iterator[dict[str, Any]]:
        with translated(self.where):
            yield from scan(
                self.client,
                self.name,
                {"term": {"kind": kind}},
                order="path",
                source=fields,
            )

    def _index_action(
        self, kind: str, path: str, source: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "_op_type": "index",
            "_index": self.name,
            "_id": _file_id(kind, path),
            "_source": source,
        }

    def _delete_action(self, kind: str, path: str) -> dict[str, Any]:
        return {"_op_type": "delete", "_index": self.name, "_id": _file_id(kind, path)}


def _file_id(kind: str, path: str) -> str:
    """A path's document id: a hash, since ids are limited to 512 bytes."""
    return (
        f"{kind}-{hashlib.sha256(path.encode('utf-8', 'surrogateescape')).hexdigest()}"
    )
