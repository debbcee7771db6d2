"""Query latency: newsindex beside SQLite FTS5 over the same passages, warm and cold.

usage: python benchmarks/bench_query.py [--corpora DIR] [--raw DIR] [--index DIR]
                                        [--queries N] [--cold-runs N] [--json]

Indexes every corpus in ../shared/corpora/ plus raw/ (through a scratch folder
of links; the web pages tarball is unpacked into /tmp), or reuses the index
at `--index DIR` if there is one, then copies every passage (title, text,
article id, outlet, date) into an SQLite FTS5 table (porter unicode61).

N queries (300) are sampled with a fixed seed from the passages' text: single
terms, two-word phrases in quotes, `outlet:"Name" term`, and terms with
--since/--until around a passage's date. FTS5 runs the same query: terms and
phrases over title and text, the outlet and the dates as column filters,
`bm25()` order with `snippet()`, fetched four times over and collapsed to one
passage per article as newsindex does.

  warm   each query once per system, interleaved, after one warm-up pass:
         median and p95 of `Index.search` (passages with highlights) beside
         FTS5's, wall clock and the thread's CPU time (on a shared machine
         the CPU figures say what the code costs, the wall ones what a user
         waits). Goals (wall): median <= 5x FTS5's, p95 <= 50 ms.
  cold   a new process per query, interleaved: `newsindex search ... --json`
         beside `python -c <the same FTS5 query>`. Goal: median <= 5x (issue 20;
         it was 10x).

  signals   each query's `Index.search` CPU time with each ranking signal of
         query/rank.py alone, with the shipped weights, with the pool
         fetched but not reranked (`pool`), and with no pool (`engine`:
         what search did before reranking), as ratios to the last.

Ratios are against the FTS5 figures of the same run (the machine is shared
and noisy). Entities do not change how text queries run, so the index is
built without entity tagging unless `--entities` is given.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

# Whoosh's stop list: a stopword alone finds nothing in newsindex.
from whoosh.analysis import STOP_WORDS as STOPWORDS

from newsindex import Index
from newsindex.errors import IndexMissingError
from newsindex.query import rank

ROOT = Path(__file__).resolve().parents[1]
# Distribution and gold files that sit beside the articles and are not articles.
EXCLUDE = (
    "README*",
    "*.dtd",
    "gold-*.jsonl",
    "*.tar.xz",
    "all-*-strings.lc.txt",
    "cat-descriptions_120396.txt",
)
PAGES = ("webpages-htmldate-trafilatura", "visible-pages.tar.xz")  # folder, tarball
LIMIT = 10
OVERFETCH = 4  # as newsindex's collapse: fetch 4x, refetch if still short
SEED = 20240611
KIND_SHARES = {"term": 0.4, "phrase": 0.3, "outlet": 0.15, "dated": 0.15}
DATE_WINDOW = timedelta(days=30)
_WORD = re.compile(r"[A-Za-z]{3,}")
_PAIR = re.compile(r"(?=\b([A-Za-z]{3,})\s+([A-Za-z]{3,})\b)")

QueryKind = Literal["term", "phrase", "outlet", "dated"]


@dataclass(frozen=True, slots=True)
class Query:
    """One benchmark query, as newsindex and as FTS5 take it."""

    kind: QueryKind
    text: str  # newsindex query text
    match: str  # FTS5 MATCH expression
    outlet: str | None = None  # FTS5 column filter (newsindex: in `text`)
    since: str | None = None  # ISO day, both ends inclusive
    until: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One passage as exported to FTS5."""

    title: str
    text: str
    article_id: str
    outlet: str | None
    published: str | None  # ISO, UTC


@dataclass(frozen=True, slots=True)
class Timings:
    """Milliseconds per query for one system (wall clock and this thread's
    CPU), and how many results each gave."""

    ms: list[float]
    results: list[int]
    cpu_ms: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        return _p95(self.ms)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def cpu_p95(self) -> float:
        return _p95(self.cpu_ms)


