"""Filter values a Whoosh index has never seen, and the closest it has.

A search with no hits says which filter values no article holds (`outlet
'Finantial Times'`: did you mean Financial Times?), so that a typo is not
mistaken for "nothing was written".
"""

from __future__ import annotations

from typing import Any

from whoosh.searching import Searcher

from newsindex.engines.base import UnknownValue
from newsindex.ingest.outlet import OutletRegistry
from newsindex.query.tree import Filter, Node, leaves

__all__ = ["unknown_values"]

_SUGGESTIONS = 3
_CUTOFF = 70  # rapidfuzz WRatio: "Finantial Times" ~ "Financial Times" is 93


def unknown_values(searcher: Searcher, tree: Node) -> tuple[UnknownValue, ...]:
    """The filters of `tree` whose values no document of the index holds."""
    reader = searcher.reader()
    found: list[UnknownValue] = []
    seen: set[tuple[str, str]] = set()
    for leaf, _ in leaves(tree):
        if not isinstance(leaf, Filter) or (leaf.field, leaf.value) in seen:
            continue
        seen.add((leaf.field, leaf.value))
        if _present(reader, leaf):
            continue
        choices = _choices(reader, leaf.field)
        found.append(
            UnknownValue(leaf.field, leaf.value, _closest(leaf.value, choices))
        )
    return tuple(found)


def _present(reader: Any, leaf: Filter) -> bool:
    field = leaf.field
    if field in ("byline", "place"):
        return bool(leaf.keys) and all(
            reader.doc_frequency(field, key) for key in leaf.keys
        )
    if any(reader.doc_frequency(field, key) for key in leaf.keys):
        return True
    if leaf.surnames:
        ends = tuple(f" {key}" for key in leaf.surnames)
        return any(_text(t).endswith(ends) for t in reader.lexicon(field))
    return False


_WHOLE_NAMES = {"byline": "byline_names", "place": "place_names"}


def _choices(reader: Any, field: str) -> list[str]:
    """The values to suggest from: display names where there are any."""
    if field in _WHOLE_NAMES:
        return sorted({_text(t) for t in reader.lexicon(_WHOLE_NAMES[field])})
    terms = [_text(t) for t in reader.lexicon(field)]
    if field in ("outlet", "cites"):
        registry = OutletRegistry.default()
        names = []
        for key in terms:
            entry = registry.resolve(key)
            names.append(entry.name if entry is not None else key)
        return sorted(set(names))
    return sorted({term.title() for term in terms})


def _closest(value: str, choices: list[str]) -> tuple[str, ...]:
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


def _text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
