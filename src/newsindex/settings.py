"""Limits and batch sizes: settings with sane defaults, overridable by environment.

Every limit bounds what one bad file can cost in time or memory. Tests lower
them (`monkeypatch.setenv("NEWSINDEX_MAX_INFLATED_BYTES", "1000")`) to keep
CI small; an archive with unusual files can raise them.
"""

from __future__ import annotations

import math
import os

from msgspec import Struct
from msgspec.structs import fields

from newsindex.errors import SettingsError

__all__ = ["Settings", "settings"]

_PREFIX = "NEWSINDEX_"
# What each kind of setting takes, as the error message says it.
_TAKES = {
    int: "a whole number of 1 or more",
    float: "a number greater than 0",
}


class Settings(Struct, frozen=True):
    """The limits in force; each field can be set as NEWSINDEX_<FIELD> (upper case)."""

    max_file_bytes: int = 2 * 1024**3  # a file on disk larger than this is skipped
    # A gzip stream stops here (bombs); it is inflated in chunks and streamed
    # to the reader, so this also bounds what a reader holds in memory.
    max_inflated_bytes: int = 2 * 1024**3
    commit_articles: int = 2000  # commit an update every so many articles...
    commit_seconds: float = 60.0  # ...or this often, whichever comes first
    # The writer's buffer of postings (MiB) before it sorts them to a run file
    # on disk: what bounds an update's memory besides the articles in hand.
    writer_mb: int = 256
    # A word pattern (`a*`) matching more index words than this is refused,
    # as Lucene refuses too many clauses: `*` alone took 17 s.
    max_expansion: int = 2000
    search_seconds: float = 10.0  # a search stops and says so after this long
    # `newsindex index` with stderr not a terminal: a progress line this often.
    progress_seconds: float = 5.0


def settings() -> Settings:
    """Read the settings from the environment now.

    Raises SettingsError (a UsageError, exit 2) naming the variable if a value
    is not a positive number: `NEWSINDEX_COMMIT_ARTICLES=abc`, `=-5`, `=nan`.
    """
    values: dict[str, int | float] = {}
    for field in fields(Settings):
        name = _PREFIX + field.name.upper()
        raw = os.environ.get(name)
        if raw is not None:
            kind = float if field.type in (float, "float") else int
            values[field.name] = _parse(name, raw, kind)
    return Settings(**values)  # type: ignore[arg-type]


def _parse(name: str, raw: str, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(raw.strip())
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value <= 0:
        raise SettingsError(f"{name} takes {_TAKES[kind]}, not {raw!r}", name=name)
    return value
