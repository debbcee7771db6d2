"""How query and build costs grow with the archive: newsindex beside SQLite FTS5.

usage: python benchmarks/bench_growth.py [--sizes 10000,40000,120000]
                                         [--source-index DIR] [--work DIR] [--json]

With `--work DIR` the indexes (and their build figures) are kept there and
reused by the next run: the queries can then be timed again, for example
with another checkout first on PYTHONPATH, without building again.

One index is built in a child process (its CPU time and peak RSS its own),
committed and copied aside as it reaches each size; then the same sampled
queries run on each copy beside an SQLite FTS5 table of the same passages,
in the same process, interleaved, timed in CPU time (`time.thread_time`).

The articles. The real ones come first, in the order an index of the
development corpora stores them (`--source-index`, e.g. the index
bench_query.py builds with `--index`; built here like bench_query does if
missing). Past them come copies, round k = 1, 2, ... of the real articles,
each copy with:
  - a new id (sha1 of the original id and k, the original id's length) and
    a new source path (`<path>#copy<k>`), so nothing is deduplicated;
  - its date shifted by k * SHIFT (40 years: the real articles span 1987 to
    2021), so the archive grows in time as a real one does and a 30-day
    window holds about as many articles at every size;
  - a distinct outlet, `<outlet> (copy k)`, which no registry entry knows,
    so that every outlet holds as many articles at every size.
Entities are the source index's (bench_query builds without them).

The build writes as `newsindex index` does (`index/update.py`): the
documents of each article, a commit every NEWSINDEX_COMMIT_ARTICLES (2000)
with the same merge policy, the archive (clusters, with the articles'
MinHash sketches) synced after each, and a commit at each size, where a
run would end: the stage's segments are merged as a run's are
(`merge_run`, manifest.run_end_merge), and that merge is in its cost. Articles
per CPU-second at a size is over the articles added since the size before
(the cost of adding to an index that large); the reading of the source
articles is not counted. Peak RSS is the build's, up to that size.

The queries, sampled once (fixed seed) from the passages of the first
size's real articles, so every size has their answers:
  - bench_query.py's mix (terms, phrases, `outlet:"Name" term`, terms in a
    61-day window): median and p95 CPU ms, FTS5's median beside;
  - dated-broad: each of the 12 commonest words with a 30-day window around
    a real article's date, and the same words with no window.
Exponents are least-squares slopes of log(ms) on log(size).

Goals (issue 20): exponent_dated <= 0.6 and dated-broad at the largest size
<= 2x the same words without a window; exponent_p95 <= 0.6; median at the
largest size <= 3x FTS5's; build articles per CPU-second at the largest
size >= 0.75x the smallest's.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_query as bq
from msgspec.structs import replace

from newsindex import Index
from newsindex.records import Article, Outlet

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10_000, 40_000, 120_000)
SHIFT = timedelta(days=round(40 * 365.25))
SEED = 20240611
BROAD_WORDS = 12
BROAD_WINDOW = timedelta(days=15)  # either side: 30 days


# -- the articles ----------------------------------------------------------------


def source_articles(source: Path) -> Iterator[Article]:
    """The real articles, in the order the source index stores them."""
    with Index.open(source) as index:
        yield from index.articles()


def articles(source: Path, size: int) -> Iterator[Article]:
    """`size` articles: the real ones, then rounds of copies (module docstring)."""
    made = 0
    copy = 0
    while True:
        for article in source_articles(source):
            if made == size:
                return
            yield article if copy == 0 else copied(article, copy)
            made += 1
        copy += 1
        if made == 0:
            raise SystemExit(f"error: no articles in {str(source)!r}")


def copied(article: Article, k: int) -> Article:
    """Copy `k` of an article: new id and path, shifted date, distinct outlet."""
    digest = hashlib.sha1(f"{article.id}\0{k}".encode()).hexdigest()
    published = article.published
    if published is not None:
        published = replace(published, when=published.when + k * SHIFT)
    outlet = article.outlet
    if outlet is not None:
        outlet = Outlet(name=f"{outlet.name} (copy {k})", evidence=outlet.evidence)
    return replace(
        article,
        id=digest[: len(article.id)],
        source=replace(article.source, path=f"{article.source.path}#copy{k}"),
        published=published,
        outlet=outlet,
    )


# -- the build (child process) -----------------------------------------------------


def build(source: Path, sizes: list[int], scratch: Path) -> Iterator[dict[str, float]]:
    """Write articles into one index as an update does, up to each size in turn.

    At each size the index is committed and copied to `scratch/index-<size>`,
    and that stage's figures yielded: its articles per CPU-second is the
    cost of adding articles to an index already that large.
    """
    from newsindex.archive.clusters import sketch_articles
    from newsindex.index import manifest
    from newsindex.index.documents import article_documents
    from newsindex.ingest.outlet import OutletRegistry
    from newsindex.settings import settings

    sketch_articles([])  # its imports (datasketch, scipy: seconds) are not the build's
    where = scratch / "index-growing"
    index = Index.create(where)
    registry = OutletRegistry.default()
    every = settings().commit_articles
    writer = None
    pending: list[Article] = []

    def commit() -> None:
        nonlocal writer
        if writer is not None:
            writer.commit(mergetype=manifest.expunge_then_merge_small)
            writer = None
            index.sync_archive(pending, [], sketch_articles(pending))
        pending.clear()

    stages = iter(sizes)
    size = next(stages)
    before = 0
    cpu = 0.0
    segments_before: set[str] = set()
    for done, article in enumerate(articles(source, sizes[-1]), start=1):
        started = time.process_time()
        if writer is None:
            writer = index._writer()
        for doc in article_documents(article, registry):
            writer.add_document(**doc)
        pending.append(article)
        if len(pending) >= every or done == size:
            commit()
        if done == size:  # a run ends here: its segments merge as a run's do
            index.merge_run(segments_before)
        cpu += time.process_time() - started
        if done == size:
            if index.article_count() != size:
                raise SystemExit(f"error: {index.article_count()} articles, not {size}")
            segments = len(index.searcher().reader().leaf_readers())
            index.close()
            shutil.copytree(where, scratch / f"index-{size}")
            yield {
                "size": size,
                "build_cpu_s": cpu,
                "build_articles_per_cpu_s": (size - before) / cpu,
                "segments": segments,
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                / 1024,
            }
            before, cpu = size, 0.0
            size = next(stages, 0)
            index = Index.open(where)
            segments_before = {
                leaf.segment().segment_id()
                for leaf, _ in index.searcher().reader().leaf_readers()
            }
    index.close()
    shutil.rmtree(where)


# -- one size: queries ---------------------------------------------------------


def broad_queries(rows: Sequence[bq.Row], rng: random.Random) -> list[bq.Query]:
    """The commonest words, each with a 30-day window around a real date."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(set(bq._words(row.text)))
    dated = [row for row in rows if row.published]
    queries = []
    for word, _ in counts.most_common(BROAD_WORDS):
        day = date.fromisoformat(rng.choice(dated).published[:10])  # type: ignore[index]
        since = (day - BROAD_WINDOW).isoformat()
        until = (day + BROAD_WINDOW).isoformat()
        queries.append(bq.Query("dated", word, f'"{word}"', since=since, until=until))
    return queries