def _p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


@dataclass(frozen=True, slots=True)
class Build:
    """How the index was built: seconds, files indexed, files skipped."""

    seconds: float
    files: int
    skipped_files: int
    skipped_records: int  # files indexed with some records left out


class NoEntities:
    """An entity tagger that finds nothing: entities do not affect text queries."""

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[tuple[str, int, int]]]:
        """Return no spans for each text."""
        return [[] for _ in texts]

    def model_for(self, language: str | None) -> str | None:
        """No model for any language."""
        return None


# -- corpus and index --------------------------------------------------------


def missing_readers() -> list[str]:
    """The sources whose reader is not in this checkout (skipped, and said so)."""
    needs = {
        "html pages": ("newsindex.sources.html_page", "newsindex.ingest.html_extract"),
        "warc": ("newsindex.sources.warc", "newsindex.ingest.html_extract"),
    }
    return [
        source
        for source, modules in needs.items()
        if any(importlib.util.find_spec(m) is None for m in modules)
    ]


def link_corpora(corpora: Path, raw: Path, scratch: Path, missing: list[str]) -> Path:
    """A folder of links to each corpus and raw/; the pages tarball unpacked."""
    folder = scratch / "corpus"
    folder.mkdir()
    for corpus in sorted(p for p in corpora.iterdir() if p.is_dir()):
        if corpus.name == PAGES[0]:
            if "html pages" not in missing:
                with tarfile.open(corpus / PAGES[1]) as tar:
                    tar.extractall(folder / corpus.name, filter="data")
        elif not (corpus.name.startswith("warc-") and "warc" in missing):
            (folder / corpus.name).symlink_to(corpus.resolve())
    (folder / "raw").symlink_to(raw.resolve())
    return folder


def open_or_build(
    index_dir: Path, corpora: Path, raw: Path, missing: list[str], entities: bool
) -> tuple[Index, Build | None]:
    """Reuse the index at `index_dir`, or build it there and say how that went."""
    try:
        return Index.open(index_dir), None
    except IndexMissingError:
        pass
    with tempfile.TemporaryDirectory(prefix="bench-query-") as scratch:
        folder = link_corpora(corpora, raw, Path(scratch), missing)
        started = time.perf_counter()
        index = Index.create(index_dir)
        report = index.update(
            folder, tagger=None if entities else NoEntities(), exclude=EXCLUDE
        )
        seconds = time.perf_counter() - started
    skipped = len(report.skipped)
    return index, Build(seconds, report.files, skipped, len(report.skipped_records))


def passage_rows(index: Index) -> Iterator[Row]:
    """Every passage document of the index, as stored."""
    for fields in index.searcher().documents(kind="passage"):
        provenance = json.loads(fields["provenance"])
        published: datetime | None = fields.get("published")
        yield Row(
            title=provenance["title"] or "",
            text=fields["text"],
            article_id=fields["article_id"],
            outlet=provenance["outlet"],
            published=published.isoformat() if published else None,
        )


def export_fts5(rows: Sequence[Row], db_path: Path) -> None:
    """Write the passages into an FTS5 table at `db_path`."""
    db = sqlite3.connect(db_path)
    db.execute(
        "CREATE VIRTUAL TABLE passage USING fts5(title, text, article_id UNINDEXED,"
        " outlet UNINDEXED, published UNINDEXED, tokenize='porter unicode61')"
    )
    db.executemany(
        "INSERT INTO passage VALUES (?, ?, ?, ?, ?)",
        ((r.title, r.text, r.article_id, r.outlet, r.published) for r in rows),
    )
    db.commit()
    db.close()


# -- queries -----------------------------------------------------------------


