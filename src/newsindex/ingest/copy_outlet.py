"""Which outlet published this copy, from the most trusted evidence present.

Order of trust: what the container says (an export's field, a collection the
reader knows), the URL's domain, the page's publisher, the dateline's agency
tag, then what the text says at its end: a wire trailer (`Reuter`), a
`Source: Al Jazeera` line, a staff credit (`ABC News' Morgan Winsor
contributed to this report`), and last a byline's outlet suffix. Only names
the registry knows count from the text; anything else is not evidence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import cast

from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Dateline, Outlet, OutletEvidence

__all__ = ["outlet_of_copy"]

_CONTAINER_EVIDENCE = frozenset({"meta", "json", "collection"})
_TAIL = 300  # trailers and credits sit in the last few lines
# A wire trailer: the body's last line is the agency alone (`Reuter`, `(AP)`).
_TRAILER = re.compile(r"^[(\[]?\s*([A-Za-z][\w .&-]{1,30}?)\s*[)\]]?$")
# Al Jazeera ends stories `Source:-Al Jazeera and news agencies`; a line
# `Source: Reuters news agency` credits an agency's material instead (a cite).
_SOURCE_LINE = re.compile(
    r"\bSource\s*:\s*[-\u2013\u2014]?\s*(?P<name>[^.\n:]{2,60}?)"
    r"(?P<agency>\s+and\s+(?:news\s+)?agencies|\s+news\s+agency)?\s*\.?\s*$",
    re.IGNORECASE,
)
# A staff credit names the outlet's own reporter: `CNN's Jim Acosta contributed
# to this report`. (`The Associated Press contributed`, with no person, is an
# agency's material: a cite, not the outlet.)
_STAFF_CREDIT = re.compile(
    r"(?P<name>[A-Z][\w&.\- ]{1,40}?)['’\"]s?\W{0,3}\s*"
    # one or more names: "James Hill, Arlette Saenz, and Jack Date"
    r"[A-Z][\w.'\-]+(?:[ ,]+(?:and\s+)?[A-Z][\w.'\-]+){1,20}\s+"
    r"contributed\s+(?:to\s+)?(?:this\s+)?report"
)
# An agency tag opening the story with no place before it: `(CNN)A federal judge`.
_LEADING_TAG = re.compile(r"^\s*\((?P<tag>[A-Za-z][\w .&-]{1,30})\)")
_BYLINE_OUTLET = re.compile(r"(?:\||,|\s-\s)\s*([^|,]{2,40})$")


def outlet_of_copy(
    meta: Mapping[str, str],
    *,
    page_publisher: str | None,
    body: str,
    dateline: Dateline | None,
    byline: str | None,
    url: str | None,
    registry: OutletRegistry,
) -> Outlet | None:
    """Return the publisher of this copy and the evidence, or None if nothing says."""
    named = meta.get("outlet", "").strip()
    if named:
        evidence = meta.get("outlet_evidence", "meta")
        trusted = (
            cast(OutletEvidence, evidence)
            if evidence in _CONTAINER_EVIDENCE
            else "meta"
        )
        entry = registry.resolve(named)
        return Outlet(name=entry.name if entry else named, evidence=trusted)
    if url:
        entry = registry.by_domain(url)
        if entry is not None:
            return Outlet(name=entry.name, evidence="domain")
    if page_publisher:
        entry = registry.by_name(page_publisher)
        return Outlet(name=entry.name if entry else page_publisher, evidence="meta")
    tag = dateline.agency if dateline is not None else None
    if tag is None and (leading := _LEADING_TAG.match(body[:40])):
        tag = leading.group("tag")
    entry = registry.by_agency_tag(tag) if tag else None
    if entry is not None:
        return Outlet(name=entry.name, evidence="dateline")
    from_tail = _from_tail(body, registry)
    if from_tail is not None:
        return from_tail
    suffix = _BYLINE_OUTLET.search(byline) if byline else None
    if suffix:
        entry = registry.by_name(suffix.group(1).strip())
        if entry is not None:
            return Outlet(name=entry.name, evidence="byline")
    return None


def _from_tail(body: str, registry: OutletRegistry) -> Outlet | None:
    tail = body.rstrip()[-_TAIL:]
    last_line = tail.rsplit("\n", 1)[-1].strip()
    trailer = _TRAILER.match(last_line)
    entry = registry.by_agency_tag(trailer.group(1)) if trailer else None
    if entry is None:
        source = _SOURCE_LINE.search(tail)
        if source and "news agency" not in (source.group("agency") or "").lower():
            entry = registry.resolve(source.group("name").strip())
    if entry is None:
        credit = _STAFF_CREDIT.search(tail)
        entry = registry.by_name(credit.group("name").strip()) if credit else None
    return Outlet(name=entry.name, evidence="trailer") if entry else None
