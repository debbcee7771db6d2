"""Article-level reranking of an engine's first passages: order, never the set.

The engine ranks passages by BM25F. The first `DEPTH` of them (the pool)
are grouped by article and each article is scored again by a weighted sum
of signals, each scaled to [0, 1] within the pool:

    passage     its best passage's engine score (the BM25F ranking itself)
    support     its second-best passage's engine score: more than one
                passage of the story is about the query
    title       the share of the query's words its title holds
    coverage    the share of the query's words its title and passages hold
    rarity      the same share, each word weighed by its rarity among the
                pool's articles (`fx` counts more than `exchange`)
    proximity   the most query words that sit within a few words of each
                other in one passage, as a share of the query's words
    phrase      the share of the query's neighbouring word pairs that stand
                side by side in its title or a passage (`consumer price
                index`: `consumer price`, `price index`)
    feedback    pseudo-relevance feedback (RM3-like): the words that fill the
                first `FEEDBACK_ARTICLES` articles (each weighed by its engine
                score), and how many of them the article holds
    semantic    (with an embedder, `newsindex[semantic]`) the cosine between
                the query and the article's title and best passage

Only the pool is reordered, and only its articles are scored: what the
query selects is the engine's, so the set of matches, their count, filters
and phrases are untouched. Words are compared by a light key (lowercase,
cut to `KEY_CHARS` characters: `exchanges` and `exchange` meet) rather than
the engine's stemmer, so that nothing here needs an engine's analyser.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

from msgspec import Struct, field
from msgspec.structs import replace

from newsindex.engines.base import PassageHit, QueryRun
from newsindex.query.tree import Node, Phrase, Word, leaves

__all__ = [
    "DEFAULT_WEIGHTS",
    "DEPTH",
    "SEMANTIC_WEIGHTS",
    "SIGNALS",
    "Embedder",
    "Ranked",
    "RankedRun",
    "Weights",
    "combine",
    "default_ranking",
    "group",
    "query_words",
    "reordered",
    "rerank",
    "signals",
]

DEPTH = 100  # passages of the engine's ranking that are reordered
FEEDBACK_ARTICLES = 20  # the first articles that feedback words are drawn from
FEEDBACK_WORDS = 50
KEY_CHARS = 5
WINDOW = 10  # words: "near each other" for proximity
SIGNALS = (
    "passage",
    "support",
    "title",
    "coverage",
    "rarity",
    "proximity",
    "phrase",
    "feedback",
    "semantic",
)

_WORD = re.compile(r"[^\W\d_]+")
# Function words: never feedback words (a query's own words come from the tree).
_FUNCTION_WORDS = """a about above after again against all also am an and any are as at
be because been before being below between both but by can could did do does
doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my no nor not
now of off on once only or other our ours out over own said same says she
should so some such than that the their theirs them then there these they this
those through to too under until up very was we were what when where which
while who whom why will with would you your yours told"""
_STOPWORDS = frozenset(_FUNCTION_WORDS.split())


class Weights(Struct, frozen=True):
    """How much each signal counts in an article's score (see the module doc)."""

    passage: float = 1.0
    support: float = 0.0
    title: float = 0.0
    coverage: float = 0.0
    rarity: float = 0.0
    proximity: float = 0.0
    phrase: float = 0.0
    feedback: float = 0.0
    semantic: float = 0.0

    def of(self, signal: str) -> float:
        """The weight of one signal by name."""
        return float(getattr(self, signal))


