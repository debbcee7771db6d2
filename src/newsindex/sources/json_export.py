"""JSON exports: an array of articles, an API response holding one, or JSON Lines.

`read_json` takes a JSON array of objects, an object holding that array under
a common key (NewsAPI's `articles`, Elasticsearch's `hits.hits`, `data`,
`results`, ...), or a single article object. `read_jsonl` takes one object per
line. Each object's fields are found by name (`sources/fields.py`).

Each reader also takes the other's shape, since exports are often misnamed: a
`.json` file holding JSON Lines, a `.jsonl` file holding one indented document.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.decode import SNIFF_BYTES, decode_text, looks_binary
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
    data: bytes | Iterable[bytes],
    *,
    path: Path,
    display_path: str,
    options: ReaderOptions,
) -> Iterator[RawDocument | Skip]:
    """Yield the articles of a JSON document; IngestError if it holds none.

    `data` may come as chunks (an inflated gzip, which can be read twice): a
    file of nothing but whitespace is refused as it streams by, never held;
    any other is gathered whole, as a JSON document must be.
    """
    if not isinstance(data, bytes):
        if all(not chunk.strip() for chunk in data):  # stops at the first text
            raise IngestError("empty file", path=path)
        data = _gather(data)
    _check(data, path)
    try:
        value = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # a document per line: JSON Lines
            yield from _read_lines((data,), path, display_path, options)
            return
        raise IngestError(
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            path=path,
        ) from exc
    except RecursionError as exc:
        raise IngestError("invalid JSON: nested too deeply", path=path) from exc
    yield from _read_value(value, path, display_path, options)


def read_jsonl(
    data: bytes | Iterable[bytes],
    *,
    path: Path,
    display_path: str,
    options: ReaderOptions,
) -> Iterator[RawDocument | Skip]:
    """Yield one article per line of a JSON Lines file.

    A line that is not a JSON object is a Skip naming its line number, and
    reading goes on. Raises IngestError if no line holds a JSON object.
    `data` may come as chunks (an inflated gzip), parsed a line at a time.
    """
    chunks = (data,) if isinstance(data, bytes) else data
    yield from _read_lines(_checked(chunks, path), path, display_path, options)


def _check(data: bytes, path: Path) -> None:
    if not data.strip():
        raise IngestError("empty file", path=path)
    if looks_binary(data):
        raise IngestError("binary content, not JSON", path=path)


def _checked(chunks: Iterable[bytes], path: Path) -> Iterator[bytes]:
    """The chunks, once their first block is seen not to be binary."""
    it = iter(chunks)
    head: list[bytes] = []
    size = 0
    for chunk in it:
        head.append(chunk)
        size += len(chunk)
        if size >= SNIFF_BYTES:
            break
    if looks_binary(b"".join(head)[:SNIFF_BYTES]):
        raise IngestError("binary content, not JSON", path=path)
    yield from head
    yield from it


def _gather(chunks: Iterable[bytes]) -> bytes:
    """Join the chunks into one document without holding them twice."""
    out = io.BytesIO()  # grows in place; getvalue() hands over its buffer uncopied
    for chunk in chunks:
        out.write(chunk)
    return out.getvalue()


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
    chunks: Iterable[bytes], path: Path, display_path: str, options: ReaderOptions
) -> Iterator[RawDocument | Skip]:
    lines = _lines(chunks)
    # Lines before the first object are held (as parsed) until one is found.
    before: list[tuple[int, int, bytes, object, str | None]] = []
    for number, offset, line in lines:
        value, error = _parse_line(line)
        before.append((number, offset, line, value, error))
        if isinstance(value, dict):
            break
    else:  # no line holds an object: one indented document saved as .jsonl?
        if not before:
            raise IngestError("empty file", path=path)
        number, _, _, _, error = before[0]
        first_error = f"line {number}: {error or 'not a JSON object'}"
        try:
            value = json.loads(decode_text(b"\n".join(b[2] for b in before)))
        except (json.JSONDecodeError, RecursionError) as exc:
            raise IngestError(f"not JSON Lines: {first_error}", path=path) from exc
        yield from _read_value(value, path, display_path, options)
        return
    parsed = ((number, offset, *_parse_line(line)) for number, offset, line in lines)
    for number, offset, value, error in chain(
        ((b[0], b[1], b[3], b[4]) for b in before), parsed
    ):
        record = number - 1
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


def _lines(chunks: Iterable[bytes]) -> Iterator[tuple[int, int, bytes]]:
    """Yield (1-based line number, byte offset, line) for each non-blank line.

    A line split across chunks is joined once, when its end arrives.
    """
    number = 0
    offset = 0  # where the line being read starts
    parts: list[bytes] = []  # its pieces from earlier chunks
    for chunk in chunks:
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            piece = chunk[start:end]
            line = b"".join((*parts, piece)) if parts else piece
            parts = []
            number += 1
            if line.strip():
                yield number, offset, line
            offset += len(line) + 1
            start = end + 1
        if start < len(chunk):
            parts.append(chunk[start:])
    if parts:
        line = b"".join(parts)
        if line.strip():
            yield number + 1, offset, line


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
