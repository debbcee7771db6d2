"""What a search returns besides its passages: the total, and why it is empty.

A search with no hits says which filter values the index has never seen,
with the closest values it has (`outlet 'Finantial Times'`: did you mean
Financial Times?), so a typo is not mistaken for "nothing was written".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whoosh.searching import Searcher

from newsindex.ingest.outlet import OutletRegistry
from newsindex.query.tree import Filter, Node, leaves
from newsindex.records import Passage

if TYPE_CHECKING:
    from newsindex.query.plan import Plan

__all__ = ["SearchResults", "UnknownValue", "unknown_values"]

_SUGGESTIONS = 3
_CUTOFF = 70  # rapidfuzz WRatio: "Finantial Times" ~ "Financial Times" is 93


@dataclass(frozen=True, slots=True)
class UnknownValue:
    """A filter value no article in the index has, and the nearest ones it has."""

    field: str
    value: str
    suggestions: tuple[str, ...]

    def describe(self) -> str:
        """`outlet 'X' is not in the index (did you mean: A, B?)`, on one line."""
        text = f"{self.field} {self.value!r} is not in the index"
        if self.suggestions:
            text += f" (did you mean: {', '.join(self.suggestions)}?)"
        return text


class SearchResults(list[Passage]):
    """The passages of one search, best first, and what else it found.

    `total`: how many articles match (all of them, not only those shown),
    counted when first asked. `unknown`: when no passage matched, the filter
    values the index has never seen.
    """

    def __init__(
        self,
        passages: Iterable[Passage],
        *,
        plan: Plan,
        count: Callable[[], int],
        unknown: tuple[UnknownValue, ...] = (),
        offset: int = 0,
    ) -> None:
        super().__init__(passages)
        self.plan = plan
        self.unknown = unknown
        self.offset = offset
        self._count = count
        self._total: int | None = None

    @property
    def total(self) -> int:
        """How many articles have a passage that matches."""
        if self._total is None:
            self._total = self._count()
        return self._total

    def describe_empty(self) -> str:
        """The one line to show when nothing matched (or nothing past `offset`)."""
        if self.offset and self.total:
            noun = "article matches" if self.total == 1 else "articles match"
            return (
                f"no results past offset {self.offset}: {self.total} {noun} "
                f"{self.plan.text!r}"
            )
        why = "; ".join(value.describe() for value in self.unknown)
        return f"no passages match {self.plan.text!r}" + (f" ({why})" if why else "")


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
