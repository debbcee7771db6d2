"""RawDocument -> Article: the ingester's one entry point.

Ingest runs in two steps so that named-entity recognition can run over a
batch of bodies at once: `draft_article` does everything but entities (pure
text rules), `finish_article` adds the entities a tagger found in the body.
`ingest_documents` does both for a batch.

Dates are never invented: `published` comes from dated evidence (a header
date line), a dateline's month and day take their year only from such
evidence and say so, and an article without any has `published = None`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace

from newsindex.dates import ParsedDate
from newsindex.errors import IngestError
from newsindex.ingest.byline import normalise_byline
from newsindex.ingest.cites import find_cites
from newsindex.ingest.dateline import parse_dateline, resolve_dateline_date
from newsindex.ingest.entities import EntityTagger, TaggedSpan, build_entities
from newsindex.ingest.layout import lay_out_text
from newsindex.ingest.outlet import OutletRegistry
from newsindex.ingest.quotes import find_quotes
from newsindex.records import (
    Article,
    Dateline,
    Outlet,
    Published,
    RawDocument,
    Source,
)

__all__ = ["draft_article", "finish_article", "ingest_documents"]

_DATELINE_PARAGRAPHS = 3  # a dateline opens one of the first paragraphs, after a lede
_TRAILER = re.compile(r"^[(\[]?\s*([A-Za-z][\w .&-]{1,30}?)\s*[)\]]?$")
_BYLINE_OUTLET = re.compile(r"(?:\||,|\s-\s)\s*([^|,]{2,40})$")


def draft_article(raw: RawDocument, registry: OutletRegistry | None = None) -> Article:
    """Normalise one document into an Article without entities.

    Raises IngestError if the document holds no article text.
    """
    registry = registry or OutletRegistry.default()
    layout = lay_out_text(raw.text)
    body = layout.body
    if not body.strip():
        raise IngestError("no article text after boilerplate removal", path=raw.path)
    published = _published(layout.header_date)
    dateline = _dateline(body, published)
    bylines = normalise_byline(layout.byline, registry) if layout.byline else ()
    outlet = _outlet(body, dateline, layout.byline, raw.url, registry)
    return Article(
        id=article_id(raw, body),
        source=Source(path=raw.path, record=raw.record, docno=raw.docno, url=raw.url),
        title=layout.title,
        body=body,
        outlet=outlet,
        cites=find_cites(body, registry, own_outlet=outlet.name if outlet else None),
        published=published,
        dateline=dateline,
        bylines=bylines,
        quotes=find_quotes(body),
        source_map=layout.segments if raw.media_type == "text" else (),
    )


def finish_article(article: Article, spans: Sequence[TaggedSpan]) -> Article:
    """Add the entities found at `spans` of the article's body."""
    return replace(article, entities=build_entities(article.body, spans))


def ingest_documents(
    raws: Sequence[RawDocument],
    tagger: EntityTagger,
    registry: OutletRegistry | None = None,
) -> list[Article]:
    """Ingest a batch of documents, tagging entities over all bodies at once.

    Raises IngestError for the first document that holds no article.
    """
    drafts = [draft_article(raw, registry) for raw in raws]
    tagged = tagger.tag([d.body for d in drafts])
    return [finish_article(d, spans) for d, spans in zip(drafts, tagged, strict=True)]


def article_id(raw: RawDocument, body: str) -> str:
    """Derive a stable id from the source location and the normalised body."""
    digest = hashlib.sha256()
    for part in (raw.path, str(raw.record), body):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:16]


def _published(header: ParsedDate | None) -> Published | None:
    if header is None:
        return None
    return Published(when=header.when, precision=header.precision, evidence="header")


def _dateline(body: str, published: Published | None) -> Dateline | None:
    pos = 0
    for paragraph in body.split("\n")[: _DATELINE_PARAGRAPHS * 2]:
        match = parse_dateline(paragraph) if paragraph else None
        if match is not None:
            resolved = None
            if match.month and match.day and published is not None:
                reference = published.when.date()
                resolved = resolve_dateline_date(match.month, match.day, reference)
            return Dateline(
                place=match.place,
                region=match.region,
                date_text=match.date_text,
                date=resolved,
                year_inferred=resolved is not None,
                agency=match.agency,
                start=pos + match.start,
                end=pos + match.end,
            )
        pos += len(paragraph) + 1
    return None


def _outlet(
    body: str,
    dateline: Dateline | None,
    byline: str | None,
    url: str | None,
    registry: OutletRegistry,
) -> Outlet | None:
    """The publisher of this copy, from the most trusted evidence present."""
    if url:
        entry = registry.by_domain(url)
        if entry is not None:
            return Outlet(name=entry.name, evidence="domain")
    if dateline is not None and dateline.agency:
        entry = registry.by_agency_tag(dateline.agency)
        if entry is not None:
            return Outlet(name=entry.name, evidence="dateline")
    last = body.rstrip().rsplit("\n", 1)[-1].strip()
    trailer = _TRAILER.match(last)
    if trailer:
        entry = registry.by_agency_tag(trailer.group(1))
        if entry is not None:
            return Outlet(name=entry.name, evidence="trailer")
    suffix = _BYLINE_OUTLET.search(byline) if byline else None
    if suffix:
        entry = registry.by_name(suffix.group(1).strip())
        if entry is not None:
            return Outlet(name=entry.name, evidence="byline")
    return None
