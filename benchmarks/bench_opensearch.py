"""Ingest and query on the OpenSearch engine (osmem-server) beside Whoosh, one run.

usage: python benchmarks/bench_opensearch.py [--corpus DIR] [--files N]
                                             [--queries N] [--entities] [--json]

The same files (by default the first --files Reuters-21578 containers of
../shared/corpora) are indexed four times in this process, through
`Index.build`: into a Whoosh folder and into an index on an osmem-server
started here on 127.0.0.1, each with 1 and 2 workers. Named-entity tagging
is off unless --entities (it costs the same on both engines and would hide
the writing). Then the same sampled queries (one or two words of stored
titles, some with an outlet filter or a date window) run through
`Index.search` on both indexes, interleaved, and their median and p95 wall
times are compared.

What these figures tell: the cost of newsindex's own OpenSearch path (bulk
requests, JSON, the manifest index, the archive cache, the client's HTTP
round trips) against the embedded engine on one machine. What they do not:
how a cluster performs. osmem-server is an in-memory stand-in, single
process, with its own scoring; a real cluster adds replication and
network latency, and spreads both writing and searching over its nodes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from osmem_server import OsmemServer

from newsindex import Index
from newsindex.records import Entity

_PROJECT = Path(__file__).resolve().parent.parent


class NoEntities:
    """A tagger that finds nothing: the build measures reading and writing."""

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[Entity]]:
        return [[] for _ in texts]

    def model_for(self, language: str | None) -> str | None:
        return None


def corpus_of(source: Path, files: int, work: Path) -> Path:
    """A folder linking the first `files` Reuters containers (or all of `source`)."""
    containers = sorted(source.glob("reut2-*.sgm"))[:files]
    if not containers:
        return source
    folder = work / "corpus"
    folder.mkdir()
    for container in containers:
        (folder / container.name).symlink_to(container)
    return folder


def build(corpus: Path, location: str, workers: int, entities: bool) -> dict[str, Any]:
    """Index `corpus` at `location`; wall seconds and articles per second."""
    tagger = None if entities else NoEntities()
    started = time.perf_counter()
    with Index.create(location) as index:
        report = index.update(corpus, tagger=tagger, workers=workers)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return {
        "articles": report.articles,
        "seconds": round(seconds, 2),
        "articles_per_s": round(report.articles / seconds, 1),
    }


def sample_queries(index: Index, count: int, seed: int) -> list[dict[str, Any]]:
    """Words of stored titles; every third with an outlet, every fifth a window."""
    rng = random.Random(seed)
    titles = [a.title for a in index.articles() if a.title]
    outlets = [o.name for o in index.outlets()]
    queries = []
    while len(queries) < count and titles:
        words = [w for w in rng.choice(titles).split() if w.isalpha() and len(w) > 3]
        if not words:
            continue
        query: dict[str, Any] = {
            "query": " ".join(rng.sample(words, min(2, len(words))))
        }
        if len(queries) % 3 == 0 and outlets:
            query["outlet"] = rng.choice(outlets)
        if len(queries) % 5 == 0:
            query["since"], query["until"] = "1987-03-01", "1987-03-31"
        queries.append(query)
    return queries


def time_queries(
    indexes: dict[str, Index], queries: list[dict[str, Any]]
) -> dict[str, dict[str, float]]:
    """Each query on each index in turn (warmed once); median and p95 in ms."""
    for index in indexes.values():
        for query in queries[:5]:
            index.search(**query, limit=10)
    times: dict[str, list[float]] = {name: [] for name in indexes}
    for query in queries:
        for name, index in indexes.items():
            started = time.perf_counter()
            index.search(**query, limit=10)
            times[name].append((time.perf_counter() - started) * 1000)
    return {
        name: {
            "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(statistics.quantiles(ms, n=20)[-1], 2),
        }
        for name, ms in times.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=_PROJECT.parent / "shared/corpora/reuters21578",
    )
    parser.add_argument("--files", type=int, default=3, help="Reuters containers")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--entities", action="store_true", help="tag with spaCy")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    server = OsmemServer.start(japanese=False, addr="127.0.0.1:0")
    with tempfile.TemporaryDirectory(prefix="bench-os-") as scratch:
        work = Path(scratch)
        os.environ["NEWSINDEX_CACHE_DIR"] = str(work / "cache")
        corpus = corpus_of(args.corpus, args.files, work)
        result: dict[str, Any] = {"corpus": str(args.corpus), "builds": {}}
        for workers in (1, 2):
            for engine, location in (
                ("whoosh", str(work / f"whoosh-{workers}")),
                ("opensearch", f"{server.url}/bench-{workers}"),
            ):
                figures = build(corpus, location, workers, args.entities)
                result["builds"][f"{engine}_{workers}_workers"] = figures
                if not args.json:
                    print(
                        f"build {engine:<10} {workers} workers: {figures}", flush=True
                    )
        builds = result["builds"]
        result["ratios"] = {
            "opensearch_vs_whoosh_1_worker": round(
                builds["opensearch_1_workers"]["articles_per_s"]
                / builds["whoosh_1_workers"]["articles_per_s"],
                2,
            ),
            "opensearch_2_vs_1_workers": round(
                builds["opensearch_2_workers"]["articles_per_s"]
                / builds["opensearch_1_workers"]["articles_per_s"],
                2,
            ),
            "whoosh_2_vs_1_workers": round(
                builds["whoosh_2_workers"]["articles_per_s"]
                / builds["whoosh_1_workers"]["articles_per_s"],
                2,
            ),
        }
        whoosh = Index.open(str(work / "whoosh-1"))
        opensearch = Index.open(f"{server.url}/bench-1")
        queries = sample_queries(whoosh, args.queries, seed=7)
        latency = time_queries({"whoosh": whoosh, "opensearch": opensearch}, queries)
        result["queries"] = {"count": len(queries), **latency}
        result["ratios"]["opensearch_vs_whoosh_median"] = round(
            latency["opensearch"]["median_ms"] / latency["whoosh"]["median_ms"], 2
        )
        result["ratios"]["opensearch_vs_whoosh_p95"] = round(
            latency["opensearch"]["p95_ms"] / latency["whoosh"]["p95_ms"], 2
        )
        whoosh.close()
        opensearch.close()
    server.close()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"queries ({len(queries)}): {latency}")
        print(f"ratios: {result['ratios']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
