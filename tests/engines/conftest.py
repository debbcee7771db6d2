"""An osmem-server on 127.0.0.1, the shipped corpus and the ten-outlet archive in it.

The articles are the ones the Whoosh fixtures built through the project's
pipeline (`Index.build`: readers, ingester, tagger), read back from them, so
both engines hold the very same Article records and cluster ids. Every
request the OpenSearch engine sends is recorded, for the spec check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from opensearchpy import OpenSearch, Urllib3HttpConnection
from osmem_server import OsmemServer

from newsindex import Index
from newsindex.engines.opensearch import OpenSearchSearcher, OpenSearchWriter, location

SENT: list[tuple[str, str, Any]] = []  # (method, url?params, body) of each request


class RecordingConnection(Urllib3HttpConnection):
    """Urllib3HttpConnection that keeps each request's method, URL and body."""

    def perform_request(  # type: ignore[override]
        self, method: str, url: str, params: Any = None, body: Any = None, **kw: Any
    ) -> Any:
        query = f"?{urlencode(params)}" if params else ""
        SENT.append((method, url + query, body))
        return super().perform_request(method, url, params, body, **kw)


@pytest.fixture(scope="session", autouse=True)
def recorded_clients() -> Iterator[None]:
    """Clients made from an index URL (`Index.open(url)`) record their requests too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(location, "CONNECTION", RecordingConnection)
        yield


@pytest.fixture(scope="session")
def osmem_server() -> Iterator[OsmemServer]:
    """The plugin's fixture, on a free 127.0.0.1 port and without Japanese."""
    server = OsmemServer.start(japanese=False, addr="127.0.0.1:0")
    yield server
    server.close()
    if server.process.stdout is not None:  # close() leaves the pipe open
        server.process.stdout.close()


def client_for(server: OsmemServer) -> OpenSearch:
    return OpenSearch(hosts=[server.url], connection_class=RecordingConnection)


@dataclass(frozen=True)
class Both:
    """One archive in both engines."""

    whoosh: Index
    searcher: OpenSearchSearcher
    writer: OpenSearchWriter


def load(server: OsmemServer, index: Index, name: str) -> Both:
    """Write every article of a Whoosh index, with its clusters, to `name`."""
    client = client_for(server)
    writer = OpenSearchWriter(client, name)
    writer.create()
    articles = list(index.articles())
    clusters = index.archive().clusters_of(a.id for a in articles)
    writer.write(articles, clusters={k: v.cluster_id for k, v in clusters.items()})
    writer.refresh()
    return Both(index, OpenSearchSearcher(client, name), writer)


@pytest.fixture(scope="session")
def raw_both(osmem_server: OsmemServer, raw_index: Index) -> Both:
    return load(osmem_server, raw_index, "raw")


@pytest.fixture(scope="session")
def mixed_both(osmem_server: OsmemServer, mixed_index: Index) -> Both:
    return load(osmem_server, mixed_index, "mixed")
