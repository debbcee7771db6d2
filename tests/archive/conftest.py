"""Archive fixtures: real articles, tagged once per session, and a fresh archive."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from newsindex.archive import Archive
from newsindex.ingest.article import draft_article
from newsindex.ingest.entities import SpacyTagger
from newsindex.ingest.outlet import OutletRegistry
from newsindex.pipeline import draft_file, tag_drafts
from newsindex.records import Article, RawDocument
from newsindex.sources.discover import CorpusFile, read_bytes

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = Path(__file__).resolve().parent.parent / "data" / "archive"


def ingest_file(path: Path, display: str, tagger: SpacyTagger) -> list[Article]:
    """A corpus file's articles, as `newsindex index` makes them."""
    _, data = read_bytes(CorpusFile(path, display))
    drafts = draft_file(
        CorpusFile(path, display), data, registry=OutletRegistry.default()
    )
    return tag_drafts(drafts.articles, tagger)


def ingest_text(
    tagger: SpacyTagger,
    text: str,
    path: str = "snippet.txt",
    meta: Mapping[str, str] | None = None,
) -> Article:
    """One plain-text article from a real snippet."""
    raw = RawDocument(path=path, media_type="text", text=text, meta=meta or {})
    (article,) = tag_drafts([draft_article(raw)], tagger)
    return article


@pytest.fixture(scope="session")
def raw_articles(tagger: SpacyTagger) -> list[Article]:
    """The five reports of raw/, paths `raw/...`."""
    return [
        article
        for path in sorted((ROOT / "raw").glob("*.txt"))
        for article in ingest_file(path, f"raw/{path.name}", tagger)
    ]


@pytest.fixture(scope="session")
def republished(tagger: SpacyTagger) -> list[Article]:
    """One AP story on ABC News (2017-03-27) and, re-headlined, on Al Jazeera."""
    path = DATA / "republished.jsonl"
    return ingest_file(path, "republished.jsonl", tagger)


def abc_text() -> str:
    """The text of the ABC News copy of the republished AP story."""
    line = (DATA / "republished.jsonl").read_text("utf-8").splitlines()[0]
    text: str = json.loads(line)["text"]
    return text


def copy_of(tagger: SpacyTagger, text: str, name: str, day: str | None) -> Article:
    """A copy of `text` published on `day` (None: undated), path `name.txt`."""
    meta = {"published": day, "published_evidence": "meta"} if day else {}
    return ingest_text(tagger, text, f"{name}.txt", meta)


@pytest.fixture(scope="session")
def trims(tagger: SpacyTagger) -> dict[str, Article]:
    """The ABC story's first half, its second half, and the whole (the bridge)."""
    text = abc_text()
    cut = text.index(" The statement is at odds with mainstream")
    return {
        "top": copy_of(tagger, text[: cut + 1], "top", "2017-03-27"),
        "bottom": copy_of(tagger, text[cut + 1 :], "bottom", "2017-03-29"),
        "whole": copy_of(tagger, text, "whole", "2017-03-28"),
    }


@pytest.fixture(scope="session")
def bakers(tagger: SpacyTagger) -> list[Article]:
    """Reuters 1987: James Baker (348, 9690), Howard Baker (794, 1793), the
    firm Baker, Fentress (19577), and a trim of 10136 naming "Baker" beside
    Paul Volcker."""
    return [
        *ingest_file(DATA / "reuters-bakers.sgm", "reuters-bakers.sgm", tagger),
        *ingest_file(DATA / "volcker-trimmed.txt", "volcker-trimmed.txt", tagger),
    ]


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path) as opened:
        yield opened
