"""Mutated real pages and wire copy through the whole drafting path.

Whatever the bytes, `draft_file` gives article drafts whose offsets hold
(`body[start:end]` of the dateline, quotes and bylines are inside the body),
or raises IngestError: never another exception.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsindex.errors import IngestError
from newsindex.ingest.outlet import OutletRegistry
from newsindex.pipeline import draft_file
from newsindex.sources.discover import CorpusFile

from ..conftest import RAW
from ..strategies import mutated

PAGES = sorted((RAW.parent / "tests" / "data" / "pages").glob("*.html"))
TEXTS = sorted(RAW.glob("*.txt"))
REGISTRY = OutletRegistry.default()


def drafts_or_ingest_error(name: str, data: bytes) -> None:
    file = CorpusFile(Path(name), name)
    try:
        found = draft_file(file, data, registry=REGISTRY)
    except IngestError:
        return
    for article in found.articles:
        assert article.body
        if article.dateline is not None:
            dateline = article.dateline
            assert 0 <= dateline.start <= dateline.end <= len(article.body)
        for quote in article.quotes:
            assert article.body[quote.start : quote.end] == quote.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.sampled_from(PAGES).flatmap(lambda p: mutated(p.read_bytes())))
def test_mutated_pages(data: bytes) -> None:
    drafts_or_ingest_error("page.html", data)


@settings(max_examples=100, deadline=None)
@given(data=st.sampled_from(TEXTS).flatmap(lambda p: mutated(p.read_bytes())))
def test_mutated_wire_copy(data: bytes) -> None:
    drafts_or_ingest_error("report.txt", data)
