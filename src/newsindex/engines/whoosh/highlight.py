"""Which words of a passage matched the query, as spans a display can emphasise.

The passage is analysed with the field's own analyzer (the stemmer that made
the index terms), so `suspended` is marked for a query on `suspend`.
"""

from __future__ import annotations

from msgspec import Struct
from whoosh import query as wquery
from whoosh.analysis import StemmingAnalyzer

__all__ = ["QueryTerms", "matched_spans"]

_TEXT_FIELDS = frozenset({"text", "title"})
_ANALYZER = StemmingAnalyzer()  # the schema's `text` analyzer (index/schema.py)


class QueryTerms(Struct, frozen=True):
    """The analysed words a query looks for in passage text."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, query: wquery.Query) -> QueryTerms:
        """Collect the text terms and prefixes of a parsed query (not negated ones)."""
        exact: set[str] = set()
        prefixes: list[str] = []
        for node in _positive_leaves(query):
            if isinstance(node, wquery.Prefix) and node.fieldname in _TEXT_FIELDS:
                prefixes.append(str(node.text))
                continue
            for field, text in node.terms(phrases=True):
                if field in _TEXT_FIELDS:
                    exact.add(text.decode() if isinstance(text, bytes) else str(text))
        return cls(frozenset(exact), tuple(prefixes))


def matched_spans(text: str, terms: QueryTerms) -> tuple[tuple[int, int], ...]:
    """Return the character spans of `text` whose analysed form matches `terms`."""
    if not terms.exact and not terms.prefixes:
        return ()
    spans = []
    for token in _ANALYZER(text, chars=True, positions=False, mode="query"):
        stem = token.text
        if stem in terms.exact or any(stem.startswith(p) for p in terms.prefixes):
            spans.append((token.startchar, token.endchar))
    return tuple(spans)


def _positive_leaves(query: wquery.Query) -> list[wquery.Query]:
    if isinstance(query, wquery.Not):
        return []
    if isinstance(query, wquery.AndNot):
        return _positive_leaves(query.a)
    if query.is_leaf():
        return [query]
    return [leaf for child in query.children() for leaf in _positive_leaves(child)]
