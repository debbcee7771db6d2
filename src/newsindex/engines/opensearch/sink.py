"""Ingest workers write their own articles to the cluster: no single writer.

`ClusterSink` is handed to every worker (local processes or Dask workers,
`parallel.run_batches`); each sends the articles of the batches it tagged
in bulk requests, with one client per process. The update's writer in the
parent only records which articles arrived, deletes what they replace and
writes the manifest (`index.py`).
"""

from __future__ import annotations

from msgspec import Struct

from newsindex.engines.opensearch.location import Cluster
from newsindex.engines.opensearch.writer import OpenSearchWriter
from newsindex.pipeline import FileResult

__all__ = ["ClusterSink"]

_WRITERS: dict[Cluster, OpenSearchWriter] = {}  # one client per process and index


class ClusterSink(Struct, frozen=True):
    """Send a batch's articles to one index on a cluster (picklable)."""

    cluster: Cluster

    def __call__(self, results: list[FileResult]) -> None:
        articles = [article for result in results for article in result.articles]
        sketches = {
            article.id: sketch
            for result in results
            if len(result.sketches) == len(result.articles)
            for article, sketch in zip(result.articles, result.sketches, strict=True)
        }
        if articles:
            self.writer().write(articles, sketches=sketches)

    def writer(self) -> OpenSearchWriter:
        writer = _WRITERS.get(self.cluster)
        if writer is None:
            writer = OpenSearchWriter(self.cluster.client(), self.cluster.index)
            _WRITERS[self.cluster] = writer
        return writer
