"""newsindex: full-text search over news archives, answering with passages you can cite.

>>> from newsindex import Index
>>> index = Index.build("raw", "index")
>>> for p in index.search("Lavrov NATO mission", since="2021-10-18"):
...     print(p.outlet, p.published, p.text[:60])
"""

import logging

from newsindex.errors import (
    ArticleNotFoundError,
    DateParseError,
    IndexLockedError,
    IndexMissingError,
    IndexStoreError,
    IngestError,
    InputPathError,
    ModelError,
    NewsindexError,
    QueryError,
    UsageError,
)
from newsindex.index.store import Index, UpdateReport
from newsindex.query.search import search
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
    "Entity",
    "Index",
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
    "Skip",
    "Source",
    "UpdateReport",
    "UsageError",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
