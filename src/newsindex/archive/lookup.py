"""Reading the alias table: a name's keys, and the entity facet view."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import UTC, datetime

from newsindex.archive.aliases import (
    acronym_surface,
    name_node,
    person_bucket,
    shortens,
)
from newsindex.archive.entities import spelled_out
from newsindex.archive.results import EntitySummary
from newsindex.ingest.gazetteer import lookup
from newsindex.ingest.names import entity_key
from newsindex.records import EntityType

__all__ = ["articles_naming", "entity_keys", "summaries", "utc_key"]

_SEP = "\x1f"


def entity_keys(conn: sqlite3.Connection, name: str) -> frozenset[str]:
    """Every stored key of the entities `name` may name, and its own keys.

    A full name gives its entity's keys; a short form (`Lavrov`, `Bush`)
    gives those of every full name it may shorten, as a search for it should.
    """
    # A listed form (`UN`) names its gazetteer group, not Kim Jong-un.
    listed = lookup(name) is not None
    own = {entity_key(name, "org")} if listed else {entity_key(name, "person")}
    own = (own | {entity_key(name, "org")}) - {""}
    heads = set() if listed else _person_heads(conn, entity_key(name, "person"))
    for type_ in ("org", "place"):
        heads |= _org_heads(conn, name, type_)
    keys = set(own)
    for head in sorted(heads):
        keys.update(k for (k,) in conn.execute(
            "SELECT DISTINCT key FROM names WHERE entity = ?", (head,)
        ))  # fmt: skip
    return frozenset(keys)


def summaries(
    conn: sqlite3.Connection,
    *,
    type_: EntityType | None,
    since: datetime | None,
    article_ids: Collection[str] | None,
    limit: int | None,
) -> list[EntitySummary]:
    """One summary per entity: most articles first, then most mentions."""
    where, params = ["1"], []  # type: list[str], list[object]
    if type_ is not None:
        where.append("names.type = ?")
        params.append(type_)
    if since is not None:
        where.append("articles.sort_key >= ?")
        params.append(utc_key(since))
    if article_ids is not None:
        where.append("articles.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(article_ids)))
    condition = " AND ".join(where)
    top = conn.execute(
        "SELECT names.entity, COUNT(DISTINCT names.n) AS c, MIN(articles.sort_key), "
        "MAX(articles.sort_key) FROM names JOIN articles ON articles.n = names.n "
        f"WHERE {condition} GROUP BY names.entity "
        "ORDER BY c DESC, SUM(names.mentions) DESC, names.entity LIMIT ?",
        (*params, -1 if limit is None else limit),
    ).fetchall()
    rows: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for entity, n, key, variants in conn.execute(
        "SELECT names.entity, names.n, names.key, names.variants FROM names "
        "JOIN articles ON articles.n = names.n "
        f"WHERE {condition} AND names.entity IN (SELECT value FROM json_each(?))",
        (*params, json.dumps([e for e, _, _, _ in top])),
    ):
        rows[entity].append((n, key, variants))
    return [
        _summary(entity, count, first, last, rows[entity])
        for entity, count, first, last in top
    ]


def articles_naming(
    conn: sqlite3.Connection,
    keys: Collection[str],
    surnames: Collection[str],
    article_ids: Collection[str],
) -> int:
    """How many of `article_ids` store one of `keys`, or a key ending in one of
    `surnames` as its last word: what an entity Filter node matches (the
    engines read `surnames` as the wildcard `* surname`)."""
    match = ["names.key IN (SELECT value FROM json_each(?))"]
    match += ["(length(names.key) > ? AND substr(names.key, ?) = ?)"] * len(surnames)
    tails: list[object] = []
    for surname in surnames:
        tail = f" {surname}"
        tails += [len(tail), -len(tail), tail]
    (count,) = conn.execute(
        "SELECT COUNT(DISTINCT names.n) FROM names JOIN articles "
        "ON articles.n = names.n "
        "WHERE articles.id IN (SELECT value FROM json_each(?)) "
        f"AND ({' OR '.join(match)})",
        (json.dumps(sorted(article_ids)), json.dumps(sorted(keys)), *tails),
    ).fetchone()
    return int(count)


def utc_key(when: datetime) -> str:
    """A datetime as the archive sorts it: UTC (naive read as UTC), ISO seconds."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.isoformat(timespec="seconds")


