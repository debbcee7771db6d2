"""Articles from a crawl: the data.gov.uk blog post of tests/data's WARC."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsindex.ingest.article import draft_article
from newsindex.records import Article, Published, RawDocument
from newsindex.sources.base import ReaderOptions
from newsindex.sources.warc import read_warc

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "datagovuk-sample.warc.gz"


def _post() -> Article:
    (raw,) = (
        doc
        for doc in read_warc(
            SAMPLE.read_bytes(),
            path=SAMPLE,
            display_path="crawl.warc.gz",
            options=ReaderOptions(),
        )
        if isinstance(doc, RawDocument)
    )
    return draft_article(raw)


def test_rdfa_creation_date_beats_the_update_stamp() -> None:
    # "Updated on Thu, 13/03/2014 - 14:28" under the headline, then
    # <span property="dc:date dc:created" content="2014-03-04T14:38:10+00:00">.
    published = _post().published
    assert published == Published(
        when=datetime(2014, 3, 4, 14, 38, 10, tzinfo=UTC),
        precision="datetime",
        evidence="meta",
    )
    assert published.source == "rdfa:dc:date"
    updates = [c for c in published.candidates if c.source == "text:under-headline"]
    assert [(c.when, c.modified) for c in updates] == [
        (datetime(2014, 3, 13, 14, 28), True)
    ]


def test_capture_instant_is_kept_beside_publication() -> None:
    article = _post()
    assert article.captured == datetime(2014, 3, 25, 12, 18, 2, tzinfo=UTC)
    data = article.to_dict()
    assert data["captured"] == "2014-03-25T12:18:02+00:00"
    assert Article.from_dict(data).captured == article.captured


def test_submitted_by_names_the_author() -> None:
    # <span property="dc:date dc:created" ...>Submitted by <a ...
    # property="foaf:name">markbraggins</a> on Tue, 04/03/2014 - 14:38</span>
    assert _post().bylines == ("Markbraggins",)
