"""Choose the publication date from every dated signal (placeholder ranking).

Original publication beats last modification; among originals, the most
trusted evidence wins. (The HTML extraction work refines this by measurement.)
"""

from __future__ import annotations

from collections.abc import Sequence

from newsindex.ingest.evidence import DateCandidate
from newsindex.records import Published

__all__ = ["choose_published"]

_TRUST = ("json-ld", "header", "meta", "text", "url", "dateline")


def choose_published(candidates: Sequence[DateCandidate]) -> Published | None:
    """Return the best candidate as a Published, or None if there is none."""
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda c: (
            c.modified,
            _TRUST.index(c.evidence) if c.evidence in _TRUST else 9,
        ),
    )
    return Published(
        when=best.date.when, precision=best.date.precision, evidence=best.evidence
    )
