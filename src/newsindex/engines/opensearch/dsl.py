"""The query tree -> OpenSearch query DSL, over article documents.

The tree means set algebra over articles (`newsindex.query.tree`), and an
OpenSearch document here is an article, its passages nested: a word leaf is
a `nested` query (some passage has the word), a filter a keyword query on
the article, And/Or/Not a `bool`'s filter/should/must_not. So `NATO NOT
regret` leaves out an article that says "regret" in any passage, with no
set algebra on the client. The whole selection runs in filter context and
adds nothing to a score.

The score is apart: one `nested` clause over the OR of the tree's positive
text leaves (not under a Not), `score_mode: max`, so an article scores as
its best passage, and its `inner_hits` are the passages shown. An article
that only filters select has no such passage: it scores 0, as in Whoosh.

Differences from the Whoosh translation, each on purpose:
- the passages shown rank by every positive word: for `+regret dialogue`
  a passage with only "dialogue" can be an article's best, where Whoosh
  shows passages with "regret" (its AndMaybe); the articles are the same;
- a phrase with slop (`"a b"~3`) is an in-order `span_near`: Lucene's
  sloppy `match_phrase` also matches the words reversed, Whoosh does not;
- a word pattern is bounded, not refused: `rewrite: top_terms_boost_N`
  keeps the N = `max_expansion` most frequent words it matches, each
  scoring its boost, as Whoosh's constant-score Prefix does. Whoosh counts
  a pattern's words in its lexicon first and refuses past N; a cluster
  could list them too (`_validate/query?rewrite=true` with a
  `scoring_boolean` rewrite, up to its clause limit), but osmem-server
  0.1.6 answers that with the pattern unexpanded, so it could not be
  tested here. A pattern of only `*` is refused by the parser first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from msgspec import Struct

from newsindex.engines.opensearch.documents import utc_millis
from newsindex.errors import QueryError
from newsindex.query.tree import (
    DateRange,
    Filter,
    Node,
    Not,
    Or,
    Phrase,
    TextField,
    Wildcard,
    Word,
    leaves,
    pruned,
    selects,
)

__all__ = ["Compiled", "QueryWords", "Token", "Translator"]

Query = dict[str, Any]

_TITLE_BOOST = 1.5  # the Whoosh schema's field_boost on title
_FIELDS: dict[TextField, tuple[tuple[str, float], ...]] = {
    "any": (("passages.text", 1.0), ("passages.title", _TITLE_BOOST)),
    "text": (("passages.text", 1.0),),
    "title": (("passages.title", _TITLE_BOOST),),
}
_MATCH_NONE: Query = {"match_none": {}}


class Token(Struct, frozen=True):
    """One word as the index analyser makes it: the term, its position and span."""

    term: str
    position: int
    start: int
    end: int


Analyse = Callable[[str], Sequence[Token]]


class QueryWords(Struct, frozen=True):
    """The analysed words and patterns a query looks for, to mark in passages."""

    exact: frozenset[str]
    patterns: tuple[str, ...]  # lowercase, `*` and `?` as typed

    def matches(self, term: str) -> bool:
        """Whether an analysed word of a passage is one the query looks for."""
        return term in self.exact or any(
            _pattern_regex(p).fullmatch(term) for p in self.patterns
        )


class Compiled(Struct, frozen=True):
    """A tree as OpenSearch runs it.

    `selection`: the articles, in filter context. `ranking`: the passage
    queries of the positive text leaves, OR-ed inside one nested clause
    (empty when only filters select). `words`: what to mark in passages.
    """

    selection: Query
    ranking: tuple[Query, ...]
    words: QueryWords


class Translator:
    """Translate a tree with the index's own analyser (`_analyze` on its field).

    `analyse` tokenizes text as the passage text is indexed; words it drops
    (`the`) are left out of a tree, as the Whoosh translation does. One
    Translator per search: it keeps each text's analysis while it compiles.
    """

    def __init__(self, analyse: Analyse, *, max_expansion: int) -> None:
        self._analyse = analyse
        self._max_expansion = max_expansion
        self._cache: dict[str, Sequence[Token]] = {}

    def compile(self, tree: Node, text: str = "") -> Compiled:
        """The selection and ranking of `tree`; QueryError quoting `text` if the
        tree is left with nothing to search for."""
        pruned = self._prune(tree)
        if pruned is None or not selects(pruned):
            raise QueryError(f"no searchable words in query: {text!r}", query=text)
        ranked: list[Query] = []
        exact: set[str] = set()
        patterns: list[str] = []
        for leaf, positive in leaves(pruned):
            if not positive or not isinstance(leaf, Word | Phrase | Wildcard):
                continue
            query = self._passages(leaf)
            if query not in ranked:
                ranked.append(query)
            if isinstance(leaf, Wildcard):
                patterns.append(leaf.pattern.lower())
            else:
                exact.update(t.term for t in self._tokens(leaf.text))
        return Compiled(
            selection=self._select(pruned),
            ranking=tuple(ranked),
            words=QueryWords(frozenset(exact), tuple(dict.fromkeys(patterns))),
        )

    # -- pruning ---------------------------------------------------------------

    def _tokens(self, text: str) -> Sequence[Token]:
        if text not in self._cache:
            self._cache[text] = self._analyse(text)
        return self._cache[text]

    def _prune(self, node: Node) -> Node | None:
        """The tree without the words the analyser drops; None if nothing is left."""
        return pruned(node, lambda leaf: bool(self._tokens(leaf.text)))

    # -- selection -------------------------------------------------------------

    def _select(self, node: Node) -> Query:
        if isinstance(node, Word | Phrase | Wildcard):
            return {
                "nested": {
                    "path": "passages",
                    "query": self._passages(node),
                    "score_mode": "none",
                }
            }
        if isinstance(node, Filter):
            return filter_query(node)
        if isinstance(node, DateRange):
            return date_query(node)
        if isinstance(node, Not):
            return {"bool": {"must_not": [self._select(node.child)]}}
        if isinstance(node, Or):
            return {
                "bool": {
                    "should": [self._select(c) for c in node.children],
                    "minimum_should_match": 1,
                }
            }
        # `optional` children only score: the ranking clause has their words.
        kept = [c for c in node.children if not isinstance(c, Not)]
        gone = [c.child for c in node.children if isinstance(c, Not)]
        clause: dict[str, Any] = {}
        if kept:
            clause["filter"] = [self._select(c) for c in kept]
        if gone:
            clause["must_not"] = [self._select(c) for c in gone]
        return {"bool": clause}

    # -- passage queries -------------------------------------------------------

    def _passages(self, node: Word | Phrase | Wildcard) -> Query:
        """The query a passage of a matching article satisfies."""
        clauses = [
            self._field(node, field, boost) for field, boost in _FIELDS[node.field]
        ]
        if len(clauses) == 1:
            return clauses[0]
        return {"bool": {"should": clauses, "minimum_should_match": 1}}

    def _field(self, node: Word | Phrase | Wildcard, field: str, boost: float) -> Query:
        if isinstance(node, Wildcard):
            return self._pattern(field, node.pattern, boost)
        slop = node.slop if isinstance(node, Phrase) else 1
        tokens = self._tokens(node.text)
        if slop <= 1 or len(tokens) < 2:
            # Adjacent words (a stop word's gap kept, as at index time).
            return {"match_phrase": {field: {"query": node.text, "boost": boost}}}
        # Whoosh's slop counts positions from one word to the next, Lucene's
        # the extra positions between them; dropped stop words add to the gap.
        gaps = tokens[-1].position - tokens[0].position - (len(tokens) - 1)
        return {
            "span_near": {
                "clauses": [{"span_term": {field: t.term}} for t in tokens],
                "slop": slop - 1 + gaps,
                "in_order": True,
                "boost": boost,
            }
        }

    def _pattern(self, field: str, pattern: str, boost: float) -> Query:
        text = pattern.lower()
        stem = text.rstrip("*")
        rewrite = f"top_terms_boost_{self._max_expansion}"
        if not stem:
            raise QueryError(f"{pattern!r} matches every word", query=pattern)
        if "*" not in stem and "?" not in stem:
            return {
                "prefix": {field: {"value": stem, "rewrite": rewrite, "boost": boost}}
            }
        return {
            "wildcard": {field: {"value": text, "rewrite": rewrite, "boost": boost}}
        }


def filter_query(node: Filter) -> Query:
    """The article-level query of one filter (`newsindex.query.tree.Filter`)."""
    if not node.keys:
        return _MATCH_NONE
    if node.field in ("byline", "place"):
        # The value's words, in this order, within one name.
        return {"match_phrase": {node.field: {"query": " ".join(node.keys)}}}
    clauses: list[Query] = [{"terms": {node.field: list(node.keys)}}]
    clauses += [
        {"wildcard": {"entity": {"value": f"* {_escape(key)}"}}}
        for key in node.surnames
    ]
    if len(clauses) == 1:
        return clauses[0]
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def date_query(node: DateRange) -> Query:
    """Published in [start, stop]; with `undated`, or not published at all."""
    bounds = {}
    if node.start is not None:
        bounds["gte"] = utc_millis(node.start)
    if node.stop is not None:
        bounds["lte"] = utc_millis(node.stop)
    dated: Query = (
        {"range": {"published": bounds}}
        if bounds
        else {"exists": {"field": "published"}}
    )
    if not node.undated:
        return dated
    undated = {"bool": {"must_not": [{"exists": {"field": "published"}}]}}
    return {"bool": {"should": [dated, undated], "minimum_should_match": 1}}


def _escape(key: str) -> str:
    """A key as a literal inside a `wildcard` pattern."""
    return re.sub(r"([\\*?])", r"\\\1", key)


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A word pattern's `*` and `?` as a regex; every other character literal."""
    return re.compile(
        "".join(
            ".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern
        )
    )
