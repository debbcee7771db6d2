"""The query tree -> a Whoosh query over passage documents, meaning kept.

The tree means set algebra over articles (`tree.py`); Whoosh matches
passages. The two agree wherever a node is *uniform*, the same for every
passage of an article: filters and dates (copied onto each passage) and
title words (each passage carries its article's title). Then an Or of
passage queries is exact, an And is exact when at most one child varies
from passage to passage, and a NOT of a uniform child is exact.

Where they would disagree (`NATO NOT regret`: an article saying "regret"
in one passage still has passages without it; `Lavrov AND Stoltenberg`
in two passages of one article), the articles are worked out by set
algebra over the article ids of each part's passages, and the passages
ranked are the parts' own, kept to those articles (`InArticles`).

Filters add nothing to a score; words score by BM25F over title and text.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from msgspec import Struct
from whoosh import matching
from whoosh import query as wquery
from whoosh.matching.wrappers import ConstantScoreWrapperMatcher
from whoosh.query.wrappers import WrappingQuery
from whoosh.searching import Searcher

from newsindex.engines.whoosh.columns import Only, QualityFilter, cached_column
from newsindex.errors import QueryError
from newsindex.query.tree import (
    And,
    DateRange,
    Filter,
    Node,
    Not,
    Or,
    Phrase,
    TextField,
    Wildcard,
    Word,
    pruned,
    selects,
)

__all__ = ["Compiled", "InArticles", "Translator"]

_FIELDS: dict[TextField, tuple[str, ...]] = {
    "any": ("text", "title"),
    "text": ("text",),
    "title": ("title",),
}
_CHECK_EVERY = 4096  # documents between two looks at the clock


class Compiled(Struct, frozen=True):
    """A tree as Whoosh runs it: the passage query and its top-level date range."""

    query: wquery.Query
    window: DateRange | None


class _Articles(Struct, frozen=True):
    """A set of article ids, or (negated) every article but these."""

    ids: frozenset[str]
    negated: bool = False

    def __and__(self, other: _Articles) -> _Articles:
        if self.negated and other.negated:
            return _Articles(self.ids | other.ids, True)
        if self.negated:
            return _Articles(other.ids - self.ids)
        if other.negated:
            return _Articles(self.ids - other.ids)
        return _Articles(self.ids & other.ids)

    def __or__(self, other: _Articles) -> _Articles:
        if self.negated and other.negated:
            return _Articles(self.ids & other.ids, True)
        if self.negated:
            return _Articles(self.ids - other.ids, True)
        if other.negated:
            return _Articles(other.ids - self.ids, True)
        return _Articles(self.ids | other.ids)

    def __invert__(self) -> _Articles:
        return _Articles(self.ids, not self.negated)


class Translator:
    """Translate trees for one searcher (one commit of one index).

    `max_expansion`: a word pattern matching more index words than this
    is a QueryError. `deadline`: called while sets of articles are worked
    out, it raises when the search's time is up.
    """

    def __init__(
        self,
        searcher: Searcher,
        *,
        max_expansion: int,
        deadline: Callable[[], None] = lambda: None,
    ) -> None:
        self._searcher = searcher
        self._schema = searcher.schema
        self._max_expansion = max_expansion
        self._deadline = deadline

    def compile(self, tree: Node, text: str = "") -> Compiled:
        """The passage query for `tree`, its top-level dates apart (see window.py).

        Words the analyser drops (`the`) are left out of the tree first; a
        tree left with nothing to search for is a QueryError quoting `text`.
        """
        pruned = self._prune(tree)
        if pruned is None or not selects(pruned):
            raise QueryError(f"no searchable words in query: {text!r}", query=text)
        tree = pruned
        window: DateRange | None = None
        if isinstance(tree, And):
            dates = [c for c in tree.children if isinstance(c, DateRange)]
            rest = tuple(c for c in tree.children if not isinstance(c, DateRange))
            if dates and (rest or tree.optional):
                window = _intersect(dates)
                tree = (
                    rest[0]
                    if len(rest) == 1 and not tree.optional
                    else And(rest, tree.optional)
                )
        query = self._node(tree)
        if query is not wquery.NullQuery and not _anchored(tree):
            query = Only(query, wquery.Term("kind", "passage"))
        return Compiled(query, window)

    def _prune(self, node: Node) -> Node | None:
        """The tree without the words the analyser drops; None if nothing is left."""
        return pruned(
            node,
            lambda leaf: any(self._analyse(f, leaf.text) for f in _FIELDS[leaf.field]),
        )

    # -- nodes ---------------------------------------------------------------

    def _node(self, node: Node) -> wquery.Query:
        if isinstance(node, Word | Phrase | Wildcard):
            return self._text(node)
        if isinstance(node, Filter):
            return _unscored(self._filter(node))
        if isinstance(node, DateRange):
            return _unscored(_date_query(node))
        if isinstance(node, Or):
            kids = [
                q for q in map(self._node, node.children) if q is not wquery.NullQuery
            ]
            if not kids:
                return wquery.NullQuery
            if len(kids) == 1:
                return kids[0]
            # No coordination bonus: BM25's sum already ranks passages with more
            # of the words higher (Whoosh's own parser loses OrGroup's scale).
            return _union(kids)
        if isinstance(node, Not):
            return self._not(node.child)
        return self._and(node)

    def _and(self, node: And) -> wquery.Query:
        words = [
            c for c in node.children if not isinstance(c, Filter | DateRange | Not)
        ]
        filters = [c for c in node.children if isinstance(c, Filter | DateRange)]
        nots = [c.child for c in node.children if isinstance(c, Not)]
        varying = [c for c in words if not _uniform(c)]
        core: wquery.Query | None
        if len(varying) > 1:
            # Each part holds somewhere in the article, not all in one passage.
            steady = [self._node(c) for c in words if _uniform(c)]
            allowed = self._articles(And(tuple(varying)))
            ranked = self._node(Or(tuple(varying)))
            core = InArticles(ranked, allowed.ids, exclude=allowed.negated)
            if steady:
                core = wquery.And([core, *steady])
        else:
            parts = list(map(self._node, words))
            if any(q is wquery.NullQuery for q in parts):
                return wquery.NullQuery
            core = parts[0] if len(parts) == 1 else wquery.And(parts) if parts else None
        for clause in filters:
            query = (
                self._filter(clause)
                if isinstance(clause, Filter)
                else _date_query(clause)
            )
            if query is wquery.NullQuery:
                return wquery.NullQuery
            keys = (
                clause.keys
                if isinstance(clause, Filter) and clause.field == "outlet"
                else None
            )
            core = _unscored(query) if core is None else Only(core, query, keys)
        if core is None:  # only NOTs: `selects` keeps this from the top level
            core = wquery.Term("kind", "passage")
        for child in nots:
            if _uniform(child):
                excluded = self._node(child)
                if excluded is not wquery.NullQuery:
                    core = _AndNot(core, excluded)
            else:
                gone = self._articles(child)
                core = InArticles(core, gone.ids, exclude=not gone.negated)
        if node.optional:
            extra = [
                q for q in map(self._node, node.optional) if q is not wquery.NullQuery
            ]
            if extra:
                maybe = extra[0] if len(extra) == 1 else _union(extra)
                core = wquery.AndMaybe(core, maybe)
        return core

    def _not(self, child: Node) -> wquery.Query:
        everything = wquery.Term("kind", "passage")
        if _uniform(child):
            excluded = self._node(child)
            if excluded is wquery.NullQuery:
                return _unscored(everything)
            return _unscored(_AndNot(everything, excluded))
        gone = self._articles(child)
        return _unscored(InArticles(everything, gone.ids, exclude=not gone.negated))

    # -- sets of articles ----------------------------------------------------

    def _articles(self, node: Node) -> _Articles:
        """The articles `node` selects, by set algebra where passages disagree."""
        if isinstance(node, Not):
            return ~self._articles(node.child)
        if isinstance(node, Or) and not _exact(node):
            found = _Articles(frozenset())
            for child in node.children:
                found = found | self._articles(child)
            return found
        if isinstance(node, And) and not _exact(node):
            found = _Articles(frozenset(), negated=True)  # every article
            for child in node.children:
                found = found & self._articles(child)
            return found
        return _Articles(self._article_ids(self._node(node)))

    def _article_ids(self, query: wquery.Query) -> frozenset[str]:
        if query is wquery.NullQuery:
            return frozenset()
        searcher = self._searcher
        column = cached_column(searcher.reader(), "article_id")
        passages = Only(query, wquery.Term("kind", "passage"))
        ids: set[str] = set()
        for n, docnum in enumerate(searcher.docs_for_query(passages)):
            if n % _CHECK_EVERY == 0:
                self._deadline()
            ids.add(column[docnum])
        return frozenset(ids)

    # -- leaves --------------------------------------------------------------

    def _text(self, node: Word | Phrase | Wildcard) -> wquery.Query:
        clauses = []
        for field in _FIELDS[node.field]:
            if isinstance(node, Wildcard):
                clauses.append(self._pattern(field, node.pattern))
                continue
            words = self._analyse(field, node.text)
            if not words:
                continue
            slop = node.slop if isinstance(node, Phrase) else 1
            clauses.append(
                wquery.Term(field, words[0])
                if len(words) == 1
                else wquery.Phrase(field, words, slop=slop)
            )
        if not clauses:
            return wquery.NullQuery
        return clauses[0] if len(clauses) == 1 else wquery.Or(clauses)

    def _analyse(self, field: str, text: str) -> list[str]:
        analyzer = self._schema[field].analyzer
        return [token.text for token in analyzer(text, mode="query")]

    def _pattern(self, field: str, pattern: str) -> wquery.Query:
        text = pattern.lower()
        stem = text.rstrip("*")
        query: wquery.Query
        if "*" not in stem and "?" not in stem:
            query = wquery.Prefix(field, stem)
            words = self._searcher.reader().expand_prefix(field, stem)
        else:
            query = wquery.Wildcard(field, text)
            words = query._btexts(self._searcher.reader())  # its expansion
        if sum(1 for _ in itertools.islice(words, self._max_expansion + 1)) > (
            self._max_expansion
        ):
            raise QueryError(
                f"{pattern!r} matches more than {self._max_expansion:,} words "
                "(NEWSINDEX_MAX_EXPANSION): make it longer",
                query=pattern,
            )
        return query

    def _filter(self, node: Filter) -> wquery.Query:
        if not node.keys:
            return wquery.NullQuery
        if node.field in ("byline", "place"):
            keys = list(node.keys)
            if len(keys) == 1:
                return wquery.Term(node.field, keys[0])
            return wquery.Phrase(node.field, keys)
        terms: list[wquery.Query] = [wquery.Term(node.field, k) for k in node.keys]
        terms += [wquery.Wildcard("entity", f"* {k}") for k in node.surnames]
        return terms[0] if len(terms) == 1 else wquery.Or(terms)


class InArticles(WrappingQuery):  # type: ignore[misc]  # whoosh is untyped
    """The child's passages whose article is (or, `exclude`, is not) in `ids`."""

    boost = 1.0  # what Whoosh reads when it merges nested Ors

    def __init__(
        self, child: wquery.Query, ids: frozenset[str], *, exclude: bool = False
    ) -> None:
        super().__init__(child)
        self.ids = ids
        self.exclude = exclude

    def __repr__(self) -> str:
        how = "not in" if self.exclude else "in"
        return f"InArticles({self.child!r}, {how} {len(self.ids)} articles)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InArticles) and (
            self.child,
            self.ids,
            self.exclude,
        ) == (other.child, other.ids, other.exclude)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.child, self.ids, self.exclude))

    def _rewrap(self, child: wquery.Query) -> InArticles:
        return InArticles(child, self.ids, exclude=self.exclude)

    def estimate_size(self, reader: Any) -> int:
        return int(self.child.estimate_size(reader))

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        child = self.child.matcher(searcher, context)
        if isinstance(child, matching.NullMatcherClass):
            return child
        if not self.ids and not self.exclude:
            return matching.NullMatcher()
        if not self.ids:
            return child
        column = cached_column(searcher.reader(), "article_id")
        return QualityFilter(child, _ArticleIn(column, self.ids, self.exclude))


