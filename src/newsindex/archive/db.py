"""The archive's SQLite file: schema, connection, transactions, generation.

One file per index (`<index dir>/archive.sqlite`), in WAL mode so that
searches read the last commit while `newsindex index` writes. Every change
runs in one `BEGIN IMMEDIATE` transaction (`transaction`): a crash leaves the
previous state, whole. The archive is derived data: a file written by another
schema version is emptied and recreated, and `generation()` then says None,
which tells the indexer to rebuild it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsindex.errors import IndexStoreError

__all__ = [
    "FILE_NAME",
    "SCHEMA_VERSION",
    "connect",
    "get_generation",
    "set_generation",
    "transaction",
]

FILE_NAME = "archive.sqlite"
SCHEMA_VERSION = 2  # 2: names voted by type (tagged, tagged_node, name, form)
_BUSY_MS = 10_000  # a reader waits this long for a checkpoint, a writer for a writer

# Articles are numbered (`n`) so that the big tables hold integers, not ids.
_TABLES = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE articles (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    outlet TEXT,
    published TEXT,          -- Published.iso(): what the article says
    sort_key TEXT,           -- its earliest instant, UTC, ISO seconds, NULL: undated
    latest TEXT,             -- its latest instant (a `2021-10` date spans a month)
    shingles INTEGER NOT NULL,
    sketch BLOB,             -- MinHash values, uint32 little-endian, NULL: too short
    numbers TEXT NOT NULL,   -- the distinct figures of its text, space-separated
    cluster TEXT NOT NULL    -- the smallest article id among the cluster's members
);
CREATE INDEX articles_cluster ON articles (cluster);
CREATE TABLE bands (key INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, n))
    WITHOUT ROWID;
CREATE INDEX bands_n ON bands (n);
CREATE TABLE edges (
    a INTEGER NOT NULL, b INTEGER NOT NULL, containment REAL NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX edges_b ON edges (b);
CREATE TABLE names (
    id INTEGER PRIMARY KEY,
    n INTEGER NOT NULL,      -- the article
    type TEXT NOT NULL,      -- person / org / place: the archive's vote (types.py)
    tagged TEXT NOT NULL,    -- the type its article gave it
    key TEXT NOT NULL,       -- the key the article (and the index) stores
    node TEXT NOT NULL,      -- the key it is matched by (aliases.node_key)
    tagged_node TEXT NOT NULL, -- the node under the article's type
    name TEXT NOT NULL,      -- the article's display name of it
    form TEXT NOT NULL,      -- gazetteer.form_key(name): what its type is voted on
    bucket TEXT NOT NULL,    -- surname or acronym: what its resolution depends on
    acronym INTEGER NOT NULL,
    variants TEXT NOT NULL,  -- surface forms, joined by \x1f
    mentions INTEGER NOT NULL,
    entity TEXT NOT NULL     -- the unified entity: "<type>:<head node>"
);
CREATE INDEX names_n ON names (n);
CREATE INDEX names_bucket ON names (type, bucket);
CREATE INDEX names_node ON names (node);
CREATE INDEX names_key ON names (key);
CREATE INDEX names_entity ON names (entity);
CREATE INDEX names_form ON names (form);
CREATE TABLE forms (         -- each row's mentions per written form, as tagged
    row INTEGER NOT NULL,    -- names.id
    n INTEGER NOT NULL,
    form TEXT NOT NULL,
    type TEXT NOT NULL,
    mentions INTEGER NOT NULL
);
CREATE INDEX forms_form ON forms (form);
CREATE INDEX forms_n ON forms (n);
CREATE INDEX forms_row ON forms (row);
CREATE TABLE pairs (
    n INTEGER NOT NULL, type TEXT NOT NULL, acronym TEXT NOT NULL, full TEXT NOT NULL
);
CREATE INDEX pairs_acronym ON pairs (type, acronym);
CREATE INDEX pairs_n ON pairs (n);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    n INTEGER NOT NULL,
    start INTEGER NOT NULL,
    stop INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT,
    speaker_key TEXT
);
CREATE INDEX quotes_n ON quotes (n);
CREATE VIRTUAL TABLE quote_text USING fts5 (text, tokenize = 'porter unicode61');
"""


def connect(index_dir: Path, *, write: bool = True) -> sqlite3.Connection:
    """Open (creating if missing) the archive of the index at `index_dir`.

    A reader (`write=False`) changes nothing on disk: an archive that is
    missing, or of another schema, is an empty one in memory. Raises
    IndexStoreError if the directory cannot hold it or the file is not a
    readable SQLite database.
    """
    path = Path(index_dir) / FILE_NAME
    if not write and not path.exists():
        return _empty()
    try:
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise IndexStoreError(f"cannot open archive {str(path)!r}: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints
        if _version(conn) != SCHEMA_VERSION and not write:
            conn.close()
            return _empty()
        if _version(conn) != SCHEMA_VERSION:  # a read: readers wait for no writer
            with transaction(conn):
                if _version(conn) != SCHEMA_VERSION:
                    _recreate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise IndexStoreError(
            f"archive {str(path)!r} is corrupt or unreadable: {exc} "
            "(delete it: the next index run rebuilds it)"
        ) from exc
    return conn


def _empty() -> sqlite3.Connection:
    """An archive with no rows, in memory: what a reader has before any writer."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    with transaction(conn):
        _recreate(conn)
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run a block in one write transaction: all of it is committed, or none."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def get_generation(conn: sqlite3.Connection) -> int | None:
    """The index generation the archive was last synced to, None if never."""
    row = conn.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
    return int(row[0]) if row else None


def set_generation(conn: sqlite3.Connection, generation: int) -> None:
    """Record the index generation the archive now matches (inside a transaction)."""
    conn.execute(
        "INSERT OR REPLACE INTO meta (name, value) VALUES ('generation', ?)",
        (str(generation),),
    )


def clear(conn: sqlite3.Connection) -> None:
    """Forget every article (inside a transaction); the schema stays."""
    for table in ("articles", "bands", "edges", "names", "forms", "pairs", "quotes"):
        conn.execute(f"DELETE FROM {table}")  # the fixed names above, never input
    conn.execute("DELETE FROM quote_text")
    conn.execute("DELETE FROM meta WHERE name = 'generation'")


def _version(conn: sqlite3.Connection) -> int | None:
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return None
    row = conn.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
    return int(row[0]) if row else None


def _recreate(conn: sqlite3.Connection) -> None:
    """Drop whatever is there and create this version's tables."""
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'quote_text_%'"
    ).fetchall()
    for (name,) in tables:
        conn.execute(f'DROP TABLE IF EXISTS "{name}"')
    for statement in _TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(
        "INSERT INTO meta (name, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
    )
