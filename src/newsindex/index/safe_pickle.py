"""Unpickle Whoosh's index files with only the names an index needs.

Whoosh stores the schema and segment list of its TOC, each compound
segment's directory and every document's stored fields with `pickle`, and
unpickling can call any importable function: a crafted index folder could
run code when opened. `install` makes Whoosh's readers unpickle through
`SafeUnpickler`, which resolves only Whoosh's classes, Whoosh's stemmers and
a few plain types; anything else (`os.system`, `builtins.eval`, Whoosh's
own `compat.exec_`) is an `UnpicklingError`, which `open` reports as a
damaged index. This narrows what a crafted folder can do to building
Whoosh objects; it is not a sandbox: open only folders you trust (README).
"""

from __future__ import annotations

import pickle
import types
from typing import Any

import whoosh.codec.whoosh3
import whoosh.columns
import whoosh.filedb.structfile
import whoosh.formats
import whoosh.index

__all__ = ["SafeUnpickler", "install", "loads"]

_PLAIN = {
    "builtins": {
        *("bool", "bytearray", "bytes", "complex", "dict", "float", "frozenset"),
        *("int", "list", "object", "range", "set", "slice", "str", "tuple"),
    },
    "__builtin__": {"frozenset", "int", "long", "set", "unicode", "object"},
    "collections": {"OrderedDict", "defaultdict"},
    "datetime": {"date", "datetime", "time", "timedelta", "timezone"},
    "copyreg": {"_reconstructor"},  # resolves its class through find_class too
    "array": {"array", "_array_reconstructor"},
    "_codecs": {"encode"},  # bytes in a protocol 2 pickle
    "re": {"_compile"},  # an analyzer's tokenizer pattern
}


class SafeUnpickler(pickle.Unpickler):
    """An Unpickler that resolves Whoosh classes and a few plain types only."""

    def find_class(self, module: str, name: str) -> Any:
        """Resolve `module.name` if an index may name it; UnpicklingError if not."""
        if name in _PLAIN.get(module, ()):
            return super().find_class(module, name)
        if module.startswith("whoosh."):
            found = super().find_class(module, name)
            # Classes build objects; of Whoosh's functions only the stemmers
            # (whoosh.lang) are stored in a schema. whoosh.compat.exec_ is not.
            if isinstance(found, type) or module.startswith("whoosh.lang."):
                return found
        raise pickle.UnpicklingError(
            f"index file names {module}.{name}, which newsindex does not unpickle"
        )


def loads(data: bytes, **kwargs: Any) -> Any:
    """pickle.loads through SafeUnpickler."""
    return SafeUnpickler(_Bytes(data), **kwargs).load()


class _Bytes:
    """The bytes of one pickle as the file an Unpickler reads.

    With `peek` the C unpickler takes the whole pickle in one call, as
    pickle.loads does: four times faster than on io.BytesIO, which it reads
    opcode by opcode (posting blocks are unpickled on every search).
    """

    __slots__ = ("_at", "_data")

    def __init__(self, data: bytes) -> None:
        self._data = bytes(data)
        self._at = 0

    def peek(self, size: int = 0) -> bytes:
        return self._data[self._at :]

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk = self._data[self._at : end]
        self._at += len(chunk)
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(memoryview(buffer)))
        memoryview(buffer)[: len(chunk)] = chunk
        return len(chunk)

    def readline(self, size: int = -1) -> bytes:
        end = self._data.find(b"\n", self._at)
        end = len(self._data) if end < 0 else end + 1
        if size >= 0:
            end = min(end, self._at + size)
        return self.read(end - self._at)


def _load(file: Any, **kwargs: Any) -> Any:
    return SafeUnpickler(file, **kwargs).load()


def install() -> None:
    """Make Whoosh's readers of TOCs, segments and stored fields use it."""
    whoosh.filedb.structfile.load_pickle = _load  # TOC segments, directories
    whoosh.codec.whoosh3.loads = loads  # stored fields, inlined postings
    whoosh.columns.loads = loads
    whoosh.formats.loads = loads
    # The TOC's schema: whoosh.index calls pickle.loads and pickle.dumps.
    whoosh.index.pickle = types.SimpleNamespace(
        loads=loads, dumps=pickle.dumps, PicklingError=pickle.PicklingError
    )
