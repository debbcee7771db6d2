"""Find the article files under a corpus path and pick a reader for each."""

from __future__ import annotations

import fnmatch
import hashlib
import importlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from msgspec import Struct

from newsindex.errors import IngestError, InputPathError
from newsindex.logs import get_logger
from newsindex.records import RawDocument, Skip
from newsindex.settings import settings
from newsindex.sources.base import Reader, ReaderOptions, StreamReader
from newsindex.sources.inflate import Inflated, check_inflated_size, inflate

__all__ = [
    "CorpusFile",
    "discover",
    "parse_bytes",
    "read_bytes",
    "reader_for",
    "shown_path",
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
# Readers that take an inflated gzip as chunks (StreamReader), never whole.
_STREAMING = frozenset({".json", ".jsonl", ".ndjson"})


_log = get_logger(__name__)


class CorpusFile(Struct, frozen=True):
    """A file found in a corpus: its path on disk and the path records carry.

    `display_path` is always valid UTF-8: bytes of a file name that do not
    decode are shown as `\\xff` escapes (see `shown_path`), so the path can be
    printed, written as JSON and stored in Whoosh and SQLite as it is.
    """

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
    root_shown = shown_path(root_text)
    if not root_path.exists():
        raise InputPathError(root)
    if root_path.is_file():
        yield CorpusFile(root_path, root_shown)
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
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and not _is_index(Path(dirpath) / d)
        )
        for name in sorted(filenames):
            path = Path(dirpath) / name
            relative = os.path.relpath(path, root_path)
            if name.startswith(".") or _excluded(name, relative, exclude):
                continue
            yield CorpusFile(path, shown_path(os.path.normpath(str(path))))


# What makes a folder a newsindex index (index/folder.py's META_NAME): an
# index kept inside the corpus (`newsindex index .`) is not articles.
INDEX_MARKER = "newsindex.json"


def _is_index(folder: Path) -> bool:
    if (folder / INDEX_MARKER).is_file():
        _log.info("not reading index folder %s as part of the corpus", folder)
        return True
    return False


def shown_path(path: str) -> str:
    """A path as text that any encoder takes: undecodable bytes as `\\xNN`.

    Python decodes a file name that is not valid UTF-8 with surrogate escapes
    (`badbytes_\\udcff.txt`, PEP 383), which no UTF-8 encoder accepts: not
    stdout, not json.dumps for a UTF-8 reader, not Whoosh's terms, not
    SQLite. Such a name is shown, stored and searched as `badbytes_\\xff.txt`;
    the file itself is still read through its real path. A valid name is
    returned unchanged.
    """
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name decodes to: \\ud800
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


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

    A gzipped file must inflate to no more than settings().max_inflated_bytes,
    which is checked before any of it is held (sources/inflate.py). Raises
    IngestError if the whole file is unusable.
    """
    suffix, gzipped = _kind(file.path)
    reader = reader_for(file)
    if reader is None:
        raise IngestError(
            f"unsupported file type {suffix or '(none)'!r}", path=file.path
        )
    options = options or ReaderOptions()
    if gzipped and suffix in _STREAMING:
        limit = settings().max_inflated_bytes
        check_inflated_size(data, file.path, limit)  # a bomb stops here, first
        streaming: StreamReader = _function(_READERS[suffix])
        return streaming(
            Inflated(data, file.path, limit),
            path=file.path,
            display_path=file.display_path,
            options=options,
        )
    if gzipped and suffix not in _SELF_GUNZIPPING:
        data = inflate(data, file.path, settings().max_inflated_bytes)
    return reader(data, path=file.path, display_path=file.display_path, options=options)


def reader_for(file: CorpusFile) -> Reader | None:
    """Return the reader for a file's type, or None if no reader takes it."""
    target = _READERS.get(_kind(file.path)[0])
    if target is None:
        return None
    reader: Reader = _function(target)
    return reader


def _function(target: str) -> Any:
    """Import "module:function" and return the function."""
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


def _kind(path: Path) -> tuple[str, bool]:
    """The type suffix and whether it is gzipped: `a.jsonl.gz` -> .jsonl, True."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) > 1 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def _excluded(name: str, relative: str, patterns: Sequence[str]) -> bool:
    return any(
        fnmatch.fnmatch(name, p) or fnmatch.fnmatch(relative, p) for p in patterns
    )
