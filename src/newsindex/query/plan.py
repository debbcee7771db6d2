"""A search's whole query tree: the user's query and the options, joined by AND.

`--outlet` and `--entity` become Filter nodes and `--since`/`--until` a
DateRange, beside the parsed query, so that one tree says everything a
search selects and every engine, facet count and `--explain` reads the same.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from msgspec import Struct

from newsindex.errors import UsageError
from newsindex.query.parse import Expansions, filter_node, parse_query
from newsindex.query.tree import And, DateRange, Node

if TYPE_CHECKING:
    from newsindex.index.base import Index

__all__ = ["DateBound", "Plan", "bound", "expansions", "joined", "plan_search"]

DateBound = str | date | datetime | None


class Plan(Struct, frozen=True):
    """What one search selects: the tree, and the text it was typed as."""

    text: str
    tree: Node
    include_undated: bool = False


def plan_search(
    index: Index,
    query: str,
    *,
    since: DateBound = None,
    until: DateBound = None,
    outlet: str | None = None,
    entity: str | None = None,
    include_undated: bool = False,
    by_original_date: bool = False,
    now: datetime | None = None,
) -> Plan:
    """Parse `query` and join the options to it; raise QueryError, DateParseError,
    or UsageError when `since` is after `until`.

    With `by_original_date` the dates stay out of the tree: they apply to a
    republished copy's original date, which search() checks on the hits.
    """
    names = expansions(index)
    tree = parse_query(query, names)
    extra: list[Node] = []
    for field, value in (("outlet", outlet), ("entity", entity)):
        if value is None:
            continue
        if not value.strip():
            raise UsageError(f"empty --{field}: give a name")
        extra.append(filter_node(field, value, names))  # type: ignore[arg-type]
    clock = now or datetime.now(UTC)
    start, stop = bound(since, clock, end=False), bound(until, clock, end=True)
    if start is not None and stop is not None and start > stop:
        raise UsageError(
            f"--since {_typed(since)} is after --until {_typed(until)}: "
            "no date is in that window"
        )
    if (start or stop) and not by_original_date:
        extra.append(DateRange(start, stop, undated=include_undated))
    return Plan(query, joined(tree, extra), include_undated)


def joined(tree: Node, extra: list[Node]) -> Node:
    """`tree` AND each of `extra` (filters), as one And node."""
    if not extra:
        return tree
    if isinstance(tree, And):
        return And((*tree.children, *extra), tree.optional)
    return And((tree, *extra))


def expansions(index: Index) -> Expansions:
    """What names in a query or filter of `index` expand through."""
    # The archive is opened only if the query names an entity or a person.
    return Expansions(
        aliases=lambda name: index.archive().entity_keys(name),
        spellings=lambda name: index.archive().spellings(name),
    )


def bound(value: DateBound, now: datetime, *, end: bool) -> datetime | None:
    """A since/until value as an aware UTC instant: a day's first or last."""
    if value is None:
        return None
    if isinstance(value, str):
        from newsindex.dates import parse_user_date  # dateutil: only for a date

        return parse_user_date(value, now=now, end=end)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC)
    return datetime.combine(value, time.max if end else time.min, tzinfo=UTC)


def _typed(value: DateBound) -> str:
    return repr(value) if isinstance(value, str) else repr(str(value))
