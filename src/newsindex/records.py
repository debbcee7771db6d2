"""The records that flow through newsindex: RawDocument -> Article -> Passage.

Every record is frozen; sequences are tuples. `to_dict()` gives the JSON
contract of DESIGN.md ("The JSON contract"); `Article.from_dict()` reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, Literal

from msgspec import Struct, field

MediaType = Literal["text", "html", "json", "warc", "sgml"]
Precision = Literal["datetime", "day", "month", "year"]
DateEvidence = Literal["json-ld", "meta", "dateline", "url", "text", "header"]
OutletEvidence = Literal[
    "meta", "json", "collection", "domain", "dateline", "trailer", "byline"
]
EntityType = Literal["person", "org", "place"]


# RawDocument.meta keys. Dates are text as found (ISO or any form
# dates.parse_date_text reads); a reader that knows how much to trust a
# value says so in the *_evidence key.
META_KEYS = frozenset(
    {
        "title",
        "author",  # byline text; several authors joined with "; "
        "published",  # the publication date as the container gives it
        "published_evidence",  # a DateEvidence: "meta" (JSON field), "header" (wire)
        "modified",  # a last-modified date, never taken for publication
        "outlet",  # the publisher's name as given (any alias)
        "outlet_evidence",  # an OutletEvidence: "json", "meta", "collection"
        "capture_date",  # when a crawler fetched it (WARC-Date): not publication
        "lang",  # the declared language
        "dateline",  # a dateline given as a field (TREC <DATELINE>), as written
    }
)


class RawDocument(Struct, frozen=True, kw_only=True):
    """One document as a reader found it, before any normalisation."""

    path: str  # as given on the command line, or joined to the corpus root as given
    media_type: MediaType  # how `text` reads: plain text, HTML, or a field's text
    text: str  # decoded; plain-text offsets (`source_start`) point into this
    url: str | None = None
    # What the container said beside the text, all strings, keys from META_KEYS.
    meta: Mapping[str, str] = field(default_factory=dict)
    record: int | None = None  # 0-based position inside a container file
    docno: str | None = None  # the container's own id (Reuters NEWID, TREC DOCNO)
    offset: int | None = None  # byte offset of the record inside its container


class Source(Struct, frozen=True, kw_only=True):
    """Where an article came from."""

    path: str
    record: int | None = None
    docno: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON contract's `source` object."""
        return {
            "path": self.path,
            "record": self.record,
            "docno": self.docno,
            "url": self.url,
        }


class Outlet(Struct, frozen=True, kw_only=True):
    """The publisher of this copy, and what said so."""

    name: str
    evidence: OutletEvidence


class Cite(Struct, frozen=True, kw_only=True):
    """An outlet the text names as a source of its material, with its span in body."""

    name: str
    start: int
    end: int


class DateSignal(Struct, frozen=True, kw_only=True):
    """One dated signal the ingester weighed and did not keep.

    `source` says exactly where it was found ("json-ld:dateModified",
    "meta:article:published_time", "rdfa:dc:date", "url", "htmldate", ...);
    `modified` marks a last-modification date, never taken for publication
    while an original one is known.
    """

    when: datetime
    precision: Precision
    evidence: DateEvidence
    source: str = ""
    modified: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON contract's `published.candidates` item."""
        return {
            "when": format_when(self.when, self.precision),
            "precision": self.precision,
            "evidence": self.evidence,
            "source": self.source,
            "modified": self.modified,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DateSignal:
        """Read a `published.candidates` item back."""
        return cls(
            when=datetime.fromisoformat(_pad_iso(data["when"])),
            precision=data["precision"],
            evidence=data["evidence"],
            source=data.get("source", ""),
            modified=data.get("modified", False),
        )


class Published(Struct, frozen=True, kw_only=True):
    """When this copy was published, how precisely, and what said so.

    `when` is naive when the source gave no time zone: the record keeps what the
    source said, and `utc()` reads a naive time as UTC for the index.
    `inferred` is true when part of the date (usually the year) was not written
    beside the rest and came from other evidence. `note` says why this date
    was kept when other evidence disagreed by more than a day. `source` names
    the signal kept ("json-ld:datePublished"), `candidates` the ones that
    lost; both are the decision's audit trail, not the date, so equality
    leaves them out.
    """

    when: datetime
    precision: Precision
    evidence: DateEvidence
    inferred: bool = False
    note: str | None = None
    source: str = ""
    candidates: tuple[DateSignal, ...] = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Published):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def _compared(self) -> tuple[object, ...]:
        """What equality compares: the date, not its audit trail."""
        return (self.when, self.precision, self.evidence, self.inferred, self.note)

    def iso(self) -> str:
        """Return `when` in ISO 8601, cut to its precision (`2021-10`, `2021-10-18`)."""
        return format_when(self.when, self.precision)

    def utc(self) -> datetime:
        """Return `when` as an aware UTC datetime (a naive time is read as UTC)."""
        if self.when.tzinfo is None:
            return self.when.replace(tzinfo=UTC)
        return self.when.astimezone(UTC)


