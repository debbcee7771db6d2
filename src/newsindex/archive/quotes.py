"""Quotes across the archive: store every article's, find a statement's copies.

Outlets render one statement differently, the more so in translation:
raw/003 has Lavrov say “NATO is not interested in equal dialogue or
cooperation,” and raw/004 "NATO isn’t interested in any kind of equal
dialogue or joint work,”. So a search is two steps. SQLite FTS5 (porter
stemmer) over the quotes, with contractions spelt out (`isn’t` -> `is
not`), gives candidates holding any of the searched words; then a candidate
is kept when it carries the searched statement's content words: every one
of a short statement's (three or fewer), three quarters of a longer one's,
compared after light stemming (`interested`/`interest`) and allowing one
letter of difference in long words (`defence`/`defense`). A negated
statement only matches a negated quote. Hits come earliest first, undated
last: who said it first.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

from rapidfuzz.distance import Levenshtein

from newsindex.archive.results import QuoteHit
from newsindex.ingest.names import clean_name, entity_key
from newsindex.records import Article

__all__ = ["add_quotes", "content_words", "find_quotes", "remove_quotes"]

_CANDIDATES = 500  # best FTS5 (bm25) candidates scored per search
_MIN_SHARE = 0.75
_FUZZY_LENGTH = 5  # words this long may differ by one letter
_MAX_QUERY = 2000  # characters of a searched statement that are read

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "\u02bc": "'"})
_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"(?<=\w)n't\b"), " not"),  # isn't, don't, wouldn't
)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_NEGATIONS = frozenset({"not", "no", "never", "nor", "none", "nothing"})
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "into",
        "onto",
        "about",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "done",
        "has",
        "have",
        "had",
        "having",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "then",
        "than",
        "so",
        "such",
        "we",
        "our",
        "ours",
        "us",
        "i",
        "me",
        "my",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "they",
        "them",
        "their",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "any",
        "some",
        "all",
        "each",
        "every",
        "also",
        "just",
        "very",
        "more",
        "most",
        "much",
        "many",
        "kind",
        "sort",
        "lot",
    }
)


def normalise(text: str) -> str:
    """Lower-case, straighten apostrophes, spell out contractions (`isn’t`)."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def content_words(text: str) -> list[str]:
    """The stemmed content words of a statement, in order, negations kept."""
    words = (w.removesuffix("'s") for w in _WORD.findall(normalise(text)))
    return [_stem(w) for w in words if w not in _STOPWORDS or w in _NEGATIONS]


def add_quotes(conn: sqlite3.Connection, n: int, article: Article) -> None:
    """Store article `n`'s quotes, with speakers resolved to its entities."""
    for quote in article.quotes:
        speaker, key = _speaker(article, quote.speaker)
        cursor = conn.execute(
            "INSERT INTO quotes (n, start, stop, text, speaker, speaker_key) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (n, quote.start, quote.end, quote.text, speaker, key),
        )
        conn.execute(
            "INSERT INTO quote_text (rowid, text) VALUES (?, ?)",
            (cursor.lastrowid, normalise(quote.text)),
        )


def remove_quotes(conn: sqlite3.Connection, n: int) -> None:
    """Forget article `n`'s quotes."""
    conn.execute(
        "DELETE FROM quote_text WHERE rowid IN (SELECT id FROM quotes WHERE n = ?)",
        (n,),
    )
    conn.execute("DELETE FROM quotes WHERE n = ?", (n,))


def find_quotes(conn: sqlite3.Connection, text: str, limit: int) -> list[QuoteHit]:
    """Quotes carrying the statement `text`, earliest first (undated last)."""
    wanted = content_words(text[:_MAX_QUERY])
    terms = sorted(set(_WORD.findall(normalise(text[:_MAX_QUERY]))))
    if not wanted or not terms:
        return []
    match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
    rows = conn.execute(
        "SELECT q.start, q.stop, q.text, q.speaker, q.speaker_key, a.id, a.outlet, "
        "a.published, a.sort_key FROM quotes q JOIN articles a ON a.n = q.n "
        "WHERE q.id IN (SELECT rowid FROM quote_text WHERE quote_text MATCH ? "
        "ORDER BY rank LIMIT ?)",
        (match, _CANDIDATES),
    ).fetchall()
    hits = []
    for start, stop, quote, speaker, key, article_id, outlet, published, sort in rows:
        score = _share(wanted, content_words(quote))
        if score is not None:
            hit = QuoteHit(
                article_id, quote, start, stop, speaker, outlet, published, score, key
            )
            hits.append((sort is None, sort or "", article_id, start, hit))
    hits.sort(key=lambda h: h[:4])
    return [h[-1] for h in hits[:limit]]


def _share(wanted: list[str], found: list[str]) -> float | None:
    """How much of `wanted` `found` carries, or None if too little to be it."""
    have = set(found)
    negated = _NEGATIONS & set(wanted)
    if negated and not (_NEGATIONS & have):
        return None
    unique = list(dict.fromkeys(wanted))
    matched = sum(1 for w in unique if w in have or _near(w, have))
    share = matched / len(unique)
    needed = 1.0 if len(unique) <= 3 else _MIN_SHARE
    return round(share, 4) if share >= needed else None


def _near(word: str, words: set[str]) -> bool:
    if len(word) < _FUZZY_LENGTH:
        return False
    return any(
        len(w) >= _FUZZY_LENGTH and Levenshtein.distance(word, w, score_cutoff=1) <= 1
        for w in words
    )


def _stem(word: str) -> str:
    """A light English stemmer: plurals, -ed, -ing, a final e (`dialogue`)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3 and any(c in "aeiouy" for c in stem):
            word = stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _speaker(article: Article, speaker: str | None) -> tuple[str | None, str | None]:
    """The speaker's fullest name in the article and its key (`Lavrov` -> ...)."""
    if speaker is None:
        return None, None
    name = clean_name(speaker, "person") or speaker
    for entity in article.entities:
        if entity.type == "place":
            continue
        forms = {" ".join(v.split()) for v in entity.variants} | {entity.name}
        if name in forms or entity_key(name, entity.type) == entity.key:
            return entity.name, entity.key
    return name, None
