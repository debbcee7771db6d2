"""Republication clusters: near-duplicate articles, found as they arrive.

Each article's title and body become a set of word 5-shingles, sketched with
datasketch's MinHash (256 permutations). The first 128 values, cut into 64
bands of 2, are the LSH keys stored in `bands`: an arriving article finds
its candidates with one indexed lookup. Two rows per band keep a trimmed
copy reachable: a copy that keeps a quarter of the story has a Jaccard
similarity of only 0.25, and still shares a band with it with probability
1 - (1 - 0.25²)^64 = 0.98.

A candidate is verified by *containment* of the smaller text in the larger,
estimated from the sketch's Jaccard J and the shingle counts (|A∩B| =
J(|A|+|B|)/(1+J)): at 0.7 or more the two are copies and an edge joins them.
On Reuters-21578, re-edited repeats of a story (`The Pioneer Group Inc said
... has been granted` / `... was granted`) have a containment of 0.79, while
template stories (monthly dividends of different Franklin funds) stay below
0.55. A template told again with new figures is not a copy either: the daily
`FED ADDS RESERVES VIA CUSTOMER REPURCHASES` differs from day to day only in
its figures (`1.5 billion dlrs` / `two billion dlrs`, `6-1/8 pct`), so two
texts that both have figures must share more than half of the smaller set
(number words read as digits, the dateline's day left out). Copies keep
their figures (a trim keeps a subset); on Reuters every edge this rule drops
is such a template (the Fed story, USDA's weekly cotton price).

A cluster is a connected component of the edges. Adding an article merges
the clusters of its copies; removing one recomputes its cluster's
components from the remaining edges, so a cluster splits when its bridge
goes. The edges do not depend on the order articles arrived in, and a
cluster's id is its smallest member id, so `rebuild` equals any sequence of
`apply`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from newsindex.archive.results import ClusterInfo, Member
from newsindex.records import Article

if TYPE_CHECKING:
    import numpy as np
    from datasketch import LeanMinHash

# datasketch (and with it NumPy and SciPy, most of a second to import) is
# imported where articles are sketched, not by a search that reads clusters.

__all__ = [
    "REPUBLICATION_DAYS",
    "Sketch",
    "add_article",
    "clusters_of",
    "remove_article",
    "sketch_articles",
]

REPUBLICATION_DAYS = 7
_SHINGLE = 5  # words per shingle
_CHUNK = 500  # ids to one SQL statement (SQLite allows 32,766 parameters)
_NUM_PERM = 256
_SEED = 1
_SCHEME = "affine32"  # datasketch >= 2 wants it named to read stored values back
_BANDS, _ROWS = 64, 2  # over the first 128 values
_CONTAINMENT = 0.7
# Fewer equal values than this is noise, whatever the sizes say: a 20-shingle
# brief and a 2,000-shingle story that share two values would "contain" 0.8.
_MIN_MATCHES = 8
# Below this many shingles (a dividend notice: `E-SYSTEMS INC <ESY> SETS
# QUARTERLY ... Qtly div 12-1/2 cts vs 12-1/2 cts prior Pay April One`) only
# a near-identical text is a copy: notices of two firms differ in a few words.
_MIN_SHINGLES = 20
_SMALL_JACCARD = 0.8
_FIGURE_SHARE = 0.5
_MAX_FIGURES = 200
_WORD = re.compile(r"[^\W_]+")
# Wire style spells small numbers (`two billion dlrs`, `Pay April One`).
_SPELT = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve",
)  # fmt: skip
_NUMBER_WORDS = {word: str(value) for value, word in enumerate(_SPELT)}
_FIGURE = re.compile(
    r"\d(?:[\d.,/-]*\d)?|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE
)  # 1.5, 6-1/8, 1987, two


class Sketch(Struct, frozen=True):
    """An article's shingle count, MinHash values (None: no shingles), figures."""

    shingles: int
    values: np.ndarray | None
    figures: frozenset[str]


