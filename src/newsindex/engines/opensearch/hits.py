"""What a search answers: articles, each with its best passages at exact offsets.

OpenSearch returns a passage's stored text and its `start`/`end` in the
body, never the offsets of matched words: those are worked out here from
the passage text itself, by the index's own analyser (`_analyze`, one
request for a page of hits), whose offsets count UTF-16 code units as Java
does and are turned into Python's.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import Any

from msgspec import Struct
from msgspec.structs import replace

from newsindex.engines.opensearch.documents import passage_spans
from newsindex.engines.opensearch.dsl import QueryWords, Token
from newsindex.records import Article

__all__ = [
    "ArticleHit",
    "HitPassage",
    "SearchPage",
    "highlighted",
    "matched_spans",
    "read_hit",
]

_JOIN = "\n\n"  # between passages analysed together: whitespace ends a token


class HitPassage(Struct, frozen=True, kw_only=True):
    """A passage of a hit: `text == article.body[start:end]`."""

    start: int
    end: int
    text: str
    score: float
    source_start: int | None = None
    source_end: int | None = None
    # Spans of `text` (offsets into the passage) that matched query words.
    highlights: tuple[tuple[int, int], ...] = ()


class ArticleHit(Struct, frozen=True, kw_only=True):
    """One matching article: its score (its best passage's) and best passages.

    `copies`: with collapsing, the other matching articles of its cluster.
    """

    article_id: str
    cluster: str
    score: float
    article: Article
    passages: tuple[HitPassage, ...]
    copies: tuple[str, ...] = ()


class SearchPage(Struct, frozen=True):
    """One page of hits, and how many articles match in all."""

    hits: tuple[ArticleHit, ...]
    total: int


def read_hit(hit: dict[str, Any], *, passages: int) -> ArticleHit:
    """An ArticleHit from one hit of a search response, not yet highlighted.

    An article that only filters select has no scored passage: its first
    `passages` passages are shown, at score 0, as the Whoosh engine does.
    """
    source = hit["_source"]
    article = Article.from_dict(source["payload"])
    inner = hit.get("inner_hits", {})
    found = [
        _passage(h["_source"], float(h.get("_score") or 0.0))
        for h in inner.get("best", {}).get("hits", {}).get("hits", [])
    ]
    if not found:
        found = [
            _passage(_span(article, start, end), 0.0)
            for start, end in passage_spans(article)[:passages]
        ]
    copies = tuple(
        h["_id"]
        for h in inner.get("copies", {}).get("hits", {}).get("hits", [])
        if h["_id"] != hit["_id"]
    )
    return ArticleHit(
        article_id=hit["_id"],
        cluster=source["cluster"],
        score=float(hit.get("_score") or 0.0),
        article=article,
        passages=tuple(found),
        copies=copies,
    )


def highlighted(
    hits: Sequence[ArticleHit],
    words: QueryWords,
    analyse: Callable[[str], Sequence[Token]],
) -> tuple[ArticleHit, ...]:
    """The hits with their passages' matched words marked, in one analysis."""
    texts = [p.text for hit in hits for p in hit.passages]
    spans = iter(matched_spans(texts, words, analyse))
    return tuple(
        replace(
            hit,
            passages=tuple(replace(p, highlights=next(spans)) for p in hit.passages),
        )
        for hit in hits
    )


def matched_spans(
    texts: Sequence[str],
    words: QueryWords,
    analyse: Callable[[str], Sequence[Token]],
) -> list[tuple[tuple[int, int], ...]]:
    """For each text, the spans whose analysed word the query looks for.

    The texts are analysed as one, joined by a blank line: no token spans
    whitespace, and one request serves a whole page of passages.
    """
    if not texts or (not words.exact and not words.patterns):
        return [() for _ in texts]
    starts = []  # where each text starts in the joined one, in UTF-16 units
    at = 0
    for text in texts:
        starts.append(at)
        at += _utf16_length(text) + len(_JOIN)
    found: list[list[tuple[int, int]]] = [[] for _ in texts]
    indexes = [_utf16_index(text) for text in texts]
    for token in analyse(_JOIN.join(texts)):
        if not words.matches(token.term):
            continue
        n = bisect.bisect_right(starts, token.start) - 1
        index = indexes[n]
        found[n].append((index(token.start - starts[n]), index(token.end - starts[n])))
    return [tuple(spans) for spans in found]


def _passage(stored: dict[str, Any], score: float) -> HitPassage:
    return HitPassage(
        start=stored["start"],
        end=stored["end"],
        text=stored["text"],
        score=score,
        source_start=stored.get("source_start"),
        source_end=stored.get("source_end"),
    )


def _span(article: Article, start: int, end: int) -> dict[str, Any]:
    """A passage as the index stores it, cut from the article."""
    stored: dict[str, Any] = {
        "text": article.body[start:end],
        "start": start,
        "end": end,
    }
    span = article.source_span(start, end)
    if span is not None:
        stored["source_start"], stored["source_end"] = span
    return stored


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _utf16_index(text: str) -> Callable[[int], int]:
    """Map a UTF-16 offset into `text` (Java's, OpenSearch's) to a Python index."""
    if all(ord(c) <= 0xFFFF for c in text):
        return lambda offset: offset
    where: dict[int, int] = {}
    units = 0
    for i, c in enumerate(text):
        where[units] = i
        units += 2 if ord(c) > 0xFFFF else 1
    where[units] = len(text)
    return lambda offset: where[offset]