def _summary(
    entity: str,
    count: int,
    first: str | None,
    last: str | None,
    rows: list[tuple[int, str, str]],
) -> EntitySummary:
    keys: dict[str, set[int]] = defaultdict(set)
    forms: dict[str, set[int]] = defaultdict(set)
    for n, key, variants in rows:
        keys[key].add(n)
        for form in variants.split(_SEP):
            forms[form].add(n)
    type_ = entity.split(":", 1)[0]
    # The spelling of two or more words most articles use (`Donald Trump`,
    # not the stray `Donald Trump -` or `NATO &`), else the commonest; a
    # dateline's capitals (`BRUSSELS`) lose a tie.
    name = min(forms, key=lambda f: (_words(f) < 2, -len(forms[f]), f.isupper(), f))
    head = entity.split(":", 1)[1]
    key = min(keys, key=lambda k: (-len(keys[k]), k != head, k))
    return EntitySummary(
        key=key,
        name=name,
        type=type_,  # type: ignore[arg-type]  # the row's type, an EntityType
        variants=tuple(sorted(forms)),
        articles=count,
        first=datetime.fromisoformat(first) if first else None,
        last=datetime.fromisoformat(last) if last else None,
    )


def _words(form: str) -> int:
    """Words with a letter or digit in them: `NATO &` has one."""
    return sum(1 for w in form.split() if any(c.isalnum() for c in w))


def _entities_of(conn: sqlite3.Connection, type_: str, node: str) -> set[str]:
    """The entities of the rows matched by, stored as, or headed by `node`."""
    # One indexed lookup each: an OR of three columns would scan every row.
    found = conn.execute(
        "SELECT type, entity FROM names WHERE node = ? "
        "UNION SELECT type, entity FROM names WHERE key = ? "
        "UNION SELECT type, entity FROM names WHERE entity = ?",
        (node, node, f"{type_}:{node}"),
    )
    return {entity for row_type, entity in found if row_type == type_}


def _person_heads(conn: sqlite3.Connection, node: str) -> set[str]:
    if not node:
        return set()
    heads = _entities_of(conn, "person", node)
    nodes = {
        n
        for (n,) in conn.execute(
            "SELECT DISTINCT node FROM names WHERE type = 'person' AND bucket = ?",
            (person_bucket(node),),
        )
    }
    full = [m for m in nodes if not any(shortens(m, o) for o in nodes)]
    return heads | {f"person:{m}" for m in full if shortens(node, m)}


def _org_heads(conn: sqlite3.Connection, name: str, type_: str) -> set[str]:
    node = name_node(name, type_)  # type: ignore[arg-type]  # "org" or "place"
    if not node:
        return set()
    heads = _entities_of(conn, type_, node)
    if heads or " " in node:
        return heads
    # An acronym no article wrote alone: its expansion, if the archive knows one.
    counts: Counter[str] = Counter(
        dict(
            conn.execute(
                "SELECT full, COUNT(DISTINCT n) FROM pairs WHERE type = ? "
                "AND acronym = ? GROUP BY full",
                (type_, node),
            ).fetchall()
        )
    )
    if counts:
        return {f"{type_}:{full}" for full, _ in counts.most_common(1)}
    if acronym_surface([name]):
        spelled = spelled_out(conn, type_, node)
        if spelled is not None:
            return {f"{type_}:{spelled}"}
    return set()


def spellings(conn: sqlite3.Connection, name: str) -> frozenset[str]:
    """Every surface form of the person `name` names: `Sergei Lavrov` gives
    `Sergey Lavrov` and `Lavrov` too. Empty when no stored person matches."""
    keys = entity_keys(conn, name)
    if not keys:
        return frozenset()
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT variants FROM names WHERE type = 'person' AND key IN ({marks})",
        sorted(keys),
    )
    return frozenset(v for (joined,) in rows for v in joined.split("\x1f") if v)
