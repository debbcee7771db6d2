"""A Whoosh file storage whose commits survive a crash or a power cut.

Whoosh commits by writing a new table of contents to a temporary file and
renaming it into place, but it never calls fsync: after a power cut the new
TOC could name segment files whose bytes never reached the disk. Here the
rename of a TOC is the commit point, done as write, fsync, rename, fsync:
every file the TOC may name is flushed first, then the TOC itself, then the
rename, then the directory entry.

The fault points (`newsindex.faults`) named `segment:*` and `toc:*` are
here, where Whoosh creates files and renames its TOC.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import TOC, clean_files

from newsindex.faults import fault_point
from newsindex.index import whoosh_fixes

__all__ = ["DurableStorage", "fsync_dir", "remove_leftovers"]

whoosh_fixes.install()  # before any index file is read

_SEGMENT_FILE = re.compile(r"MAIN_[a-z0-9]+\.")  # MAIN_s3tunkny9s4im50f.seg


class DurableStorage(FileStorage):  # type: ignore[misc]  # whoosh is untyped
    """FileStorage that fsyncs segments and the TOC before the commit rename."""

    _writing_segment = False  # a file of a new segment exists since the last TOC

    def create_file(self, name: str, *args: object, **kwargs: object) -> object:
        """Create a file; the first of a segment and a TOC are fault points."""
        if ".toc." in name:  # the TOC's temporary file: the segment is written
            fault_point("segment:after")
        elif not self._writing_segment and _SEGMENT_FILE.match(name):
            fault_point("segment:before")
            self._writing_segment = True
        return super().create_file(name, *args, **kwargs)

    def open_file(self, name: str, *args: object, **kwargs: object) -> object:
        """Open a file; a TOC is read whole, so a damaged one leaves nothing open."""
        if not name.endswith(".toc"):
            return super().open_file(name, *args, **kwargs)
        data = Path(self._fpath(name)).read_bytes()  # a few kilobytes
        return BufferFile(data, name=name)

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        """Rename a file; when it is a TOC, make everything durable around it."""
        if not newname.endswith(".toc"):
            super().rename_file(oldname, newname, safe=safe)
            return
        folder = Path(self.folder)
        for path in folder.iterdir():
            if path.is_file() and not path.name.endswith(".lock"):
                _fsync_file(path)
        fault_point("toc:before")
        super().rename_file(oldname, newname, safe=safe)
        fsync_dir(folder)
        self._writing_segment = False
        fault_point("toc:after")
        # A TOC temporary left by a commit that died before its rename names
        # nothing; Whoosh's clean_files does not match it (`.toc` must end the
        # name). The writer holds the lock: no other commit is under way.
        for leftover in folder.glob("_MAIN_*.toc.*"):
            leftover.unlink(missing_ok=True)


def remove_leftovers(folder: Path) -> None:
    """Delete what a writer killed mid-commit left (call with the lock held).

    Whoosh deletes old TOCs and merged segments, and its writer's temporary
    folder `MAIN.tmp`, after the TOC rename; a writer killed in between
    leaves them, and a next run with nothing to commit would keep them.
    """
    import shutil  # here: shutil loads bz2 and lzma, which no search needs

    storage = DurableStorage(str(folder))
    toc = TOC.read(storage, "MAIN")
    clean_files(storage, "MAIN", toc.generation, toc.segments)
    shutil.rmtree(folder / "MAIN.tmp", ignore_errors=True)
    for leftover in folder.glob("_MAIN_*.toc.*"):
        leftover.unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:  # a merge removed it meanwhile
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (a rename in it) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
