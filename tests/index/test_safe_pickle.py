"""A crafted index folder cannot make `open` call arbitrary functions (refs #19)."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from whoosh.index import TOC

from newsindex import Index
from newsindex.errors import IndexCorruptError
from newsindex.index.durable import DurableStorage
from newsindex.index.safe_pickle import loads
from newsindex.index.schema import SCHEMA_VERSION, make_schema


class Payload:
    """Unpickles as a call of os.system: what a crafted file would hold."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_a_crafted_toc_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    path = tmp_path / "index"
    path.mkdir()
    marker = tmp_path / "ran"
    storage = DurableStorage(str(path))
    TOC(make_schema(), [Payload(marker)], 1).write(storage, "MAIN")
    (path / "newsindex.json").write_text(json.dumps({"schema": SCHEMA_VERSION}))
    with pytest.raises(IndexCorruptError) as caught:
        Index.open(path)
    assert not marker.exists()
    assert str(caught.value) == (
        f"index at {str(path)!r} is corrupt: table of contents unreadable "
        "(UnpicklingError: index file names posix.system, which newsindex "
        f"does not unpickle) (run: newsindex verify --index {str(path)!r})"
    )


@pytest.mark.parametrize(
    "value",
    [{"a": 1}, {1, 2}, frozenset({"x"}), b"bytes", (1.5, None, True)],
    ids=["dict", "set", "frozenset", "bytes", "tuple"],
)
def test_what_an_index_holds_still_unpickles(value: object) -> None:
    assert loads(pickle.dumps(value, 2)) == value


def test_the_schema_still_unpickles() -> None:
    schema = make_schema()
    back = loads(pickle.dumps(schema, 2))
    assert [(n, type(f)) for n, f in back.items()] == [
        (n, type(f)) for n, f in schema.items()
    ]


@pytest.mark.parametrize(
    "name", [("builtins", "eval"), ("whoosh.compat", "exec_"), ("os", "system")]
)
def test_functions_are_refused(name: tuple[str, str]) -> None:
    crafted = f"c{name[0]}\n{name[1]}\n.".encode()  # protocol 0 GLOBAL
    with pytest.raises(pickle.UnpicklingError, match="does not unpickle"):
        loads(crafted)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_every_protocol_reads_as_pickle_loads_does(protocol: int) -> None:
    import array
    from datetime import datetime

    value = {
        "text": "line one\nline two\n" * 50,
        "when": datetime(2021, 10, 18, 16, 46),
        "ids": array.array("I", range(300)),
        "weights": [1.5] * 40,
        "raw": b"\x00\x93\n" * 20,
    }
    data = pickle.dumps(value, protocol)
    assert loads(data) == pickle.loads(data) == value
