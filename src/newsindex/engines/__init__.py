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

if TYPE_CHECKING:
    from newsindex.index.base import Index, Location

__all__ = ["index_class"]


def index_class(location: Location) -> type[Index]:
    """The engine's Index class for `location`: a URL is OpenSearch, a folder Whoosh."""
    from newsindex.index.base import is_url

    if is_url(location):
        from newsindex.engines.opensearch.index import OpenSearchIndex

        return OpenSearchIndex
    from newsindex.index.store import WhooshIndex

    return WhooshIndex
