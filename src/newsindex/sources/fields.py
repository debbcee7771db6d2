"""Find an export's fields by their common names; shared by the JSON and CSV readers.

Names match ignoring case, `_`, `-`, `.` and spaces, so `publish_date`,
`publishDate`, `datePublished` and `Publish Date` are looked up alike, with no
configuration. `ReaderOptions.fields` names a field outright
(`{"text": "content"}`, or a dotted path such as `{"outlet": "source.name"}`),
and then only that field is read for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from msgspec import Struct

from newsindex.records import RawDocument, Skip

__all__ = ["document_from_record", "has_text_field", "normalise_name"]

# Logical field -> the names exports give it, normalised (see normalise_name),
# most specific first: the first one a record has is read.
_NAMES: dict[str, tuple[str, ...]] = {
    "text": (
        "text", "body", "content", "maintext", "fulltext", "articletext",
        "articlebody", "bodytext", "story", "storytext", "contenttext",
    ),
    "title": ("title", "headline", "heading", "webtitle"),
    "url": (
        "url", "link", "articlesourcelink", "articleurl", "articlelink",
        "sourcelink", "sourceurl", "canonicalurl", "permalink", "weburl", "href",
        "uri",
    ),
    "date": (
        "published", "publishdate", "publisheddate", "publishedat", "publishedon",
        "publishedtime", "publicationdate", "datepublished", "datepublish",
        "pubdate", "webpublicationdate", "firstpublished", "date", "datetime",
    ),
    "author": (
        "author", "authors", "byline", "bylines", "authorname", "creator",
        "creators", "writer", "writers",
    ),
    "outlet": (
        "outlet", "source", "sourcename", "publisher", "publication", "site",
        "sitename", "newspaper", "media", "sourcedomain", "domain",
    ),
    "id": (
        "id", "articleid", "docid", "docno", "documentid", "newsid", "storyid",
        "itemid", "uuid", "guid",
    ),
    "modified": (
        "modified", "datemodified", "datemodify", "lastmodified", "modifiedat",
        "updated", "updatedat", "lastupdated",
    ),
    "lang": ("lang", "language", "inlanguage"),
    # news-please's `date_download`, scrapers' crawl times: never publication.
    "capture_date": (
        "datedownload", "crawled", "crawldate", "crawledat", "scrapedat",
        "fetchedat", "capturedate",
    ),
}  # fmt: skip
# Read for the text only when a record has none of the text fields above: a
# summary is not the article, but a feed item with only a summary still says
# something. A text field that is there but empty stays empty.
_FALLBACK_TEXT = (
    "description", "summary", "abstract", "subtitle", "lead", "excerpt",
    "snippet", "teaser", "standfirst",
)  # fmt: skip


class _NoText(Struct, frozen=True):
    """Why a record gives no text: the reason its Skip carries."""

    reason: str


_SEPARATORS = re.compile(r"[\s_.-]+")
# Epoch seconds from 1973 to 5138; past that, milliseconds. A smaller number is
# not taken for a time: 20170207 is a day written as digits, not 1970-08-22.
_EPOCH_SECONDS = 1e8
_EPOCH_MILLIS = 1e11
_EPOCH_LIMIT = 1e14
# A string of 10 digits (seconds, with an optional fraction) or 13 (millis):
# 12- and 14-digit strings are yyyymmddHHMM(SS) and stay text.
_EPOCH_TEXT = re.compile(r"\d{10}(?:\.\d+)?|\d{13}")


def normalise_name(name: str) -> str:
    """Reduce a field name to its lookup form: `publish_date` -> publishdate."""
    return _SEPARATORS.sub("", name).casefold()


def has_text_field(
    names: Iterable[str], fields: Mapping[str, str], *, summaries: bool = True
) -> bool:
    """Return True if a record with these field names can have a text.

    With `summaries=False` a summary field (`description`) does not count: a
    JSON Feed's top level has one beside its `items`.
    """
    keys = {normalise_name(n) for n in names}
    if "text" in fields:
        wanted = fields["text"]
        return normalise_name(wanted) in keys or (
            normalise_name(wanted.split(".", 1)[0]) in keys
        )
    candidates = (*_NAMES["text"], *(_FALLBACK_TEXT if summaries else ()))
    return any(n in keys for n in candidates)


def document_from_record(
    obj: Mapping[str, object],
    *,
    display_path: str,
    record: int,
    fields: Mapping[str, str],
    offset: int | None = None,
) -> RawDocument | Skip:
    """Build the RawDocument one export record holds, or a Skip if it has no text.

    A text field that is null counts as absent; one that is an empty string
    makes the record a Skip ("empty text"), whatever summary it carries.
    """
    keys = _key_map(obj)
    text = _find_text(obj, keys, fields)
    if isinstance(text, _NoText):
        return Skip(display_path, text.reason, record)
    meta: dict[str, str] = {}
    for name, meta_key in (
        ("title", "title"),
        ("author", "author"),
        ("date", "published"),
        ("modified", "modified"),
        ("lang", "lang"),
        ("capture_date", "capture_date"),
    ):
        value = _as_text(name, _find(obj, keys, fields, name))
        if value:
            meta[meta_key] = value
    url = _as_text("url", _find(obj, keys, fields, "url"))
    outlet = _as_text("outlet", _find(obj, keys, fields, "outlet"))
    if outlet and _looks_like_url(outlet):  # `"source": "https://..."` is no name
        url = url or outlet
        outlet = None
    if outlet:
        meta["outlet"] = outlet
        meta["outlet_evidence"] = "json"
    if "published" in meta:
        meta["published_evidence"] = "meta"
    return RawDocument(
        path=display_path,
        media_type="json",
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        url=url or None,
        meta=meta,
        record=record,
        docno=_as_text("id", _find(obj, keys, fields, "id")) or None,
        offset=offset,
    )


def _key_map(obj: Mapping[str, object]) -> dict[str, str]:
    """Normalised name -> the record's own key; the first of look-alikes wins."""
    keys: dict[str, str] = {}
    for key in obj:
        keys.setdefault(normalise_name(str(key)), key)
    return keys