class _ArticleIn:
    """`docnum in allowed`, read off a segment's article_id column."""

    def __init__(self, column: Any, ids: frozenset[str], exclude: bool) -> None:
        self._column = column
        self._ids = ids
        self._exclude = exclude

    def __contains__(self, docnum: int) -> bool:
        return (self._column[docnum] in self._ids) != self._exclude


class _AndNot(wquery.AndNot):  # type: ignore[misc]
    """`a ANDNOT b` whose first document is checked against `b` too."""

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        kept = self.a.matcher(searcher, context)
        gone = self.b.matcher(searcher, searcher.boolean_context())
        return _AndNotMatcher(kept, gone)


class _AndNotMatcher(matching.AndNotMatcher):  # type: ignore[misc]
    """Whoosh's AndNotMatcher, lined up.

    Whoosh's checks its first document against the excluded postings only
    when both start on the same document (`opec -title:oil` returned the
    first `opec` passage of an article titled "... oil ..." whenever an
    excluded document came before it), and reads the id of a kept matcher
    that a skip has exhausted (an IndexError when one is the excluded side
    of another, `NOT (-a -b)`).
    """

    def _find_first(self) -> None:
        self._find_next()

    def _find_next(self) -> bool:
        kept, gone = self.a, self.b
        moved = False
        while kept.is_active() and gone.is_active():
            if gone.id() < kept.id():
                gone.skip_to(kept.id())
                continue
            if gone.id() != kept.id():
                break
            moved = bool(kept.next()) or moved
        return moved


