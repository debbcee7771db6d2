"""Segments read from the memory map read the same bytes as Whoosh's copy."""

from __future__ import annotations

import io
import pickle
import zlib
from pathlib import Path

import pytest
import whoosh.index as windex
from hypothesis import given
from hypothesis import strategies as st
from whoosh.codec import whoosh3
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

from newsindex.index.schema import make_schema
from newsindex.index.store import Index
from newsindex.index.whoosh_fixes import SHIPPED_DUMPS, MappedBufferFile

# A read is (seek target or None, whence, size); sizes past the end included.
_READS = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 300)),
        st.sampled_from([io.SEEK_SET, io.SEEK_CUR]),
        st.integers(-1, 200),
    ),
    max_size=30,
)


@given(data=st.binary(max_size=256), reads=_READS)
def test_reads_match_whooshs_buffer_file(data: bytes, reads: list) -> None:
    view = memoryview(data)
    mine, theirs = MappedBufferFile(view), BufferFile(view)
    for target, whence, size in reads:
        if target is not None:
            target = target if whence == io.SEEK_SET else target - 150
            if mine.tell() + target < 0 and whence == io.SEEK_CUR:
                continue
            assert mine.seek(target, whence) == theirs.seek(target, whence)
        assert mine.read(size) == theirs.read(size)
        assert mine.tell() == theirs.tell()
    assert mine.get(3, 10) == theirs.get(3, 10)


def test_pickles_and_typed_reads_come_back() -> None:
    payload = pickle.dumps({"Sergey Lavrov": [1, 2, 3]})
    data = b"\x00\x00\x01\x2c" + payload + b"tail"
    file = MappedBufferFile(memoryview(data))
    assert file.read_uint() == 300
    assert file.read_pickle() == {"Sergey Lavrov": [1, 2, 3]}
    assert file.read(4) == b"tail"
    assert file.read(4) == b""


def test_an_opened_index_reads_through_the_map(raw_index: Index) -> None:
    assert compound.BufferFile is MappedBufferFile
    hits = raw_index.search('"equal dialogue"')
    assert hits
    for passage in hits:
        body = raw_index.get(passage.article_id).body
        assert body[passage.start : passage.end] == passage.text


def _postings_of(
    folder: str, word: str
) -> tuple[list[tuple[int, float, bytes]], bytes]:
    """Every posting of `word` in the first segment, and its first block's
    pickle as written (decompressed)."""
    ix = windex.open_dir(folder)
    with ix.searcher() as searcher:
        leaf = searcher.reader().leaf_readers()[0][0]
        matcher = leaf.postings("text", word)
        matcher.weight()  # reads the first block
        raw = matcher._postfile.get(
            matcher._dataoffset, matcher._nextoffset - matcher._dataoffset
        )
        first_block = zlib.decompress(raw) if matcher._compression else raw
        found = []
        while matcher.is_active():
            found.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        return found, first_block


def _write(folder: Path, texts: list[str]) -> None:
    folder.mkdir()
    ix = windex.create_in(str(folder), make_schema())
    writer = ix.writer()
    for n, text in enumerate(texts):
        writer.add_document(kind="passage", pid=str(n), text=text)
    writer.commit()


TEXTS = [
    "Lavrov said the mission would close. Lavrov said so twice.",
    "NATO said nothing; Lavrov met NATO's envoy.",
    *[f"filler passage number {n} about Lavrov" for n in range(300)],
]


def test_blocks_are_written_at_protocol_4_and_old_blocks_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "new", TEXTS)
    with monkeypatch.context() as whoosh_as_shipped:
        whoosh_as_shipped.setattr(whoosh3, "dumps", SHIPPED_DUMPS)
        _write(tmp_path / "old", TEXTS)
    new, new_block = _postings_of(str(tmp_path / "new"), "lavrov")
    old, old_block = _postings_of(str(tmp_path / "old"), "lavrov")
    assert new == old
    assert [docnum for docnum, _, _ in new][:3] == [0, 1, 2]
    assert new[0][1] == 2.0  # "Lavrov" twice in the first passage
    assert new_block[:2] == b"\x80\x04"  # protocol 4: bytes as bytes
    assert old_block[:2] == b"\x80\x02"
    assert b"_codecs" in old_block
    assert b"_codecs" not in new_block
