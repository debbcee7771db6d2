"""Gzip inflated in bounded chunks; JSON read from chunks as from whole bytes."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsindex.errors import IngestError
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions, StreamReader
from newsindex.sources.discover import CorpusFile, parse_bytes
from newsindex.sources.inflate import (
    CHUNK_BYTES,
    Inflated,
    check_inflated_size,
    first_member_past,
    inflate,
    inflate_chunks,
)
from newsindex.sources.json_export import read_json, read_jsonl

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE = DATA / "newsarticles-sample.jsonl"  # four dai2017 rows, as shipped
PATH = Path("bomb.jsonl.gz")
ZEROS = gzip.compress(bytes(5 * CHUNK_BYTES + 123))  # 5 MiB of NULs in 5 KB


def test_chunks_never_hold_more_than_a_chunk_or_pass_the_limit() -> None:
    limit = 3 * CHUNK_BYTES + 10
    sizes: list[int] = []

    def drain() -> None:
        for chunk in inflate_chunks(ZEROS, PATH, limit):
            sizes.append(len(chunk))

    with pytest.raises(IngestError) as err:
        drain()
    assert str(err.value) == f"gzip inflates past {limit} bytes"
    assert (max(sizes), sum(sizes)) == (CHUNK_BYTES, 3 * CHUNK_BYTES)


def test_size_is_counted_without_holding_it() -> None:
    assert check_inflated_size(ZEROS, PATH, 10**9) == 5 * CHUNK_BYTES + 123
    with pytest.raises(IngestError) as err:
        check_inflated_size(ZEROS, PATH, 5 * CHUNK_BYTES + 122)
    assert str(err.value) == f"gzip inflates past {5 * CHUNK_BYTES + 122} bytes"


def test_every_member_is_inflated() -> None:
    data = gzip.compress(b"one\n") + gzip.compress(b"two\n")
    assert inflate(data, PATH, 8) == b"one\ntwo\n"
    assert list(Inflated(data, PATH, 8)) == [b"one\n", b"two\n"]
    assert list(Inflated(data, PATH, 8)) == [b"one\n", b"two\n"]  # again, afresh


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (gzip.compress(b"x" * 1000)[:20], "truncated gzip file"),
        (
            b"not gzip",
            "not a valid gzip file: Error -3 while decompressing data: "
            "incorrect header check",
        ),
    ],
    ids=["truncated", "not-gzip"],
)
def test_broken_gzip(data: bytes, message: str) -> None:
    with pytest.raises(IngestError) as err:
        inflate(data, PATH, 10**6)
    assert str(err.value) == message


def test_first_member_past() -> None:
    assert first_member_past(ZEROS, 5 * CHUNK_BYTES + 122)
    assert not first_member_past(ZEROS, 5 * CHUNK_BYTES + 123)
    assert not first_member_past(b"not gzip", 0)


def _chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def _read(
    reader: StreamReader, data: bytes | Iterable[bytes]
) -> list[RawDocument | Skip]:
    return list(reader(data, path=PATH, display_path="e", options=ReaderOptions()))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(size=st.integers(min_value=1, max_value=3000), blank=st.booleans())
def test_jsonl_from_chunks_equals_jsonl_from_bytes(size: int, blank: bool) -> None:
    lines = SAMPLE.read_bytes().split(b"\n")
    data = b"\n".join([lines[0], b"", b"[1]", b"{bad", *lines[1:]])
    if blank:
        data = b"\n\n" + data.rstrip(b"\n")  # no newline at the end
    assert _read(read_jsonl, _chunked(data, size)) == _read(read_jsonl, data)


@pytest.mark.parametrize("size", [1, 7, 4096])
def test_json_from_chunks_equals_json_from_bytes(size: int) -> None:
    data = b"\n  [" + SAMPLE.read_bytes().strip().replace(b"\n", b",\n") + b"]\n"
    assert _read(read_json, _chunked(data, size)) == _read(read_json, data)


class Passes:
    """Chunks that count how often they are read from the start."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.passes = 0

    def __iter__(self) -> Iterator[bytes]:
        self.passes += 1
        return iter(self.chunks)


def test_json_of_whitespace_is_refused_as_it_streams() -> None:
    chunks = Passes([b" " * 10, b"\n\t" * 10, b"\r\n"])
    with pytest.raises(IngestError) as err:
        _read(read_json, chunks)
    assert (str(err.value), chunks.passes) == ("empty file", 1)


def test_json_with_text_is_gathered_on_a_second_pass() -> None:
    chunks = Passes([b" " * 10, b'{"text": "A"}', b"\n"])
    (doc,) = _read(read_json, chunks)
    assert isinstance(doc, RawDocument)
    assert (doc.text, chunks.passes) == ("A", 2)


def test_jsonl_bomb_is_refused_before_a_line_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSINDEX_MAX_INFLATED_BYTES", str(3 * CHUNK_BYTES))
    deflater = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = deflater.compress(b'{"text": "' + b"a" * 4 * CHUNK_BYTES) + deflater.flush()
    file = CorpusFile(tmp_path / "bomb.jsonl.gz", "bomb.jsonl.gz")
    with pytest.raises(IngestError) as err:
        parse_bytes(file, data)  # raises when called, before the reader starts
    assert str(err.value) == f"gzip inflates past {3 * CHUNK_BYTES} bytes"
