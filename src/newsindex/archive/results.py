"""What the archive answers with: clusters, entities and quote hits."""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from newsindex.records import EntityType

__all__ = ["ClusterInfo", "EntitySummary", "Member", "QuoteHit"]


class Member(Struct, frozen=True):
    """One copy of a republished story."""

    article_id: str
    outlet: str | None
    published: str | None  # as Published.iso()


class ClusterInfo(Struct, frozen=True):
    """The republication cluster an article belongs to (alone: a cluster of one).

    `earliest` is the copy published first (undated copies last, ties by id);
    `republication` is True when this article's own date is more than
    `REPUBLICATION_DAYS` (7) after the earliest copy's, counting from the end
    of a reduced-precision date (`2021-10` ends with October), so a copy
    picked up the next day or in the same week is not one.
    """

    cluster_id: str  # the smallest article id among the members: stable under order
    earliest: str
    members: tuple[Member, ...]  # earliest first
    original_published: datetime | None  # the earliest copy's date, UTC naive
    republication: bool


class EntitySummary(Struct, frozen=True):
    """One entity across the archive: its spellings, articles and date range."""

    key: str  # the key the index stores most often for it (`nato`, `sergei lavrov`)
    name: str  # the commonest spelling of two or more words, else the commonest
    type: EntityType
    variants: tuple[str, ...]  # every surface form, sorted
    articles: int
    first: datetime | None  # UTC naive; None if no article naming it is dated
    last: datetime | None


class QuoteHit(Struct, frozen=True):
    """A quoted statement that matches a searched text, with its provenance."""

    article_id: str
    text: str  # == the article's body[start:end]
    start: int
    end: int
    speaker: str | None  # as the article names the speaker, titles left out
    outlet: str | None
    published: str | None  # as Published.iso()
    score: float  # 0..1: how much of the searched statement the quote carries
    speaker_key: str | None = None  # the speaker's entity key in that article
