"""What the ingester makes of files, without an index (`newsindex inspect`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsindex.errors import IngestError
from newsindex.ingest.entities import EntityTagger, SpacyTagger
from newsindex.ingest.outlet import OutletRegistry
from newsindex.pipeline import draft_file, summarise_skips, tag_drafts
from newsindex.records import Article, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.discover import discover, read_bytes

__all__ = ["inspect_paths"]


def inspect_paths(
    paths: Iterable[Path | str],
    *,
    tagger: EntityTagger | None = None,
    options: ReaderOptions | None = None,
) -> tuple[list[Article], list[Skip]]:
    """Ingest the files at `paths` (files or folders) and return articles and skips.

    Raises InputPathError if a path does not exist; a file that cannot be
    ingested is a Skip, not an error. Skipped records of a container that
    gave articles are summarised as one Skip for that file.
    """
    registry = OutletRegistry.default()
    files = [file for path in paths for file in discover(path)]
    drafts: list[Article] = []
    skips: list[Skip] = []
    for file in files:
        try:
            _, data = read_bytes(file)
            found = draft_file(file, data, registry=registry, options=options)
        except IngestError as exc:
            skips.append(Skip(file.display_path, str(exc)))
            continue
        drafts.extend(found.articles)
        if found.skips:
            skips.append(Skip(file.display_path, summarise_skips(found.skips)))
    return tag_drafts(drafts, tagger or SpacyTagger()) if drafts else [], skips
