"""A Whoosh file storage whose commits survive a crash or a power cut.

Whoosh commits by writing a new table of contents to a temporary file and
renaming it into place, but it never calls fsync: after a power cut the new
TOC could name segment files whose bytes never reached the disk. Here the
rename of a TOC is the commit point, done as write, fsync, rename, fsync:
every file the TOC may name is flushed first, then the TOC itself, then the
rename, then the directory entry.
"""

from __future__ import annotations

import os
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

__all__ = ["DurableStorage"]


class DurableStorage(FileStorage):  # type: ignore[misc]  # whoosh is untyped
    """FileStorage that fsyncs segments and the TOC before the commit rename."""

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        """Rename a file; when it is a TOC, make everything durable around it."""
        if not newname.endswith(".toc"):
            super().rename_file(oldname, newname, safe=safe)
            return
        folder = Path(self.folder)
        for path in folder.iterdir():
            if path.is_file() and not path.name.endswith(".lock"):
                _fsync_file(path)
        super().rename_file(oldname, newname, safe=safe)
        _fsync_dir(folder)


def _fsync_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:  # a merge removed it meanwhile
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
