"""Ranking on Reuters-21578: newsindex beside SQLite FTS5 and bm25s, per topic.

usage: python benchmarks/eval_ranking.py DIR [--json] [--per-topic] [--folds K]

Builds a newsindex index (in a temporary folder, through `Index.build`) from
DIR's reut2-*.sgm files, and, in the same run, an FTS5 table (porter
unicode61, ranked by `bm25()`) and a bm25s index (English stopwords, Snowball
stemmer) over the same stories: each story's text as `read_sgml` gives it
(title line, byline, dateline and body).

One query per TOPICS category with at least 5 stories among them. The query
text is the topic's code and the words of its description in
`cat-descriptions_120396.txt` (`Money/Foreign Exchange (MONEY-FX)` ->
`money fx foreign exchange`), lowercased, deduplicated, without stopwords, and
the same for all three: plain words for newsindex (its default "any word may
match" semantics), the words joined by OR for FTS5, the word list for bm25s.
A story is relevant if it is labelled with the topic. Reported at article
level (one result per story: newsindex collapses to one passage per article):
P@10 and nDCG@10 (binary gains), averaged over topics.

Entities do not affect text ranking, so newsindex indexes with a tagger that
finds none (no spaCy): the build time is ingest and indexing only.

The `newsindex` row is `Index.search` as shipped (query/rank.py's weights,
and the semantic signal if `newsindex[semantic]` is installed). Then the
ranking signals are weighed by cross-validation over topics: the topics
(in code order) are dealt into K folds; for each fold the weights are
chosen on the other folds' topics from a grid and its own topics are
ranked with them, so every topic's figure comes from weights chosen
without it. Rows: `engine` (the engine's passage ranking alone, what
newsindex did before reranking), `cv-lexical` (no semantic signal) and,
with the extra, `cv-semantic`; each fold's chosen weights are printed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import TypeVar

import bm25s
import Stemmer

from newsindex import Index
from newsindex.engines.base import PassageHit
from newsindex.query.plan import plan_search
from newsindex.query.rank import (
    DEPTH,
    SIGNALS,
    Embedder,
    Weights,
    combine,
    group,
    query_words,
    signals,
)
from newsindex.query.rank_semantic import load_embedder
from newsindex.records import Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.wire_sgml import read_sgml

STORY_FILES = "reut2-*.sgm"
DESCRIPTIONS = "cat-descriptions_120396.txt"
MIN_STORIES = 5
CUTOFF = 10
# Words that carry no topic: dropped from every system's query alike.
STOPWORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to"})

_RECORD = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL)
_NEWID = re.compile(r'NEWID="(\d+)"')
_TOPICS = re.compile(r"<TOPICS>(.*?)</TOPICS>", re.DOTALL)
_D = re.compile(r"<D>(.*?)</D>")
# `Money/Foreign Exchange (MONEY-FX)`; a commodity is its code alone (`COTTON `).
_DESCRIBED = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Z][A-Z0-9-]*)\)$")
_CODE = re.compile(r"^[A-Z][A-Z0-9-]*$")
_NONE: frozenset[str] = frozenset()
FOLDS = 5
# The weights tried for each signal; the engine's passage score weighs 1.
GRID = {
    "support": (0.0, 0.1, 0.3),
    "title": (0.0, 0.1, 0.3),
    "coverage": (0.0, 0.2, 0.5, 1.0),
    "proximity": (0.0, 0.1, 0.3),
    "feedback": (0.0, 0.2, 0.5, 1.0),
}
SEMANTIC_GRID = (0.0, 0.2, 0.5, 1.0)

Ranker = Callable[[str], list[str]]  # query text -> docnos, best first
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Story:
    """One Reuters story: its NEWID, its text as the reader gives it, its topics."""

    docno: str
    text: str
    topics: frozenset[str]


@dataclass(frozen=True, slots=True)
class Topic:
    """One TOPICS category and the query made from it."""

    code: str
    query: str
    relevant: frozenset[str]  # docnos labelled with it


@dataclass(frozen=True, slots=True)
class Result:
    """One system's figures: means over topics, seconds per phase, per-topic nDCG."""

    system: str
    p10: float
    ndcg10: float
    build_seconds: float
    query_seconds: float
    per_topic: dict[str, float]


