"""Filter values a Whoosh index has never seen, and the closest it has.

A search with no hits says which filter values no article holds (`outlet
'Finantial Times'`: did you mean Financial Times?), so that a typo is not
mistaken for "nothing was written".
"""

from __future__ import annotations

from typing import Any

from whoosh.searching import Searcher

from newsindex.engines import suggest
from newsindex.engines.base import UnknownValue
from newsindex.engines.suggest import display_values
from newsindex.query.tree import Filter, Node

__all__ = ["unknown_values"]


def unknown_values(searcher: Searcher, tree: Node) -> tuple[UnknownValue, ...]:
    """The filters of `tree` whose values no document of the index holds."""
    reader = searcher.reader()
    return suggest.unknown_values(
        tree,
        lambda leaf: _present(reader, leaf),
        lambda field: _choices(reader, field),
    )


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
    lexicon = reader.lexicon(_WHOLE_NAMES.get(field, field))
    return display_values(field, (_text(t) for t in lexicon))


def _text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
