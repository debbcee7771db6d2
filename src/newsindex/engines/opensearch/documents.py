"""Article -> the one OpenSearch document that stores it, passages nested.

The passages are cut as the Whoosh engine cuts them (`cut_passages`, with
the same paragraph breaks), so both engines return the same spans.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from newsindex.archive.clusters import Sketch
from newsindex.index.passages import cut_passages
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Article

__all__ = [
    "article_document",
    "passage_spans",
    "read_sketch",
    "sketch_json",
    "utc_millis",
]


def passage_spans(article: Article) -> list[tuple[int, int]]:
    """The article's passages as `(start, end)` body offsets, in order."""
    breaks = {segment.body_start for segment in article.source_map}
    return cut_passages(article.body, breaks)


def article_document(
    article: Article,
    registry: OutletRegistry,
    *,
    cluster: str | None = None,
    content_hash: str | None = None,
    sketch: Sketch | None = None,
) -> dict[str, Any]:
    """The article's document: filter fields, nested passages, the Article itself.

    `cluster`: its republication cluster's id (default: the article's own id,
    so that collapsing leaves an article without copies alone).
    """
    doc: dict[str, Any] = {
        "article_id": article.id,
        "path": article.source.path,
        "cluster": cluster or article.id,
    }
    if content_hash is not None:
        doc["content_hash"] = content_hash
    if sketch is not None:
        doc["sketch"] = sketch_json(sketch)
    if article.outlet is not None:
        # The key as the Whoosh engine writes it, so one Filter fits both.
        doc["outlet"] = registry.key(article.outlet.name).replace(",", " ")
        entry = registry.resolve(doc["outlet"])
        doc["outlet_name"] = entry.name if entry is not None else article.outlet.name
    if article.published is not None:
        doc["published"] = utc_millis(article.published.utc())
        doc["precision"] = article.published.precision
    if article.entities:
        doc["entity"] = sorted({e.key for e in article.entities})
    if article.bylines:
        doc["byline"] = list(article.bylines)
    if article.dateline is not None:
        doc["place"] = article.dateline.place
    if article.cites:
        doc["cites"] = sorted(
            {registry.key(c.name).replace(",", " ") for c in article.cites}
        )
    doc["passages"] = [
        _passage(article, start, end) for start, end in passage_spans(article)
    ]
    doc["payload"] = article.to_dict()
    return doc


def _passage(article: Article, start: int, end: int) -> dict[str, Any]:
    passage: dict[str, Any] = {
        "text": article.body[start:end],
        "start": start,
        "end": end,
    }
    if article.title:
        passage["title"] = article.title
    span = article.source_span(start, end)
    if span is not None:
        passage["source_start"], passage["source_end"] = span
    return passage


def utc_millis(when: datetime) -> str:
    """An aware datetime in UTC as OpenSearch's `date` holds it: to the millisecond.

    A `date` field keeps milliseconds; a bound cut the same way (23:59:59.999999
    -> .999) keeps every instant the field can hold inside the range.
    """
    utc = when.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def sketch_json(sketch: Sketch) -> dict[str, Any]:
    """A MinHash sketch as JSON: its values as base64 of little-endian uint32."""
    values = sketch.values
    return {
        "shingles": sketch.shingles,
        "values": None
        if values is None
        else base64.b64encode(values.tobytes()).decode(),
        "figures": sorted(sketch.figures),
    }


def read_sketch(stored: dict[str, Any]) -> Sketch:
    """The Sketch `sketch_json` wrote."""
    import numpy as np

    values = stored.get("values")
    return Sketch(
        shingles=int(stored["shingles"]),
        values=None
        if values is None
        else np.frombuffer(base64.b64decode(values), dtype="<u4").copy(),
        figures=frozenset(stored.get("figures", ())),
    )
