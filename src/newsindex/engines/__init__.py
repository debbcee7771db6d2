"""Search engines behind one interface (`base.py`): the only code that knows one.

The query layer hands an engine newsindex's own query tree
(`newsindex.query.tree`) and gets back passages with their provenance,
article counts, facet counts and the filter values it has never seen.
`whoosh/` is the embedded engine; `opensearch/` runs the same trees on an
OpenSearch cluster. Nothing above this package imports an engine's library;
`tests/test_layers.py` walks the imports to keep it so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsindex.errors import UsageError

if TYPE_CHECKING:
    from newsindex.index.base import Index, Location

__all__ = ["check_index", "index_class"]


def index_class(location: Location) -> type[Index]:
    """The engine's Index class for `location`: a URL is OpenSearch, a folder Whoosh."""
    from newsindex.index.base import is_url

    if is_url(location):
        from newsindex.engines.opensearch.index import OpenSearchIndex

        return OpenSearchIndex
    import newsindex.engines.whoosh  # noqa: F401  Whoosh imported light, first
    from newsindex.index.store import WhooshIndex

    return WhooshIndex


def check_index(
    location: Location, *, repair: bool = False
) -> tuple[int, list[str], str]:
    """`newsindex verify`: (problems left, lines, summary) for an index folder.

    UsageError for an index on OpenSearch, whose cluster checks its own
    documents (and whose commits are per document, see the README).
    """
    from newsindex.index.base import is_url

    if is_url(location):
        raise UsageError(
            f"verify checks an index folder; {str(location)!r} is on OpenSearch, "
            "which checks its own documents"
        )
    from pathlib import Path

    import newsindex.engines.whoosh  # noqa: F401  Whoosh imported light, first
    from newsindex.index.verify import check_index as check_folder

    return check_folder(Path(location), repair=repair)
