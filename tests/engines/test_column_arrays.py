"""column_arrays: a segment's column read in one piece gives what Whoosh
reads value by value."""

from __future__ import annotations

from typing import Any

import pytest
import whoosh.index as windex

from newsindex import Index
from newsindex.engines.whoosh.column_arrays import (
    _coded_one_by_one,
    coded_bytes,
    numeric_array,
)

from ..conftest import DATA, RAW
from ..index.test_parallel import NoEntities


@pytest.fixture(scope="module")
def leaf(tmp_path_factory: pytest.TempPathFactory) -> Any:
    work = tmp_path_factory.mktemp("columns")
    corpus = work / "corpus"
    corpus.mkdir()
    for path in [*RAW.glob("*.txt"), DATA / "reuters-sample.sgm"]:
        (corpus / path.name).write_bytes(path.read_bytes())
    Index.build(corpus, work / "index", tagger=NoEntities()).close()
    reader = windex.open_dir(str(work / "index")).reader()
    ((leaf, _),) = reader.leaf_readers()
    return leaf


@pytest.mark.parametrize("name", ["article_id", "outlet"])
def test_a_text_column_is_coded_as_whoosh_reads_it(leaf: Any, name: str) -> None:
    count = leaf.doc_count_all()
    column = leaf.column_reader(name, translate=False)
    codes, texts = coded_bytes(column, count)
    expected = [value.decode("utf-8") for value in column]
    assert [texts[code] for code in codes.tolist()] == expected
    assert len(texts) == len(set(expected)) > 1
    slow_codes, slow_texts = _coded_one_by_one(column, count)
    assert [slow_texts[c] for c in slow_codes.tolist()] == expected


def test_a_date_column_is_read_as_whoosh_reads_it(leaf: Any) -> None:
    count = leaf.doc_count_all()
    column = leaf.column_reader("published", translate=False)
    assert numeric_array(column, count).tolist() == list(column)


def test_any_other_column_is_read_value_by_value() -> None:
    codes, texts = coded_bytes([b"TASS", b"Reuters", b"TASS", b""], 4)
    assert (codes.tolist(), texts) == ([0, 1, 0, 2], ["TASS", "Reuters", ""])
    assert numeric_array([3, 1, 2], 3).tolist() == [3, 1, 2]


def test_the_one_byte_length_column_is_read_as_whoosh_reads_it(leaf: Any) -> None:
    from whoosh.util.numeric import byte_to_length, length_to_byte

    from newsindex.engines.whoosh.bounded import _field_lengths

    count = leaf.doc_count_all()
    expected = [
        byte_to_length(length_to_byte(leaf.doc_field_length(d, "text", 0) or 0))
        for d in range(count)
    ]
    assert _field_lengths(leaf, "text").tolist() == expected
    assert max(expected) > 1
