"""What a reader or page extractor found, before the ingester decides.

Every date signal is kept as a `DateCandidate` (what it says, what said it,
and whether it is an original publication or a later modification), so the
choice of `Article.published` is made in one place (`published.py`) and can
say which evidence won.
"""

from __future__ import annotations

from msgspec import Struct

from newsindex.dates import ParsedDate
from newsindex.records import DateEvidence

__all__ = ["LIBRARY_DATE", "URL_MONTH_DAY", "DateCandidate", "PageExtract"]

# The source of a day a page's text gives in the month its URL names: it
# dates the page only when nothing else gives a day (published.py).
URL_MONTH_DAY = "text:day-in-url-month"
# The source of trafilatura's date for a page: the answer the decision starts
# from, overridden only by the page's own evidence (published.py).
LIBRARY_DATE = "trafilatura"


class DateCandidate(Struct, frozen=True):
    """One dated piece of evidence about when an article was published."""

    date: ParsedDate
    evidence: DateEvidence
    modified: bool = False  # a last-modified/updated date, not the original one
    # Where exactly it was found: "record:published", "json-ld:datePublished",
    # "meta:article:published_time", "rdfa:dc:date", "time", "url",
    # "htmldate", "text:under-headline", ... (shown in `published.candidates`).
    source: str = ""
    own: bool = False  # the record's own date field (an export's, a wire header)


class PageExtract(Struct, frozen=True):
    """The main text and metadata of one HTML page."""

    title: str | None
    text: str  # main text: one paragraph per line, no navigation or teasers
    url: str | None  # the page's own URL (canonical link, og:url), if it names one
    authors: tuple[str, ...]  # normalised person names, in page order
    publisher: str | None  # the publisher or site name the page gives
    dates: tuple[DateCandidate, ...]  # every date signal found, best first
    lang: str | None  # BCP 47 language tag the page declares, if any