# Chosen with benchmarks/eval_ranking.py on Reuters-21578 topics, eight
# development story sets searched one by one (reut2-000/001 ... 014/015, 289
# topics): nDCG@10 as the CLI shows results, 0.676 against 0.662 for the
# previous weights and 0.636 for the engine order; cross-validated over
# topic codes, 0.666. On the held-out sets reut2-016/017 and 018/019 (88
# topics, not used to choose): 0.676 against 0.660 and 0.644. Support,
# coverage, a larger pool (200, 400 passages) and feedback words weighed by
# their rarity in the pool did not gain on the development sets.
DEFAULT_WEIGHTS = Weights(
    title=0.5, rarity=1.0, proximity=0.3, phrase=1.0, feedback=1.0
)
# With `newsindex[semantic]`: the lexical weights and the semantic weight
# best of 0.2, 0.5 and 1.0 on the development sets (0.680 against 0.676
# without; held out 0.682 against 0.676). The grid's own choice there
# (title, phrase, feedback and semantic alone: 0.684) lost on the held-out
# sets (0.667), so the lexical signals stay.
SEMANTIC_WEIGHTS = replace(DEFAULT_WEIGHTS, semantic=0.5)


class Embedder(Protocol):
    """Texts -> unit vectors; the semantic signal's model (rank_semantic.py)."""

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One L2-normalised vector per text."""
        ...


class Ranked(Struct, frozen=True):
    """One article of the pool: its passages (best first), score, and signals.

    `signals`: each signal's weighted share of `score`, by name.
    """

    hits: tuple[PassageHit, ...]
    score: float
    signals: dict[str, float] = field(default_factory=dict)


def default_ranking() -> tuple[Weights, Embedder | None]:
    """The weights in force, and the semantic model if `newsindex[semantic]` is
    installed (then the weights measured with it)."""
    from newsindex.query.rank_semantic import load_embedder

    embedder = load_embedder() if SEMANTIC_WEIGHTS.semantic else None
    if embedder is None:
        return DEFAULT_WEIGHTS, None
    return SEMANTIC_WEIGHTS, embedder


def query_words(tree: Node) -> tuple[str, ...]:
    """The words of the tree's positive word and phrase leaves, in order, once."""
    words: dict[str, None] = {}
    for leaf, positive in leaves(tree):
        if positive and isinstance(leaf, Word | Phrase):
            words.update(dict.fromkeys(_WORD.findall(leaf.text.lower())))
    return tuple(words)


def rerank(
    hits: Sequence[PassageHit],
    words: Sequence[str],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    embedder: Embedder | None = None,
) -> list[Ranked]:
    """Group `hits` (the engine's ranking) by article and order the articles.

    Each article's score is the weighted mean of its signals times the
    pool's best engine score, so scores keep the engine's scale. Ties keep
    the engine's order. Signals with weight 0 are not computed.
    """
    articles = group(hits)
    wanted = [name for name in SIGNALS if weights.of(name)]
    return combine(articles, signals(articles, words, wanted, embedder), weights)


def group(hits: Sequence[PassageHit]) -> list[list[PassageHit]]:
    """The hits by article, in order of each article's best hit."""
    by_article: dict[str, list[PassageHit]] = {}
    for hit in hits:
        by_article.setdefault(hit.article_id, []).append(hit)
    return list(by_article.values())


def signals(
    articles: Sequence[Sequence[PassageHit]],
    words: Sequence[str],
    names: Iterable[str] = SIGNALS,
    embedder: Embedder | None = None,
) -> dict[str, list[float]]:
    """Each named signal of each article, in [0, 1] (semantic: only with a model).

    Query words that no article of the pool holds (`bop` in `bop balance
    payments`) are left out of the shares: they tell no article apart.
    """
    if not articles:
        return {}
    titles = [_keys_of(_title(a)) for a in articles]
    passages = [[_keys_of(h.text) for h in a] for a in articles]
    held = [set(t).union(*p) for t, p in zip(titles, passages, strict=True)]
    present = set().union(*held)
    keys = tuple(k for k in dict.fromkeys(map(_key, words)) if k and k in present)
    top = max(a[0].score for a in articles) or 1.0
    columns: dict[str, list[float]] = {}
    for name in names:
        if name == "passage":
            columns[name] = [a[0].score / top for a in articles]
        elif name == "support":
            columns[name] = [a[1].score / top if len(a) > 1 else 0.0 for a in articles]
        elif name == "title":
            columns[name] = [_share(t, keys) for t in titles]
        elif name == "coverage":
            columns[name] = [_share(h, keys) for h in held]
        elif name == "rarity":
            columns[name] = _rarity(held, keys)
        elif name == "proximity":
            columns[name] = [_proximity(p, keys) for p in passages]
        elif name == "phrase":
            columns[name] = [
                _phrases([t, *p], keys) for t, p in zip(titles, passages, strict=True)
            ]
        elif name == "feedback":
            columns[name] = _feedback(articles, titles, passages, set(keys))
        elif name == "semantic" and embedder is not None:
            columns[name] = _semantic(articles, " ".join(words), embedder)
    return columns


