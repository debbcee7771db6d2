"""Facet counts of a search: how many matching articles per outlet or month."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newsindex.engines.base import FACETS, OutletCount, check_facets

if TYPE_CHECKING:
    from newsindex.index.base import Index

__all__ = ["FACETS", "OutletCount", "facet_counts"]


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

    check_facets(facets)  # before the query is planned: the cheaper mistake first
    plan = plan_search(index, query, **filters)
    return index.engine().run(plan.tree, plan.text).facets(facets)
