"""Boolean queries mean set algebra over articles, filters included.

A model of the query language: each leaf (a word, phrase, pattern or
filter) is searched alone on a real archive of ten outlets, and the
articles a random tree of them returns must equal what AND (intersection),
OR (union), NOT (complement), `+`/`-` and side-by-side groups make of the leaves'
own articles. It would have caught `Lavrov NOT outlet:TASS` returning
only TASS, `NOT outlet:TASS Lavrov` read as `NOT lavrov`, and
`OPEC -outlet:Reuters` still returning Reuters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsindex import Index
from newsindex.errors import QueryError

WORDS = ["opec", "oil", "brexit", "minister", "prices", "saudi*", "title:oil"]
PHRASES = ['"oil prices"', '"prime minister"~3', '"crude oil"']
FILTERS = [
    "outlet:Reuters",
    "outlet:TASS",
    'outlet:"Al Jazeera"',
    "outlet:CNN",
    "cites:Reuters",
    "entity:OPEC",
    'entity:"Donald Trump"',
    "place:London",
    "byline:Gabbett",
]
WINDOWS = [
    (None, None),
    ("2017-01-01", None),
    (None, "1987-03-01"),
    ("2017-02", "2017-02"),
]


@dataclass(frozen=True)
class Leaf:
    text: str

    @property
    def is_filter(self) -> bool:
        return self.text in FILTERS


@dataclass(frozen=True)
class Op:
    op: str  # and, or
    left: Node
    right: Node


@dataclass(frozen=True)
class Neg:
    child: Node
    how: str  # "NOT " or "-"


@dataclass(frozen=True)
class Group:
    """Items side by side, each plain, `+`-marked or `-`-marked."""

    items: tuple[tuple[str, Node], ...]


Node = Leaf | Op | Neg | Group

leaf = st.sampled_from([*WORDS, *PHRASES, *FILTERS]).map(Leaf)
trees = st.recursive(
    leaf,
    lambda kids: st.one_of(
        st.builds(Op, st.sampled_from(["and", "or"]), kids, kids),
        st.builds(Neg, kids, st.sampled_from(["NOT ", "-"])),
        st.builds(
            Group,
            st.lists(
                st.tuples(st.sampled_from(["", "", "+", "-"]), kids),
                min_size=1,
                max_size=4,
            ).map(tuple),
        ),
    ),
    max_leaves=6,
)


def render(node: Node) -> str:
    if isinstance(node, Leaf):
        return node.text
    if isinstance(node, Op):
        return f"({render(node.left)} {node.op.upper()} {render(node.right)})"
    if isinstance(node, Neg):
        return node.how + render(node.child)
    return "(" + " ".join(sign + render(item) for sign, item in node.items) + ")"


class Model:
    """What a tree selects, from its leaves' own articles."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.everything = frozenset(a.id for a in index.articles())

    @cache  # noqa: B019  one model per test session
    def leaf(self, text: str) -> frozenset[str]:
        return articles(self.index, text)

    def selects(self, node: Node) -> bool:
        """Whether the tree picks articles rather than only leaving some out:
        a leaf does, an AND if a side does, an OR if both do, a NOT if its
        child does not."""
        if isinstance(node, Leaf):
            return True
        if isinstance(node, Op):
            pair = (self.selects(node.left), self.selects(node.right))
            return any(pair) if node.op == "and" else all(pair)
        if isinstance(node, Neg):
            return not self.selects(node.child)
        required, optional, filters, excluded = self._sorted(node)
        parts = [not self.selects(item) for item in excluded]
        parts += [True] * len(filters)
        if required:
            parts.append(any(map(self.selects, required)))
        elif optional:
            parts.append(all(map(self.selects, optional)))
        return any(parts)

    def articles(self, node: Node) -> frozenset[str]:
        if isinstance(node, Leaf):
            return self.leaf(node.text)
        if isinstance(node, Op):
            left, right = self.articles(node.left), self.articles(node.right)
            return left & right if node.op == "and" else left | right
        if isinstance(node, Neg):
            return self.everything - self.articles(node.child)
        required, optional, filters, excluded = self._sorted(node)
        found = self.everything
        if required:  # optional items only rank
            for item in required:
                found &= self.articles(item)
        elif optional:
            found = frozenset().union(*map(self.articles, optional))
        for same_field in filters.values():  # one field: alternatives
            found &= frozenset().union(*map(self.articles, same_field))
        for item in excluded:
            found -= self.articles(item)
        return found

    def _sorted(
        self, group: Group
    ) -> tuple[list[Node], list[Node], dict[str, list[Node]], list[Node]]:
        required: list[Node] = []
        optional: list[Node] = []
        filters: dict[str, list[Node]] = {}
        excluded: list[Node] = []
        for sign, item in map(_alone, group.items):
            if sign == "+":
                required.append(item)
            elif sign == "-":
                excluded.append(item)
            elif isinstance(item, Neg):
                excluded.append(item.child)
            elif isinstance(item, Leaf) and item.is_filter:
                filters.setdefault(item.text.split(":")[0], []).append(item)
            else:
                optional.append(item)
        return required, optional, filters, excluded


