"""What the ingester makes of files, without an index (`newsindex inspect`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsindex.errors import IngestError
from newsindex.ingest.article import draft_article, finish_article
from newsindex.ingest.entities import EntityTagger, SpacyTagger
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Article, Skip
from newsindex.sources.discover import discover, parse_bytes, read_bytes

__all__ = ["inspect_paths"]


def inspect_paths(
    paths: Iterable[Path | str], *, tagger: EntityTagger | None = None
) -> tuple[list[Article], list[Skip]]:
    """Ingest the files at `paths` (files or folders) and return articles and skips.

    Raises InputPathError if a path does not exist; a file that cannot be
    ingested is a Skip, not an error.
    """
    registry = OutletRegistry.default()
    files = [file for path in paths for file in discover(path)]
    drafts: list[Article] = []
    skips: list[Skip] = []
    for file in files:
        try:
            _, data = read_bytes(file)
            raws = parse_bytes(file, data)
            drafts.extend(draft_article(raw, registry) for raw in raws)
        except IngestError as exc:
            skips.append(Skip(file.display_path, str(exc)))
    if not drafts:
        return [], skips
    tagged = (tagger or SpacyTagger()).tag([a.body for a in drafts])
    articles = [
        finish_article(a, spans) for a, spans in zip(drafts, tagged, strict=True)
    ]
    return articles, skips