def cpu_ms(run: Any, query: bq.Query) -> float:
    started = time.thread_time()
    run(query)
    return (time.thread_time() - started) * 1000


def measure(
    index_dir: Path, mix: list[bq.Query], broad: list[bq.Query], scratch: Path
) -> dict[str, float]:
    """CPU ms of the queries on one index, beside FTS5 on the same passages."""
    index = Index.open(index_dir)
    db_path = scratch / f"{index_dir.name}.db"
    bq.export_fts5(list(bq.passage_rows(index)), db_path)
    db = sqlite3.connect(db_path)
    unwindowed = [dataclasses.replace(q, since=None, until=None) for q in broad]
    everything = mix + broad + unwindowed
    for query in everything:  # warm-up
        bq.newsindex_search(index, query)
        bq.fts5_search(db, query)
    ours: dict[int, float] = {}
    theirs: dict[int, float] = {}
    for n, query in enumerate(everything):
        ours[n] = cpu_ms(lambda q: bq.newsindex_search(index, q), query)
        theirs[n] = cpu_ms(lambda q: bq.fts5_search(db, q), query)
    index.close()
    db.close()
    db_path.unlink()
    mixed = [ours[n] for n in range(len(mix))]
    first_broad = len(mix)
    first_plain = len(mix) + len(broad)
    return {
        "median_ms": statistics.median(mixed),
        "p95_ms": bq._p95(mixed),
        "fts5_median_ms": statistics.median(theirs[n] for n in range(len(mix))),
        "dated_broad_ms": statistics.median(
            ours[n] for n in range(first_broad, first_plain)
        ),
        "broad_ms": statistics.median(
            ours[n] for n in range(first_plain, len(everything))
        ),
        "fts5_dated_broad_ms": statistics.median(
            theirs[n] for n in range(first_broad, first_plain)
        ),
    }


# -- the run -----------------------------------------------------------------------