def sketch_articles(articles: Sequence[Article]) -> list[Sketch]:
    """Sketch the titles and bodies of a batch of articles."""
    from datasketch import MinHash

    texts = [f"{a.title or ''}\n{a.body}" for a in articles]
    sets = [_shingles(text) for text in texts]
    figures = [_figures(a) for a in articles]
    hashed = MinHash.bulk(
        ([s.encode("utf-8") for s in shingles] for shingles in sets),
        num_perm=_NUM_PERM,
        seed=_SEED,
        scheme=_SCHEME,
    )
    return [
        Sketch(len(s), m.hashvalues.astype("<u4") if s else None, f)
        for s, m, f in zip(sets, hashed, figures, strict=True)
    ]


def add_article(conn: sqlite3.Connection, n: int, sketch: Sketch) -> None:
    """Index article `n`'s sketch and join it to the clusters of its copies.

    The article's row must exist, with `cluster` set to its own id.
    """
    if sketch.values is None:
        return
    keys = _band_keys(sketch.values)
    marks = ",".join("?" * len(keys))
    candidates = conn.execute(
        f"SELECT DISTINCT a.n, a.shingles, a.sketch, a.numbers, a.cluster FROM bands b "
        f"JOIN articles a ON a.n = b.n WHERE b.key IN ({marks}) AND b.n != ?",
        (*keys, n),
    ).fetchall()
    conn.executemany(
        "INSERT OR IGNORE INTO bands (key, n) VALUES (?, ?)", ((k, n) for k in keys)
    )
    own = _lean(sketch.values)
    clusters = set()
    for other, shingles, blob, numbers, cluster in candidates:
        score = _containment(own, sketch.shingles, _lean_blob(blob), shingles)
        if score is not None and _figures_agree(sketch.figures, numbers):
            conn.execute(
                "INSERT OR REPLACE INTO edges (a, b, containment) VALUES (?, ?, ?)",
                (min(n, other), max(n, other), score),
            )
            clusters.add(cluster)
    if clusters:
        (mine,) = conn.execute("SELECT cluster FROM articles WHERE n = ?", (n,))
        _merge(conn, clusters | {mine[0]})


def remove_article(conn: sqlite3.Connection, n: int) -> None:
    """Forget article `n`'s sketch and edges, and split its cluster if it bridged it.

    Call before deleting the article's row.
    """
    row = conn.execute("SELECT cluster FROM articles WHERE n = ?", (n,)).fetchone()
    conn.execute("DELETE FROM bands WHERE n = ?", (n,))
    conn.execute("DELETE FROM edges WHERE a = ? OR b = ?", (n, n))
    if row is None:
        return
    members = dict(
        conn.execute(
            "SELECT n, id FROM articles WHERE cluster = ? AND n != ?", (row[0], n)
        ).fetchall()
    )
    for component in _components(conn, members):
        cluster = min(members[m] for m in component)
        conn.executemany(
            "UPDATE articles SET cluster = ? WHERE n = ?",
            ((cluster, m) for m in component),
        )


def clusters_of(
    conn: sqlite3.Connection, article_ids: Iterable[str]
) -> dict[str, ClusterInfo]:
    """The cluster of each known article id; unknown ids are left out.

    Asked in chunks (`_CHUNK` ids to a statement), not a statement or two per
    article: a search asks about its whole pool, some 100 articles.
    """
    wanted = list(dict.fromkeys(article_ids))
    found: dict[str, tuple[str, str | None]] = {
        row[0]: (row[1], row[2])
        for row in _articles_where(conn, "id, cluster, sort_key", "id", wanted)
    }
    members_of: dict[
        str, list[tuple[str, str | None, str | None, str | None, str | None]]
    ] = {}
    clusters = sorted({cluster for cluster, _ in found.values()})
    columns = "cluster, id, outlet, published, sort_key, latest"
    for row in _articles_where(conn, columns, "cluster", clusters):
        members_of.setdefault(row[0], []).append(row[1:])
    for rows in members_of.values():
        rows.sort(key=lambda r: (r[3] is None, r[3] or "", r[0]))
    out: dict[str, ClusterInfo] = {}
    for article_id in wanted:
        if article_id not in found:
            continue
        cluster, own_date = found[article_id]
        rows = members_of[cluster]
        first = rows[0]
        out[article_id] = ClusterInfo(
            cluster_id=cluster,
            earliest=first[0],
            members=tuple(Member(r[0], r[1], r[2]) for r in rows),
            original_published=_instant(first[3]),
            republication=_republished(own_date, first[4]),
        )
    return out


