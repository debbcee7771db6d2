"""newsindex: full-text search over news archives, answering with passages you can cite.

>>> from newsindex import Index
>>> index = Index.build("raw", "index")
>>> for p in index.search("Lavrov NATO mission", since="2021-10-18"):
...     print(p.outlet, p.published, p.text[:60])
"""

import importlib
from typing import TYPE_CHECKING, Any

from newsindex.errors import (
    ArticleNotFoundError,
    DateParseError,
    DiskFullError,
    IndexCorruptError,
    IndexLockedError,
    IndexMissingError,
    IndexStoreError,
    IngestError,
    InputPathError,
    ModelError,
    NewsindexError,
    QueryError,
    SettingsError,
    UsageError,
)
from newsindex.records import (
    AlsoIn,
    Article,
    Cite,
    Dateline,
    Entity,
    Outlet,
    Passage,
    Published,
    Quote,
    RawDocument,
    Segment,
    Skip,
    Source,
)

__all__ = [  # noqa: RUF022  sorted by str.casefold, like httpx
    "AlsoIn",
    "Article",
    "ArticleNotFoundError",
    "Cite",
    "Dateline",
    "DateParseError",
    "DiskFullError",
    "Entity",
    "Index",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexMissingError",
    "IndexStoreError",
    "IngestError",
    "InputPathError",
    "ModelError",
    "NewsindexError",
    "Outlet",
    "Passage",
    "Published",
    "QueryError",
    "Quote",
    "RawDocument",
    "search",
    "Segment",
    "SettingsError",
    "Skip",
    "Source",
    "UpdateReport",
    "UsageError",
]

if TYPE_CHECKING:
    from newsindex.index.base import Index, UpdateReport
    from newsindex.query.search import search

# Imported on first use, so `newsindex --help` and a search load no more
# than they need (the index and query modules pull in Whoosh).
_LAZY = {
    "Index": "newsindex.index.base",
    "UpdateReport": "newsindex.index.base",
    "search": "newsindex.query.search",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsindex' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
