"""The closest known values to one a filter named that no article holds.

Shared by the engines: each says whether a filter's value is held and lists
the values its index holds for a field (`display_values`); `unknown_values`
walks the tree and `closest` picks the few nearest by fuzzy match
(`Finantial Times` -> Financial Times).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from newsindex.engines.base import UnknownValue
from newsindex.query.tree import Filter, Node, leaves

__all__ = ["closest", "display_values", "unknown_values"]

_SUGGESTIONS = 3
_CUTOFF = 70  # rapidfuzz WRatio: "Finantial Times" ~ "Financial Times" is 93


def display_values(field: str, stored: Iterable[str]) -> list[str]:
    """The values of a filter field as a reader would type them.

    Outlet and cited keys become the registry's names; entity keys are
    title-cased; whole bylines and places are kept as written.
    """
    if field in ("outlet", "cites"):
        from newsindex.ingest.outlet import OutletRegistry  # only these fields

        registry = OutletRegistry.default()
        names = set()
        for key in stored:
            entry = registry.resolve(key)
            names.add(entry.name if entry is not None else key)
        return sorted(names)
    if field == "entity":
        return sorted({key.title() for key in stored})
    return sorted(set(stored))


def closest(value: str, choices: list[str]) -> tuple[str, ...]:
    """Up to three of `choices` nearest to `value`, nearest first."""
    from rapidfuzz import fuzz, process, utils

    found = process.extract(
        value,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=_SUGGESTIONS,
        score_cutoff=_CUTOFF,
    )
    return tuple(choice for choice, _, _ in found)


def unknown_values(
    tree: Node,
    present: Callable[[Filter], bool],
    choices: Callable[[str], list[str]],
) -> tuple[UnknownValue, ...]:
    """The filters of `tree` whose values no article holds, each once.

    `present(filter)`: whether some article holds the value; `choices(field)`:
    the values of that field to suggest from (`display_values`).
    """
    found: list[UnknownValue] = []
    seen: set[tuple[str, str]] = set()
    for leaf, _ in leaves(tree):
        if not isinstance(leaf, Filter) or (leaf.field, leaf.value) in seen:
            continue
        seen.add((leaf.field, leaf.value))
        if not present(leaf):
            suggested = closest(leaf.value, choices(leaf.field))
            found.append(UnknownValue(leaf.field, leaf.value, suggested))
    return tuple(found)