def _articles_where(
    conn: sqlite3.Connection, columns: str, column: str, values: Sequence[str]
) -> Iterator[Any]:
    """`columns` of the articles whose `column` is one of `values`, asked
    `_CHUNK` values to a statement (SQLite's bound parameters are limited)."""
    for at in range(0, len(values), _CHUNK):
        chunk = values[at : at + _CHUNK]
        marks = ",".join("?" * len(chunk))
        yield from conn.execute(
            f"SELECT {columns} FROM articles WHERE {column} IN ({marks})", chunk
        )


def _republished(own: str | None, earliest_latest: str | None) -> bool:
    if own is None or earliest_latest is None:
        return False
    gap = datetime.fromisoformat(own) - datetime.fromisoformat(earliest_latest)
    return gap > timedelta(days=REPUBLICATION_DAYS)


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _shingles(body: str) -> set[str]:
    words = _WORD.findall(body.lower())
    return {" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def _band_keys(values: np.ndarray) -> list[int]:
    """One signed 64-bit key per band: a hash of the band's number and values."""
    # Imported here: hashlib loads OpenSSL, and a search never sketches.
    from hashlib import blake2b

    keys = []
    for band in range(_BANDS):
        chunk = values[band * _ROWS : (band + 1) * _ROWS].astype("<u4").tobytes()
        digest = blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def _lean(values: np.ndarray) -> LeanMinHash:
    from datasketch import LeanMinHash

    return LeanMinHash(seed=_SEED, hashvalues=values, scheme=_SCHEME)


def _lean_blob(blob: bytes) -> LeanMinHash:
    import numpy as np

    return _lean(np.frombuffer(blob, dtype="<u4"))


def _containment(
    a: LeanMinHash, size_a: int, b: LeanMinHash, size_b: int
) -> float | None:
    """The estimated containment of the smaller set in the larger, if a copy."""
    jaccard = a.jaccard(b)
    if min(size_a, size_b) < _MIN_SHINGLES:
        return jaccard if jaccard >= _SMALL_JACCARD else None
    if jaccard * _NUM_PERM < _MIN_MATCHES:
        return None
    shared = jaccard * (size_a + size_b) / (1 + jaccard)
    score = min(1.0, shared / min(size_a, size_b))
    return score if score >= _CONTAINMENT else None


def _figures(article: Article) -> frozenset[str]:
    """The figures of an article's title and body, its dateline left out."""
    body = article.body
    if article.dateline is not None:  # `NEW YORK, March 17 -`: the day changes
        start, end = article.dateline.start, article.dateline.end
        body = body[:start] + " " * (end - start) + body[end:]
    found = _FIGURE.findall(f"{article.title or ''}\n{body}")[:_MAX_FIGURES]
    return frozenset(_NUMBER_WORDS.get(f.lower(), f) for f in found)


def _figures_agree(figures: frozenset[str], stored: str) -> bool:
    """Whether two texts share enough of their figures to be one story."""
    others = set(stored.split())
    smaller = min(len(figures), len(others))
    return not smaller or len(figures & others) > _FIGURE_SHARE * smaller


def _merge(conn: sqlite3.Connection, clusters: set[str]) -> None:
    """Make one cluster of several: its id is the smallest member id."""
    marks = ",".join("?" * len(clusters))
    (smallest,) = conn.execute(
        f"SELECT MIN(id) FROM articles WHERE cluster IN ({marks})", tuple(clusters)
    ).fetchone()
    conn.execute(
        f"UPDATE articles SET cluster = ? WHERE cluster IN ({marks})",
        (smallest, *clusters),
    )


def _components(conn: sqlite3.Connection, members: dict[int, str]) -> list[set[int]]:
    """The connected components of `members` under the stored edges."""
    neighbours: dict[int, set[int]] = {m: set() for m in members}
    marks = ",".join("?" * len(members))
    if members:
        for a, b in conn.execute(
            f"SELECT a, b FROM edges WHERE a IN ({marks})", tuple(members)
        ):
            if b in neighbours:
                neighbours[a].add(b)
                neighbours[b].add(a)
    seen: set[int] = set()
    components = []
    for start in sorted(members):
        if start in seen:
            continue
        stack, component = [start], set()
        while stack:
            node = stack.pop()
            if node not in component:
                component.add(node)
                stack.extend(neighbours[node] - component)
        seen |= component
        components.append(component)
    return components
