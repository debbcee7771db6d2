"""Quoted statements in a body, with the speaker when the text names one.

News copy mixes straight and curly quotes, sometimes in one quotation
(`"undeclared Russian intelligence officers.”`), and leaves a quotation that
runs on into the next paragraph unclosed. So any of `"“”` may open or close,
by position: an opener follows a space or a bracket, a closer precedes one.
A quotation never crosses a paragraph break. A quotation whose text an
encoding fault broke (ftfy's mojibake test, `�`) is kept without a speaker:
its marks may be the fault's, so the name beside it may not be its speaker.
"""

from __future__ import annotations

import re

from ftfy.badness import is_bad as _mojibake

from newsindex.records import Quote

__all__ = ["PRONOUNS", "find_quotes", "is_bad"]

_MIN_WORDS = 4  # shorter quoted runs are scare quotes and titles: “esteemed colleagues”
_MARKS = '"“”'
_VERBS = (
    r"(?:said|says|told|tells|added|adds|stated|noted|stressed|emphasi[sz]ed|"
    r"explained|warned|wrote|insisted|continued|declared|announced|underscored|"
    r"remarked|replied|asked|argued|concluded)"
)
_NAME = r"(?:the\s+)?(?:[A-Z][\w’'.\-]*\s+){0,5}?[A-Z][\w’'.\-]*"
_PRONOUN = r"(?:he|she|they|it|He|She|They|It)"
_AFTER = re.compile(
    rf"^[,.!?]?\s*(?:(?P<who>{_NAME}|{_PRONOUN})\s+{_VERBS}\b"
    rf"|{_VERBS}\s+(?P<who2>{_NAME})\b)"
)
_BEFORE = re.compile(rf"(?P<who>{_NAME})\s+{_VERBS}(?:\s+\w+){{0,3}}\s*[:,]\s*$")


def find_quotes(body: str) -> tuple[Quote, ...]:
    """Return the quoted statements of at least four words, in body order.

    The speaker is the name the text gives beside the quote, or the pronoun
    (`he`), which `ingest/speakers.py` resolves with the article's entities.
    """
    quotes: list[Quote] = []
    pos = 0
    for paragraph in body.split("\n"):
        for start, end in _quoted_spans(paragraph):
            text = paragraph[start:end]
            if len(text.split()) < _MIN_WORDS:
                continue
            # A quotation an encoding fault broke (`"?` for a dash, `�`,
            # mojibake) may start or end anywhere: it names no one.
            speaker = None if is_bad(text) else _speaker(paragraph, start, end)
            quotes.append(
                Quote(text=text, start=pos + start, end=pos + end, speaker=speaker)
            )
        pos += len(paragraph) + 1
    return tuple(quotes)


PRONOUNS = frozenset({"he", "she", "they", "it"})
_MANGLED = "?\ufffd"  # what a lost dash or quote mark became in dai2017 copy


def is_bad(text: str) -> bool:
    """Whether an encoding fault shows in `text`: `�`, or mojibake (ftfy)."""
    return "\ufffd" in text or text.startswith("?") or _mojibake(text)


def _quoted_spans(paragraph: str) -> list[tuple[int, int]]:
    """Inner spans of quotations: the text between an opening and a closing mark."""
    spans: list[tuple[int, int]] = []
    opener: int | None = None
    for i, ch in enumerate(paragraph):
        if ch not in _MARKS:
            continue
        before = paragraph[i - 1] if i > 0 else " "
        after = paragraph[i + 1] if i + 1 < len(paragraph) else " "
        opens = before.isspace() or before in "([—–-"
        closes = after.isspace() or after in ",.;:!?)—–-" or i + 1 == len(paragraph)
        if after in _MANGLED:
            continue  # `WASHINGTON "?Hundreds`: a mangled dash, not a quote mark
        if opener is None and ch != "”" and opens and not after.isspace():
            opener = i + 1
        elif opener is not None and ch != "“" and not before.isspace() and closes:
            spans.append((opener, i))
            opener = None
    return spans


def _speaker(paragraph: str, start: int, end: int) -> str | None:
    after = _AFTER.match(paragraph[end + 1 : end + 120])
    if after:
        who = after.group("who") or after.group("who2")
        return _tidy(who)
    before = _BEFORE.search(paragraph[max(0, start - 121) : start - 1])
    return _tidy(before.group("who")) if before else None


def _tidy(name: str) -> str:
    return re.sub(r"^the\s+", "", name.strip())
