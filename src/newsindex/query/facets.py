"""Counts read straight from the index: outlets and their dates, query facets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from whoosh import query as wquery
from whoosh.reading import IndexReader
from whoosh.util.times import long_to_datetime

from newsindex.ingest.outlet import OutletRegistry

if TYPE_CHECKING:
    from newsindex.index.store import Index

__all__ = [
    "FACETS",
    "NO_DATE",
    "OutletCount",
    "display_name",
    "facet_counts",
    "list_outlets",
]

# Whoosh's numeric column holds this for a document without the field.
NO_DATE = 2**64 - 1


@dataclass(frozen=True, slots=True)
class OutletCount:
    """How many articles one outlet has in the index, and over which dates."""

    name: str
    articles: int
    first: datetime | None  # UTC, naive, as stored; None if no article is dated
    last: datetime | None

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form: dates as ISO 8601 days."""
        return {
            "name": self.name,
            "articles": self.articles,
            "first": self.first.date().isoformat() if self.first else None,
            "last": self.last.date().isoformat() if self.last else None,
        }


def list_outlets(index: Index) -> list[OutletCount]:
    """Return every outlet with its article count, most articles first.

    Reads postings and the `published` column only: no article is unpickled
    except one per outlet that is not in the registry, for its display name.
    """
    searcher = index.searcher()
    reader = searcher.reader()
    articles = set(searcher.docs_for_query(wquery.Term("kind", "article")))
    column = (
        reader.column_reader("published", translate=False)
        if reader.has_column("published")
        else None
    )
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


def facet_counts(
    index: Index,
    query: str,
    facets: Sequence[str],
    **filters: Any,
) -> dict[str, list[tuple[str, int]]]:
    """Count the articles matching `query` per outlet and/or per month.

    `filters` are search()'s (since, until, outlet, entity, include_undated,
    now). Counts are of articles, not passages: an article with five
    matching passages counts once. Outlets come most articles first, months
    in date order; `undated` and `unknown` name the articles without one.
    """
    from newsindex.query.plan import plan_search
    from newsindex.query.search import compile_plan
    from newsindex.query.window import date_window

    unknown = sorted(set(facets) - set(FACETS))
    if unknown:
        raise ValueError(f"no facet named {unknown[0]!r} (facets: {', '.join(FACETS)})")
    plan = plan_search(index, query, **filters)
    searcher, compiled = compile_plan(index, plan)
    import numpy as np  # deferred with the table: a plain search needs neither

    from newsindex.query.facet_table import facet_table

    table = facet_table(searcher)
    docs = searcher.docs_for_query(compiled.query)
    if compiled.window is not None:
        allowed = date_window(compiled.window).docs(searcher)
        docs = (doc for doc in docs if doc in allowed)
    found = np.fromiter(docs, dtype=np.int64)
    out: dict[str, list[tuple[str, int]]] = {}
    for facet in facets:
        counted = table.count(facet, found)
        if facet == "month":
            counted.sort(key=lambda item: (item[0] == "undated", item[0]))
        else:
            counted.sort(key=lambda item: (-item[1], item[0].casefold()))
        out[facet] = counted
    return out


FACETS = ("month", "outlet")
