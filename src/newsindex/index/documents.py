"""Article -> the Whoosh documents that store it: the article's, then its passages'."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newsindex.engines.base import provenance as provenance_of
from newsindex.index.passages import cut_passages
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Article

__all__ = ["article_documents"]


def article_documents(
    article: Article, registry: OutletRegistry
) -> Iterator[dict[str, Any]]:
    """Yield the article's document, then one document per passage of its body."""
    shared: dict[str, Any] = {"article_id": article.id, "path": article.source.path}
    if article.outlet is not None:
        shared["outlet"] = registry.key(article.outlet.name).replace(",", " ")
    if article.published is not None:
        # Whoosh's DATETIME drops tzinfo: store UTC, naive.
        shared["published"] = article.published.utc().replace(tzinfo=None)
    names: dict[str, Any] = {}
    if article.bylines:
        names["byline_names"] = ",".join(b.replace(",", " ") for b in article.bylines)
    if article.dateline is not None:
        names["place_names"] = article.dateline.place.replace(",", " ")
    yield {
        **shared,
        **names,
        "kind": "article",
        "pid": article.id,
        "payload": json.dumps(article.to_dict(), ensure_ascii=False),
    }
    fields: dict[str, Any] = {**shared, "kind": "passage", "cluster": article.id}
    if article.entities:
        fields["entity"] = ",".join(sorted({e.key for e in article.entities}))
    if article.bylines:
        fields["byline"] = ", ".join(article.bylines)
    if article.cites:
        cited = {registry.key(c.name).replace(",", " ") for c in article.cites}
        fields["cites"] = ",".join(sorted(cited))
    if article.dateline is not None:
        fields["place"] = article.dateline.place
    if article.title:
        fields["title"] = article.title
    provenance = json.dumps(provenance_of(article), ensure_ascii=False)
    breaks = {segment.body_start for segment in article.source_map}
    for n, (start, end) in enumerate(cut_passages(article.body, breaks)):
        source_span = article.source_span(start, end)
        yield {
            **fields,
            "pid": f"{article.id}:{n}",
            "text": article.body[start:end],
            "start": start,
            "end": end,
            "source_start": source_span[0] if source_span else None,
            "source_end": source_span[1] if source_span else None,
            "provenance": provenance,
        }