def read_topic_names(path: Path) -> dict[str, str]:
    """Topic code -> description from the cat-descriptions file ("" if none).

    The TOPICS list runs from the `****Subject Codes (135)` heading to the first
    rule of underscores; `**...` lines inside it are group headings.
    """
    names: dict[str, str] = {}
    inside = False
    for raw_line in path.read_text(encoding="latin-1").splitlines():
        line = raw_line.strip()
        if line.startswith("****Subject Codes"):
            inside = True
        elif inside and line.startswith("____"):
            break
        elif inside and line and not line.startswith("**"):
            described = _DESCRIBED.match(line)
            if described:
                names[described["code"].lower()] = described["name"]
            elif _CODE.match(line):
                names[line.lower()] = ""
            else:
                raise ValueError(f"unreadable topic line in {path.name}: {line!r}")
    return names


def query_text(code: str, description: str) -> str:
    """`money-fx`, `Money/Foreign Exchange` -> `money fx foreign exchange`."""
    text = f"{code} {description}".lower().replace(".", "")  # U.S. -> us
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in STOPWORDS]
    return " ".join(dict.fromkeys(words))


def read_stories(directory: Path) -> list[Story]:
    """Every story of DIR's reut2-*.sgm with text, through newsindex's reader."""
    stories: list[Story] = []
    for path in sorted(directory.glob(STORY_FILES)):
        data = path.read_bytes()
        topics = _topics_by_newid(data.decode("latin-1"))
        docs = read_sgml(
            data, path=path, display_path=path.name, options=ReaderOptions()
        )
        for doc in docs:
            if isinstance(doc, Skip) or doc.docno is None:
                continue
            stories.append(Story(doc.docno, doc.text, topics.get(doc.docno, _NONE)))
    return stories


def _topics_by_newid(sgml: str) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for attributes, content in _RECORD.findall(sgml):
        newid = _NEWID.search(attributes)
        topics = _TOPICS.search(content)
        if newid and topics:
            out[newid[1]] = frozenset(d.strip().lower() for d in _D.findall(topics[1]))
    return out


def make_topics(stories: Sequence[Story], names: dict[str, str]) -> list[Topic]:
    """The topics with at least MIN_STORIES stories, each with its query."""
    relevant: dict[str, set[str]] = {}
    for story in stories:
        for code in story.topics:
            relevant.setdefault(code, set()).add(story.docno)
    return [
        Topic(code, query_text(code, names.get(code, "")), frozenset(docnos))
        for code, docnos in sorted(relevant.items())
        if len(docnos) >= MIN_STORIES
    ]


class NoEntities:
    """An entity tagger that finds nothing: entities do not affect text ranking."""

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[tuple[str, int, int]]]:
        """Return no spans for each text."""
        return [[] for _ in texts]

    def model_for(self, language: str | None) -> str | None:
        """No model for any language."""
        return None


def newsindex_ranker(directory: Path, folder: Path) -> tuple[Ranker, set[str], Index]:
    """Build the index from DIR's story files; rank through `Index.search`."""
    others = [p for p in directory.iterdir() if not fnmatch(p.name, STORY_FILES)]
    exclude = [p.name if p.is_file() else f"{p.name}/*" for p in others]
    index = (
        Index.open(folder)
        if folder.exists()
        else Index.build(directory, folder, tagger=NoEntities(), exclude=exclude)
    )
    indexed = {a.source.docno for a in index.articles() if a.source.docno}

    def rank(query: str) -> list[str]:
        hits = index.search(query, limit=CUTOFF)
        return [p.source.docno for p in hits if p.source.docno]

    return rank, indexed, index


@dataclass(frozen=True, slots=True)
class Pool:
    """One topic's reranking pool: its articles and every signal of each."""

    topic: Topic
    articles: list[list[PassageHit]]
    columns: dict[str, list[float]]


def make_pools(
    index: Index, topics: Sequence[Topic], embedder: Embedder | None
) -> list[Pool]:
    """The engine's first DEPTH passages per topic, as search() reranks them."""
    pools = []
    for topic in topics:
        plan = plan_search(index, topic.query)
        run = index.engine().run(plan.tree, plan.text)
        articles = group(run.fetch(DEPTH, "relevance"))
        words = query_words(plan.tree)
        pools.append(Pool(topic, articles, signals(articles, words, SIGNALS, embedder)))
    return pools


def pool_ndcg(pool: Pool, weights: Weights) -> float:
    """nDCG@10 of one topic's pool ordered with `weights`."""
    ranked = combine(pool.articles, pool.columns, weights)
    docnos = [r.hits[0].provenance["source"]["docno"] for r in ranked[:CUTOFF]]
    return ndcg(docnos, pool.topic.relevant)