def sample_queries(rows: Sequence[Row], count: int, seed: int) -> list[Query]:
    """`count` queries drawn from the passages' text, in a fixed random order."""
    rng = random.Random(seed)
    makers: dict[QueryKind, Callable[[random.Random, Sequence[Row]], Query | None]] = {
        "term": _term_query,
        "phrase": _phrase_query,
        "outlet": _outlet_query,
        "dated": _dated_query,
    }
    queries: list[Query] = []
    for kind, share in KIND_SHARES.items():
        wanted = round(count * share)
        made: list[Query] = []
        while len(made) < wanted:
            query = makers[kind](rng, rows)
            if query is not None:
                made.append(query)
        queries.extend(made)
    rng.shuffle(queries)
    return queries[:count]


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in STOPWORDS]


def _term_query(rng: random.Random, rows: Sequence[Row]) -> Query | None:
    words = _words(rng.choice(rows).text)
    if not words:
        return None
    word = rng.choice(words)
    return Query("term", word, f'"{word}"')


def _phrase_query(rng: random.Random, rows: Sequence[Row]) -> Query | None:
    pairs = [
        (a.lower(), b.lower())
        for a, b in _PAIR.findall(rng.choice(rows).text)
        if a.lower() not in STOPWORDS and b.lower() not in STOPWORDS
    ]
    if not pairs:
        return None
    phrase = '"{} {}"'.format(*rng.choice(pairs))
    return Query("phrase", phrase, phrase)


def _outlet_query(rng: random.Random, rows: Sequence[Row]) -> Query | None:
    row = rng.choice(rows)
    words = _words(row.text)
    if row.outlet is None or '"' in row.outlet or not words:
        return None
    word = rng.choice(words)
    return Query("outlet", f'outlet:"{row.outlet}" {word}', f'"{word}"', row.outlet)


def _dated_query(rng: random.Random, rows: Sequence[Row]) -> Query | None:
    row = rng.choice(rows)
    words = _words(row.text)
    if row.published is None or not words:
        return None
    day = date.fromisoformat(row.published[:10])
    word = rng.choice(words)
    since, until = (day - DATE_WINDOW).isoformat(), (day + DATE_WINDOW).isoformat()
    return Query("dated", word, f'"{word}"', since=since, until=until)


# -- running them --------------------------------------------------------------

# The FTS5 side: the same text in-process (warm) and as `python -c` (cold).
FTS5_SQL = """
SELECT article_id, title, published, text, bm25(passage),
       snippet(passage, -1, '[', ']', '...', 16)
FROM passage
WHERE passage MATCH ? AND (? IS NULL OR outlet = ?)
  AND (? IS NULL OR published >= ?) AND (? IS NULL OR published < ?)
ORDER BY bm25(passage) LIMIT ?
"""
FTS5_SCRIPT = f"""
import json, sqlite3, sys
db_path, match, outlet, since, until = (a or None for a in sys.argv[1:6])
sql = {FTS5_SQL!r}
db = sqlite3.connect(db_path)
limit, want = {LIMIT}, {LIMIT * OVERFETCH}
while True:
    args = (match, outlet, outlet, since, since, until, until, want)
    rows = db.execute(sql, args).fetchall()
    seen, kept = set(), []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            kept.append(row)
    if len(kept) >= limit or len(rows) < want:
        break
    want *= {OVERFETCH}
for row in kept[:limit]:
    print(json.dumps(dict(zip(("article_id", "title", "published", "text",
                               "score", "snippet"), row))))
"""


def fts5_bounds(query: Query) -> tuple[str | None, str | None]:
    """ISO strings for the FTS5 date filter: [since, the day after until)."""
    after = date.fromisoformat(query.until) + timedelta(days=1) if query.until else None
    return query.since, after.isoformat() if after else None


def fts5_search(db: sqlite3.Connection, query: Query) -> list[tuple[Any, ...]]:
    """The FTS5 version of a query: top LIMIT passages, one per article."""
    since, before = fts5_bounds(query)
    want = LIMIT * OVERFETCH
    while True:
        args = (query.match, query.outlet, query.outlet, since, since, before, before)
        rows = db.execute(FTS5_SQL, (*args, want)).fetchall()
        kept = one_per_article(rows)
        if len(kept) >= LIMIT or len(rows) < want:
            return kept[:LIMIT]
        want *= OVERFETCH


