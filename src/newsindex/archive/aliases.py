"""Pure rules for telling when two article-level names may name one entity.

An article stores `entity_key`s (`ingest/names.py`), which already fold
transliteration (`Sergey`/`Sergei`), case and hyphens (`Kim Jong-nam`/`Kim
Jong Nam`). Across articles a few more differences remain, and each has a
rule here:

- letters spelt out with dots: `U.N.` keys as `u n`, `UN` as `un` -> `un`,
  and British `-isation` (`Organisation`) as `-ization`;
- word order in hyphenated organisation names: `NATO-Russia Council` and
  `Russia-NATO Council` -> `nato russia council`;
- short forms of a person's name: `Lavrov` or `Tayyip Erdogan` shortens
  `Recep Tayyip Erdogan`, `Bashar Assad` and `Al Assad` shorten `Bashar
  al-Assad` (`shortens`); the archive joins them only when one full name
  owns the short form (see `archive/entities.py`);
- acronyms: `NATO` is the initials of `North Atlantic Treaty Organization`
  (`initials`), and `Full Name (ACR)` in a body pairs them (`paren_pairs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsindex.ingest.names import entity_key
from newsindex.records import Entity, EntityType

__all__ = [
    "acronym_surface",
    "initials",
    "join_letters",
    "name_node",
    "node_key",
    "org_bucket",
    "paren_pairs",
    "person_bucket",
    "shortens",
]

# Words left out of initials, as ingest/entities.py does: "Organization of
# Petroleum Exporting Countries" -> OPEC, "General Agreement on Tariffs and
# Trade" -> GATT.
_MINOR_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "de", "&"})
# `NATO`, `U.N.`, `EU`, `AT&T`: an all-capital token, dots allowed.
_ACRONYM = re.compile(r"^(?:The\s+)?([A-Z][A-Z&.]{1,9})$")
# Particles a short form may leave out: `Bashar Assad` for `Bashar al-Assad`.
_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "abu", "de", "del", "da", "di", "du", "la", "le",
     "van", "von", "der", "den", "ter", "dos", "das", "y"}
)  # fmt: skip
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")
_LETTER_RUN = re.compile(r"\b[a-z](?: [a-z]\b)+")
# `North Atlantic Treaty Organisation` (dai2017, one article) is NATO too.
_ISATION = re.compile(r"isation(s?)\b")
# `the Organization for Economic Cooperation and Development (OECD)`.
_PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Z.&]{1,9})\s*\)")


def node_key(entity: Entity) -> str:
    """The key an entity is matched by across articles (its stored key, normalised).

    Organisations and places join spelt-out letters (`u s treasury` -> `us
    treasury`); organisations also sort the parts of a hyphenated name when
    a surface form with that key has one (`Russia-NATO Council`).
    """
    if entity.type == "person":
        return entity.key
    key = entity.key
    if entity.type == "org":
        for variant in entity.variants:
            if _HYPHENATED.search(variant) and entity_key(variant, "org") == key:
                key = entity_key(_sort_hyphenated(variant), "org")
                break
    return _fold(key)


def name_node(name: str, type_: EntityType) -> str:
    """The node key of a name typed in a query, by the rules of `node_key`."""
    if type_ == "person":
        return entity_key(name, "person")
    if type_ == "org":
        name = _sort_hyphenated(name)
    return _fold(entity_key(name, type_))


def _fold(key: str) -> str:
    """Spelt-out letters joined, British `-isation` spelt `-ization`."""
    return _ISATION.sub(r"ization\1", join_letters(key))


def join_letters(key: str) -> str:
    """Join runs of single letters: `u n security council` -> `un security council`."""
    return _LETTER_RUN.sub(lambda m: m[0].replace(" ", ""), key)


def _sort_hyphenated(name: str) -> str:
    return _HYPHENATED.sub(
        lambda m: "-".join(sorted(m[0].split("-"), key=str.lower)), name
    )


def acronym_surface(variants: Iterable[str]) -> bool:
    """Whether a surface form is written as an acronym (`NATO`, `U.N.`)."""
    return any(_ACRONYM.match(" ".join(v.split())) for v in variants)


def initials(node: str) -> str | None:
    """The initials of a name of two or more words, minor words left out."""
    words = [w for w in node.split(" ") if w not in _MINOR_WORDS]
    if len(words) < 2:
        return None
    return "".join(w[0] for w in words)


def org_bucket(node: str) -> str:
    """The acronym an organisation or place node is grouped under.

    A one-word node (`nato`) is its own; a longer one goes under its initials
    (`north atlantic treaty organization` -> `nato`), or under itself when it
    has none.
    """
    if " " not in node:
        return node
    return initials(node) or node


def person_bucket(node: str) -> str:
    """A person node is grouped under its last word, the surname in most names."""
    return node.rsplit(" ", 1)[-1]


def shortens(short: str, full: str) -> bool:
    """Whether person node `short` may be a short form of `full`.

    Same last word, and then: a bare surname shortens any longer name
    (`lavrov` / `sergei lavrov`); two words shorten a longer name holding the
    first one with only initials or particles after it (`tayyip erdogan` /
    `recep tayyip erdogan`, `bashar assad` / `bashar al assad`, `george
    bush` / `george w bush`, but not `kim chol` / `kim jong chol`), or a
    two-word name whose first word it gives as an initial (`j stoltenberg` /
    `jens stoltenberg`). A name of three or more
    words only as initials of one of equal length: `george w bush` does
    *not* shorten `george h w bush`, they are two people.
    """
    s, f = short.split(" "), full.split(" ")
    if short == full or s[-1] != f[-1] or len(s) > len(f):
        return False
    if len(s) == 1:
        return len(f) > 1
    if len(s) == len(f):
        return all(
            a == b or (len(a) == 1 and b.startswith(a))
            for a, b in zip(s, f, strict=True)
        )
    if len(s) == 2:
        # The words skipped between the given name and the surname may only be
        # initials or particles: `kim chol` is not `kim jong chol`.
        return any(
            (s[0] == w or (len(s[0]) == 1 and w.startswith(s[0])))
            and all(len(m) == 1 or m in _PARTICLES for m in f[i + 1 : -1])
            for i, w in enumerate(f[:-1])
        )
    return False


def paren_pairs(
    body: str, entities: Iterable[Entity]
) -> list[tuple[EntityType, str, str]]:
    """(type, acronym, full name node) triples a body writes as `Full Name (ACR)`.

    The acronym need not be tagged: `U.S. Agriculture Department (USDA)`
    pairs `usda` with `us agriculture department`, though the initials differ.
    """
    pairs: list[tuple[EntityType, str, str]] = []
    for entity in entities:
        node = node_key(entity)
        if entity.type == "person" or " " not in node:
            continue
        for _, end in entity.mentions:
            match = _PAREN_ACRONYM.match(body, end, end + 16)
            if match:
                acronym = join_letters(entity_key(match[1], entity.type))
                if acronym and " " not in acronym and acronym != node:
                    pairs.append((entity.type, acronym, node))
    return pairs
