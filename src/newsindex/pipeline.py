"""Files -> Articles: the one path `index` and `inspect` share.

A file's bytes go through its reader (RawDocuments, or Skips for records
that cannot be articles), each RawDocument through the ingester's text rules
(`draft_article`), and then a batch of drafts through the entity tagger
(`tag_drafts`), which is where the time goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from msgspec import Struct, field

from newsindex.archive.clusters import Sketch, sketch_articles
from newsindex.errors import IngestError
from newsindex.ingest.article import draft_article, finish_article
from newsindex.ingest.entities import EntityTagger
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Article, RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.discover import CorpusFile, parse_bytes

__all__ = ["FileDrafts", "draft_file", "summarise_skips", "tag_drafts"]


class FileDrafts(Struct, frozen=True):
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
    found = draft_records(file.display_path, parse_bytes(file, data, options), registry)
    if not found.articles:
        if len(found.skips) == 1:
            raise IngestError(found.skips[0].reason, path=file.path)
        raise IngestError(empty_reason(found.skips), path=file.path)
    return found


def draft_records(
    display_path: str,
    items: Iterable[RawDocument | Skip],
    registry: OutletRegistry,
) -> FileDrafts:
    """Draft each document; a reader's Skip, or a document that fails, is a Skip."""
    articles: list[Article] = []
    skips: list[Skip] = []
    for item in items:
        if isinstance(item, Skip):
            skips.append(item)
            continue
        try:
            articles.append(draft_article(item, registry))
        except IngestError as exc:
            skips.append(Skip(display_path, str(exc), item.record))
    return FileDrafts(articles, skips)


def empty_reason(skips: Sequence[Skip]) -> str:
    """Why a file gave no article: its skipped records summed up, or none."""
    return summarise_skips(skips) if skips else "no articles"


def tag_drafts(drafts: Sequence[Article], tagger: EntityTagger) -> list[Article]:
    """Add entities to a batch of drafts, tagging all their bodies at once."""
    if not drafts:
        return []
    languages = [a.language for a in drafts]
    tagged = tagger.tag([a.body for a in drafts], languages)
    return [
        finish_article(a, spans, tagger.model_for(a.language))
        for a, spans in zip(drafts, tagged, strict=True)
    ]


def summarise_skips(skips: Iterable[Skip]) -> str:
    """One line for skipped records: `3 records: revisit record (2), empty text (1)`."""
    reasons = Counter(skip.reason for skip in skips)
    total = sum(reasons.values())
    parts = ", ".join(f"{reason} ({n})" for reason, n in reasons.most_common())
    noun = "record" if total == 1 else "records"
    return f"{total} {noun}: {parts}"


class FileResult(Struct, frozen=True):
    """One file's outcome (or one part's): finished articles, or why it failed."""

    display_path: str
    digest: str
    articles: list[Article]  # with entities
    skips: list[Skip]  # records left out of a file that gave articles
    error: str | None = None  # the whole file was skipped, and why
    last: bool = True  # False for all but the last part of a split container
    records: int | None = None  # a split container's part: its records' number
    # The articles' MinHash sketches for the republication clusters, made
    # here in the worker rather than by the one writer.
    sketches: list[Sketch] = field(default_factory=list)


class Part(Struct, frozen=True):
    """Work for one worker: a whole file's bytes, or some of a container's records.

    A large container (a JSON Lines export, a Reuters SGML file) is read
    here and its records split into parts, so that every worker gets some of
    it; a small file goes whole and is read in the worker.
    """

    file: CorpusFile
    digest: str
    data: bytes | None = None
    raws: tuple[RawDocument, ...] = ()
    skips: tuple[Skip, ...] = ()  # the reader's skipped records, on the last part
    last: bool = True


Batch = list[Part]


def process_batch(
    batch: Batch,
    tagger: EntityTagger,
    registry: OutletRegistry,
    options: ReaderOptions | None = None,
) -> list[FileResult]:
    """Draft every part of a batch, then tag all their bodies in one NER pass."""
    drafted: list[tuple[Part, FileDrafts | str]] = []
    for part in batch:
        if part.data is None:
            drafted.append((part, _draft_records(part, registry)))
            continue
        try:
            found = draft_file(part.file, part.data, registry=registry, options=options)
        except IngestError as exc:
            drafted.append((part, str(exc)))
            continue
        drafted.append((part, found))
    drafts = [a for _, d in drafted if isinstance(d, FileDrafts) for a in d.articles]
    tagged = tag_drafts(drafts, tagger)
    finished = iter(zip(tagged, sketch_articles(tagged), strict=True))
    results = []
    for part, outcome in drafted:
        path = part.file.display_path
        if isinstance(outcome, str):
            results.append(
                FileResult(
                    path, part.digest, [], [], outcome, part.last, _records(part)
                )
            )
            continue
        done = [next(finished) for _ in outcome.articles]
        results.append(
            FileResult(
                path,
                part.digest,
                [article for article, _ in done],
                outcome.skips,
                last=part.last,
                records=_records(part),
                sketches=[sketch for _, sketch in done],
            )
        )
    return results


def _records(part: Part) -> int | None:
    return None if part.data is not None else len(part.raws)


def _draft_records(part: Part, registry: OutletRegistry) -> FileDrafts:
    return draft_records(part.file.display_path, (*part.skips, *part.raws), registry)
