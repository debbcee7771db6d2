"""JSON exports: an array of articles, an API response holding one, or JSON Lines.

`read_json` takes a JSON array of objects, an object holding that array under
a common key (NewsAPI's `articles`, Elasticsearch's `hits.hits`, `data`,
`results`, ...), or a single article object. `read_jsonl` takes one object per
line. Each object's fields are found by name (`sources/fields.py`).

Each reader also takes the other's shape, since exports are often misnamed: a
`.json` file holding JSON Lines, a `.jsonl` file holding one indented document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.decode import decode_text, looks_binary
from newsindex.sources.fields import (
    document_from_record,
    has_text_field,
    normalise_name,
)

__all__ = ["read_json", "read_jsonl"]

# Keys an API response keeps its list of articles under, normalised, in the
# order tried. `response` and `result` wrap the list one level deeper (The
# Guardian's `response.results`), as Elasticsearch's `hits` does (`hits.hits`).
_CONTAINER_KEYS = (
    "articles", "items", "data", "results", "docs", "records", "entries",
    "hits", "posts", "stories", "news", "response", "result",
)  # fmt: skip
_MAX_NESTING = 3  # container objects looked into: `response.results` is 2


def read_json(
    data: bytes, *, path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    """Yield the articles of a JSON document; IngestError if it holds none."""
    _check(data, path)
    try:
        value = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # a document per line: JSON Lines
            yield from _read_lines(data, path, display_path, options)
            return
        raise IngestError(
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            path=path,
        ) from exc
    except RecursionError as exc:
        raise IngestError("invalid JSON: nested too deeply", path=path) from exc
    yield from _read_value(value, path, display_path, options)


def read_jsonl(
    data: bytes, *, path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    """Yield one article per line of a JSON Lines file.

    A line that is not a JSON object is a Skip naming its line number, and
    reading goes on. Raises IngestError if no line holds a JSON object.
    """
    _check(data, path)
    yield from _read_lines(data, path, display_path, options)


def _check(data: bytes, path: Path) -> None:
    if not data.strip():
        raise IngestError("empty file", path=path)
    if looks_binary(data):
        raise IngestError("binary content, not JSON", path=path)


def _read_value(
    value: object, path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    if isinstance(value, list):
        records: list[object] = value
    elif isinstance(value, dict):
        found = _find_records(value, options.fields, 0)
        records = [value] if found is None else found
    else:
        raise IngestError(
            f"expected a JSON object or array, found {_kind(value)}", path=path
        )
    if not records:
        raise IngestError("no records in the JSON document", path=path)
    for index, item in enumerate(records):
        if not isinstance(item, dict):
            yield Skip(display_path, "not a JSON object", index)
            continue
        yield document_from_record(
            _unwrap(item),
            display_path=display_path,
            record=index,
            fields=options.fields,
        )


def _find_records(
    obj: Mapping[str, object], fields: Mapping[str, str], depth: int
) -> list[object] | None:
    """The list of records an object holds, [obj] if it is an article, else None."""
    if has_text_field(obj, fields, summaries=False):
        return [obj]
    if depth == _MAX_NESTING:
        return None
    keys: dict[str, str] = {}
    for key in obj:
        keys.setdefault(normalise_name(key), key)
    for name in _CONTAINER_KEYS:
        inner = obj[keys[name]] if name in keys else None
        if isinstance(inner, list):
            return inner
        if isinstance(inner, dict):
            found = _find_records(inner, fields, depth + 1)
            if found is not None:
                return found
    # An unknown key holding the only list of objects: {"payload": [{...}, ...]}.
    lists = [
        v
        for v in obj.values()
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)
    ]
    return lists[0] if len(lists) == 1 else None


def _unwrap(item: dict[str, object]) -> dict[str, object]:
    """An Elasticsearch hit's fields sit under `_source`, its id beside them."""
    source = item.get("_source")
    if isinstance(source, dict):
        return {**source, **{k: v for k, v in item.items() if k != "_source"}}
    return item


def _read_lines(
    data: bytes, path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    first_error: str | None = None
    for number, _, line in _lines(data):
        value, error = _parse_line(line)
        if isinstance(value, dict):
            break
        first_error = first_error or f"line {number}: {error or 'not a JSON object'}"
    else:  # no line holds an object: one indented document saved as .jsonl?
        if first_error is None:
            raise IngestError("empty file", path=path)
        try:
            value = json.loads(decode_text(data))
        except (json.JSONDecodeError, RecursionError) as exc:
            raise IngestError(f"not JSON Lines: {first_error}", path=path) from exc
        yield from _read_value(value, path, display_path, options)
        return
    for number, offset, line in _lines(data):
        record = number - 1
        value, error = _parse_line(line)
        if error is not None:
            yield Skip(display_path, f"invalid JSON on line {number}: {error}", record)
        elif not isinstance(value, dict):
            yield Skip(display_path, f"not a JSON object on line {number}", record)
        else:
            yield document_from_record(
                _unwrap(value),
                display_path=display_path,
                record=record,
                fields=options.fields,
                offset=offset,
            )


def _lines(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Yield (1-based line number, byte offset, line) for each non-blank line."""
    start = 0
    number = 0
    while start < len(data):
        end = data.find(b"\n", start)
        if end == -1:
            end = len(data)
        number += 1
        line = data[start:end]
        if line.strip():
            yield number, start, line
        start = end + 1


def _parse_line(line: bytes) -> tuple[object, str | None]:
    """A line's JSON value and None, or None and why it is not JSON."""
    try:
        return json.loads(decode_text(line)), None
    except json.JSONDecodeError as exc:
        return None, exc.msg
    except RecursionError:
        return None, "nested too deeply"


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"
