"""Query text -> newsindex's query tree (`tree.py`), checked and expanded.

The syntax is Whoosh's, read here so that nothing is lost on the way:

    words side by side     any may match; passages with more of them rank higher
    +word  -word           required / left out (also `-outlet:TASS`, `-"a b"`)
    AND  OR  NOT  ( )      AND binds tighter than OR; `a NOT b` and `a AND NOT b`
    "a b"  "a b"~3         a phrase; its words at most 3 positions apart
    Lavr*  te?t            word patterns
    title:x  text:x        words in one field
    outlet:X  cites:X      the outlet of the copy / an outlet it names as a source
    entity:"Sergei Lavrov" an entity, in any spelling the archive knows
    byline:X  place:X      words of an author's name / of the dateline's place

Whoosh's own parser never rejects anything (`"oil` is a term,
`nosuchfield:oil` two words, `Jong-nam` excludes `nam`), so this module
reads the text itself and raises QueryError, quoting it, for what it
cannot read. Filter values are expanded here, once: an outlet to the keys
of all its names, an entity to the keys of all its spellings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from msgspec import Struct

from newsindex.errors import QueryError
from newsindex.query.tree import (
    And,
    Filter,
    FilterField,
    Node,
    Not,
    Or,
    Phrase,
    TextField,
    Wildcard,
    Word,
    selects,
)

if TYPE_CHECKING:
    from newsindex.ingest.outlet import OutletRegistry

__all__ = ["FIELDS", "Aliases", "Expansions", "filter_node", "parse_query"]

FILTER_FIELDS: tuple[FilterField, ...] = (
    "byline",
    "cites",
    "entity",
    "outlet",
    "place",
)
TEXT_FIELDS: tuple[TextField, ...] = ("text", "title")
FIELDS = tuple(sorted(FILTER_FIELDS + TEXT_FIELDS))
_MAX_QUERY = 2000
_OPERATORS = frozenset({"AND", "OR", "NOT"})

Aliases = Callable[[str], frozenset[str]]  # a name -> every key / spelling of it

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<sign>[+-])(?=\S)                      # glued to what it marks: -outlet:TASS
    | (?P<field>[A-Za-z_][\w-]*):(?=[^\s:/)])    # not http:// nor 10:30
    | "(?P<phrase>[^"]*)"(?:~(?P<slop>\d{1,3}))?
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
_EMPTY_FIELD = re.compile(r"([A-Za-z_][\w-]*):")
# Two to four capitalised words side by side: a name to respell.
_NAME_RUN = re.compile(r"(?<!\w)([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})")


class Expansions(Struct, frozen=True):
    """What a filter value expands through: the outlet registry and the archive.

    `aliases` gives every entity key a name may stand for (`NATO` -> the
    key of `North Atlantic Treaty Organization` too); `spellings` every
    surface form of a person (`Sergei Lavrov` -> `Sergey Lavrov`).
    """

    # None: the registry packaged with newsindex, loaded by the first outlet
    # filter (a search that names no outlet does not read it).
    registry: OutletRegistry | None = None
    aliases: Aliases | None = None
    spellings: Aliases | None = None

    def outlets(self) -> OutletRegistry:
        """The outlet registry that outlet and cites filters expand through."""
        if self.registry is not None:
            return self.registry
        from newsindex.ingest.outlet import OutletRegistry

        return OutletRegistry.default()


class _Token(Struct, frozen=True):
    kind: str  # open, close, sign, field, phrase, word, op
    text: str
    slop: int = 1


class _Marked(Struct, frozen=True):
    """A group item typed with `+` (required) or `-` (left out)."""

    sign: str
    node: Node


_Item = Node | _Marked


def parse_query(text: str, expansions: Expansions | None = None) -> Node:
    """Parse query text into a tree; QueryError if it is malformed or selects nothing.

    Every filter value is expanded through `expansions` (default: the
    shipped outlet registry, no archive).
    """
    query = text.translate(_QUOTES).strip()
    if not query:
        raise QueryError("empty query", query=text)
    if len(query) > _MAX_QUERY:
        raise QueryError(
            f"query too long ({len(query)} characters, at most {_MAX_QUERY})",
            query=text,
        )
    parser = _Parser(_tokens(query, text), text, expansions or _default())
    tree = parser.group(top=True)
    if not selects(tree):
        raise QueryError(
            f"query only leaves things out: add something to search for: {text!r}",
            query=text,
        )
    return tree


def _default() -> Expansions:
    return Expansions()


def filter_node(field: FilterField, value: str, expansions: Expansions) -> Filter:
    """The filter for one `field:value`, its value expanded; QueryError if empty."""
    value = " ".join(value.split())
    if field in ("outlet", "cites"):
        outlets = expansions.outlets().keys_for(value) if value else ()
        return Filter(field, value, tuple(k for k in outlets if k))
    if field == "entity":
        from newsindex.ingest.names import entity_key  # the gazetteer: only here

        own = {entity_key(value, "person"), entity_key(value, "org")} - {""}
        keys = set(own)
        if expansions.aliases is not None and own:
            keys |= expansions.aliases(value)
        if not keys:
            raise QueryError(f"no name in entity filter: {value!r}", query=value)
        ordered = tuple(sorted(keys))
        return Filter(field, value, ordered, tuple(k for k in ordered if " " not in k))
    return Filter(field, value, tuple(re.findall(r"\w+", value.lower())))


def _tokens(query: str, original: str) -> list[_Token]:
    if query.count('"') % 2:
        raise QueryError(f"unbalanced quote in query: {original!r}", query=original)
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(query):
        kind = cast(str, match.lastgroup)
        if kind == "slop":  # lastgroup names the last group that matched
            kind = "phrase"
        if kind == "space":
            continue
        if kind == "phrase":
            slop = int(match.group("slop")) if match.group("slop") else 1
            tokens.append(_Token("phrase", match.group("phrase"), max(slop, 1)))
            continue
        value = match.group(kind)
        if kind == "word" and value in _OPERATORS:
            kind = "op"
        elif kind == "word" and (empty := _EMPTY_FIELD.fullmatch(value)):
            _check_field(empty.group(1), original)
            raise QueryError(
                f"empty value for {empty.group(1)}: in query: {original!r}",
                query=original,
            )
        elif kind == "field":
            _check_field(value, original)
        tokens.append(_Token(kind, value))
    return tokens


def _check_field(name: str, original: str) -> None:
    if name.lower() not in FIELDS:
        raise QueryError(
            f"unknown field {name!r} in query: {original!r} "
            f"(fields: {', '.join(FIELDS)})",
            query=original,
        )


class _Parser:
    """Recursive descent over the tokens.

    group   := orexpr+            side by side: the web-style group
    orexpr  := andexpr (OR andexpr)*
    andexpr := unary (AND unary)*
    unary   := NOT unary | (+|-) unary | "(" group ")" | field? (word | phrase)
    """

    def __init__(self, tokens: list[_Token], text: str, expansions: Expansions) -> None:
        self._tokens = tokens
        self._at = 0
        self._text = text
        self._expansions = expansions

    def _peek(self) -> _Token | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _next(self) -> _Token:
        token = self._tokens[self._at]
        self._at += 1
        return token

    def _error(self, message: str) -> QueryError:
        return QueryError(f"{message} in query: {self._text!r}", query=self._text)

    def group(self, top: bool = False) -> Node:
        items: list[_Item] = []
        while (token := self._peek()) is not None:
            if token.kind == "close":
                if top:
                    raise self._error("unbalanced parenthesis")
                break
            items.append(self._or())
        if not items:
            raise self._error("nothing to search for")
        return self._combine(items)

    def _or(self) -> _Item:
        first = self._and()
        alternatives = [first]
        while self._op("OR"):
            alternatives.append(self._and())
        if len(alternatives) == 1:
            return first
        return Or(tuple(_plain(item) for item in alternatives))

    def _and(self) -> _Item:
        first = self._unary()
        parts = [first]
        while self._op("AND"):
            parts.append(self._unary())
        if len(parts) == 1:
            return first
        return And(tuple(_plain(item) for item in parts))

    def _op(self, name: str) -> bool:
        token = self._peek()
        if token is not None and token.kind == "op" and token.text == name:
            self._next()
            if self._peek() is None or self._peek_is("close"):
                raise self._error(f"{name} with nothing after it")
            return True
        return False

    def _peek_is(self, kind: str) -> bool:
        token = self._peek()
        return token is not None and token.kind == kind

    def _unary(self) -> _Item:
        token = self._peek()
        if token is None:
            raise self._error("nothing to search for")
        if token.kind == "op":
            self._next()
            if token.text != "NOT":
                raise self._error(f"{token.text} with nothing before it")
            if self._peek() is None or self._peek_is("close"):
                raise self._error("NOT with nothing after it")
            return Not(_plain(self._unary()))
        if token.kind == "sign":
            self._next()
            return _Marked(token.text, _plain(self._unary()))
        if token.kind == "open":
            self._next()
            inner = self.group()
            if not self._peek_is("close"):
                raise self._error("unbalanced parenthesis")
            self._next()
            return inner
        if token.kind == "close":
            raise self._error("unbalanced parenthesis")
        return self._term()

    def _term(self) -> Node:
        token = self._next()
        if token.kind == "field":
            field = token.text.lower()
            value = self._peek()
            if value is None or value.kind not in ("word", "phrase", "op"):
                raise self._error(f"{field}: takes one word or a quoted phrase")
            self._next()
            if not value.text.strip():
                raise self._error(f"empty value for {field}:")
            if field in FILTER_FIELDS:
                return filter_node(field, value.text, self._expansions)
            return _text_node(cast(TextField, field), value, self._error)
        return _text_node("any", token, self._error)

    def _combine(self, items: list[_Item]) -> Node:
        """One group: required (+), left out (-, NOT), filters and optional items.

        Plain words side by side are alternatives that rank by how many
        match; a filter beside them restricts, as `site:` does in web search,
        and filters on one field are alternatives (`outlet:TASS
        outlet:Reuters`), on different fields all must hold.
        """
        required: list[Node] = []
        excluded: list[Node] = []
        optional: list[Node] = []
        filters: dict[str, list[Node]] = {}
        for item in items:
            if isinstance(item, _Marked):
                (required if item.sign == "+" else excluded).append(item.node)
            elif isinstance(item, Not):
                excluded.append(item.child)
            elif isinstance(item, Filter):
                filters.setdefault(item.field, []).append(item)
            else:
                optional.append(item)
        parts: list[Node] = []
        if required:
            only = len(required) == 1 and not optional
            parts.append(required[0] if only else And(tuple(required), tuple(optional)))
        elif optional:
            optional = [*optional, *self._spellings(optional)]
            parts.append(
                optional[0] if len(optional) == 1 else Or(tuple(optional), any_of=True)
            )
        parts += [
            same[0] if len(same) == 1 else Or(tuple(same)) for same in filters.values()
        ]
        parts += [Not(node) for node in excluded]
        if len(parts) == 1:
            return parts[0]
        flat = [c for p in parts for c in (_conjuncts(p))]
        return And(tuple(flat))

    def _spellings(self, optional: list[Node]) -> list[Node]:
        """Other spellings of the names among plain words or quoted alone:
        `Sergei Lavrov` also finds `Sergey Lavrov`."""
        spellings = self._expansions.spellings
        if spellings is None:
            return []
        words = " ".join(n.text for n in optional if isinstance(n, Word))
        names = _NAME_RUN.findall(words)
        names += [
            n.text
            for n in optional
            if isinstance(n, Phrase) and n.slop == 1 and _NAME_RUN.fullmatch(n.text)
        ]
        extra: list[Node] = []
        windows = [window for run in names for window in _windows(run)]
        seen = {name.casefold() for name in windows}
        for name in windows:
            for variant in sorted(spellings(name)):
                if " " in variant and variant.casefold() not in seen:
                    seen.add(variant.casefold())
                    extra.append(Phrase("any", variant, 1, spelling_of=name))
        return extra


def _windows(run: str) -> list[str]:
    """A run of capitalised words and every run of two or more inside it,
    longest first: `Sergei Lavrov NATO` holds the name `Sergei Lavrov`."""
    words = run.split()
    return [
        " ".join(words[start : start + size])
        for size in range(len(words), 1, -1)
        for start in range(len(words) - size + 1)
    ]


def _conjuncts(node: Node) -> tuple[Node, ...]:
    """An And without optional parts is its children; anything else itself."""
    if isinstance(node, And) and not node.optional:
        return node.children
    return (node,)


def _plain(item: _Item) -> Node:
    """An item outside a group: `+x` is x, `-x` is NOT x."""
    if isinstance(item, _Marked):
        return item.node if item.sign == "+" else Not(item.node)
    return item


def _text_node(
    field: TextField, token: _Token, error: Callable[[str], QueryError]
) -> Node:
    if token.kind == "phrase":
        if not token.text.strip():
            raise error("empty phrase")
        return Phrase(field, token.text, token.slop)
    text = token.text
    if "*" in text or "?" in text:
        if not text.strip("*?"):
            raise error(f"{text!r} matches every word: add letters to it")
        return Wildcard(field, text)
    return Word(field, text)
