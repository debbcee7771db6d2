"""Limits and batch sizes: settings with sane defaults, overridable by environment.

Every limit bounds what one bad file can cost in time or memory. Tests lower
them (`monkeypatch.setenv("NEWSINDEX_MAX_INFLATED_BYTES", "1000")`) to keep
CI small; an archive with unusual files can raise them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

__all__ = ["Settings", "settings"]

_PREFIX = "NEWSINDEX_"


@dataclass(frozen=True, slots=True)
class Settings:
    """The limits in force; each field can be set as NEWSINDEX_<FIELD> (upper case)."""

    max_file_bytes: int = 2 * 1024**3  # a file on disk larger than this is skipped
    max_inflated_bytes: int = 2 * 1024**3  # a gzip stream stops here (bombs)
    commit_articles: int = 2000  # commit an update every so many articles...
    commit_seconds: float = 60.0  # ...or this often, whichever comes first
    # A word pattern (`a*`) matching more index words than this is refused,
    # as Lucene refuses too many clauses: `*` alone took 17 s.
    max_expansion: int = 2000
    search_seconds: float = 10.0  # a search stops and says so after this long


def settings() -> Settings:
    """Read the settings from the environment now (bad values raise ValueError)."""
    values: dict[str, int | float] = {}
    for field in fields(Settings):
        raw = os.environ.get(_PREFIX + field.name.upper())
        if raw is not None:
            kind = float if field.type in (float, "float") else int
            try:
                values[field.name] = kind(raw)
            except ValueError as exc:
                raise ValueError(
                    f"{_PREFIX + field.name.upper()} must be a number: {raw!r}"
                ) from exc
    return Settings(**values)  # type: ignore[arg-type]
