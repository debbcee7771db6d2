"""Quoted statements in a body, with the speaker when the text names one.

News copy mixes straight and curly quotes, sometimes in one quotation
(`"undeclared Russian intelligence officers.”`), and leaves a quotation that
runs on into the next paragraph unclosed. So any of `"“”` may open or close,
by position: an opener follows a space or a bracket, a closer precedes one.
A quotation never crosses a paragraph break.
"""

from __future__ import annotations

import re

from newsindex.records import Quote

__all__ = ["find_quotes"]

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
    """Return the quoted statements of at least four words, in body order."""
    quotes: list[Quote] = []
    last_speaker: str | None = None
    pos = 0
    for paragraph in body.split("\n"):
        for start, end in _quoted_spans(paragraph):
            text = paragraph[start:end]
            if len(text.split()) < _MIN_WORDS:
                continue
            speaker = _speaker(paragraph, start, end)
            if speaker is not None and speaker.lower() in _PRONOUNS:
                speaker = last_speaker  # "..., he said" follows its named speaker
            last_speaker = speaker or last_speaker
            quotes.append(
                Quote(text=text, start=pos + start, end=pos + end, speaker=speaker)
            )
        pos += len(paragraph) + 1
    return tuple(quotes)


_PRONOUNS = frozenset({"he", "she", "they", "it"})


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
