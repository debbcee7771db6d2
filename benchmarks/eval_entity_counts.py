"""Article counts of names across a JSON Lines export, as `--entity` would find them.

usage: python benchmarks/eval_entity_counts.py [JSONL] [--name N ...]
                                               [--span-cache F] [--limit N]
                                               [--merges-file F] [--json]

JSONL defaults to newsarticles-dai2017. Every record is ingested as
`newsindex index` would (reader, `draft_article`, the spaCy pipeline of its
language, `finish_article`), and the articles go into one Archive. For each
`--name` (default: `United States`, `US`, `UN`, `United Nations`) the
figure is the number of articles holding one of the keys
`Archive.entity_keys(name)` gives, which is what `--entity NAME` expands to.
--merges-file receives every unified entity with more than one stored key,
with its keys and surface forms, for checking merges by hand;
--entities-file the archive's entities (type, articles, name, forms), most
articles first. --span-cache
keeps the model's spans, so that a rerun after a change to the rules does
not tag again (the first run tags every body: 20-40 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from eval_entities import RecordingTagger

from newsindex.archive import Archive
from newsindex.ingest.entities import SpacyTagger
from newsindex.ingest.outlet import OutletRegistry
from newsindex.pipeline import draft_records, tag_drafts
from newsindex.records import Article
from newsindex.sources.base import ReaderOptions
from newsindex.sources.json_export import read_jsonl

_DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpora"
    / "newsarticles-dai2017"
    / "newsarticles.jsonl"
)
_NAMES = ("United States", "US", "UN", "United Nations")
_TAG_BATCH = 256


def articles_of(
    path: Path, tagger: RecordingTagger, limit: int | None
) -> list[Article]:
    """Every article of the export, with entities."""
    items = read_jsonl(
        path.read_bytes(), path=path, display_path=path.name, options=ReaderOptions()
    )
    drafts = draft_records(path.name, items, OutletRegistry.default()).articles
    drafts = drafts[:limit]
    out: list[Article] = []
    for start in range(0, len(drafts), _TAG_BATCH):
        out.extend(tag_drafts(drafts[start : start + _TAG_BATCH], tagger))
        print(f"tagged {len(out)} of {len(drafts)}", file=sys.stderr)
        tagger.save()
    return out


def counts(
    archive: Archive, articles: list[Article], names: list[str]
) -> dict[str, int]:
    """Name -> articles holding one of the keys `--entity NAME` expands to."""
    out = {}
    for name in names:
        keys = archive.entity_keys(name)
        out[name] = sum(1 for a in articles if any(e.key in keys for e in a.entities))
    return out


def merges(archive: Archive) -> list[str]:
    """One line per unified entity of several keys: entity, articles, keys, forms."""
    conn = archive._conn  # a benchmark reads the table directly
    keys: dict[str, set[str]] = defaultdict(set)
    forms: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[int]] = defaultdict(set)
    for entity, n, key, variants in conn.execute(
        "SELECT entity, n, key, variants FROM names"
    ):
        keys[entity].add(key)
        forms[entity].update(variants.split("\x1f"))
        articles[entity].add(n)
    lines = []
    for entity in sorted(keys, key=lambda e: (-len(articles[e]), e)):
        if len(keys[entity]) > 1:
            lines.append(
                f"{entity}\t{len(articles[entity])}\t{' | '.join(sorted(keys[entity]))}"
                f"\t{' | '.join(sorted(forms[entity]))}"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", type=Path, nargs="?", default=_DEFAULT)
    parser.add_argument("--name", action="append", help="a name to count (repeat)")
    parser.add_argument("--span-cache", type=Path, help="keep the model's spans here")
    parser.add_argument("--limit", type=int, help="only the first N records")
    parser.add_argument(
        "--merges-file", type=Path,
        default=Path(tempfile.gettempdir()) / "eval_entity_merges.tsv",
        help="where entities of several keys are written",
    )  # fmt: skip
    parser.add_argument(
        "--entities-file", type=Path,
        default=Path(tempfile.gettempdir()) / "eval_entity_list.tsv",
        help="where the archive's entities are written",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    args = parser.parse_args()
    if not args.jsonl.is_file():
        print(f"error: not a file: {str(args.jsonl)!r}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    tagger = RecordingTagger(SpacyTagger(batch_size=64), args.span_cache)
    articles = articles_of(args.jsonl, tagger, args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive.open(Path(tmp))
        archive.apply(articles, [], 1)
        figures: dict[str, object] = {"articles": len(articles)}
        figures.update(counts(archive, articles, args.name or list(_NAMES)))
        args.merges_file.write_text("\n".join(merges(archive)) + "\n", encoding="utf-8")
        args.entities_file.write_text(
            "".join(
                f"{e.type}\t{e.articles}\t{e.name}\t{' | '.join(e.variants)}\n"
                for e in archive.entities()
            ),
            encoding="utf-8",
        )
        archive.close()
    for key, value in figures.items():
        print(f"{key:>18}  {value}")
    print(f"{'seconds':>18}  {time.perf_counter() - started:.1f}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
