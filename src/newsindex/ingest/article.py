"""RawDocument -> Article: the ingester's one entry point.

Ingest runs in two steps so that named-entity recognition can run over a
batch of bodies at once: `draft_article` does everything but entities (text
rules and metadata), `finish_article` adds the entities a tagger found.

Every format ends in the same shape: HTML is reduced to its main text and
metadata first (`html_extract`), a JSON, CSV or wire record brings its
fields in `RawDocument.meta`, and then the body is laid out like a plain
text file. Dates are never invented: every dated signal becomes a
`DateCandidate` and `choose_published` picks one, a dateline's month and day
take their year only from such evidence (or a crawl's capture date) and say
so, and an article without any has `published = None`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import cast

from msgspec.structs import replace

from newsindex.dates import parse_date_text
from newsindex.errors import IngestError
from newsindex.ingest.byline import normalise_byline
from newsindex.ingest.cites import find_cites
from newsindex.ingest.copy_outlet import outlet_of_copy
from newsindex.ingest.dateline import (
    DatelineMatch,
    parse_dateline,
    read_dateline_field,
    resolve_dateline_date,
)
from newsindex.ingest.entities import TaggedSpan, build_entities
from newsindex.ingest.evidence import DateCandidate, PageExtract
from newsindex.ingest.language import identify_language
from newsindex.ingest.layout import Layout, lay_out_text
from newsindex.ingest.outlet import OutletRegistry
from newsindex.ingest.published import choose_published
from newsindex.ingest.quotes import find_quotes
from newsindex.ingest.speakers import resolve_speakers
from newsindex.records import (
    Article,
    DateEvidence,
    Dateline,
    Published,
    RawDocument,
    Source,
)

__all__ = ["article_id", "draft_article", "finish_article"]

_DATELINE_PARAGRAPHS = 3  # a dateline opens one of the first paragraphs, after a lede
_HTML_TYPES = frozenset({"html", "warc"})
_META_DATE_EVIDENCE: frozenset[str] = frozenset(
    {"json-ld", "meta", "dateline", "url", "text", "header"}
)


def draft_article(raw: RawDocument, registry: OutletRegistry | None = None) -> Article:
    """Normalise one document into an Article without entities.

    Raises IngestError if the document holds no article text.
    """
    registry = registry or OutletRegistry.default()
    page = _extract_page(raw) if raw.media_type in _HTML_TYPES else None
    known_title = raw.meta.get("title") or (page.title if page else None)
    own = _own_dates(raw.meta)
    own_date = next((c.date for c in own if not c.modified), None)
    layout = lay_out_text(
        page.text if page else raw.text, known_title=known_title, known_date=own_date
    )
    body = layout.body
    if not body.strip():
        reason = "no main text in page" if page else "no article text"
        raise IngestError(f"{reason} after boilerplate removal", path=raw.path)
    url = raw.url or (page.url if page else None)
    published = choose_published(_date_candidates(own, layout, page))
    dateline = _dateline(body, _reference_date(published, raw.meta), raw.meta)
    if published is not None and dateline is not None and dateline.date is not None:
        published = _note_conflict(published, dateline)
    if published is None and dateline is not None and dateline.date is not None:
        # The year came from a capture date: the day is the dateline's own.
        published = Published(
            when=datetime.combine(dateline.date, time()),
            precision="day",
            evidence="dateline",
            inferred=True,
        )
    outlet = outlet_of_copy(
        raw.meta,
        page_publisher=page.publisher if page else None,
        body=body,
        dateline=dateline,
        byline=layout.byline,
        url=url,
        registry=registry,
    )
    return Article(
        id=article_id(raw, body),
        source=Source(path=raw.path, record=raw.record, docno=raw.docno, url=url),
        title=known_title or layout.title,
        body=body,
        outlet=outlet,
        cites=find_cites(body, registry, own_outlet=outlet.name if outlet else None),
        published=published,
        dateline=dateline,
        bylines=_bylines(raw.meta, page, layout, registry),
        quotes=find_quotes(body),
        source_map=layout.segments if raw.media_type == "text" else (),
        captured=_captured(raw.meta),
        language=identify_language(
            body, declared=raw.meta.get("lang") or (page.lang if page else None)
        ),
    )


def finish_article(
    article: Article, spans: Sequence[TaggedSpan], model: str | None = None
) -> Article:
    """Add the entities found at `spans` of the body by `model`, and resolve the
    quotes' speakers to them."""
    entities = build_entities(
        article.body, spans, article.language, listed=model is not None
    )
    quotes = resolve_speakers(article.body, article.quotes, entities)
    return replace(article, entities=entities, entities_model=model, quotes=quotes)


