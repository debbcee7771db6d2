"""An entity's type by the vote of its mentions across the archive.

The model types each mention in its article, and an article votes once
(`ingest/entities.py`); across the archive one article's misreading can
still file a name under another type: dai2017's `Trump` tagged as an
organisation (the small English model reads the bare surname as ORG 2,548
times, PERSON 2,035, beside 997 PERSON `Donald Trump`s).
Each row of `names` is voted on its written form (`gazetteer.form_key` of
its name): every row that writes that form somewhere (`Donald Trump` rows
that also say `Trump`) counts all its mentions for the type its article
gave it, and a type with more than half of them takes the row. Without a
majority the article's type stands, and a form the gazetteer lists keeps
the gazetteer's. The vote of a form depends only on the rows that write
it, so `vote` re-counts the forms an update touched and nothing else.

A plain majority spreads the model's commonest misreading of a place: the
small English model tags dai2017's `Kiev` a person and `Minsk` an
organisation in more stories than it tags them places. So where CLDR names
the form as a place (`ingest/places.py`: countries, regions, the cities of
time zones), each mention tagged as a place counts `_KNOWN_PLACE_WEIGHT`
times: the place keeps its type unless another has more than that many
times its mentions, and the rows that misread it become the place. spaCy's
greedy NER gives no per-mention confidence to weigh by; the list is the
evidence it lacks.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

from newsindex.archive.aliases import (
    acronym_surface,
    name_node,
    org_bucket,
    person_bucket,
)
from newsindex.ingest.gazetteer import lookup
from newsindex.ingest.names import entity_key
from newsindex.ingest.places import is_known_place
from newsindex.records import EntityType

__all__ = ["placement", "vote"]

_SEP = "\x1f"
# How many mentions one place mention of a known place counts for: dai2017's
# `Minsk`, tagged ORG in 22 stories and a place in 13, went to org in all 35
# under a plain majority, and `Kiev` (person 27, place 17, org 10) to person;
# a name tagged as something else more than 4 times as often is not kept.
_KNOWN_PLACE_WEIGHT = 4


def placement(
    type_: EntityType, node: str, variants: Iterable[str]
) -> tuple[str, str, int]:
    """(node, bucket, acronym flag) of a name's node under `type_`."""
    if type_ == "person":
        return node, person_bucket(node), 0
    acronym = " " not in node and acronym_surface(variants)
    return node, org_bucket(node), int(acronym)


def vote(conn: sqlite3.Connection, forms: Iterable[str]) -> set[tuple[str, str]]:
    """Re-type the rows written in `forms`; return the (type, bucket)s they left
    and joined."""
    touched: set[tuple[str, str]] = set()
    for form in sorted(set(forms)):
        counts: Counter[str] = Counter(
            dict(
                conn.execute(
                    "SELECT type, SUM(mentions) FROM forms WHERE row IN "
                    "(SELECT row FROM forms WHERE form = ?) GROUP BY type",
                    (form,),
                ).fetchall()
            )
        )
        if "place" in counts and is_known_place(form):
            counts["place"] *= _KNOWN_PLACE_WEIGHT
        rows = conn.execute(
            "SELECT id, type, tagged, tagged_node, name, variants, bucket "
            "FROM names WHERE form = ?",
            (form,),
        ).fetchall()
        for row_id, current, tagged, tagged_node, name, variants, bucket in rows:
            new = _winner(tagged, counts, name)
            if new == current:
                continue
            node = tagged_node if new == tagged else _node(name, new)
            node, new_bucket, acronym = placement(new, node, variants.split(_SEP))
            conn.execute(
                "UPDATE names SET type = ?, node = ?, bucket = ?, acronym = ?, "
                "entity = ? WHERE id = ?",
                (new, node, new_bucket, acronym, f"{new}:{node}", row_id),
            )
            touched |= {(current, bucket), (new, new_bucket)}
    return touched


def _winner(tagged: EntityType, counts: Counter[str], name: str) -> EntityType:
    if lookup(name) is not None:
        return tagged
    best = max(counts, key=lambda t: (counts[t], t == tagged, t), default=tagged)
    if best != tagged and 2 * counts[best] > counts.total():
        return best  # type: ignore[return-value]  # a names.type value
    return tagged


def _node(name: str, type_: EntityType) -> str:
    return entity_key(name, "person") if type_ == "person" else name_node(name, type_)
