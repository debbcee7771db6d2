"""The outlet registry: canonical outlet names, their aliases, agency tags and domains.

The data lives in `newsindex/outlets.json` (data, not code). Each entry names
one outlet; `aliases` are the spellings the body text may use and that
`find_cites` scans for, so they must be specific (`AP` as an exact token, never
`Times` or `Post` alone). The canonical `name` always resolves through
`by_name` but is scanned for only when it is also listed as an alias: `RT` and
`The Times` are names that would fire on ordinary text.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from msgspec import Struct

__all__ = ["OutletEntry", "OutletRegistry"]

_MAX_LOOKUP = 2048  # longer "names" and URLs are not looked up, only rejected
_SPACE = re.compile(r"\s+")
_TAG_TRIM = " \t\n/()[]{}.,:;-–—"  # `/TASS/`, `(Reuters)`, `(AP) -`


class OutletEntry(Struct, frozen=True):
    """One outlet: its canonical name and what identifies it."""

    name: str
    aliases: tuple[str, ...]
    agency_tags: tuple[str, ...]
    domains: tuple[str, ...]


def _fold(text: str) -> str:
    """Return the lookup form of a name or tag: spaces collapsed, casefolded."""
    return _SPACE.sub(" ", text).strip().casefold()


def _key(text: str) -> str:
    """Return the index key form: `str.lower()`, as whoosh's KEYWORD lowercases."""
    return _SPACE.sub(" ", text).strip().lower()


class OutletRegistry:
    """Look outlets up by agency tag, domain or name; give their index keys."""

    def __init__(self, entries: Iterable[OutletEntry]) -> None:
        """Index `entries`; a name, alias, tag or domain claimed twice: ValueError."""
        self._entries = tuple(entries)
        self._names: dict[str, OutletEntry] = {}
        self._tags: dict[str, OutletEntry] = {}
        self._domains: dict[str, OutletEntry] = {}
        for entry in self._entries:
            for name in (entry.name, *entry.aliases):
                _claim(self._names, _fold(name), entry, "name")
            for tag in entry.agency_tags:
                _claim(self._tags, _fold(tag), entry, "agency tag")
            for domain in entry.domains:
                _claim(self._domains, domain.lower().strip("."), entry, "domain")

    @classmethod
    def from_json(cls, data: Any) -> OutletRegistry:
        """Build a registry from the parsed `outlets.json` list."""
        if not isinstance(data, list):
            raise ValueError(f"outlet registry must be a JSON list, not {data!r:.60}")
        return cls(_entry(item) for item in data)

    @classmethod
    def default(cls) -> OutletRegistry:
        """Return the registry packaged as `newsindex/outlets.json` (loaded once)."""
        return _default_registry()

    def entries(self) -> tuple[OutletEntry, ...]:
        """Return every entry, in file order."""
        return self._entries

    def by_agency_tag(self, tag: str) -> OutletEntry | None:
        """Return the outlet of a dateline tag (`TASS`, `(Reuters)`, `AP`), any case."""
        if len(tag) > _MAX_LOOKUP:
            return None
        return self._tags.get(_fold(tag.strip(_TAG_TRIM)))

    def by_domain(self, url_or_host: str) -> OutletEntry | None:
        """Return the outlet of a URL or host, matching subdomains of its domains."""
        host = _host(url_or_host)
        while host:
            entry = self._domains.get(host)
            if entry is not None:
                return entry
            _, dot, host = host.partition(".")
            if not dot:
                break
        return None

    def by_name(self, text: str) -> OutletEntry | None:
        """Return the outlet whose name or alias is exactly `text`, in any case."""
        if len(text) > _MAX_LOOKUP:
            return None
        return self._names.get(_fold(text))

    def resolve(self, text: str) -> OutletEntry | None:
        """Return the outlet `text` names as a name or alias, agency tag, or domain."""
        entry = self.by_name(text) or self.by_agency_tag(text)
        if entry is None and "." in text and " " not in text.strip():
            entry = self.by_domain(text)
        return entry

    def key(self, name: str) -> str:
        """Return the canonical lowercase index key of an outlet: `associated press`."""
        entry = self.by_name(name)
        return _key(entry.name if entry is not None else name)

    def keys_for(self, text: str) -> tuple[str, ...]:
        """Return the lowercase index keys an outlet filter on `text` should match.

        A known outlet (by name, alias, tag or domain) gives its canonical key
        first, then its aliases' keys: `ITAR-TASS` -> ("tass", "itar-tass", ...).
        An unknown outlet gives its own text, lowercased and stripped.
        """
        entry = self.resolve(text)
        if entry is None:
            return (text.lower().strip(),)
        keys = (_key(entry.name), *(_key(alias) for alias in entry.aliases))
        return tuple(dict.fromkeys(keys))


def _claim(
    table: dict[str, OutletEntry], key: str, entry: OutletEntry, what: str
) -> None:
    other = table.setdefault(key, entry)
    if other is not entry and other.name != entry.name:
        raise ValueError(f"{what} {key!r} names both {other.name!r} and {entry.name!r}")


def _strings(item: Mapping[str, Any], field: str) -> tuple[str, ...]:
    values = item.get(field, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"outlet {item.get('name')!r}: {field} must be a list of str")
    return tuple(values)


def _entry(item: Any) -> OutletEntry:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise ValueError(f"outlet entry needs a string 'name': {item!r:.60}")
    return OutletEntry(
        name=item["name"],
        aliases=_strings(item, "aliases"),
        agency_tags=_strings(item, "agency_tags"),
        domains=tuple(d.lower() for d in _strings(item, "domains")),
    )


def _host(url_or_host: str) -> str:
    """Return the lowercase host of a URL or bare host, without `www.` or port."""
    text = url_or_host.strip()
    if not text or len(text) > _MAX_LOOKUP:
        return ""
    if "://" not in text:
        text = "//" + text  # urlsplit reads a bare `tass.com/x` as a path
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:  # malformed netloc such as `[::1`
        return ""
    host = host.strip(".")
    return host.removeprefix("www.")


@functools.cache
def _default_registry() -> OutletRegistry:
    text = resources.files("newsindex").joinpath("outlets.json").read_text("utf-8")
    return OutletRegistry.from_json(json.loads(text))
