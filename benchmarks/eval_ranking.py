"""Ranking on Reuters-21578: newsindex beside SQLite FTS5 and bm25s, per topic.

usage: python benchmarks/eval_ranking.py DIR [DIR ...] [--json] [--per-topic]
                                        [--folds K] [--index ROOT]

Each DIR is one story set (some reut2-*.sgm files and the cat-descriptions
file, e.g. a folder of links to reut2-016.sgm and reut2-017.sgm). For each,
builds a newsindex index (in a temporary folder, or ROOT/<DIR's name> with
`--index`, reused if there) through `Index.build`, and, in the same run, an
FTS5 table (porter unicode61, ranked by `bm25()`) and a bm25s index (English
stopwords, Snowball stemmer) over the same stories: each story's text as
`read_sgml` gives it (title line, byline, dateline and body). Each set is
searched on its own, as a user would search an archive of those stories.

One query per TOPICS category with at least 5 stories among them. The query
text is the topic's code and the words of its description in
`cat-descriptions_120396.txt` (`Money/Foreign Exchange (MONEY-FX)` ->
`money fx foreign exchange`), lowercased, deduplicated, without stopwords, and
the same for all three: plain words for newsindex (its default "any word may
match" semantics), the words joined by OR for FTS5, the word list for bm25s.
A story is relevant if it is labelled with the topic. Reported at article
level (one result per story: newsindex collapses to one passage per article):
P@10 and nDCG@10 (binary gains), averaged over topics (a topic of each set).

Entities do not affect text ranking, so newsindex indexes with a tagger that
finds none (no spaCy): the build time is ingest and indexing only.

The `newsindex` row is `Index.search` as shipped (query/rank.py's weights,
and the semantic signal if `newsindex[semantic]` is installed). Then the
ranking signals are weighed by cross-validation over topics: the topic
codes (in order) are dealt into K folds; for each fold the weights are
chosen on the other folds' topics from a grid and its own topics are
ranked with them, so every topic's figure comes from weights chosen
without it (in any set). These rows rank each pool as `search()` shows it:
reordered, collapsed by republication cluster and each cluster shown as
its earliest copy, so the shipped weights' row in the grid equals the
`newsindex` row. Rows: `engine` (the engine's passage ranking alone, what
newsindex did before reranking), `cv-lexical` (no semantic signal) and,
with the extra, `cv-semantic`; each fold's chosen weights are printed, and
the weighting best over all the topics (what to ship, if DIRs are the
development sets).
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
# The weights tried for each signal; the engine's passage score weighs 1,
# the others 0. A wider grid (support and coverage too, 1,728 weightings)
# chose noise: its cross-validated figure fell below this one's.
GRID = {
    "title": (0.0, 0.5),
    "rarity": (0.0, 0.5, 1.0),
    "proximity": (0.0, 0.3),
    "phrase": (0.0, 1.0),
    "feedback": (0.0, 1.0, 2.0),
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
    """One TOPICS category of one story set and the query made from it."""

    code: str
    query: str
    relevant: frozenset[str]  # docnos labelled with it
    story_set: str = ""  # the DIR's name

    @property
    def key(self) -> str:
        """`016/money-fx`: the topic in its story set."""
        return f"{self.story_set}/{self.code}"


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


def make_topics(
    stories: Sequence[Story], names: dict[str, str], story_set: str = ""
) -> list[Topic]:
    """The topics with at least MIN_STORIES stories, each with its query."""
    relevant: dict[str, set[str]] = {}
    for story in stories:
        for code in story.topics:
            relevant.setdefault(code, set()).add(story.docno)
    return [
        Topic(code, query_text(code, names.get(code, "")), frozenset(docnos), story_set)
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


Shown = tuple[str, str]  # (republication cluster, docno of the copy shown)


@dataclass(frozen=True, slots=True)
class Pool:
    """One topic's reranking pool: its articles and every signal of each.

    `shown`: each pool article as search() shows it; `rest`: the articles
    after the pool in the engine's order (what search() brings past it).
    """

    topic: Topic
    articles: list[list[PassageHit]]
    columns: dict[str, list[float]]
    shown: list[Shown]
    rest: list[Shown]


def make_pools(
    index: Index, topics: Sequence[Topic], embedder: Embedder | None
) -> list[Pool]:
    """The engine's first DEPTH passages per topic, as search() reranks them,
    with the next ones (enough for CUTOFF clusters past the pool)."""
    pools = []
    for topic in topics:
        plan = plan_search(index, topic.query)
        run = index.engine().run(plan.tree, plan.text)
        hits = run.fetch(DEPTH + CUTOFF * 8, "relevance")
        articles = group(hits[:DEPTH])
        ids = {hit.article_id for hit in hits}
        clusters = index.archive().clusters_of(ids)
        shown = {
            i: (clusters[i].cluster_id, clusters[i].earliest)
            if i in clusters
            else (i, i)
            for i in ids
        }
        docnos = _docnos(index, {earliest for _, earliest in shown.values()})
        seen = {a[0].article_id for a in articles}
        rest = []
        for hit in hits[DEPTH:]:
            if hit.article_id not in seen:
                seen.add(hit.article_id)
                rest.append(shown[hit.article_id])
        words = query_words(plan.tree)
        pools.append(
            Pool(
                topic,
                articles,
                signals(articles, words, SIGNALS, embedder),
                [_as_shown(shown[a[0].article_id], docnos) for a in articles],
                [_as_shown(item, docnos) for item in rest],
            )
        )
    return pools


def _docnos(index: Index, article_ids: set[str]) -> dict[str, str]:
    return {i: index.get(i).source.docno or "" for i in article_ids}


def _as_shown(item: tuple[str, str], docnos: dict[str, str]) -> Shown:
    cluster, earliest = item
    return cluster, docnos[earliest]


def pool_ndcg(pool: Pool, weights: Weights) -> float:
    """nDCG@10 of one topic's pool ordered with `weights`, as search() shows it:
    one story per republication cluster, its earliest copy."""
    ranked = combine(pool.articles, pool.columns, weights)
    position = {a[0].article_id: i for i, a in enumerate(pool.articles)}
    order = [pool.shown[position[r.hits[0].article_id]] for r in ranked]
    docnos: list[str] = []
    clusters: set[str] = set()
    for cluster, docno in itertools.chain(order, pool.rest):
        if cluster not in clusters and len(docnos) < CUTOFF:
            clusters.add(cluster)
            docnos.append(docno)
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
) -> tuple[dict[str, float], list[Weights], Weights]:
    """Per-topic nDCG@10 with weights chosen on the other folds; each fold's
    choice; and the weighting best over all the topics.

    Folds are by topic code, so a topic is held out in every story set at
    once. Ties between weightings go to the first in `candidates` (the
    smallest weights).
    """
    table = [[pool_ndcg(pool, w) for pool in pools] for w in candidates]
    codes = sorted({pool.topic.code for pool in pools})
    fold_of = {code: i % folds for i, code in enumerate(codes)}
    per_topic: dict[str, float] = {}
    chosen = []
    for fold in range(folds):
        train = [i for i, p in enumerate(pools) if fold_of[p.topic.code] != fold]
        best = max(
            range(len(candidates)),
            key=lambda c: (sum(table[c][i] for i in train), -c),
        )
        chosen.append(candidates[best])
        for i, pool in enumerate(pools):
            if fold_of[pool.topic.code] == fold:
                per_topic[pool.topic.key] = table[best][i]
    overall = max(range(len(candidates)), key=lambda c: (sum(table[c]), -c))
    return per_topic, chosen, candidates[overall]


def fixed(name: str, pools: Sequence[Pool], weights: Weights) -> Result:
    """A Result for one weighting applied to every topic's pool."""
    per_topic = {p.topic.key: pool_ndcg(p, weights) for p in pools}
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