def _find(
    obj: Mapping[str, object],
    keys: Mapping[str, str],
    fields: Mapping[str, str],
    name: str,
) -> object:
    """The value of a logical field, or None if the record has none."""
    if name in fields:
        return _named(obj, keys, fields[name])
    for candidate in _NAMES[name]:
        if candidate in keys and obj[keys[candidate]] is not None:
            return obj[keys[candidate]]
    return None


def _named(obj: Mapping[str, object], keys: Mapping[str, str], wanted: str) -> object:
    """The value of a field the user named: `content`, or a path `source.name`."""
    key = keys.get(normalise_name(wanted))
    if key is not None:
        return obj[key]
    head, dot, rest = wanted.partition(".")
    inner = obj.get(keys.get(normalise_name(head), head)) if dot else None
    if isinstance(inner, Mapping):
        return _named(inner, _key_map(inner), rest)
    return None


def _find_text(
    obj: Mapping[str, object], keys: Mapping[str, str], fields: Mapping[str, str]
) -> str | _NoText:
    """The record's text: the first non-empty text field, else a summary field."""
    if "text" in fields:
        value = _named(obj, keys, fields["text"])
        if value is None:
            return _NoText(f"no text field {fields['text']!r}")
        return _text_of(value)
    for names in (_NAMES["text"], _FALLBACK_TEXT):
        values = [obj[keys[n]] for n in names if n in keys]
        texts = [_text_of(v) for v in values if v is not None]
        if texts:
            return next((t for t in texts if isinstance(t, str)), texts[0])
    return _NoText("no text field")


def _text_of(value: object) -> str | _NoText:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(v for v in value if v.strip())  # a list of paragraphs
    if not isinstance(value, str):
        return _NoText(f"text field holds a {_json_kind(value)}")
    if not value.strip():
        return _NoText("empty text")
    return value


def _as_text(name: str, value: object) -> str | None:
    """A field's value as meta text: names out of objects, lists joined, epochs read."""
    if name in ("date", "modified", "capture_date"):
        epoch = _epoch(value)
        if epoch is not None:
            return epoch
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float):
        return str(value) if math.isfinite(value) else None
    if isinstance(value, Mapping) and name in ("author", "outlet"):
        key = _key_map(value).get("name")  # NewsAPI's `source: {"name": ...}`
        return _as_text(name, value[key]) if key is not None else None
    if isinstance(value, list) and name == "author":
        names = (_as_text(name, v) for v in value)
        return "; ".join(n for n in names if n) or None
    return None


def _epoch(value: object) -> str | None:
    """A Unix time (a number, or 10/13 digits as text) as ISO 8601 UTC, else None."""
    if isinstance(value, str) and _EPOCH_TEXT.fullmatch(value.strip()):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not _EPOCH_SECONDS <= value < _EPOCH_LIMIT:
        return None
    seconds = value / 1000 if value >= _EPOCH_MILLIS else value
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _looks_like_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "//"))


def _json_kind(value: object) -> str:
    match value:
        case Mapping():
            return "object"
        case list():
            return "list"
        case bool():
            return "boolean"
        case int() | float():
            return "number"
    return type(value).__name__