class _Unscored(WrappingQuery):  # type: ignore[misc]
    """The child's documents at score 0: a filter adds nothing to a ranking.

    Not ConstantScoreQuery, which reports a score of 0.0 as 1.0.
    """

    boost = 1.0  # what Whoosh reads when it merges nested Ors

    def _rewrap(self, child: wquery.Query) -> _Unscored:
        return _Unscored(child)

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        child = self.child.matcher(searcher, context)
        if isinstance(child, matching.NullMatcherClass):
            return child
        return ConstantScoreWrapperMatcher(child, 0.0)


def _unscored(query: wquery.Query) -> wquery.Query:
    return query if query is wquery.NullQuery else _Unscored(query)


def _union(queries: list[wquery.Query]) -> wquery.Query:
    """Or of `queries`, matched as a tree of unions (see `_Union`)."""
    return _Union(queries).normalize()


class _Union(wquery.Or):  # type: ignore[misc]
    """An Or that Whoosh always matches with its tree of union matchers.

    On a small index (or past 100 clauses) Whoosh picks an array matcher
    that finds a document by a score above 0, and so loses every document
    only filters match (`opec OR outlet:Reuters`). A class, not a setting
    on one query: `normalize()` rebuilds the nested ones.
    """

    matcher_type = wquery.Or.DEFAULT_MATCHER


