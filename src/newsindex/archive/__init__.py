"""What spans articles: entities across spellings, quotes, republished copies.

Kept in one SQLite file per index (`<index dir>/archive.sqlite`) and updated
with each index commit: `Archive.apply(added, removed, generation)`.
"""

from __future__ import annotations

from newsindex.archive.results import ClusterInfo, EntitySummary, Member, QuoteHit
from newsindex.archive.store import Archive

__all__ = ["Archive", "ClusterInfo", "EntitySummary", "Member", "QuoteHit"]
