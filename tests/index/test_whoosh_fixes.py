"""Segments read from the memory map read the same bytes as Whoosh's copy."""

from __future__ import annotations

import io
import pickle

from hypothesis import given
from hypothesis import strategies as st
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

from newsindex.index.store import Index
from newsindex.index.whoosh_fixes import MappedBufferFile

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
