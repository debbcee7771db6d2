"""The entity facet of a search: the people, organisations and places most of
the matching articles name, each counted as its entity filter counts.

Candidates come from the archive's alias table (unified entities, most
articles first) over the matching articles. Each is counted as the search
with `entity=<its name>` counts: the filter node plan_search makes of that
name, matched against the matching articles' stored keys in the archive
(one SQL query; the index stores the same keys). When there are too many
matching passages to read every article id, the engine counts instead
(exact, but each entity filter costs a scan of the entity terms). Two
candidates whose filters are the same (`Trump` the person and `Trump` the
organisation) are one entry. A search has one entity filter, so the facet
is counted without it: choosing another entity replaces it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from newsindex.query.parse import filter_node
from newsindex.query.plan import DateBound, expansions, joined, plan_search
from newsindex.records import EntityType

if TYPE_CHECKING:
    from newsindex.index.base import Index

__all__ = ["MAX_PASSAGES", "EntityCount", "entity_facet"]

# The matching articles are read from the best passages up to this many (as
# Index.entities does): past it, candidates come from the best-ranked ones
# and the engine counts them.
MAX_PASSAGES = 10_000


class EntityCount(Struct, frozen=True):
    """One entity of the facet: the name its filter takes, and its articles."""

    name: str
    type: EntityType
    count: int


def entity_facet(
    index: Index,
    query: str,
    *,
    limit: int = 10,
    since: DateBound = None,
    until: DateBound = None,
    outlet: str | None = None,
    include_undated: bool = False,
    now: datetime | None = None,
) -> list[EntityCount]:
    """The top `limit` entities of the articles matching `query` and the
    filters (as search() reads them), most articles first, then by name.

    There is no entity filter here: an entity's count is the total of the
    search with `entity=<its name>`, the filter its link sets. Raises what
    search() raises for bad input.
    """
    if limit < 1:
        raise ValueError(f"need limit >= 1: {limit!r}")
    filters: dict[str, Any] = {
        "since": since, "until": until, "outlet": outlet,
        "include_undated": include_undated, "now": now or datetime.now(UTC),
    }  # fmt: skip
    plan = plan_search(index, query, **filters)
    hits = index.engine().run(plan.tree, plan.text).fetch(MAX_PASSAGES, "relevance")
    ids = {hit.article_id for hit in hits}
    if not ids:
        return []
    every_id = len(hits) < MAX_PASSAGES
    archive, names = index.archive(), expansions(index)
    seen: set[tuple[str, ...]] = set()
    found = []
    for candidate in archive.entities(article_ids=ids, limit=2 * limit):
        # The node plan_search makes of `entity=<name>`.
        node = filter_node("entity", candidate.name, names)
        if node.keys in seen:
            continue
        seen.add(node.keys)
        if every_id:
            count = archive.articles_naming(
                node.keys, surnames=node.surnames, article_ids=ids
            )
        else:
            run = index.engine().run(joined(plan.tree, [node]), plan.text)
            count = run.count_articles()
        found.append(EntityCount(candidate.name, candidate.type, count))
    found.sort(key=lambda e: (-e.count, e.name.casefold()))
    return found[:limit]