def one_per_article(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The best row of each article (the first column), in rank order."""
    seen: set[str] = set()
    kept = []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            kept.append(row)
    return kept


def newsindex_search(index: Index, query: Query) -> list[Any]:
    """The newsindex version: `Index.search` with its defaults (collapsed)."""
    return index.search(query.text, since=query.since, until=query.until, limit=LIMIT)


def time_warm(
    index: Index, db: sqlite3.Connection, queries: Sequence[Query]
) -> tuple[Timings, Timings]:
    """One warm-up pass, then each query timed once per system, interleaved."""
    for query in queries:
        newsindex_search(index, query)
        fts5_search(db, query)
    ours, theirs = Timings([], []), Timings([], [])
    for query in queries:
        for timings, run in (
            (ours, lambda q: newsindex_search(index, q)),
            (theirs, lambda q: fts5_search(db, q)),
        ):
            started, cpu = time.perf_counter(), time.thread_time()
            found = run(query)
            timings.cpu_ms.append((time.thread_time() - cpu) * 1000)
            timings.ms.append((time.perf_counter() - started) * 1000)
            timings.results.append(len(found))
    return ours, theirs


def time_signals(index: Index, queries: Sequence[Query]) -> dict[str, float]:
    """Median CPU ms of `Index.search` per query with each ranking signal alone
    (query/rank.py), beside the engine's order alone (`engine`) and the
    shipped weights (`shipped`), interleaved query by query."""
    shipped, semantic, depth = rank.DEFAULT_WEIGHTS, rank.SEMANTIC_WEIGHTS, rank.DEPTH
    settings = {"engine": rank.Weights(), "pool": rank.Weights(), "shipped": shipped}
    for name in rank.SIGNALS[1:]:
        settings[name] = rank.Weights(**{name: 1.0})
    ms: dict[str, list[float]] = {name: [] for name in settings}
    try:
        for query in queries:
            for name, weights in settings.items():
                rank.DEFAULT_WEIGHTS = rank.SEMANTIC_WEIGHTS = weights
                rank.DEPTH = 0 if name == "engine" else depth
                started = time.process_time()
                newsindex_search(index, query)
                ms[name].append((time.process_time() - started) * 1000)
    finally:
        rank.DEFAULT_WEIGHTS, rank.SEMANTIC_WEIGHTS, rank.DEPTH = (
            shipped,
            semantic,
            depth,
        )
    return {name: statistics.median(values) for name, values in ms.items()}


def cold_commands(
    query: Query, index_dir: Path, db_path: Path
) -> tuple[list[str], list[str]]:
    """`newsindex search ... --json` and `python -c <FTS5 script>` for one query."""
    exe = Path(sys.executable).with_name("newsindex")
    cli = [str(exe) if exe.exists() else shutil.which("newsindex") or "newsindex"]
    cli += ["search", query.text, "--index", str(index_dir), "--json"]
    cli += ["--limit", str(LIMIT)]
    if query.since:
        cli += ["--since", query.since]
    if query.until:
        cli += ["--until", query.until]
    since, before = fts5_bounds(query)
    fts5 = [sys.executable, "-c", FTS5_SCRIPT, str(db_path), query.match]
    fts5 += [query.outlet or "", since or "", before or ""]
    return cli, fts5


def time_cold(
    queries: Sequence[Query], runs: int, index_dir: Path, db_path: Path
) -> tuple[Timings, Timings]:
    """`runs` new processes per system, interleaved, cycling through `queries`.

    As an installed package starts: with its modules' bytecode written (pip
    compiles it at install; PYTHONDONTWRITEBYTECODE, set on some machines,
    would compile every module at every start), by an untimed first run.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in cold_commands(queries[0], index_dir, db_path):
        subprocess.run(command, capture_output=True, env=env, check=False)
    ours, theirs = Timings([], []), Timings([], [])
    for n in range(runs):
        commands = cold_commands(queries[n % len(queries)], index_dir, db_path)
        for timings, command in zip((ours, theirs), commands, strict=True):
            started = time.perf_counter()
            done = subprocess.run(
                command, capture_output=True, text=True, env=env, check=False
            )
            timings.ms.append((time.perf_counter() - started) * 1000)
            if done.returncode != 0:
                raise RuntimeError(f"{command[:2]} failed: {done.stderr.strip()}")
            timings.results.append(len(done.stdout.splitlines()))
    return ours, theirs