def article_id(raw: RawDocument, body: str) -> str:
    """Derive a stable id from the source location and the normalised body."""
    digest = hashlib.sha256()
    for part in (raw.path, str(raw.record), body):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:16]


def _extract_page(raw: RawDocument) -> PageExtract:
    from newsindex.ingest.html_extract import extract_page  # lxml: only for pages

    return extract_page(raw.text, raw.url)


def _own_dates(meta: Mapping[str, str]) -> list[DateCandidate]:
    """The record's own date fields: an export's date column, a wire header."""
    candidates: list[DateCandidate] = []
    evidence = meta.get("published_evidence", "meta")
    meta_evidence = (
        cast(DateEvidence, evidence) if evidence in _META_DATE_EVIDENCE else "meta"
    )
    for key, modified in (("published", False), ("modified", True)):
        parsed = parse_date_text(meta[key]) if meta.get(key) else None
        if parsed is not None:
            candidates.append(
                DateCandidate(
                    parsed,
                    meta_evidence,
                    modified=modified,
                    source=f"record:{key}",
                    own=True,
                )
            )
    return candidates


def _date_candidates(
    own: Sequence[DateCandidate], layout: Layout, page: PageExtract | None
) -> list[DateCandidate]:
    candidates = list(own)
    if page is not None:
        candidates.extend(page.dates)
    if layout.header_date is not None:
        candidates.append(
            DateCandidate(layout.header_date, "header", source="text:first-line")
        )
    return candidates


def _reference_date(
    published: Published | None, meta: Mapping[str, str]
) -> date | None:
    """The date a year-less dateline is read against: publication, else capture."""
    if published is not None:
        return published.when.date()
    captured = (
        parse_date_text(meta["capture_date"]) if meta.get("capture_date") else None
    )
    return captured.when.date() if captured else None


def _captured(meta: Mapping[str, str]) -> datetime | None:
    """The crawl's capture instant (WARC-Date), in UTC; never publication."""
    parsed = parse_date_text(meta["capture_date"]) if meta.get("capture_date") else None
    if parsed is None or parsed.precision != "datetime":
        return None
    when = parsed.when
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _dateline(
    body: str, reference: date | None, meta: Mapping[str, str]
) -> Dateline | None:
    given = meta.get("dateline", "").strip()
    if given and body.startswith(given):
        # A field the source calls a dateline (TREC <DATELINE>): read as one.
        field = read_dateline_field(given)
        if field is not None:
            return _dateline_record(field, 0, reference)
    pos = 0
    for paragraph in body.split("\n")[: _DATELINE_PARAGRAPHS * 2]:
        match = parse_dateline(paragraph) if paragraph else None
        if match is not None:
            return _dateline_record(match, pos, reference)
        pos += len(paragraph) + 1
    return None


def _dateline_record(
    match: DatelineMatch, pos: int, reference: date | None
) -> Dateline:
    resolved = None
    if match.month and match.day and reference is not None:
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


def _note_conflict(published: Published, dateline: Dateline) -> Published:
    """Say why the publication date stands when the dateline names another day.

    A dateline is local time and a timestamp usually UTC, so one day either
    side is consistent (Reuters: `WELLINGTON, Feb 27 -` filed 26-FEB-1987
    15:52); more than that is a disagreement worth recording.
    """
    assert dateline.date is not None
    gap = abs((dateline.date - published.when.date()).days)
    if gap <= 1 or published.precision in ("month", "year"):
        return published
    note = (
        f"dateline {dateline.date_text!r} reads {dateline.date.isoformat()}, "
        f"{gap} days from the {published.evidence} date; the {published.evidence} "
        "date is kept because a dateline marks where and when the story was "
        "filed, not when this copy was published"
    )
    return replace(published, note=note)


def _bylines(
    meta: Mapping[str, str],
    page: PageExtract | None,
    layout: Layout,
    registry: OutletRegistry,
) -> tuple[str, ...]:
    """Authors from the most explicit source present: metadata, page, `By` line."""
    if meta.get("author"):
        names = normalise_byline(meta["author"], registry)
        if names:
            return names
    if page is not None and page.authors:
        return page.authors
    return normalise_byline(layout.byline, registry) if layout.byline else ()