def grid(semantic: bool) -> list[Weights]:
    """Every combination of GRID's weights (and SEMANTIC_GRID's, if asked)."""
    axes = dict(GRID, semantic=SEMANTIC_GRID if semantic else (0.0,))
    return [
        Weights(**dict(zip(axes, values, strict=True)))
        for values in itertools.product(*axes.values())
    ]


def cross_validate(
    pools: Sequence[Pool], candidates: Sequence[Weights], folds: int
) -> tuple[dict[str, float], list[Weights]]:
    """Per-topic nDCG@10 with weights chosen on the other folds; each fold's choice.

    Ties between weightings go to the first in `candidates` (the smallest weights).
    """
    table = [[pool_ndcg(pool, w) for pool in pools] for w in candidates]
    per_topic: dict[str, float] = {}
    chosen = []
    for fold in range(folds):
        train = [i for i in range(len(pools)) if i % folds != fold]
        best = max(
            range(len(candidates)),
            key=lambda c: (sum(table[c][i] for i in train), -c),
        )
        chosen.append(candidates[best])
        for i in range(fold, len(pools), folds):
            per_topic[pools[i].topic.code] = table[best][i]
    return per_topic, chosen


def fixed(name: str, pools: Sequence[Pool], weights: Weights) -> Result:
    """A Result for one weighting applied to every topic's pool."""
    per_topic = {p.topic.code: pool_ndcg(p, weights) for p in pools}
    return _pool_result(name, per_topic)


def _pool_result(name: str, per_topic: dict[str, float]) -> Result:
    return Result(
        name,
        p10=float("nan"),
        ndcg10=sum(per_topic.values()) / len(per_topic),
        build_seconds=0.0,
        query_seconds=0.0,
        per_topic=per_topic,
    )


def fts5_ranker(stories: Sequence[Story]) -> Ranker:
    """An in-memory FTS5 table of the story texts, ranked by `bm25()`."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE story USING fts5("
        "docno UNINDEXED, text, tokenize='porter unicode61')"
    )
    db.executemany(
        "INSERT INTO story (docno, text) VALUES (?, ?)",
        ((s.docno, s.text) for s in stories),
    )
    db.commit()

    def rank(query: str) -> list[str]:
        match = " OR ".join(f'"{word}"' for word in query.split())
        rows = db.execute(
            "SELECT docno FROM story WHERE story MATCH ? ORDER BY bm25(story) LIMIT ?",
            (match, CUTOFF),
        )
        return [docno for (docno,) in rows]

    return rank


def bm25s_ranker(stories: Sequence[Story]) -> Ranker:
    """A bm25s index (Lucene BM25, k1=1.5, b=0.75) of the story texts."""
    stemmer = Stemmer.Stemmer("english")
    tokens = bm25s.tokenize(
        [s.text for s in stories], stopwords="en", stemmer=stemmer, show_progress=False
    )
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    docnos = [s.docno for s in stories]

    def rank(query: str) -> list[str]:
        words = bm25s.tokenize(
            [query], stopwords="en", stemmer=stemmer, show_progress=False
        )
        found, _ = retriever.retrieve(
            words, k=min(CUTOFF, len(docnos)), show_progress=False
        )
        return [docnos[i] for i in found[0]]

    return rank


def precision(ranked: Sequence[str], relevant: frozenset[str]) -> float:
    """Share of the top CUTOFF results that are relevant (missing ranks count 0)."""
    return sum(d in relevant for d in ranked[:CUTOFF]) / CUTOFF


def ndcg(ranked: Sequence[str], relevant: frozenset[str]) -> float:
    """nDCG at CUTOFF with binary gains."""
    gain = sum(
        1 / math.log2(rank + 2)
        for rank, d in enumerate(ranked[:CUTOFF])
        if d in relevant
    )
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), CUTOFF)))
    return gain / ideal if ideal else 0.0


def evaluate(
    system: str, rank: Ranker, topics: Sequence[Topic], build_seconds: float
) -> Result:
    """Run every topic's query through one system and score it."""
    started = time.perf_counter()
    rankings = {t.code: rank(t.query) for t in topics}
    query_seconds = time.perf_counter() - started
    per_topic = {t.code: ndcg(rankings[t.code], t.relevant) for t in topics}
    p10 = sum(precision(rankings[t.code], t.relevant) for t in topics) / len(topics)
    return Result(
        system,
        p10=p10,
        ndcg10=sum(per_topic.values()) / len(topics),
        build_seconds=build_seconds,
        query_seconds=query_seconds,
        per_topic=per_topic,
    )


