"""The Whoosh schema: one document per passage, per article and per file.

`kind` tells them apart. Article documents carry `outlet` and `published`
for archive-wide listings. Passage documents carry their article's fields
(outlet, published, entities, bylines, dateline place, title) so that filters
and BM25F ranking work at passage level. The article document stores the
whole Article (its JSON contract form) so that `show` returns the exact body
that passage offsets point into. The file document is the manifest entry:
which content hash was ingested from which path.
"""

from __future__ import annotations

from whoosh import fields
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer

__all__ = ["SCHEMA_VERSION", "make_schema"]

SCHEMA_VERSION = 4


def make_schema() -> fields.Schema:
    """Return the schema every newsindex index is created with."""
    text = StemmingAnalyzer()
    names = RegexTokenizer(r"\w+") | LowercaseFilter()
    return fields.Schema(
        kind=fields.ID(stored=True),
        pid=fields.ID(stored=True, unique=True),
        article_id=fields.ID(stored=True, sortable=True),
        path=fields.ID(stored=True),
        content_hash=fields.ID(stored=True),
        # The outlet's lowercase registry key ("associated press"): one term,
        # and a column for facet counts.
        outlet=fields.ID(sortable=True),
        # sortable: a column for date sorting and outlet first/last dates.
        published=fields.DATETIME(stored=True, sortable=True),
        entity=fields.KEYWORD(commas=True, lowercase=True),
        # Words of the authors' names and the dateline's place, with positions,
        # so that `byline:Gabbett` and `byline:"Janie Gabbett"` both match.
        byline=fields.TEXT(analyzer=names),
        place=fields.TEXT(analyzer=names),
        # The whole names, as written, on article documents: what a search for
        # an unknown byline or place suggests instead ("did you mean").
        byline_names=fields.KEYWORD(commas=True),
        place_names=fields.KEYWORD(commas=True),
        # Registry keys of the outlets the article names as its sources.
        cites=fields.KEYWORD(commas=True, lowercase=True),
        cluster=fields.ID(stored=True, sortable=True),
        title=fields.TEXT(analyzer=text, stored=True, field_boost=1.5),
        text=fields.TEXT(analyzer=text, stored=True),
        start=fields.STORED,
        end=fields.STORED,
        source_start=fields.STORED,
        source_end=fields.STORED,
        provenance=fields.STORED,  # JSON: outlet, published, title, bylines, source
        payload=fields.STORED,  # article documents: the Article as JSON
        articles=fields.STORED,  # file documents: how many articles the file gave
    )
