"""Outlets read straight from a Whoosh index: counts, dates, display names."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from whoosh import query as wquery
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from newsindex.engines.base import OutletCount

if TYPE_CHECKING:
    from newsindex.ingest.outlet import OutletRegistry

__all__ = ["NO_DATE", "display_name", "list_outlets"]

# Whoosh's numeric column holds this for a document without the field.
NO_DATE = 2**64 - 1


def list_outlets(searcher: Searcher) -> list[OutletCount]:
    """Return every outlet with its article count, most articles first.

    Reads postings and the `published` column only: no article is unpickled
    except one per outlet that is not in the registry, for its display name.
    """
    reader = searcher.reader()
    articles = set(searcher.docs_for_query(wquery.Term("kind", "article")))
    column = (
        reader.column_reader("published", translate=False)
        if reader.has_column("published")
        else None
    )
    from newsindex.ingest.outlet import OutletRegistry

    registry = OutletRegistry.default()
    counts: list[OutletCount] = []
    for term in reader.lexicon("outlet"):
        key = term.decode("utf-8")
        docs = [d for d in reader.postings("outlet", term).all_ids() if d in articles]
        if not docs:
            continue
        raw = [column[d] for d in docs] if column is not None else []
        dates = [long_to_datetime(v) for v in raw if v != NO_DATE]
        counts.append(
            OutletCount(
                name=display_name(key, docs[0], registry, reader),
                articles=len(docs),
                first=min(dates) if dates else None,
                last=max(dates) if dates else None,
            )
        )
    return sorted(counts, key=lambda c: (-c.articles, c.name.casefold()))


def display_name(
    key: str, docnum: int, registry: OutletRegistry, reader: IndexReader
) -> str:
    """An outlet key's name: the registry's, else as document `docnum` wrote it.

    The document is an article's (its payload) or a passage's (its provenance).
    """
    if not key:
        return "unknown"
    entry = registry.resolve(key)
    if entry is not None:
        return entry.name
    fields = reader.stored_fields(docnum)
    if fields.get("payload"):
        outlet = json.loads(fields["payload"]).get("outlet")
        name = outlet["name"] if outlet else None
    else:
        provenance = fields.get("provenance")
        name = json.loads(provenance).get("outlet") if provenance else None
    return str(name or key)