def timed(build: Callable[[], T]) -> tuple[T, float]:
    """Call `build` and return its result with the seconds it took."""
    started = time.perf_counter()
    value = build()
    return value, time.perf_counter() - started


def run(
    directory: Path, folds: int, keep: Path | None = None
) -> tuple[list[Result], list[Topic], int, dict[str, list[Weights]]]:
    """Build all three systems over the same stories; evaluate each on every
    topic; cross-validate newsindex's ranking weights over topics."""
    names = read_topic_names(directory / DESCRIPTIONS)
    with tempfile.TemporaryDirectory(prefix="eval-ranking-") as scratch:
        folder = keep or Path(scratch) / "index"
        (ours, indexed, index), ours_build = timed(
            lambda: newsindex_ranker(directory, folder)
        )
        # The stories newsindex indexed, so that every system sees the same ones.
        stories = [s for s in read_stories(directory) if s.docno in indexed]
        topics = make_topics(stories, names)
        fts5, fts5_build = timed(lambda: fts5_ranker(stories))
        bm25, bm25_build = timed(lambda: bm25s_ranker(stories))
        results = [
            evaluate("newsindex", ours, topics, ours_build),
            evaluate("fts5", fts5, topics, fts5_build),
            evaluate("bm25s", bm25, topics, bm25_build),
        ]
        embedder = load_embedder()
        pools = make_pools(index, topics, embedder)
        index.close()
    results.append(fixed("engine", pools, Weights()))
    chosen: dict[str, list[Weights]] = {}
    for name, semantic in (("cv-lexical", False), ("cv-semantic", True)):
        if semantic and embedder is None:
            continue
        per_topic, chosen[name] = cross_validate(pools, grid(semantic), folds)
        results.append(_pool_result(name, per_topic))
    return results, topics, len(stories), chosen


def print_report(
    results: Sequence[Result], topics: Sequence[Topic], stories: int, per_topic: bool
) -> None:
    """The summary table, and optionally each topic's nDCG@10 per system."""
    print(f"{stories} stories, {len(topics)} topics with >= {MIN_STORIES} stories")
    print("(newsindex built without entity tagging: entities do not affect ranking)")
    if per_topic:
        header = "".join(f"{r.system:>11}" for r in results)
        print(f"\n{'topic':<14}{'stories':>8}{header}  query")
        for topic in topics:
            cells = "".join(f"{r.per_topic[topic.code]:>11.3f}" for r in results)
            print(f"{topic.code:<14}{len(topic.relevant):>8}{cells}  {topic.query}")
    print(f"\n{'system':<12}{'P@10':>8}{'nDCG@10':>9}{'build s':>9}{'query s':>9}")
    for r in results:
        print(
            f"{r.system:<12}{r.p10:>8.4f}{r.ndcg10:>9.4f}"
            f"{r.build_seconds:>9.1f}{r.query_seconds:>9.2f}"
        )


def print_chosen(chosen: dict[str, list[Weights]]) -> None:
    """Each fold's weights, as chosen on the other folds."""
    for name, per_fold in chosen.items():
        print(f"\n{name}: weights chosen per fold ({', '.join(SIGNALS[1:])})")
        for fold, w in enumerate(per_fold):
            values = " ".join(f"{w.of(s):.1f}" for s in SIGNALS[1:])
            print(f"  fold {fold}: {values}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    parser.add_argument("--per-topic", action="store_true", help="nDCG@10 per topic")
    parser.add_argument("--folds", type=int, default=FOLDS, help="folds of topics")
    parser.add_argument(
        "--index", type=Path, help="keep the index here (reused if it exists)"
    )
    args = parser.parse_args()
    if not (args.directory / DESCRIPTIONS).is_file():
        print(f"error: no {DESCRIPTIONS} in {str(args.directory)!r}", file=sys.stderr)
        return 2
    results, topics, stories, chosen = run(args.directory, args.folds, args.index)
    print_report(results, topics, stories, args.per_topic)
    print_chosen(chosen)
    if args.json:
        figures: dict[str, float | int] = {}
        for r in results:
            figures[f"{r.system}_ndcg10"] = round(r.ndcg10, 4)
            figures[f"{r.system}_p10"] = round(r.p10, 4)
        figures["topics"] = len(topics)
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
