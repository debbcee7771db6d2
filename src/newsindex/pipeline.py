"""Files -> Articles: the one path `index` and `inspect` share.

A file's bytes go through its reader (RawDocuments, or Skips for records
that cannot be articles), each RawDocument through the ingester's text rules
(`draft_article`), and then a batch of drafts through the entity tagger
(`tag_drafts`), which is where the time goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsindex.errors import IngestError
from newsindex.ingest.article import draft_article, finish_article
from newsindex.ingest.entities import EntityTagger
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Article, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.discover import CorpusFile, parse_bytes

__all__ = ["FileDrafts", "draft_file", "summarise_skips", "tag_drafts"]


@dataclass(frozen=True, slots=True)
class FileDrafts:
    """What one file gave: article drafts (no entities yet) and skipped records."""

    articles: list[Article]
    skips: list[Skip]


def draft_file(
    file: CorpusFile,
    data: bytes,
    *,
    registry: OutletRegistry,
    options: ReaderOptions | None = None,
) -> FileDrafts:
    """Read and draft every article of a file.

    Raises IngestError if the file gives no article at all, with the reason
    (the reader's, or a summary of why every record was skipped).
    """
    articles: list[Article] = []
    skips: list[Skip] = []
    for item in parse_bytes(file, data, options):
        if isinstance(item, Skip):
            skips.append(item)
            continue
        try:
            articles.append(draft_article(item, registry))
        except IngestError as exc:
            skips.append(Skip(file.display_path, str(exc), item.record))
    if not articles:
        if len(skips) == 1:
            raise IngestError(skips[0].reason, path=file.path)
        reason = summarise_skips(skips) if skips else "no articles"
        raise IngestError(reason, path=file.path)
    return FileDrafts(articles, skips)


def tag_drafts(drafts: Sequence[Article], tagger: EntityTagger) -> list[Article]:
    """Add entities to a batch of drafts, tagging all their bodies at once."""
    if not drafts:
        return []
    tagged = tagger.tag([a.body for a in drafts])
    return [finish_article(a, spans) for a, spans in zip(drafts, tagged, strict=True)]


def summarise_skips(skips: Iterable[Skip]) -> str:
    """One line for skipped records: `3 records: revisit record (2), empty text (1)`."""
    reasons = Counter(skip.reason for skip in skips)
    total = sum(reasons.values())
    parts = ", ".join(f"{reason} ({n})" for reason, n in reasons.most_common())
    noun = "record" if total == 1 else "records"
    return f"{total} {noun}: {parts}"


@dataclass(frozen=True, slots=True)
class FileResult:
    """One file's outcome: its finished articles, or why it was skipped."""

    display_path: str
    digest: str
    articles: list[Article]  # with entities
    skips: list[Skip]  # records left out of a file that gave articles
    error: str | None = None  # the whole file was skipped, and why


Batch = list[tuple[CorpusFile, str, bytes]]  # files with their hash and bytes


def process_batch(
    batch: Batch,
    tagger: EntityTagger,
    registry: OutletRegistry,
    options: ReaderOptions | None = None,
) -> list[FileResult]:
    """Draft every file of a batch, then tag all their bodies in one NER pass."""
    drafted: list[tuple[CorpusFile, str, FileDrafts | str]] = []
    for file, digest, data in batch:
        try:
            drafted.append(
                (
                    file,
                    digest,
                    draft_file(file, data, registry=registry, options=options),
                )
            )
        except IngestError as exc:
            drafted.append((file, digest, str(exc)))
    drafts = [a for _, _, d in drafted if isinstance(d, FileDrafts) for a in d.articles]
    finished = iter(tag_drafts(drafts, tagger))
    results = []
    for file, digest, found in drafted:
        if isinstance(found, str):
            results.append(FileResult(file.display_path, digest, [], [], found))
        else:
            articles = [next(finished) for _ in found.articles]
            results.append(FileResult(file.display_path, digest, articles, found.skips))
    return results
