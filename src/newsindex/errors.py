"""Errors raised by newsindex. The CLI prints `error: <message>`, exits `exit_code`.

NewsindexError (1) ─┬─ IngestError (1)      a file could not become an Article
                    ├─ ModelError (1)       the NER model is missing or broken
                    ├─ SearchTimeoutError (1) a search ran past its time budget
                    ├─ IndexStoreError (1) ─┬─ IndexLockedError     another writer
                    │                       ├─ IndexCorruptError    a damaged file
                    │                       ├─ DiskFullError        no space left
                    │                       ├─ IndexMissingError    no index there
                    │                       └─ ArticleNotFoundError (2) no such id
                    ├─ UsageError (2) ──────┬─ DateParseError   unreadable date
                    │                       ├─ QueryError       malformed query
                    │                       ├─ InputPathError   no such path
                    │                       └─ SettingsError    bad NEWSINDEX_* value

Messages are one line and quote the input with `!r`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

__all__ = [
    "ArchiveBehindWarning",
    "ArticleNotFoundError",
    "DateParseError",
    "DiskFullError",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexMissingError",
    "IndexStoreError",
    "IngestError",
    "InputPathError",
    "ModelError",
    "NewsindexError",
    "NewsindexWarning",
    "QueryError",
    "SearchTimeoutError",
    "SettingsError",
    "UsageError",
]


class NewsindexError(Exception):
    """Base class: `except NewsindexError` catches everything newsindex raises."""

    exit_code: ClassVar[int] = 1


class IngestError(NewsindexError):
    """A source file could not be turned into an Article."""

    def __init__(self, message: str, *, path: Path | str) -> None:
        super().__init__(message)
        self.path = Path(path)


class ModelError(NewsindexError):
    """The named-entity model could not be found or loaded."""


class SearchTimeoutError(NewsindexError):
    """A search ran longer than its time budget (NEWSINDEX_SEARCH_SECONDS)."""

    def __init__(self, query: str, seconds: float) -> None:
        super().__init__(
            f"search stopped after {seconds:g} s (NEWSINDEX_SEARCH_SECONDS): "
            f"{query!r} matches too much; narrow it"
        )
        self.query = query


class IndexStoreError(NewsindexError):
    """The index is missing, corrupt, locked or could not be written."""


class IndexLockedError(IndexStoreError):
    """Another newsindex process is writing to this index."""

    def __init__(self, path: Path | str, pid: int | None) -> None:
        who = f"pid {pid}" if pid is not None else "pid unknown"
        super().__init__(
            f"index is locked by another newsindex process ({who}): {str(path)!r}"
        )
        self.path = Path(path)
        self.pid = pid


class IndexCorruptError(IndexStoreError):
    """A file of the index is missing, truncated or damaged."""

    def __init__(self, path: Path | str, what: str) -> None:
        super().__init__(
            f"index at {str(path)!r} is corrupt: {what} "
            f"(run: newsindex verify --index {str(path)!r})"
        )
        self.path = Path(path)


class DiskFullError(IndexStoreError):
    """A write to the index failed for want of space; the last commit is whole."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            f"no space left on device writing the index at {str(path)!r}: "
            "its last commit is kept (free some space and run again)"
        )
        self.path = Path(path)


class IndexMissingError(IndexStoreError):
    """There is no index at the path given."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(f"no index at {str(path)!r}")
        self.path = Path(path)


class ArticleNotFoundError(IndexStoreError):
    """No article with this id (or file with this path) is in the index.

    Exit code 2: the id or path is what the user typed.
    """

    exit_code: ClassVar[int] = 2

    def __init__(self, article_id: str, message: str | None = None) -> None:
        super().__init__(message or f"no article with id {article_id!r}")
        self.article_id = article_id


class UsageError(NewsindexError):
    """What the user typed cannot be used (exit code 2)."""

    exit_code: ClassVar[int] = 2


class DateParseError(UsageError):
    """Date text the user gave matched no known form."""

    def __init__(self, message: str, *, text: str) -> None:
        super().__init__(message)
        self.text = text


class QueryError(UsageError):
    """A malformed query: unbalanced quotes or brackets, unknown field, empty."""

    def __init__(self, message: str, *, query: str) -> None:
        super().__init__(message)
        self.query = query


class InputPathError(UsageError):
    """A path named on the command line does not exist or cannot be read."""

    def __init__(
        self, path: Path | str, reason: str = "no such file or directory"
    ) -> None:
        super().__init__(f"{reason}: {str(path)!r}")
        self.path = Path(path)


class SettingsError(UsageError):
    """A NEWSINDEX_* environment variable holds a value its setting cannot take."""

    def __init__(self, message: str, *, name: str) -> None:
        super().__init__(message)
        self.name = name


class NewsindexWarning(UserWarning):
    """Base class of what newsindex warns about; the CLI shows `warning: <text>`."""


class ArchiveBehindWarning(NewsindexWarning):
    """The archive (entities, quotes, copies) trails the index's last commit."""

    def __init__(self, index_dir: Path | str) -> None:
        super().__init__(
            f"the archive of {str(index_dir)!r} is behind its index (a run "
            "stopped between commits): entities, quotes and copies answer from "
            "what it holds until the next `newsindex index`"
        )
