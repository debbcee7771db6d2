"""`http://host:9200/NAME` -> an OpenSearch client and the index name.

The user and password come from the URL (`https://user:pass@host/NAME`) or
from $NEWSINDEX_OPENSEARCH_USER and $NEWSINDEX_OPENSEARCH_PASSWORD; the URL
wins. Messages show the URL without its password.
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote, urlsplit

import opensearchpy
from msgspec import Struct

from newsindex.errors import UsageError

__all__ = ["Cluster", "parse_location"]

_USER = "NEWSINDEX_OPENSEARCH_USER"
_PASSWORD = "NEWSINDEX_OPENSEARCH_PASSWORD"
# OpenSearch's rules for an index name: lowercase; none of \ / * ? " < > | ,
# # : or a space; not starting with - _ +; not . or ..
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
_EXAMPLE = "http://HOST:9200/NAME"
# The client's connection class (a test records each request through its own).
CONNECTION: type[opensearchpy.Connection] = opensearchpy.Urllib3HttpConnection


class Cluster(Struct, frozen=True):
    """Where one newsindex index lives on a cluster."""

    scheme: str
    host: str
    port: int
    index: str
    user: str | None = None
    password: str | None = None

    @property
    def url(self) -> str:
        """The index as a URL, without credentials (for messages)."""
        return f"{self.scheme}://{self.host}:{self.port}/{self.index}"

    def client(self) -> opensearchpy.OpenSearch:
        """An OpenSearch client for this cluster (no request is sent yet)."""
        auth = (self.user, self.password or "") if self.user is not None else None
        return opensearchpy.OpenSearch(
            hosts=[{"host": self.host, "port": self.port, "scheme": self.scheme}],
            http_auth=auth,
            use_ssl=self.scheme == "https",
            verify_certs=self.scheme == "https",
            timeout=30,
            connection_class=CONNECTION,
        )


def parse_location(location: str) -> Cluster:
    """Read an index URL; UsageError naming what is wrong with it."""
    try:
        parts = urlsplit(location)
        port = parts.port
    except ValueError as exc:
        raise UsageError(
            f"--index: {exc}: {_shown(location)!r} (want {_EXAMPLE})"
        ) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--index URL needs http(s)://HOST: {_shown(location)!r}")
    name = parts.path.strip("/")
    if parts.query or parts.fragment or not name or "/" in name:
        raise UsageError(
            f"--index URL must name one index, {_EXAMPLE}: {_shown(location)!r}"
        )
    if not _NAME.fullmatch(name) or name in (".", ".."):
        raise UsageError(
            f"--index: {name!r} is not an OpenSearch index name (lowercase "
            "letters, digits, '.', '_', '-'; not starting with '.', '_' or '-')"
        )
    user = unquote(parts.username) if parts.username else os.environ.get(_USER)
    password = unquote(parts.password) if parts.password else os.environ.get(_PASSWORD)
    return Cluster(
        scheme=scheme,
        host=parts.hostname,
        port=port or 9200,
        index=name,
        user=user or None,
        password=password,
    )


def _shown(location: str) -> str:
    """The URL with any password replaced by ***."""
    parts = urlsplit(location)
    if parts.password is None:
        return location
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
