"""The manifest and the progress of split containers, kept in the Whoosh index.

A file's manifest entry (`kind="file"`: path, content hash, article count)
is committed with its last articles. A split container (a large export read
in parts) that is still being written has a progress entry instead
(`kind="progress"`: path, content hash, and in `payload` how many of its
records and articles are committed), replaced at every commit that wrote
more of its parts, so that a run killed in between continues after the
committed parts. Both are documents of the same commit as the articles they
describe: one TOC rename makes all of them visible (docs/commit-protocol.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from whoosh import query as wquery
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from newsindex.engines.base import Progress

if TYPE_CHECKING:  # a search needs no writer: Whoosh's is imported by those that write
    from whoosh.writing import IndexWriter

__all__ = [
    "Progress",
    "expunge_then_merge_small",
    "file_entries",
    "forget_file_entry",
    "merge_these",
    "progress_entries",
    "run_end_merge",
    "set_progress",
]


def file_entries(searcher: Searcher) -> dict[str, tuple[str, int]]:
    """The manifest: source path -> (content hash, article count)."""
    return {
        fields["path"]: (fields["content_hash"], fields["articles"])
        for fields in searcher.documents(kind="file")
    }


def progress_entries(searcher: Searcher) -> dict[str, Progress]:
    """The split containers whose parts are partly committed, by source path."""
    found = {}
    for fields in searcher.documents(kind="progress"):
        done = json.loads(fields["payload"])
        found[fields["path"]] = Progress(
            fields["content_hash"], done["records"], done["articles"]
        )
    return found


def set_progress(writer: IndexWriter, path: str, progress: Progress | None) -> None:
    """Replace a split container's progress entry (None: remove it)."""
    writer.delete_by_term("pid", _progress_pid(path))
    if progress is None:
        return
    writer.add_document(
        kind="progress",
        pid=_progress_pid(path),
        path=path,
        content_hash=progress.digest,
        articles=progress.articles,
        payload=json.dumps(
            {"records": progress.records, "articles": progress.articles}
        ),
    )


def forget_file_entry(writer: IndexWriter, path: str) -> None:
    """Delete a path's manifest entry (and nothing else of the path)."""
    writer.delete_by_query(
        wquery.And([wquery.Term("kind", "file"), wquery.Term("path", path)])
    )


def expunge_then_merge_small(writer: IndexWriter, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: rewrite every segment with deleted documents, then
    merge small ones as Whoosh does by default.

    A deleted document stays in its segment, and in the term statistics
    (document counts, field lengths) that score every query, until the
    segment is rewritten; rewriting at the commit that deleted makes an
    updated index score exactly as one built from scratch. The cost is a
    rewrite of each segment that lost documents (docs/commit-protocol.md).
    """
    from whoosh.writing import MERGE_SMALL

    kept = _rewrite(writer, segments, lambda segment: segment.has_deletions())
    return list(MERGE_SMALL(writer, kept))


def merge_these(segment_ids: frozenset[str]) -> Any:
    """Whoosh merge policy: rewrite the segments named, and every segment with
    deleted documents, into one; keep the others as they are.

    An update run commits every 2,000 articles or so, and whoosh-reloaded's
    MERGE_SMALL never merges segments past a few thousand documents, so a
    run would leave one segment per commit, and every query pays a set-up
    per segment (docs/scaling.md: 13 segments against 1 for the same
    24,489 articles, p95 query time 52 ms against 40). The run's own
    segments are merged once, at its end.
    """

    def policy(writer: IndexWriter, segments: list[Any]) -> list[Any]:
        return _rewrite(
            writer,
            segments,
            lambda segment: (
                segment.segment_id() in segment_ids or segment.has_deletions()
            ),
        )

    return policy


# Across runs, a log-structured policy (Lucene's LogMergePolicy, with its
# default merge factor): segments are put in levels by size, a factor apart,
# and a level holding FACTOR of them is merged into one segment a level up.
# Each document is then rewritten about log_FACTOR(archive / FLOOR) times in
# its life, so the cost of an article does not grow with the archive; and at
# most FACTOR - 1 segments sit at each level (4 levels from 20,000 documents
# to 200 million).
FACTOR = 10
FLOOR = 20_000  # documents (an article makes about 7): the lowest level's size


def run_end_merge(sizes: dict[str, int], new: frozenset[str]) -> frozenset[str]:
    """The segments to merge into one when a run ends: the run's own
    (`new`), and any level that its segment fills (see FACTOR).

    `sizes`: every segment's document count, by segment id.
    """
    units = [(frozenset([seg]), size) for seg, size in sizes.items() if seg not in new]
    if new:
        units.append((new, sum(sizes[seg] for seg in new)))
    while True:
        levels: dict[int, list[tuple[frozenset[str], int]]] = {}
        for unit in units:
            levels.setdefault(_level(unit[1]), []).append(unit)
        full = [level for level, found in levels.items() if len(found) >= FACTOR]
        if not full:
            break
        merged = levels[min(full)]
        units = [unit for unit in units if unit not in merged]
        units.append(
            (frozenset().union(*(ids for ids, _ in merged)), sum(n for _, n in merged))
        )
    chosen = [ids for ids, _ in units if len(ids) > 1]
    return frozenset().union(*chosen)


def _level(size: int) -> int:
    level = 0
    while size >= FLOOR * FACTOR ** (level + 1):
        level += 1
    return level


def _rewrite(
    writer: IndexWriter, segments: list[Any], chosen: Callable[[Any], bool]
) -> list[Any]:
    """Add the `chosen` segments' documents to `writer`'s new segment; return
    the others, kept as they are."""
    kept = []
    for segment in segments:
        if not chosen(segment):
            kept.append(segment)
            continue
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return kept


def _progress_pid(path: str) -> str:
    return f"progress:{path}"