def articles(index: Index, query: str, **options: str | None) -> frozenset[str]:
    """Every article a query returns: all copies, no limit."""
    found = index.search(query, collapse=False, limit=100_000, **options)  # type: ignore[arg-type]
    return frozenset(p.article_id for p in found)


@pytest.fixture(scope="module")
def model(mixed_index: Index) -> Model:
    return Model(mixed_index)


def test_every_leaf_selects_some_articles_and_not_all(model: Model) -> None:
    for text in [*WORDS, *PHRASES, *FILTERS]:
        assert 0 < len(model.leaf(text)) < len(model.everything), text


@settings(
    max_examples=int(os.environ.get("NEWSINDEX_TREE_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tree=trees, window=st.sampled_from(WINDOWS))
def test_a_tree_returns_the_set_algebra_of_its_leaves(
    model: Model, tree: Node, window: tuple[str | None, str | None]
) -> None:
    query = render(tree)
    since, until = window
    if not model.selects(tree):
        with pytest.raises(QueryError):
            model.index.search(query, since=since, until=until)
        return
    expected = model.articles(tree) & dated(model.index, since, until)
    assert articles(model.index, query, since=since, until=until) == expected, query


def dated(index: Index, since: str | None, until: str | None) -> frozenset[str]:
    """The articles a date window keeps, read off the stored articles."""
    low, high = FIRST[since], LAST[until]
    return frozenset(
        a.id
        for a in index.articles()
        if (since is None and until is None)
        or (
            a.published is not None
            and (low is None or low <= _utc(a.published.when))
            and (high is None or _utc(a.published.when) <= high)
        )
    )


# The first and last instants of each window end, in UTC.
FIRST: dict[str | None, datetime | None] = {
    None: None,
    "2017-01-01": datetime(2017, 1, 1, tzinfo=UTC),
    "2017-02": datetime(2017, 2, 1, tzinfo=UTC),
}
LAST: dict[str | None, datetime | None] = {
    None: None,
    "1987-03-01": datetime(1987, 3, 1, 23, 59, 59, 999999, tzinfo=UTC),
    "2017-02": datetime(2017, 2, 28, 23, 59, 59, 999999, tzinfo=UTC),
}


def _utc(when: datetime) -> datetime:
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def _alone(signed: tuple[str, Node]) -> tuple[str, Node]:
    """A group of one item is that item: `(-x)` excludes as `-x` does."""
    sign, item = signed
    while isinstance(item, Group) and len(item.items) == 1:
        inner, item = item.items[0]
        if inner == "-":
            item = Neg(item, "-")
    return sign, item