def _date_query(node: DateRange) -> wquery.Query:
    """A date range nested in the tree (top-level ones go through window.py)."""
    dated = wquery.DateRange(
        "published",
        node.start.replace(tzinfo=None) if node.start else None,
        node.stop.replace(tzinfo=None) if node.stop else None,
    )
    if not node.undated:
        return dated
    undated = _AndNot(wquery.Term("kind", "passage"), wquery.Every("published"))
    return _union([dated, undated])


def _intersect(dates: list[DateRange]) -> DateRange:
    starts = [d.start for d in dates if d.start is not None]
    stops = [d.stop for d in dates if d.stop is not None]
    return DateRange(
        max(starts) if starts else None,
        min(stops) if stops else None,
        undated=all(d.undated for d in dates),
    )


def _uniform(node: Node) -> bool:
    """Whether the node is true of all an article's passages or of none."""
    if isinstance(node, Filter | DateRange):
        return True
    if isinstance(node, Word | Phrase | Wildcard):
        return node.field == "title"
    if isinstance(node, Not):
        return _uniform(node.child)
    children = node.children + (node.optional if isinstance(node, And) else ())
    return all(_uniform(child) for child in children)


def _exact(node: Node) -> bool:
    """Whether matching passages, then taking their articles, gives the node's
    articles (see the module docstring)."""
    if isinstance(node, Not):
        return _uniform(node.child)
    if isinstance(node, Or):
        return all(_exact(child) for child in node.children)
    if isinstance(node, And):
        varying = [c for c in node.children if not _uniform(c)]
        return len(varying) <= 1 and all(_exact(c) for c in node.children)
    return True


def _anchored(node: Node) -> bool:
    """Whether every document the node's query matches is a passage.

    Text, title, entity, byline, place and cites are only on passages;
    outlet and published are on article documents too. A NOT is built on
    the passages. An And matches the documents its parts all match, except
    that several parts that vary within an article are matched as their Or
    (see `Translator._and`).
    """
    if isinstance(node, Word | Phrase | Wildcard | Not):
        return True
    if isinstance(node, Filter):
        return node.field != "outlet"
    if isinstance(node, DateRange):
        return False
    if isinstance(node, Or):
        return all(_anchored(child) for child in node.children)
    positive = [c for c in node.children if not isinstance(c, Not)]
    if not positive:
        return True  # built on the passages
    varying = [
        c for c in positive if not isinstance(c, Filter | DateRange) and not _uniform(c)
    ]
    steady = [c for c in positive if c not in varying]
    if len(varying) > 1 and all(_anchored(c) for c in varying):
        return True
    if len(varying) == 1 and _anchored(varying[0]):
        return True
    return any(_anchored(c) for c in steady)
