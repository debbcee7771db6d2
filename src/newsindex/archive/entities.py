"""The alias table: which article-level names are one entity across the archive.

Every entity of every article is a row of `names`, with the key the article
stores, the `node` it is matched by (`aliases.node_key`) and the unified
`entity` it resolves to, written `<type>:<head node>`. A row's entity
depends only on the rows of its *bucket*: a person's surname
(`lavrov`), an organisation's or place's acronym (`nato`, under which
`north atlantic treaty organization` files by its initials). `apply()`
re-resolves the buckets its articles touched and nothing else, and the
result is the same whatever order articles came in.

People (bucket: surname). A node that no other node of the bucket extends
is a *full name* and heads its own entity: `sergei lavrov`. A short form
(`lavrov`, `tayyip erdogan`, `al assad`; see `aliases.shortens`) joins the
one full name that extends it. If several do (`bush`: `george bush`, `jeb
bush`), it goes to one seen in ten times as many articles as any other;
failing that, each article's mention goes to the candidate whose other
articles share the most names with this one, when one clearly wins, and
stays apart (its own entity) when in doubt. Different first names never meet.

Organisations and places (bucket: acronym). A multi-word name heads its own
entity. An acronym row joins the expansion its own article gives (entities.py
merged `NATO` with `North Atlantic Treaty Organization` in raw/000 and
raw/004, or the body wrote `Full Name (ACR)`), else the expansion most
articles pair it with, else the one name in the archive whose initials it
is, when it is written in capitals somewhere (`NATO`, not `Fed`). An
acronym the gazetteer lists (`EU`, `UN`) is its own group's head: its forms
already share its key.

Types (`types.py`): a row's type is the archive's vote on its written form,
so one article's `Trump` tagged as an organisation is filed with the person.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable

from newsindex.archive.aliases import (
    initials,
    name_node,
    node_key,
    paren_pairs,
    shortens,
)
from newsindex.archive.types import placement, vote
from newsindex.ingest.acronyms import abbreviates
from newsindex.ingest.gazetteer import form_key, lookup
from newsindex.records import Article, EntityType

__all__ = [
    "FORM",
    "Bucket",
    "add_article",
    "remove_article",
    "resolve",
    "spelled_out",
]

Bucket = tuple[str, str]  # (type, surname or acronym), or (FORM, a written form)
FORM = "form"  # a touched written form, whose type vote is counted again
_SEP = "\x1f"
# Co-occurrence evidence: a candidate's context is read from at most this many
# of its articles (the smallest ids: the same sample whatever the order).
_CONTEXT_SAMPLE = 200
_MIN_EVIDENCE = 2  # names shared with one candidate's articles, not the others'
_PROMINENCE = 10  # a full name this many times as frequent takes a short form


def add_article(conn: sqlite3.Connection, n: int, article: Article) -> set[Bucket]:
    """Store article `n`'s entities, their written forms and acronym pairs; return
    the buckets touched (the forms among them as `(FORM, form)`)."""
    touched: set[Bucket] = set()
    for entity in article.entities:
        # Stored under the article's type; `types.vote` may move it when the
        # archive's mentions of its form clearly say otherwise.
        type_: EntityType = entity.type
        variants = sorted(
            {" ".join(v.split()) for v in entity.variants or (entity.name,)}
        )
        node, bucket, acronym = placement(type_, node_key(entity), variants)
        form = form_key(entity.name)
        cursor = conn.execute(
            "INSERT INTO names (n, type, tagged, key, node, tagged_node, name, form, "
            "bucket, acronym, variants, mentions, entity) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (n, type_, type_, entity.key, node, node, entity.name, form, bucket,
             acronym, _SEP.join(variants), len(entity.mentions), f"{type_}:{node}"),
        )  # fmt: skip
        written = Counter(form_key(article.body[s:e]) for s, e in entity.mentions)
        conn.executemany(
            "INSERT INTO forms (row, n, form, type, mentions) VALUES (?, ?, ?, ?, ?)",
            ((cursor.lastrowid, n, f, type_, c) for f, c in written.items() if f),
        )
        touched |= {(type_, bucket), (FORM, form)}
        touched |= {(FORM, f) for f in written}
    pairs = _pairs(article)
    conn.executemany(
        "INSERT INTO pairs (n, type, acronym, full) VALUES (?, ?, ?, ?)",
        ((n, t, a, f) for t, a, f in pairs),
    )
    return touched | {(t, a) for t, a, _ in pairs}


def remove_article(conn: sqlite3.Connection, n: int) -> set[Bucket]:
    """Forget article `n`'s rows and pairs; return the buckets and forms touched."""
    touched = set(conn.execute("SELECT type, bucket FROM names WHERE n = ?", (n,)))
    touched |= set(conn.execute("SELECT type, acronym FROM pairs WHERE n = ?", (n,)))
    touched |= {
        (FORM, f) for (f,) in conn.execute("SELECT form FROM forms WHERE n = ?", (n,))
    }
    conn.execute("DELETE FROM names WHERE n = ?", (n,))
    conn.execute("DELETE FROM forms WHERE n = ?", (n,))
    conn.execute("DELETE FROM pairs WHERE n = ?", (n,))
    return touched


