"""Client errors -> newsindex's own, each one line with the input in it.

ConnectionError, ConnectionTimeout      -> IndexStoreError (cannot reach it)
404 index_not_found_exception           -> IndexMissingError
400 on a search (a query it rejects)    -> QueryError
any other TransportError                -> IndexStoreError
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import opensearchpy

from newsindex.errors import (
    IndexMissingError,
    IndexStoreError,
    QueryError,
    SearchTimeoutError,
)

__all__ = ["location", "reason", "translated"]


@contextmanager
def translated(
    where: str, *, query: str | None = None, seconds: float | None = None
) -> Iterator[None]:
    """Re-raise the client's errors as ours; `where` names the index (a URL).

    `query`: the query text, when the request runs one, for QueryError.
    `seconds`: the search's time budget, when the request has one.
    """
    try:
        yield
    except opensearchpy.ConnectionTimeout as exc:
        if seconds is not None:
            raise SearchTimeoutError(query or "", seconds) from exc
        raise IndexStoreError(f"OpenSearch did not answer in time: {where!r}") from exc
    except opensearchpy.ConnectionError as exc:
        raise IndexStoreError(f"cannot reach OpenSearch: {where!r}") from exc
    except opensearchpy.NotFoundError as exc:
        if exc.error == "index_not_found_exception":
            raise IndexMissingError(where) from exc
        raise IndexStoreError(f"{reason(exc)}: {where!r}") from exc
    except opensearchpy.RequestError as exc:
        if query is not None:
            raise QueryError(
                f"OpenSearch rejected the query ({reason(exc)}): {query!r}",
                query=query,
            ) from exc
        raise IndexStoreError(f"{reason(exc)}: {where!r}") from exc
    except opensearchpy.TransportError as exc:
        raise IndexStoreError(f"{reason(exc)}: {where!r}") from exc


def reason(exc: opensearchpy.TransportError) -> str:
    """The server's reason for an error, on one line."""
    info: Any = exc.info
    text = str(exc.error)
    if isinstance(info, dict):
        error = info.get("error")
        if isinstance(error, dict):
            cause = error.get("root_cause") or [error]
            text = str(cause[0].get("reason") or error.get("reason") or text)
    return " ".join(f"{exc.status_code} {text}".split())


def location(client: opensearchpy.OpenSearch, index: str) -> str:
    """The index as a URL, for messages: `http://127.0.0.1:9200/news`."""
    hosts = client.transport.hosts or [{}]
    host: dict[str, Any] = dict(hosts[0])
    scheme = host.get("scheme") or ("https" if host.get("use_ssl") else "http")
    return (
        f"{scheme}://{host.get('host', 'localhost')}:{host.get('port', 9200)}/{index}"
    )
