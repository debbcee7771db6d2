"""Find the article files under a corpus path and pick a reader for each."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsindex.errors import IngestError, InputPathError
from newsindex.records import RawDocument
from newsindex.sources.plaintext import read_plaintext

__all__ = ["CorpusFile", "discover", "parse_bytes", "read_bytes", "reader_for"]

Reader = Callable[..., Iterator[RawDocument]]

_READERS: dict[str, Reader] = {
    ".txt": read_plaintext,
    ".text": read_plaintext,
}
_MAX_FILE_BYTES = 256 * 1024 * 1024  # larger files are not single articles


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A file found in a corpus: its path on disk and the path records carry."""

    path: Path
    display_path: str


def discover(root: Path | str) -> Iterator[CorpusFile]:
    """Yield the files under `root` (or `root` itself), sorted, hidden ones left out.

    Raises InputPathError if `root` does not exist.
    """
    root_text = os.path.normpath(str(root))
    root_path = Path(root_text)
    if not root_path.exists():
        raise InputPathError(root)
    if root_path.is_file():
        yield CorpusFile(root_path, root_text)
        return
    for dirpath, dirnames, filenames in os.walk(root_path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            yield CorpusFile(path, os.path.normpath(str(path)))


def read_bytes(file: CorpusFile) -> tuple[str, bytes]:
    """Read one file: its SHA-256 content hash and its bytes.

    Raises IngestError (with a one-line reason) if the file cannot be read.
    """
    if reader_for(file) is None:
        suffix = file.path.suffix or "(none)"
        raise IngestError(f"unsupported file type {suffix!r}", path=file.path)
    try:
        size = file.path.stat().st_size
        if size > _MAX_FILE_BYTES:
            raise IngestError(f"file too large ({size} bytes)", path=file.path)
        data = file.path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise IngestError(f"cannot read file: {reason}", path=file.path) from exc
    return hashlib.sha256(data).hexdigest(), data


def parse_bytes(file: CorpusFile, data: bytes) -> list[RawDocument]:
    """Turn a file's bytes into RawDocuments; raise IngestError if it holds none."""
    reader = reader_for(file)
    if reader is None:
        suffix = file.path.suffix or "(none)"
        raise IngestError(f"unsupported file type {suffix!r}", path=file.path)
    return list(reader(file.path, data, display_path=file.display_path))


def reader_for(file: CorpusFile) -> Reader | None:
    """Return the reader for a file's type, or None if no reader takes it."""
    return _READERS.get(file.path.suffix.lower())