def evaluate(system: str, rank: Ranker, topics: Sequence[Topic]) -> Result:
    """Run every topic's query through one system and score it."""
    started = time.perf_counter()
    rankings = {t.key: rank(t.query) for t in topics}
    query_seconds = time.perf_counter() - started
    per_topic = {t.key: ndcg(rankings[t.key], t.relevant) for t in topics}
    p10 = sum(precision(rankings[t.key], t.relevant) for t in topics) / len(topics)
    return Result(
        system,
        p10=p10,
        ndcg10=sum(per_topic.values()) / len(topics),
        build_seconds=0.0,
        query_seconds=query_seconds,
        per_topic=per_topic,
    )


def merged(parts: Sequence[Result], builds: Sequence[float]) -> Result:
    """One system's Results over several story sets as one (means over all
    their topics, seconds summed)."""
    per_topic = {k: v for part in parts for k, v in part.per_topic.items()}
    topics = [len(part.per_topic) for part in parts]
    return Result(
        parts[0].system,
        p10=sum(part.p10 * n for part, n in zip(parts, topics, strict=True))
        / sum(topics),
        ndcg10=sum(per_topic.values()) / len(per_topic),
        build_seconds=sum(builds),
        query_seconds=sum(part.query_seconds for part in parts),
        per_topic=per_topic,
    )


def timed(build: Callable[[], T]) -> tuple[T, float]:
    """Call `build` and return its result with the seconds it took."""
    started = time.perf_counter()
    value = build()
    return value, time.perf_counter() - started


