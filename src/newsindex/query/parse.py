"""Query text -> a Whoosh query, with friendly field names and checked syntax.

Whoosh's parser never rejects anything: `"oil` parses as a term and
`nosuchfield:oil` as two text terms. So quotes, brackets and field names are
checked here first, and a malformed query is a QueryError that quotes it.

Filter fields (`outlet:`, `entity:`, `byline:`, `place:`) are taken out of the
text and turned into exact filters: an outlet matches through any alias of
its registry entry, an entity through its canonical key, so either spelling
of a name finds both. What remains goes to Whoosh over `title` and `text`,
where plain words combine as in web search (any may match, more matches rank
higher), `+word` or `AND` requires a word, and `"a b"~3` is a proximity
phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from whoosh import qparser
from whoosh import query as wquery
from whoosh.fields import Schema

from newsindex.errors import QueryError
from newsindex.ingest.names import entity_key
from newsindex.ingest.outlet import OutletRegistry

__all__ = ["FIELDS", "entity_filter", "outlet_filter", "parse_query"]

FILTER_FIELDS = ("byline", "entity", "outlet", "place")
TEXT_FIELDS = ("text", "title")
FIELDS = tuple(sorted(FILTER_FIELDS + TEXT_FIELDS))
_MAX_QUERY = 2000

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"'})
_FIELD = re.compile(r"(?<![\w.:/])([A-Za-z_][\w-]*):(?=[^\s:/])")
_FILTER = re.compile(
    r"(?P<sign>[+-]?)\b(?P<field>byline|entity|outlet|place):"
    r'(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s()"]+))',
    re.IGNORECASE,
)
Aliases = Callable[[str], frozenset[str]]  # a name -> every key of its entity
# A run of two to four capitalised words, quoted or not: a name to respell.
_NAME_RUN = re.compile(r"(?<!\w)([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})")
_OPERATORS = re.compile(r"^(?:AND|OR|NOT|ANDNOT|ANDMAYBE)$")


def parse_query(
    text: str,
    schema: Schema,
    registry: OutletRegistry | None = None,
    aliases: Aliases | None = None,
    spellings: Aliases | None = None,
) -> wquery.Query:
    """Parse query text into a Whoosh query over passages; QueryError if malformed.

    With `spellings` (the archive's), a person's name in the free text also
    matches the other ways the archive writes it: `Sergei Lavrov` finds
    `Sergey Lavrov`.
    """
    query = text.translate(_QUOTES).strip()
    if not query:
        raise QueryError("empty query", query=text)
    if len(query) > _MAX_QUERY:
        raise QueryError(
            f"query too long ({len(query)} characters, at most {_MAX_QUERY})",
            query=text,
        )
    _check_syntax(query, text)
    registry = registry or OutletRegistry.default()
    # Filters on one field are alternatives (outlet:TASS outlet:Reuters), on
    # different fields all must hold, as facet filters work.
    required: dict[str, list[wquery.Query]] = {}
    excluded: list[wquery.Query] = []
    for match in _FILTER.finditer(query):
        value = (
            match.group("quoted")
            if match.group("quoted") is not None
            else match.group("bare")
        )
        if not value.strip():
            raise QueryError(
                f"empty value for {match.group('field')}: in query: {text!r}",
                query=text,
            )
        field = match.group("field").lower()
        clause = field_filter(field, value, registry, aliases)
        if match.group("sign") == "-":
            excluded.append(clause)
        else:
            required.setdefault(field, []).append(clause)
    rest = _FILTER.sub(" ", query).strip()
    rest = _FIELD.sub(lambda m: f"{m.group(1).lower()}:", rest)
    parts: list[wquery.Query] = []
    if rest and not all(_OPERATORS.match(w) for w in rest.split()):
        parsed = _excluding(_text_parser(schema).parse(rest))
        if parsed is wquery.NullQuery:
            raise QueryError(f"no searchable words in query: {text!r}", query=text)
        if spellings is not None:
            parsed = _with_spellings(parsed, rest, schema, spellings)
        parts.append(parsed)
    parts.extend(
        clauses[0] if len(clauses) == 1 else wquery.Or(clauses)
        for clauses in required.values()
    )
    if not parts:
        parts.append(wquery.Every())
    combined: wquery.Query = parts[0] if len(parts) == 1 else wquery.And(parts)
    if excluded:
        combined = wquery.AndNot(combined, wquery.Or(excluded))
    return combined


def _excluding(query: wquery.Query) -> wquery.Query:
    """Make `NATO NOT regret` exclude: NOT beside words that may match.

    Whoosh reads it as `NATO OR (NOT regret)`, which matches nearly every
    passage; as in web search, a NOT among alternatives excludes.
    """
    if isinstance(query, wquery.Or):
        children = [_excluding(child) for child in query.subqueries]
        negated = [child.query for child in children if isinstance(child, wquery.Not)]
        kept = [child for child in children if not isinstance(child, wquery.Not)]
        if negated and kept:
            either = kept[0] if len(kept) == 1 else wquery.Or(kept, boost=query.boost)
            exclude = negated[0] if len(negated) == 1 else wquery.Or(negated)
            return wquery.AndNot(either, exclude)
        return wquery.Or(children, boost=query.boost)
    if isinstance(query, wquery.CompoundQuery):
        return query.apply(_excluding)
    return query


def field_filter(
    field: str,
    value: str,
    registry: OutletRegistry,
    aliases: Aliases | None = None,
) -> wquery.Query:
    """Return the exact filter for one `field:value` pair."""
    if field == "outlet":
        return outlet_filter(value, registry)
    if field == "entity":
        return entity_filter(value, aliases)
    return wquery.Term(field, " ".join(value.split()).lower())


def outlet_filter(value: str, registry: OutletRegistry) -> wquery.Query:
    """Match an outlet by its canonical name or any alias (`ITAR-TASS` -> TASS)."""
    keys = registry.keys_for(value)
    terms = [wquery.Term("outlet", key) for key in keys]
    return terms[0] if len(terms) == 1 else wquery.Or(terms)


def entity_filter(value: str, aliases: Aliases | None = None) -> wquery.Query:
    """Match an entity by canonical key: `Sergei Lavrov` finds `Sergey Lavrov` too.

    A one-word name also matches the full names it ends: `Lavrov` finds
    `sergei lavrov`. `aliases` (the archive's alias table) adds the keys of
    every other name of the same entity: `NATO` finds `North Atlantic Treaty
    Organization`.
    """
    keys = {entity_key(value, "person"), entity_key(value, "org")} - {""}
    if aliases is not None and keys:
        keys |= aliases(value)
    if not keys:
        raise QueryError(f"no name in entity filter: {value!r}", query=value)
    clauses: list[wquery.Query] = [wquery.Term("entity", key) for key in sorted(keys)]
    for key in sorted(keys):
        if " " not in key:
            clauses.append(wquery.Wildcard("entity", f"* {key}"))
    return clauses[0] if len(clauses) == 1 else wquery.Or(clauses)


def _with_spellings(
    parsed: wquery.Query, text: str, schema: Schema, spellings: Aliases
) -> wquery.Query:
    """Add the other spellings of names in `text` as alternatives (any may match)."""
    if not isinstance(parsed, wquery.Or):
        return parsed  # explicit AND / +word: the user's structure stands
    extra: list[wquery.Query] = []
    for name in _NAME_RUN.findall(text):
        for variant in sorted(spellings(name)):
            if " " in variant and variant.casefold() != name.casefold():
                extra.append(_text_parser(schema).parse(f'"{variant}"'))
    if not extra:
        return parsed
    return wquery.Or([*parsed.subqueries, *extra], scale=parsed.scale)


def _check_syntax(query: str, original: str) -> None:
    if query.count('"') % 2:
        raise QueryError(f"unbalanced quote in query: {original!r}", query=original)
    unquoted = re.sub(r'"[^"]*"', " ", query)
    depth = 0
    for ch in unquoted:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        raise QueryError(
            f"unbalanced parenthesis in query: {original!r}", query=original
        )
    for match in _FIELD.finditer(unquoted):
        if match.group(1).lower() not in FIELDS:
            raise QueryError(
                f"unknown field {match.group(1)!r} in query: {original!r} "
                f"(fields: {', '.join(FIELDS)})",
                query=original,
            )


def _text_parser(schema: Schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(TEXT_FIELDS), schema, group=qparser.OrGroup.factory(0.9)
    )
    parser.add_plugin(qparser.PlusMinusPlugin())
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.add_plugin(qparser.FieldsPlugin(expr=r"(?P<text>text|title):"))
    return parser