# -- report --------------------------------------------------------------------


def build_figures(build: Build | None) -> dict[str, float | int | None]:
    """The build's figures; None for each when the index was reused."""
    return {
        "build_seconds": round(build.seconds, 1) if build else None,
        "files_indexed": build.files if build else None,
        "files_skipped": build.skipped_files if build else None,
        "files_with_skipped_records": build.skipped_records if build else None,
    }


def figures(
    index: Index,
    rows: Sequence[Row],
    queries: Sequence[Query],
    warm: tuple[Timings, Timings],
    cold: tuple[Timings, Timings],
    build: Build | None,
    export_seconds: float,
    missing: list[str],
    signal_ms: dict[str, float],
) -> dict[str, Any]:
    """Every figure the run reports, under the keys of the --json line."""
    (ours, theirs), (cli, script) = warm, cold

    def by_kind(ms: list[float]) -> dict[str, float]:
        return {
            kind: round(
                statistics.median(
                    v for v, q in zip(ms, queries, strict=True) if q.kind == kind
                ),
                2,
            )
            for kind in KIND_SHARES
        }

    return {
        "articles": index.article_count(),
        "passages": len(rows),
        "skipped_sources": missing,
        **build_figures(build),
        "export_seconds": round(export_seconds, 1),
        "queries": len(queries),
        "warm_newsindex_median_ms": round(ours.median, 2),
        "warm_newsindex_p95_ms": round(ours.p95, 2),
        "warm_fts5_median_ms": round(theirs.median, 2),
        "warm_fts5_p95_ms": round(theirs.p95, 2),
        "warm_median_ratio": round(ours.median / theirs.median, 2),
        "warm_newsindex_cpu_median_ms": round(ours.cpu_median, 2),
        "warm_newsindex_cpu_p95_ms": round(ours.cpu_p95, 2),
        "warm_fts5_cpu_median_ms": round(theirs.cpu_median, 2),
        "warm_fts5_cpu_p95_ms": round(theirs.cpu_p95, 2),
        "warm_newsindex_median_ms_by_kind": by_kind(ours.ms),
        "warm_newsindex_cpu_median_ms_by_kind": by_kind(ours.cpu_ms),
        "warm_fts5_median_ms_by_kind": by_kind(theirs.ms),
        "results_per_query_newsindex": round(statistics.mean(ours.results), 2),
        "results_per_query_fts5": round(statistics.mean(theirs.results), 2),
        "cold_runs": len(cli.ms),
        "cold_cli_median_ms": round(cli.median, 1),
        "cold_fts5_median_ms": round(script.median, 1),
        "cold_median_ratio": round(cli.median / script.median, 2),
        "goal_warm_median_within_5x": ours.median <= 5 * theirs.median,
        "goal_warm_p95_within_50ms": ours.p95 <= 50,
        "goal_cold_within_5x": cli.median <= 5 * script.median,
        "signal_cpu_median_ms": {k: round(v, 2) for k, v in signal_ms.items()},
        "signal_cpu_ratio_to_engine": {
            k: round(v / signal_ms["engine"], 2) for k, v in signal_ms.items()
        },
    }