def combine(
    articles: Sequence[Sequence[PassageHit]],
    columns: dict[str, list[float]],
    weights: Weights,
) -> list[Ranked]:
    """The articles ordered by the weighted mean of their signals (stable)."""
    if not articles:
        return []
    top = max(a[0].score for a in articles) or 1.0
    used = [name for name in columns if weights.of(name)]
    total = sum(weights.of(name) for name in used) or 1.0
    ranked = []
    for i, article in enumerate(articles):
        shares = {
            name: top * weights.of(name) * columns[name][i] / total for name in used
        }
        ranked.append(Ranked(tuple(article), sum(shares.values()), shares))
    order = sorted(range(len(ranked)), key=lambda i: -ranked[i].score)
    return [ranked[i] for i in order]


def reordered(ranked: Sequence[Ranked], rest: Iterable[PassageHit]) -> list[PassageHit]:
    """The pool's passages article by article, best first, then `rest`.

    Each passage keeps its engine score: the reranked score depends on the
    pool (a filter changes the pool, not an article's relevance), so it
    orders the results and `--explain-ranking` shows it, but a passage's
    `score` stays what the engine gave it, the same with or without filters
    and in any sort order.
    """
    out: list[PassageHit] = []
    for article in ranked:
        out.extend(article.hits)
    out.extend(rest)
    return out


def _title(article: Sequence[PassageHit]) -> str:
    return str(article[0].provenance.get("title") or "")


def _key(word: str) -> str:
    word = word.lower()
    return "" if word in _STOPWORDS else word[:KEY_CHARS]


def _keys_of(text: str) -> list[str]:
    """`_key` of each word of `text`, function words left out. Lowercased
    before it is cut into words, as `query_words` does, and in one pass:
    this runs over every passage of the pool."""
    words = _WORD.findall(text.lower())
    return [word[:KEY_CHARS] for word in words if word not in _STOPWORDS]


def _share(found: Iterable[str], keys: Sequence[str]) -> float:
    if not keys:
        return 0.0
    return len(set(found) & set(keys)) / len(keys)


def _rarity(held: Sequence[set[str]], keys: Sequence[str]) -> list[float]:
    """The share of the query's keys an article holds, each key weighed by its
    rarity in the pool (inverse document frequency among the pool's articles)."""
    n = len(held)
    idf = {k: math.log((n + 1) / (sum(k in h for h in held) + 0.5)) for k in keys}
    whole = sum(idf.values())
    if not whole:
        return [0.0] * n
    return [sum(idf[k] for k in keys if k in h) / whole for h in held]


def _proximity(passages: Sequence[list[str]], keys: Sequence[str]) -> float:
    """The most distinct query keys within WINDOW words in one passage, as a share."""
    if len(keys) < 2:
        return 0.0
    wanted = set(keys)
    best = 0
    for words in passages:
        found = [(i, k) for i, k in enumerate(words) if k in wanted]
        start = 0
        for end in range(len(found)):
            while found[end][0] - found[start][0] >= WINDOW:
                start += 1
            best = max(best, len({k for _, k in found[start : end + 1]}))
    return best / len(keys)


