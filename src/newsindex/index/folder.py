"""What makes a folder a newsindex index, and how its read and write errors read.

A folder is an index once `newsindex.json` is renamed into it, the last step
of `Index.create` (docs/commit-protocol.md); what a killed creation leaves
before that is no index, and is created again. `reading` and `writing` turn
the errors of a damaged file and of a full disk into ours, one line each.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import pickle
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import whoosh.index as windex

from newsindex.errors import DiskFullError, IndexCorruptError, IndexStoreError
from newsindex.index.durable import fsync_dir
from newsindex.index.lock import LOCK_NAME
from newsindex.index.schema import SCHEMA_VERSION

# What reading a truncated, damaged or missing Whoosh file raises (and only
# that): a short pickle or struct, a missing file, bad zlib, Whoosh's own
# "Number misread" of a TOC. A permission error is not damage: the caller
# lets it through.
DAMAGE = (
    EOFError,
    FileNotFoundError,
    pickle.UnpicklingError,
    struct.error,
    zlib.error,
    windex.IndexError,
)

__all__ = [
    "DAMAGE",
    "META_NAME",
    "check_meta",
    "has_index",
    "reading",
    "write_meta",
    "writing",
]

META_NAME = "newsindex.json"


def has_index(path: Path) -> bool:
    """Is `path` an index (or something that is not one, `open` says which)?

    Not windex.exists_in(): it opens the index and raises on a corrupt one.
    """
    if not path.is_dir():
        return False
    if (path / META_NAME).exists():
        return True
    # No newsindex.json: a folder a killed `create` left, or another program's
    # Whoosh index, which `open` refuses.
    return not _half_created(path) and any(path.glob("_MAIN_*.toc"))


def _half_created(path: Path) -> bool:
    """Holds only what `create` writes before `newsindex.json`: an empty index."""
    left = {LOCK_NAME, "MAIN_WRITELOCK", "_MAIN_0.toc", f"{META_NAME}.tmp"}
    return all(
        p.name in left or p.name.startswith("_MAIN_0.toc.") for p in path.iterdir()
    )


def write_meta(path: Path) -> None:
    """Write newsindex.json: temporary file, fsync, rename, fsync the folder."""
    temporary = path / f"{META_NAME}.tmp"
    with temporary.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"schema": SCHEMA_VERSION}) + "\n")
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(path / META_NAME)
    fsync_dir(path)


def check_meta(path: Path) -> None:
    meta_path = path / META_NAME
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexStoreError(
            f"index at {str(path)!r} has no readable {META_NAME}: not a newsindex index"
        ) from exc
    if meta.get("schema") != SCHEMA_VERSION:
        raise IndexStoreError(
            f"index at {str(path)!r} has schema {meta.get('schema')!r}, "
            f"this newsindex reads {SCHEMA_VERSION}: rebuild it"
        )


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Report a write that failed for want of space as DiskFullError.

    The failed commit never reached its TOC rename (or its archive
    transaction rolled back), so the last commit is whole.
    """
    try:
        yield
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise DiskFullError(path) from exc


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Report a missing, truncated or damaged index file as IndexCorruptError.

    Only what such a file raises (DAMAGE) is caught; any other error
    is a bug and keeps its traceback. Whoosh reads the TOC when an index is
    opened and every segment's directory when a searcher is.
    """
    try:
        yield
    except DAMAGE as exc:
        from newsindex.index.verify import describe_damage  # what is damaged

        raise IndexCorruptError(path, describe_damage(path, exc)) from exc
    except PermissionError as exc:
        raise IndexStoreError(
            f"cannot read index at {str(path)!r}: {exc.strerror}"
        ) from exc