def run_set(
    directory: Path, folder: Path, embedder: Embedder | None
) -> tuple[dict[str, tuple[Result, float]], list[Topic], int, list[Pool]]:
    """One story set: all three systems over the same stories, every topic
    through each, and newsindex's pools for the weights' grid."""
    names = read_topic_names(directory / DESCRIPTIONS)
    (ours, indexed, index), ours_build = timed(
        lambda: newsindex_ranker(directory, folder)
    )
    # The stories newsindex indexed, so that every system sees the same ones.
    stories = [s for s in read_stories(directory) if s.docno in indexed]
    topics = make_topics(stories, names, directory.name)
    fts5, fts5_build = timed(lambda: fts5_ranker(stories))
    bm25, bm25_build = timed(lambda: bm25s_ranker(stories))
    results = {
        "newsindex": (evaluate("newsindex", ours, topics), ours_build),
        "fts5": (evaluate("fts5", fts5, topics), fts5_build),
        "bm25s": (evaluate("bm25s", bm25, topics), bm25_build),
    }
    pools = make_pools(index, topics, embedder)
    index.close()
    return results, topics, len(stories), pools


Chosen = dict[str, tuple[list[Weights], Weights]]


def run(
    directories: Sequence[Path], folds: int, keep: Path | None = None
) -> tuple[list[Result], list[Topic], int, Chosen]:
    """Evaluate each story set; cross-validate newsindex's ranking weights
    over the topics of all of them."""
    embedder = load_embedder()
    parts: dict[str, list[tuple[Result, float]]] = {}
    topics: list[Topic] = []
    pools: list[Pool] = []
    stories = 0
    with tempfile.TemporaryDirectory(prefix="eval-ranking-") as scratch:
        for directory in directories:
            folder = (keep or Path(scratch)) / directory.name
            results, set_topics, set_stories, set_pools = run_set(
                directory, folder, embedder
            )
            for name, result in results.items():
                parts.setdefault(name, []).append(result)
            topics += set_topics
            stories += set_stories
            pools += set_pools
    out = [
        merged([r for r, _ in runs], [b for _, b in runs]) for runs in parts.values()
    ]
    out.append(fixed("engine", pools, Weights()))
    chosen: Chosen = {}
    for name, semantic in (("cv-lexical", False), ("cv-semantic", True)):
        if semantic and embedder is None:
            continue
        per_topic, per_fold, overall = cross_validate(pools, grid(semantic), folds)
        chosen[name] = (per_fold, overall)
        out.append(_pool_result(name, per_topic))
    return out, topics, stories, chosen


def print_report(
    results: Sequence[Result], topics: Sequence[Topic], stories: int, per_topic: bool
) -> None:
    """The summary table, and optionally each topic's nDCG@10 per system."""
    sets = len({t.story_set for t in topics})
    print(f"{stories} stories in {sets} sets, {len(topics)} topics", end=" ")
    print(f"with >= {MIN_STORIES} stories in their set")
    print("(newsindex built without entity tagging: entities do not affect ranking)")
    if per_topic:
        header = "".join(f"{r.system:>11}" for r in results)
        print(f"\n{'topic':<22}{'stories':>8}{header}  query")
        for topic in topics:
            cells = "".join(f"{r.per_topic[topic.key]:>11.3f}" for r in results)
            print(f"{topic.key:<22}{len(topic.relevant):>8}{cells}  {topic.query}")
    print(f"\n{'system':<12}{'P@10':>8}{'nDCG@10':>9}{'build s':>9}{'query s':>9}")
    for r in results:
        print(
            f"{r.system:<12}{r.p10:>8.4f}{r.ndcg10:>9.4f}"
            f"{r.build_seconds:>9.1f}{r.query_seconds:>9.2f}"
        )


def print_chosen(chosen: Chosen) -> None:
    """Each fold's weights, as chosen on the other folds, and the overall best."""
    for name, (per_fold, overall) in chosen.items():
        print(f"\n{name}: weights chosen per fold ({', '.join(SIGNALS[1:])})")
        for fold, w in enumerate(per_fold):
            print(f"  fold {fold}: {_values(w)}")
        print(f"  all topics: {_values(overall)}")


def _values(weights: Weights) -> str:
    return " ".join(f"{weights.of(s):.1f}" for s in SIGNALS[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directories", type=Path, nargs="+", metavar="DIR")
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    parser.add_argument("--per-topic", action="store_true", help="nDCG@10 per topic")
    parser.add_argument("--folds", type=int, default=FOLDS, help="folds of topics")
    parser.add_argument(
        "--index",
        type=Path,
        help="keep each set's index in this folder (reused if there)",
    )
    args = parser.parse_args()
    for directory in args.directories:
        if not (directory / DESCRIPTIONS).is_file():
            print(f"error: no {DESCRIPTIONS} in {str(directory)!r}", file=sys.stderr)
            return 2
    results, topics, stories, chosen = run(args.directories, args.folds, args.index)
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