def resolve(conn: sqlite3.Connection, buckets: Iterable[Bucket]) -> None:
    """Re-vote the touched forms' types, then recompute the entity of every row
    in the touched buckets (those the vote moved rows out of and into too)."""
    buckets = set(buckets)
    forms = {bucket for type_, bucket in buckets if type_ == FORM}
    buckets = {b for b in buckets if b[0] != FORM} | vote(conn, forms)
    for type_, bucket in sorted(buckets):
        if type_ == "person":
            _resolve_people(conn, bucket)
        else:
            _resolve_acronym(conn, type_, bucket)


def _pairs(article: Article) -> set[tuple[EntityType, str, str]]:
    """Acronym pairs an article shows: merged by entities.py, or `Name (ACR)`."""
    pairs = set(paren_pairs(article.body, article.entities))
    for entity in article.entities:
        node = node_key(entity)
        if entity.type == "person" or " " in node:
            continue
        for variant in entity.variants:
            full = name_node(variant, entity.type)
            if " " in full and initials(full) == node:
                pairs.add((entity.type, node, full))
    return pairs


def _resolve_acronym(conn: sqlite3.Connection, type_: str, acronym: str) -> None:
    rows = conn.execute(
        "SELECT id, n, acronym FROM names WHERE type = ? AND node = ?",
        (type_, acronym),
    ).fetchall()
    if not rows:
        return
    known = lookup(acronym)
    if known is not None and known.key == acronym:
        # The gazetteer joined this acronym's forms already (`EU`, `European
        # Union`); the archive's one other name with its initials is another
        # body (dai2017: every EU row went to `Energy Union`).
        conn.executemany(
            "UPDATE names SET entity = ? WHERE id = ?",
            ((f"{type_}:{acronym}", row_id) for row_id, _, _ in rows),
        )
        return
    paired: dict[int, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    for n, full in conn.execute(
        "SELECT DISTINCT n, full FROM pairs WHERE type = ? AND acronym = ?",
        (type_, acronym),
    ):
        paired[n].add(full)
        counts[full] += 1
    default = _default_expansion(conn, type_, acronym, counts, rows)
    updates = []
    for row_id, n, _ in rows:
        own = paired.get(n)
        # An article that spells it out itself means that expansion, for sure.
        head = min(own, key=lambda f: (-counts[f], f)) if own else default or acronym
        updates.append((f"{type_}:{head}", row_id))
    conn.executemany("UPDATE names SET entity = ? WHERE id = ?", updates)


def _default_expansion(
    conn: sqlite3.Connection,
    type_: str,
    acronym: str,
    counts: Counter[str],
    rows: list[tuple[int, int, int]],
) -> str | None:
    """The expansion a bare acronym means, or None when in doubt."""
    if counts:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
            return ranked[0][0]
        return None
    if not any(is_acronym for _, _, is_acronym in rows):
        return None
    return spelled_out(conn, type_, acronym)


def spelled_out(conn: sqlite3.Connection, type_: str, acronym: str) -> str | None:
    """The one name of the archive that a bare acronym spells, or None.

    The name must be written in words the acronym spells (`abbreviates`):
    the bucket `dc` also holds dai2017's `D-Conn` (a senator's party and
    state), which is one word, and no expansion of `D.C.`.
    """
    spelled = {
        node
        for node, variants in conn.execute(
            "SELECT node, variants FROM names WHERE type = ? AND bucket = ? "
            "AND node != ?",
            (type_, acronym, acronym),
        )
        if any(abbreviates(acronym, v) for v in variants.split(_SEP))
    }
    return spelled.pop() if len(spelled) == 1 else None


def _resolve_people(conn: sqlite3.Connection, surname: str) -> None:
    rows = conn.execute(
        "SELECT names.id, names.n, names.node, articles.id FROM names "
        "JOIN articles ON articles.n = names.n "
        "WHERE names.type = 'person' AND names.bucket = ?",
        (surname,),
    ).fetchall()
    nodes = {node for _, _, node, _ in rows}
    full = sorted(m for m in nodes if not any(shortens(m, o) for o in nodes))
    heads = {node: _heads(node, nodes, full) for node in nodes}
    _prefer_prominent(rows, heads)
    choice: dict[tuple[int, str], str] = {}
    unsure = [(n, node) for _, n, node, _ in rows if len(heads[node]) > 1]
    if unsure:
        choice = _by_cooccurrence(conn, surname, rows, heads, unsure)
    updates = []
    for row_id, n, node, _ in rows:
        found = heads[node]
        head = found[0] if len(found) == 1 else choice.get((n, node), node)
        updates.append((f"person:{head}", row_id))
    conn.executemany("UPDATE names SET entity = ? WHERE id = ?", updates)


def _heads(node: str, nodes: set[str], full: list[str]) -> list[str]:
    """The full names `node` may shorten (itself, if it is one)."""
    if node in full:
        return [node]
    direct = [m for m in full if shortens(node, m)]
    if direct:
        return direct
    # Only through a middle form: `g bush` -> `george bush` -> `george w bush`.
    via = {
        h for m in nodes if shortens(node, m) for h in _heads(m, nodes - {node}, full)
    }
    return sorted(via) or [node]


def _prefer_prominent(
    rows: list[tuple[int, int, str, str]], heads: dict[str, list[str]]
) -> None:
    """Give a short form to the full name seen ten times as often as the others.

    NER leaves stray full names in a big bucket (dai2017: `though donald
    trump`, `hamenei donald trump`, each in one article) beside `donald j
    trump`; they are no reason to doubt that `donald trump` is him. Longer
    short forms settle first, so `trump` then counts `donald trump`'s articles.
    """
    articles_of: dict[str, set[int]] = defaultdict(set)
    for _, n, node, _ in rows:
        articles_of[node].add(n)
    support: dict[str, set[int]] = defaultdict(set)
    for node, found in heads.items():
        if len(found) == 1:
            support[found[0]] |= articles_of[node]
    unsure = [node for node, found in heads.items() if len(found) > 1]
    for node in sorted(unsure, key=lambda n: (-len(n.split(" ")), n)):
        best, *rest = sorted(heads[node], key=lambda h: (-len(support[h]), h))
        if len(support[best]) >= _PROMINENCE * max(len(support[h]) for h in rest):
            heads[node] = [best]
            support[best] |= articles_of[node]


def _by_cooccurrence(
    conn: sqlite3.Connection,
    surname: str,
    rows: list[tuple[int, int, str, str]],
    heads: dict[str, list[str]],
    unsure: list[tuple[int, str]],
) -> dict[tuple[int, str], str]:
    """(article, short form) -> full name, where several full names could own it."""
    articles_of: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for _, n, node, article_id in rows:
        if len(heads[node]) == 1:
            articles_of[heads[node][0]].add((article_id, n))
    sample = {
        head: {n for _, n in sorted(arts)[:_CONTEXT_SAMPLE]}
        for head, arts in articles_of.items()
    }
    wanted = set().union(*sample.values(), (n for n, _ in unsure))
    context = _contexts(conn, surname, wanted)
    seen_with: dict[str, set[str]] = {
        head: set().union(*(context.get(n, set()) for n in arts))
        for head, arts in sample.items()
    }
    choice: dict[tuple[int, str], str] = {}
    for n, node in unsure:
        candidates = heads[node]
        shared_by_all = set.intersection(*(seen_with.get(c, set()) for c in candidates))
        scores = sorted(
            (
                (
                    len(
                        (context.get(n, set()) & seen_with.get(c, set()))
                        - shared_by_all
                    ),
                    c,
                )
                for c in candidates
            ),
            key=lambda sc: (-sc[0], sc[1]),
        )
        best, runner_up = scores[0][0], scores[1][0]
        if best >= _MIN_EVIDENCE and best >= 2 * runner_up:
            choice[(n, node)] = scores[0][1]
    return choice


def _contexts(
    conn: sqlite3.Connection, surname: str, articles: set[int]
) -> dict[int, set[str]]:
    """Article -> its other names: people by surname, the rest by node."""
    out: dict[int, set[str]] = defaultdict(set)
    ordered = sorted(articles)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for n, type_, node, bucket in conn.execute(
            f"SELECT n, type, node, bucket FROM names WHERE n IN ({marks})", chunk
        ):
            if type_ != "person":
                out[n].add(f"{type_}:{node}")
            elif bucket != surname:  # `Volcker` and `Paul Volcker` alike
                out[n].add(f"person:{bucket}")
    return out
