"""Ingest throughput with entities, beside spaCy's own nlp.pipe on the same bodies.

usage: python benchmarks/bench_entities.py [JSONL] [--workers N] [--json]

JSONL defaults to newsarticles-dai2017 (text, so no HTML parsing). The
baseline is spaCy alone: the same pipeline newsindex loads (tok2vec and ner
only) over the same article bodies, with `nlp.pipe(n_process=N)`. The
pipeline is `Index.update` with `--workers N`: reading, layout, datelines,
outlets, quotes, NER, writing passages to Whoosh and the archive (aliases,
quotes, MinHash clusters). Both run in this process, one after the other;
the figure that counts is their ratio (goal: pipeline <= 1.3x NER alone).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from newsindex import Index
from newsindex.ingest.article import draft_article
from newsindex.ingest.entities import load_model
from newsindex.records import RawDocument
from newsindex.sources.base import ReaderOptions
from newsindex.sources.json_export import read_jsonl

_DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpora"
    / "newsarticles-dai2017"
    / "newsarticles.jsonl"
)


def bodies_of(path: Path) -> list[str]:
    """The article bodies newsindex would tag, from the export's records."""
    items = read_jsonl(
        path.read_bytes(), path=path, display_path=path.name, options=ReaderOptions()
    )
    return [draft_article(item).body for item in items if isinstance(item, RawDocument)]


def time_spacy(bodies: list[str], workers: int) -> float:
    nlp = load_model()
    started = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=64, n_process=workers):
        pass
    return time.perf_counter() - started


def time_pipeline(path: Path, workers: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="ni-bench-entities-") as work:
        corpus = Path(work) / "corpus"
        corpus.mkdir()
        (corpus / path.name).symlink_to(path.resolve())
        started = time.perf_counter()
        index = Index.create(Path(work) / "index")
        report = index.update(corpus, workers=workers)
        seconds = time.perf_counter() - started
        index.close()
    return seconds, report.articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", type=Path, nargs="?", default=_DEFAULT)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bodies = bodies_of(args.jsonl)
    ner = time_spacy(bodies, args.workers)
    pipeline, articles = time_pipeline(args.jsonl, args.workers)
    figures = {
        "articles": articles,
        "spacy_seconds": round(ner, 1),
        "spacy_articles_per_second": round(len(bodies) / ner, 1),
        "pipeline_seconds": round(pipeline, 1),
        "pipeline_articles_per_second": round(articles / pipeline, 1),
        "pipeline_over_spacy": round(pipeline / ner, 2),
        "workers": args.workers,
    }
    for key, value in figures.items():
        print(f"{key:>28}  {value}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