def format_when(when: datetime, precision: Precision) -> str:
    """Format a datetime in ISO 8601 at the given precision."""
    if precision == "year":
        return f"{when.year:04d}"
    if precision == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if precision == "day":
        return when.date().isoformat()
    # Fractions of a second are never shown, so they must not decide the
    # format either: Reuters' `18:40:00.49` is `18:40`, as it reads back from
    # the stored article (refs #19: a rebuilt archive said `18:40`, a fresh
    # one `18:40:00`).
    spec = "minutes" if when.second == 0 else "seconds"
    return when.isoformat(timespec=spec)


class Dateline(Struct, frozen=True, kw_only=True):
    """The wire dateline opening a story: `BRUSSELS, October 18. /TASS/.`

    `start`/`end` are offsets into the article body. `date` is the day the
    dateline names, when its year is known; `year_inferred` says the year came
    from the article's other evidence, not from the dateline.
    """

    place: str
    region: str | None = None
    date_text: str | None = None
    date: date | None = None
    year_inferred: bool = False
    agency: str | None = None
    start: int
    end: int


class Entity(Struct, frozen=True, kw_only=True):
    """A person, organisation or place, with every mention's span in body."""

    key: str  # normalised: spelling variants of one name share it
    name: str  # the display form: the fullest spelling seen
    type: EntityType
    mentions: tuple[tuple[int, int], ...]
    variants: tuple[str, ...] = ()  # the distinct surface forms, sorted


class Quote(Struct, frozen=True, kw_only=True):
    """A quoted statement in the body, and its speaker when the text names one."""

    text: str
    start: int
    end: int
    speaker: str | None = None


class Segment(Struct, frozen=True, kw_only=True):
    """A run of body text copied unchanged from the source text.

    `body[body_start:body_start+length] == source_text[source_start:...+length]`.
    """

    body_start: int
    source_start: int
    length: int


