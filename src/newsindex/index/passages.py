"""Cut an article body into passages: a few sentences, never across paragraphs.

A passage is the unit of retrieval: up to three sentences (or about 500
characters), one after another. Windows do not overlap: on newsarticles-
dai2017 overlapping by a sentence made 47% more passages (52,866 against
36,010), and Whoosh's pure-Python writer spent most of an ingest on them;
a phrase that straddles two windows is the price. Spans are `(start, end)`
offsets into the body with no outer whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Collection

__all__ = ["cut_passages", "split_sentences"]

_WINDOW_SENTENCES = 3
_WINDOW_CHARS = 500
_MAX_CHARS = 1000  # a longer sentence (a table row, a list) is cut at a space

# A sentence ends at . ! ? or … with any closing quotes and brackets, before
# whitespace and a capital, digit, quote or bullet.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[•\-–—]*[A-Z0-9À-Ý])")
_ENDS_PARAGRAPH = re.compile(r"[.!?…:;\"'”’)\]]\s*$|^\W*$")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "sr",
        "jr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "rev",
        "no",
        "vol",
        "inc",
        "corp",
        "ltd",
        "co",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "fig",
        "approx",
        "dept",
        "est",
    ]
)


def split_sentences(
    text: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Return the sentence spans of `text[start:end]`, as offsets into `text`."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        if _is_abbreviation(text, begin, match.start()):
            continue
        spans.append((begin, stop))
        begin = stop
    spans.append((begin, end))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s[0] < s[1]]


def cut_passages(body: str, breaks: Collection[int] = ()) -> list[tuple[int, int]]:
    """Return the passage spans of a body, in order.

    `breaks` are body offsets where a line starts that must open a new
    paragraph: where the body stops being one verbatim run of the source file.
    """
    passages: list[tuple[int, int]] = []
    for start, end in paragraphs(body, breaks):
        sentences = [
            piece
            for span in split_sentences(body, start, end)
            for piece in _cut_long(body, *span)
        ]
        passages.extend(_windows(sentences))
    return passages


def paragraphs(body: str, breaks: Collection[int] = ()) -> list[tuple[int, int]]:
    """Spans of the body's paragraphs: a blank line always ends one.

    A single line break ends one only after a sentence's end, or before a
    line in `breaks`: wire copy is hard-wrapped at about 65 characters
    (Reuters-21578), and a line break in mid-sentence is a wrap.
    """
    spans: list[tuple[int, int]] = []
    start = pos = 0
    for line in body.split("\n"):
        end = pos + len(line)
        if not line.strip() or _ENDS_PARAGRAPH.search(line) or end + 1 in breaks:
            if body[start:end].strip():
                spans.append((start, end))
            start = end + 1
        pos = end + 1
    if body[start:].strip():
        spans.append((start, len(body)))
    return spans


def _windows(sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        j = i + 1
        while (
            j < len(sentences)
            and j - i < _WINDOW_SENTENCES
            and sentences[j][1] - sentences[i][0] <= _WINDOW_CHARS
        ):
            j += 1
        windows.append((sentences[i][0], sentences[j - 1][1]))
        i = j
    return windows


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    while end - start > _MAX_CHARS:
        cut = text.rfind(" ", start + _MAX_CHARS // 2, start + _MAX_CHARS)
        cut = cut if cut > start else start + _MAX_CHARS
        pieces.append(_strip(text, start, cut))
        start = cut
    pieces.append(_strip(text, start, end))
    return [p for p in pieces if p[0] < p[1]]


def _is_abbreviation(text: str, begin: int, dot: int) -> bool:
    word = text[begin:dot].rsplit(None, 1)[-1] if text[begin:dot].strip() else ""
    word = word.lstrip("\"'“‘(")
    if len(word) == 1 and word.isupper():
        return True  # an initial: "John F. Kennedy"
    return word.lower() in _ABBREVIATIONS or "." in word  # U.S., a.m.


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