def exponent(sizes: Sequence[int], values: Sequence[float]) -> float:
    """Least-squares slope of log(value) on log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(v, 1e-9)) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mx) ** 2 for x in xs)
    return num / den if den else 0.0


def build_in_child(source: Path, sizes: list[int], scratch: Path) -> None:
    """Run `build` in a new process (its own CPU time and peak RSS); its
    figures go to `scratch/build-<size>.json`."""
    command = [sys.executable, __file__, "--build", ",".join(map(str, sizes))]
    command += ["--source-index", str(source), "--out", str(scratch)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"error: building: {done.stderr.strip()}")


def ensure_source(args: argparse.Namespace, scratch: Path) -> Path:
    source: Path = args.source_index or scratch / "source"
    missing = bq.missing_readers()
    index, _ = bq.open_or_build(source, args.corpora, args.raw, missing, False)
    index.close()
    return source


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared/corpora")
    parser.add_argument("--raw", type=Path, default=ROOT / "raw")
    parser.add_argument("--source-index", type=Path, help="index of the corpora")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--work", type=Path, help="keep the indexes here (and reuse them)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build is not None:
        sizes = [int(s) for s in args.build.split(",")]
        for stage in build(args.source_index, sizes, args.out):
            saved = args.out / f"build-{stage['size']}.json"
            saved.write_text(json.dumps(stage))
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp:
        scratch = args.work or Path(tmp)
        scratch.mkdir(parents=True, exist_ok=True)
        source = ensure_source(args, scratch)
        missing = [
            size for size in sizes if not (scratch / f"build-{size}.json").exists()
        ]
        if missing:  # built in one go (kept from an earlier run with --work)
            for size in sizes:
                shutil.rmtree(scratch / f"index-{size}", ignore_errors=True)
            build_in_child(source, sizes, scratch)
        per_size: list[dict[str, float]] = []
        mix: list[bq.Query] = []
        broad: list[bq.Query] = []
        for size in sizes:
            where = scratch / f"index-{size}"
            built = json.loads((scratch / f"build-{size}.json").read_text())
            if not mix:  # from the smallest index: every size has these articles
                with Index.open(where) as first:
                    rows = list(bq.passage_rows(first))
                mix = bq.sample_queries(rows, args.queries, SEED)
                broad = broad_queries(rows, random.Random(SEED))
            figures = {**built, **measure(where, mix, broad, scratch)}
            per_size.append(figures)
            print(_line(size, figures), file=sys.stderr, flush=True)
    result = report(sizes, per_size)
    print_report(result)
    if args.json:
        print(json.dumps(result))
    return 0


def report(sizes: list[int], per_size: list[dict[str, float]]) -> dict[str, Any]:
    """The figures under the keys issue 20 names, the goals beside them."""

    def column(key: str, digits: int = 2) -> list[float]:
        return [round(f[key], digits) for f in per_size]

    result: dict[str, Any] = {
        "sizes": sizes,
        "median_ms": column("median_ms"),
        "p95_ms": column("p95_ms"),
        "dated_broad_ms": column("dated_broad_ms"),
        "fts5_median_ms": column("fts5_median_ms"),
        "build_articles_per_cpu_s": column("build_articles_per_cpu_s", 1),
        "broad_ms": column("broad_ms"),
        "fts5_dated_broad_ms": column("fts5_dated_broad_ms"),
        "peak_rss_mib": column("peak_rss_mib", 0),
        "segments": column("segments", 0),
        "exponent_median": round(exponent(sizes, column("median_ms")), 2),
        "exponent_p95": round(exponent(sizes, column("p95_ms")), 2),
        "exponent_dated": round(exponent(sizes, column("dated_broad_ms")), 2),
    }
    last = per_size[-1]
    result["goals"] = {
        "exponent_dated_le_0.6": result["exponent_dated"] <= 0.6,
        "dated_broad_le_2x_unwindowed": last["dated_broad_ms"] <= 2 * last["broad_ms"],
        "exponent_p95_le_0.6": result["exponent_p95"] <= 0.6,
        "median_le_3x_fts5": last["median_ms"] <= 3 * last["fts5_median_ms"],
        "build_rate_ge_0.75x_smallest": last["build_articles_per_cpu_s"]
        >= 0.75 * per_size[0]["build_articles_per_cpu_s"],
    }
    return result


def _line(size: int, f: dict[str, float]) -> str:
    return (
        f"{size:>8} articles: median {f['median_ms']:.1f} ms, p95 {f['p95_ms']:.1f},"
        f" fts5 median {f['fts5_median_ms']:.1f}; dated-broad"
        f" {f['dated_broad_ms']:.1f} (no window {f['broad_ms']:.1f});"
        f" build {f['build_articles_per_cpu_s']:.0f} articles/cpu-s,"
        f" peak RSS {f['peak_rss_mib']:.0f} MiB, {f['segments']:.0f} segments"
    )


def print_report(r: dict[str, Any]) -> None:
    print(f"{'size':>8}{'median':>9}{'p95':>9}{'fts5 med':>10}{'dated':>9}"
          f"{'broad':>9}{'art/cpu-s':>11}{'RSS MiB':>9}")  # fmt: skip
    for n, size in enumerate(r["sizes"]):
        print(
            f"{size:>8}{r['median_ms'][n]:>9.1f}{r['p95_ms'][n]:>9.1f}"
            f"{r['fts5_median_ms'][n]:>10.1f}{r['dated_broad_ms'][n]:>9.1f}"
            f"{r['broad_ms'][n]:>9.1f}{r['build_articles_per_cpu_s'][n]:>11.0f}"
            f"{r['peak_rss_mib'][n]:>9.0f}"
        )
    print(
        f"exponents: median {r['exponent_median']}, p95 {r['exponent_p95']},"
        f" dated-broad {r['exponent_dated']}"
    )
    for goal, met in r["goals"].items():
        print(f"  {goal}: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