def _phrases(texts: Sequence[list[str]], keys: Sequence[str]) -> float:
    """The share of the query's neighbouring key pairs (`consumer price`,
    `price index`) that stand next to each other, in order, in one of the
    texts (function words between them skipped: `balance of payments`)."""
    pairs = set(itertools.pairwise(keys))
    if not pairs:
        return 0.0
    found = set().union(*(pairs.intersection(itertools.pairwise(t)) for t in texts))
    return len(found) / len(pairs)


def _feedback(
    articles: Sequence[Sequence[PassageHit]],
    titles: Sequence[list[str]],
    passages: Sequence[list[list[str]]],
    query_keys: set[str],
) -> list[float]:
    """RM3-like: weigh words by their share of the first articles' text, each
    article weighed by its engine score (the relevance model P(w|R)); score
    each article by the weighted words it holds (term frequency saturated).

    No rarity factor: within the pool every article matches the query, so
    the words a topic's stories share (`tonnes`, `export` beside `wheat`)
    are common in the pool, and weighing them down by the pool's document
    frequency lost on the development story sets (eval_ranking.py).
    """
    bags = [
        Counter(itertools.chain(t, *p)) for t, p in zip(titles, passages, strict=True)
    ]
    relevance: dict[str, float] = {}
    feedback = range(min(FEEDBACK_ARTICLES, len(bags)))
    norm = sum(articles[i][0].score for i in feedback) or 1.0
    for i in feedback:
        length = sum(bags[i].values()) or 1
        weight = articles[i][0].score / norm
        for key, tf in bags[i].items():
            if key not in query_keys:
                relevance[key] = relevance.get(key, 0.0) + weight * tf / length
    terms = dict(sorted(relevance.items(), key=lambda kv: -kv[1])[:FEEDBACK_WORDS])
    scores = [
        sum(terms[k] * tf / (tf + 1.0) for k, tf in bag.items() if k in terms)
        for bag in bags
    ]
    top = max(scores, default=0.0) or 1.0
    return [s / top for s in scores]


def _semantic(
    articles: Sequence[Sequence[PassageHit]], query: str, embedder: Embedder
) -> list[float]:
    """Cosine of query and article (title and best passage), scaled to the pool."""
    texts = [f"{_title(a)}\n{a[0].text}" for a in articles]
    query_vector, *vectors = embedder.embed([query, *texts])
    cosines = [
        sum(q * v for q, v in zip(query_vector, vector, strict=True))
        for vector in vectors
    ]
    low, high = min(cosines), max(cosines)
    spread = high - low
    return [(c - low) / spread if spread > 0 else 0.0 for c in cosines]


class RankedRun:
    """A query run whose relevance order is the reranked one (for `search`).

    The pool is the engine's first `depth` passages, reranked once; a fetch
    past it returns the engine's order after the pool.
    """

    def __init__(
        self,
        run: QueryRun,
        words: Sequence[str],
        *,
        weights: Weights = DEFAULT_WEIGHTS,
        embedder: Embedder | None = None,
        depth: int | None = None,
    ) -> None:
        self.run = run
        self.words = tuple(words)
        self.weights = weights
        self.embedder = embedder
        self.depth = DEPTH if depth is None else depth
        self._pool: list[Ranked] | None = None

    def fetch(self, n: int, per_article: int = 1) -> list[PassageHit]:
        """The top `n` passages: the reranked pool first, then the engine's order."""
        hits = self.run.fetch(max(n, self.depth), "relevance", per_article)
        pool = self.pool(hits[: self.depth])
        return reordered(pool, hits[self.depth :])[:n]

    def pool(self, hits: Sequence[PassageHit]) -> list[Ranked]:
        """The pool's articles in their new order (reranked on the first call)."""
        if self._pool is None:
            self._pool = rerank(
                hits,
                self.words,
                weights=self.weights,
                embedder=self.embedder,
            )
        return self._pool

    def signals(self, article_id: str) -> dict[str, float]:
        """Each signal's share of an article's score ({} outside the pool)."""
        for ranked in self._pool or ():
            if ranked.hits[0].article_id == article_id:
                return ranked.signals
        return {}