class Article(Struct, frozen=True, kw_only=True):
    """One normalised news article, the unit the ingester produces."""

    id: str
    source: Source
    title: str | None
    body: str
    outlet: Outlet | None = None
    cites: tuple[Cite, ...] = ()
    published: Published | None = None
    dateline: Dateline | None = None
    bylines: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    # Only for plain-text sources: how body offsets map back into the file.
    source_map: tuple[Segment, ...] = ()
    # When a crawler fetched the page (WARC-Date, aware): never publication.
    captured: datetime | None = None
    language: str | None = None  # ISO 639-1 code of the body's language
    # The NER pipeline that found `entities`; None: no model for the language.
    entities_model: str | None = None

    def source_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a body span to the source text, or None if it is not a verbatim copy."""
        for seg in self.source_map:
            if seg.body_start <= start and end <= seg.body_start + seg.length:
                shift = seg.source_start - seg.body_start
                return start + shift, end + shift
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON contract's Article object."""
        return {
            "id": self.id,
            "source": self.source.to_dict(),
            "title": self.title,
            "body": self.body,
            "outlet": _outlet_dict(self.outlet),
            "cites": [
                {"name": c.name, "start": c.start, "end": c.end} for c in self.cites
            ],
            "published": _published_dict(self.published),
            "dateline": _dateline_dict(self.dateline),
            "bylines": list(self.bylines),
            "entities": [
                {
                    "key": e.key,
                    "name": e.name,
                    "type": e.type,
                    "mentions": [list(m) for m in e.mentions],
                    "variants": list(e.variants),
                }
                for e in self.entities
            ],
            "quotes": [
                {"text": q.text, "start": q.start, "end": q.end, "speaker": q.speaker}
                for q in self.quotes
            ],
            "source_map": [
                [s.body_start, s.source_start, s.length] for s in self.source_map
            ],
            "captured": (
                None
                if self.captured is None
                else format_when(self.captured.astimezone(UTC), "datetime")
            ),
            "language": self.language,
            "entities_model": self.entities_model,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        """Read an Article back from its JSON contract form."""
        src = data["source"]
        outlet = data.get("outlet")
        pub = data.get("published")
        dl = data.get("dateline")
        return cls(
            id=data["id"],
            source=Source(
                path=src["path"],
                record=src.get("record"),
                docno=src.get("docno"),
                url=src.get("url"),
            ),
            title=data.get("title"),
            body=data["body"],
            outlet=Outlet(name=outlet["name"], evidence=outlet["evidence"])
            if outlet
            else None,
            cites=tuple(
                Cite(name=c["name"], start=c["start"], end=c["end"])
                for c in data.get("cites", ())
            ),
            published=Published(
                when=datetime.fromisoformat(_pad_iso(pub["when"])),
                precision=pub["precision"],
                evidence=pub["evidence"],
                inferred=pub.get("inferred", False),
                note=pub.get("note"),
                source=pub.get("source", ""),
                candidates=tuple(
                    DateSignal.from_dict(c) for c in pub.get("candidates", ())
                ),
            )
            if pub
            else None,
            dateline=Dateline(
                place=dl["place"],
                region=dl.get("region"),
                date_text=dl.get("date_text"),
                date=date.fromisoformat(dl["date"]) if dl.get("date") else None,
                year_inferred=dl.get("year_inferred", False),
                agency=dl.get("agency"),
                start=dl["start"],
                end=dl["end"],
            )
            if dl
            else None,
            bylines=tuple(data.get("bylines", ())),
            entities=tuple(
                Entity(
                    key=e["key"],
                    name=e["name"],
                    type=e["type"],
                    mentions=tuple((m[0], m[1]) for m in e["mentions"]),
                    variants=tuple(e.get("variants", ())),
                )
                for e in data.get("entities", ())
            ),
            quotes=tuple(
                Quote(
                    text=q["text"], start=q["start"], end=q["end"], speaker=q["speaker"]
                )
                for q in data.get("quotes", ())
            ),
            source_map=tuple(
                Segment(body_start=s[0], source_start=s[1], length=s[2])
                for s in data.get("source_map", ())
            ),
            captured=datetime.fromisoformat(data["captured"])
            if data.get("captured")
            else None,
            language=data.get("language"),
            entities_model=data.get("entities_model"),
        )


class Skip(Struct, frozen=True):
    """A file (or a record in one) that could not become an Article, and why."""

    path: str
    reason: str
    record: int | None = None  # the record's 0-based position in a container file


class AlsoIn(Struct, frozen=True, kw_only=True):
    """Another copy of a collapsed passage's story."""

    article_id: str
    outlet: str | None
    published: str | None


class Passage(Struct, frozen=True, kw_only=True):
    """A ranked span of an article's body, with the provenance to cite it.

    `text == article.body[start:end]`, always. For plain-text sources,
    `text == file_text[source_start:source_end]` too.
    """

    article_id: str
    start: int
    end: int
    text: str
    score: float
    outlet: str | None
    published: str | None
    title: str | None
    bylines: tuple[str, ...]
    source: Source
    source_start: int | None = None
    source_end: int | None = None
    also_in: tuple[AlsoIn, ...] = ()
    # Spans of `text` (offsets into the passage) that matched query words.
    highlights: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON contract's Passage object."""
        out: dict[str, Any] = {
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": self.score,
            "outlet": self.outlet,
            "published": self.published,
            "title": self.title,
            "bylines": list(self.bylines),
            "source": self.source.to_dict(),
        }
        if self.source_start is not None:
            out["source_start"] = self.source_start
            out["source_end"] = self.source_end
        out["also_in"] = [
            {"article_id": a.article_id, "outlet": a.outlet, "published": a.published}
            for a in self.also_in
        ]
        out["highlights"] = [list(span) for span in self.highlights]
        return out


def _outlet_dict(outlet: Outlet | None) -> dict[str, Any] | None:
    return (
        None if outlet is None else {"name": outlet.name, "evidence": outlet.evidence}
    )


def _published_dict(pub: Published | None) -> dict[str, Any] | None:
    if pub is None:
        return None
    return {
        "when": pub.iso(),
        "precision": pub.precision,
        "evidence": pub.evidence,
        "inferred": pub.inferred,
        "note": pub.note,
        "source": pub.source,
        "candidates": [c.to_dict() for c in pub.candidates],
    }


def _dateline_dict(dl: Dateline | None) -> dict[str, Any] | None:
    if dl is None:
        return None
    return {
        "place": dl.place,
        "region": dl.region,
        "date_text": dl.date_text,
        "date": dl.date.isoformat() if dl.date else None,
        "year_inferred": dl.year_inferred,
        "agency": dl.agency,
        "start": dl.start,
        "end": dl.end,
    }


def _pad_iso(text: str) -> str:
    """Widen a reduced-precision ISO date (`2021-10`) so fromisoformat reads it."""
    if len(text) == 4:
        return f"{text}-01-01"
    if len(text) == 7:
        return f"{text}-01"
    return text
