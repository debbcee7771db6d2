"""newsindex's own query tree: what a query means, before any engine sees it.

The user's text is parsed once (`parse.py`) into these nodes; filters are
nodes like words, so a filter under NOT, OR or parentheses means what it
means alone. Each engine translates the tree (the Whoosh engine in
`to_whoosh.py`), so the same tree means the same on every engine.

Meaning is set algebra over **articles**: a word leaf selects the articles
with a passage that has the word, a filter the articles whose field holds
the value; `And` intersects, `Or` unites, `Not` takes the complement. The
passages shown for an article are its best-ranked ones.

    Word / Phrase / Wildcard   words in `title`, `text`, or either ("any")
    Filter                     outlet, entity, byline, place, cites (keys resolved)
    DateRange                  published within [start, stop] (UTC), or undated
    And(children, optional)    all children; `optional` ones only add to the score
    Or(children, any_of)       any child; `any_of`: the web-style group of plain words
    Not(child)                 the complement (never alone: see `selects`)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Literal

from msgspec import Struct

__all__ = [
    "And",
    "DateRange",
    "Filter",
    "FilterField",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "TextField",
    "Wildcard",
    "Word",
    "explain",
    "leaves",
    "pruned",
    "selects",
    "to_dict",
]

TextField = Literal["any", "title", "text"]
FilterField = Literal["outlet", "entity", "byline", "place", "cites"]


class Word(Struct, frozen=True):
    """One word as typed; the engine analyses (stems) it."""

    field: TextField
    text: str


class Phrase(Struct, frozen=True):
    """Words in this order, at most `slop` positions apart (1: adjacent).

    `spelling_of`: the name in the query this phrase is another spelling of
    (`Sergey Lavrov` for `Sergei Lavrov`), added by the alias table.
    """

    field: TextField
    text: str
    slop: int = 1
    spelling_of: str | None = None


class Wildcard(Struct, frozen=True):
    """A word pattern: `*` any run of characters, `?` one (`Lavr*`)."""

    field: TextField
    pattern: str


class Filter(Struct, frozen=True):
    """Articles whose `field` holds one of `keys` (the value, expanded).

    outlet/cites: the outlet registry's keys of every name of the outlet;
    entity: the canonical keys of every spelling, and `surnames`, one-word
    keys that also match as the last word of a longer key (`lavrov` ->
    `sergei lavrov`); byline/place: the value's words, in order, anywhere
    in the field (`byline:Gabbett` finds Janie Gabbett).
    """

    field: FilterField
    value: str
    keys: tuple[str, ...]
    surnames: tuple[str, ...] = ()


class DateRange(Struct, frozen=True):
    """Published in [start, stop], both aware UTC, either end open.

    `undated`: articles without a date are in the range too.
    """

    start: datetime | None
    stop: datetime | None
    undated: bool = False


class And(Struct, frozen=True):
    """Every child holds; `optional` children only raise the score (`+a b`)."""

    children: tuple[Node, ...]
    optional: tuple[Node, ...] = ()


class Or(Struct, frozen=True):
    """Some child holds; `any_of` marks plain words typed side by side,
    where passages matching more of them rank higher."""

    children: tuple[Node, ...]
    any_of: bool = False


class Not(Struct, frozen=True):
    """The child does not hold."""

    child: Node


Node = Word | Phrase | Wildcard | Filter | DateRange | And | Or | Not
Leaf = Word | Phrase | Wildcard | Filter | DateRange


def leaves(node: Node) -> Iterator[tuple[Leaf, bool]]:
    """Yield every leaf with whether it counts positively (not under a Not)."""
    yield from _leaves(node, True)


def _leaves(node: Node, positive: bool) -> Iterator[tuple[Leaf, bool]]:
    if isinstance(node, Not):
        yield from _leaves(node.child, not positive)
    elif isinstance(node, And):
        for child in (*node.children, *node.optional):
            yield from _leaves(child, positive)
    elif isinstance(node, Or):
        for child in node.children:
            yield from _leaves(child, positive)
    else:
        yield node, positive


def pruned(node: Node, searchable: Callable[[Word | Phrase], bool]) -> Node | None:
    """The tree without the words and phrases an engine's analyser drops
    entirely (`the`, `"of the"`); None if nothing is left.

    A group left with one part becomes that part; an And left with only
    its optional parts becomes their web-style group.
    """
    if isinstance(node, Word | Phrase):
        return node if searchable(node) else None
    if isinstance(node, Not):
        child = pruned(node.child, searchable)
        return Not(child) if child is not None else None
    if isinstance(node, Or):
        kids = _kept(node.children, searchable)
        if len(kids) <= 1:
            return kids[0] if kids else None
        return Or(kids, node.any_of)
    if isinstance(node, And):
        kids = _kept(node.children, searchable)
        extra = _kept(node.optional, searchable)
        if not kids:
            if len(extra) <= 1:
                return extra[0] if extra else None
            return Or(extra, any_of=True)
        if len(kids) == 1 and not extra:
            return kids[0]
        return And(kids, extra)
    return node


def _kept(
    nodes: tuple[Node, ...], searchable: Callable[[Word | Phrase], bool]
) -> tuple[Node, ...]:
    kept = (pruned(n, searchable) for n in nodes)
    return tuple(n for n in kept if n is not None)


def selects(node: Node) -> bool:
    """Whether the node picks articles of its own, not only leaves some out.

    `NOT x` alone, or `-a -b`, selects nothing to rank: every article but a
    few. An And selects if one child does, an Or only if every child does,
    a Not if its child does not (`NOT (a OR NOT b)` is `b AND NOT a`).
    """
    if isinstance(node, Not):
        return not selects(node.child)
    if isinstance(node, And):
        return any(selects(child) for child in node.children)
    if isinstance(node, Or):
        return all(selects(child) for child in node.children)
    return True


def to_dict(node: Node) -> dict[str, Any]:
    """The tree as JSON-ready dicts: `{"op": ..., ...}` per node."""
    if isinstance(node, And):
        out: dict[str, Any] = {
            "op": "and",
            "children": [to_dict(c) for c in node.children],
        }
        if node.optional:
            out["optional"] = [to_dict(c) for c in node.optional]
        return out
    if isinstance(node, Or):
        return {
            "op": "any" if node.any_of else "or",
            "children": [to_dict(c) for c in node.children],
        }
    if isinstance(node, Not):
        return {"op": "not", "child": to_dict(node.child)}
    if isinstance(node, Word):
        return {"op": "word", "field": node.field, "text": node.text}
    if isinstance(node, Phrase):
        out = {
            "op": "phrase",
            "field": node.field,
            "text": node.text,
            "slop": node.slop,
        }
        if node.spelling_of is not None:
            out["spelling_of"] = node.spelling_of
        return out
    if isinstance(node, Wildcard):
        return {"op": "wildcard", "field": node.field, "pattern": node.pattern}
    if isinstance(node, Filter):
        out = {"op": "filter", "field": node.field, "value": node.value}
        out["keys"] = list(node.keys)
        if node.surnames:
            out["surnames"] = list(node.surnames)
        return out
    return {
        "op": "date",
        "start": _utc(node.start),
        "stop": _utc(node.stop),
        "undated": node.undated,
    }


def explain(node: Node) -> str:
    """The tree in plain words, one node a line, children indented."""
    return "\n".join(_explain(node, 0)) + "\n"


_FIELD_WORDS = {"any": "title or text", "title": "title", "text": "text"}


def _explain(node: Node, depth: int) -> Iterator[str]:
    pad = "  " * depth
    if isinstance(node, And):
        yield f"{pad}all of:"
        for child in node.children:
            yield from _explain(child, depth + 1)
        if node.optional:
            yield f"{pad}  and, ranking higher if present:"
            for child in node.optional:
                yield from _explain(child, depth + 2)
    elif isinstance(node, Or):
        head = "any of (more matches rank higher):" if node.any_of else "one of:"
        yield f"{pad}{head}"
        for child in node.children:
            yield from _explain(child, depth + 1)
    elif isinstance(node, Not):
        yield f"{pad}not:"
        yield from _explain(node.child, depth + 1)
    else:
        yield pad + _explain_leaf(node)


def _explain_leaf(node: Leaf) -> str:
    if isinstance(node, Word):
        return f"word {node.text!r} in {_FIELD_WORDS[node.field]}"
    if isinstance(node, Phrase):
        near = "" if node.slop <= 1 else f", words within {node.slop}"
        also = (
            f" (a spelling of {node.spelling_of!r} in the archive)"
            if node.spelling_of
            else ""
        )
        return f"phrase {node.text!r} in {_FIELD_WORDS[node.field]}{near}{also}"
    if isinstance(node, Wildcard):
        return f"words matching {node.pattern!r} in {_FIELD_WORDS[node.field]}"
    if isinstance(node, Filter) and node.field in ("byline", "place"):
        words = " ".join(node.keys)
        order = ", in this order" if len(node.keys) > 1 else ""
        return f"{node.field} {node.value!r} -> the words {words!r}{order}"
    if isinstance(node, Filter):
        keys = ", ".join(repr(k) for k in node.keys)
        line = f"{node.field} {node.value!r} -> {keys or 'nothing'}"
        if node.surnames:
            line += " (also as the last word of a longer name: "
            line += ", ".join(repr(k) for k in node.surnames) + ")"
        return line
    start = _utc(node.start) or "any time"
    stop = _utc(node.stop) or "any time"
    undated = "undated articles kept" if node.undated else "undated articles left out"
    return f"published {start} .. {stop} ({undated})"


def _utc(when: datetime | None) -> str | None:
    if when is None:
        return None
    return when.isoformat().replace("+00:00", "Z")