def print_report(result: dict[str, Any]) -> None:
    """The figures as a few readable lines."""
    r = result
    if r["skipped_sources"]:
        print(f"skipped (reader not there yet): {', '.join(r['skipped_sources'])}")
    print(f"index: {r['articles']} articles, {r['passages']} passages")
    if r["build_seconds"] is not None:
        print(
            f"built in {r['build_seconds']} s from {r['files_indexed']} files; "
            f"skipped {r['files_skipped']} files, "
            f"{r['files_with_skipped_records']} files with skipped records"
        )
    print(f"FTS5 export: {r['export_seconds']} s; {r['queries']} queries")
    print(
        f"\n{'warm, ms':<22}{'median':>9}{'p95':>9}"
        f"{'cpu med':>9}{'cpu p95':>9}{'results/q':>11}"
    )
    for name in ("newsindex", "fts5"):
        print(
            f"{name:<22}{r[f'warm_{name}_median_ms']:>9.2f}"
            f"{r[f'warm_{name}_p95_ms']:>9.2f}{r[f'warm_{name}_cpu_median_ms']:>9.2f}"
            f"{r[f'warm_{name}_cpu_p95_ms']:>9.2f}"
            f"{r[f'results_per_query_{name}']:>11.2f}"
        )
    for key, label in (
        ("warm_newsindex_median_ms_by_kind", "newsindex median by kind"),
        ("warm_newsindex_cpu_median_ms_by_kind", "newsindex cpu median by kind"),
        ("warm_fts5_median_ms_by_kind", "fts5 median by kind"),
    ):
        kinds = ", ".join(f"{k} {v:.1f}" for k, v in r[key].items())
        print(f"{label}: {kinds}")
    print("\nranking signals: Index.search CPU ms (median), ratio to engine order")
    for name, ms in r["signal_cpu_median_ms"].items():
        ratio = r["signal_cpu_ratio_to_engine"][name]
        print(f"  {name:<20}{ms:>9.2f}{ratio:>8.2f}x")
    print(f"\ncold, {r['cold_runs']} runs each, median ms")
    print(f"{'newsindex search':<22}{r['cold_cli_median_ms']:>9.1f}")
    print(f"{'python -c fts5':<22}{r['cold_fts5_median_ms']:>9.1f}")
    print("\ngoals")
    print(
        f"  warm median {r['warm_median_ratio']}x FTS5 (<= 5x): "
        f"{_verdict(r['goal_warm_median_within_5x'])}"
    )
    print(
        f"  warm p95 {r['warm_newsindex_p95_ms']} ms (<= 50 ms): "
        f"{_verdict(r['goal_warm_p95_within_50ms'])}"
    )
    print(
        f"  cold {r['cold_median_ratio']}x FTS5 process (<= 5x): "
        f"{_verdict(r['goal_cold_within_5x'])}"
    )


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared/corpora")
    parser.add_argument("--raw", type=Path, default=ROOT / "raw")
    parser.add_argument("--index", type=Path, help="reuse (or build) the index here")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--cold-runs", type=int, default=10)
    parser.add_argument("--entities", action="store_true", help="tag with spaCy")
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    args = parser.parse_args()
    for path in (args.corpora, args.raw):
        if not path.is_dir():
            print(f"error: not a directory: {str(path)!r}", file=sys.stderr)
            return 2
    missing = missing_readers()
    with tempfile.TemporaryDirectory(prefix="bench-query-") as scratch:
        index_dir = args.index or Path(scratch) / "index"
        index, build = open_or_build(
            index_dir, args.corpora, args.raw, missing, args.entities
        )
        rows = list(passage_rows(index))
        db_path = Path(scratch) / "passages.db"
        started = time.perf_counter()
        export_fts5(rows, db_path)
        export_seconds = time.perf_counter() - started
        queries = sample_queries(rows, args.queries, SEED)
        db = sqlite3.connect(db_path)
        warm = time_warm(index, db, queries)
        signal_ms = time_signals(index, queries)
        cold = time_cold(queries, args.cold_runs, index_dir, db_path)
        result = figures(
            index,
            rows,
            queries,
            warm,
            cold,
            build,
            export_seconds,
            missing,
            signal_ms,
        )
        index.close()
        db.close()
    print_report(result)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
