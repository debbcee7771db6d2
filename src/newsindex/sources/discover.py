"""Find the article files under a corpus path and pick a reader for each."""

from __future__ import annotations

import fnmatch
import hashlib
import importlib
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsindex.errors import IngestError, InputPathError
from newsindex.records import RawDocument, Skip
from newsindex.settings import settings
from newsindex.sources.base import Reader, ReaderOptions

__all__ = [
    "CorpusFile",
    "discover",
    "parse_bytes",
    "read_bytes",
    "reader_for",
]

# Suffix -> "module:function". Imported on first use, so a search never
# loads trafilatura or warcio.
_READERS: dict[str, str] = {
    ".txt": "newsindex.sources.plaintext:read_plaintext",
    ".text": "newsindex.sources.plaintext:read_plaintext",
    ".html": "newsindex.sources.html_page:read_html",
    ".htm": "newsindex.sources.html_page:read_html",
    ".json": "newsindex.sources.json_export:read_json",
    ".jsonl": "newsindex.sources.json_export:read_jsonl",
    ".ndjson": "newsindex.sources.json_export:read_jsonl",
    ".csv": "newsindex.sources.csv_export:read_csv",
    ".warc": "newsindex.sources.warc:read_warc",
    ".sgm": "newsindex.sources.wire_sgml:read_sgml",
    ".sgml": "newsindex.sources.wire_sgml:read_sgml",
}
# Readers that read their own gzip (WARC files are gzip members record by record).
_SELF_GUNZIPPING = frozenset({".warc"})


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A file found in a corpus: its path on disk and the path records carry."""

    path: Path
    display_path: str


def discover(
    root: Path | str,
    exclude: Sequence[str] = (),
    on_error: Callable[[OSError], None] | None = None,
) -> Iterator[CorpusFile]:
    """Yield the files under `root` (or `root` itself), hidden ones left out.

    Order is stable: a folder's files by name, then its subfolders by name.

    `exclude` holds glob patterns matched against each file's name and its
    path relative to `root` (`README*`, `*.dtd`, `gold/*`). A folder that
    cannot be listed is passed over, and its error (`.filename` is the
    folder) given to `on_error`. Raises InputPathError if `root` does not
    exist.
    """
    root_text = os.path.normpath(str(root))
    root_path = Path(root_text)
    if not root_path.exists():
        raise InputPathError(root)
    if root_path.is_file():
        yield CorpusFile(root_path, root_text)
        return
    seen: set[tuple[int, int]] = set()
    # Symlinked folders are followed (archives are often linked in), each
    # real folder once, so a link loop cannot recurse forever.
    walk = os.walk(root_path, onerror=on_error, followlinks=True)
    for dirpath, dirnames, filenames in walk:
        info = Path(dirpath).stat()
        if (info.st_dev, info.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            relative = os.path.relpath(path, root_path)
            if name.startswith(".") or _excluded(name, relative, exclude):
                continue
            yield CorpusFile(path, os.path.normpath(str(path)))


def read_bytes(file: CorpusFile) -> tuple[str, bytes]:
    """Read one file: its SHA-256 content hash and its bytes.

    Raises IngestError (with a one-line reason) if the file cannot be read or
    no reader takes its type.
    """
    suffix, _ = _kind(file.path)
    if suffix not in _READERS:
        raise IngestError(
            f"unsupported file type {suffix or '(none)'!r}", path=file.path
        )
    try:
        size = file.path.stat().st_size
        if size > settings().max_file_bytes:
            raise IngestError(f"file too large ({size} bytes)", path=file.path)
        data = file.path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise IngestError(f"cannot read file: {reason}", path=file.path) from exc
    return hashlib.sha256(data).hexdigest(), data


def parse_bytes(
    file: CorpusFile, data: bytes, options: ReaderOptions | None = None
) -> Iterator[RawDocument | Skip]:
    """Yield a file's RawDocuments (and Skips for bad records).

    Raises IngestError if the whole file is unusable.
    """
    suffix, gzipped = _kind(file.path)
    reader = reader_for(file)
    if reader is None:
        raise IngestError(
            f"unsupported file type {suffix or '(none)'!r}", path=file.path
        )
    if gzipped and suffix not in _SELF_GUNZIPPING:
        data = _gunzip(data, file.path)
    return reader(
        data,
        path=file.path,
        display_path=file.display_path,
        options=options or ReaderOptions(),
    )


def reader_for(file: CorpusFile) -> Reader | None:
    """Return the reader for a file's type, or None if no reader takes it."""
    target = _READERS.get(_kind(file.path)[0])
    if target is None:
        return None
    module, _, function = target.partition(":")
    reader: Reader = getattr(importlib.import_module(module), function)
    return reader


def _kind(path: Path) -> tuple[str, bool]:
    """The type suffix and whether it is gzipped: `a.jsonl.gz` -> .jsonl, True."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) > 1 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def _gunzip(data: bytes, path: Path) -> bytes:
    """Inflate every gzip member, stopping at the size limit (a bomb stops here)."""
    limit = settings().max_inflated_bytes
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=31)  # 31: gzip header and trailer
        try:
            out += inflater.decompress(rest, limit - len(out))
        except zlib.error as exc:
            raise IngestError(f"not a valid gzip file: {exc}", path=path) from exc
        if inflater.unconsumed_tail:
            raise IngestError(f"gzip inflates past {limit} bytes", path=path)
        if not inflater.eof:
            raise IngestError("truncated gzip file", path=path)
        rest = inflater.unused_data
    return bytes(out)


def _excluded(name: str, relative: str, patterns: Sequence[str]) -> bool:
    return any(
        fnmatch.fnmatch(name, p) or fnmatch.fnmatch(relative, p) for p in patterns
    )
