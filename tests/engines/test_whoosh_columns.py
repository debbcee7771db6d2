"""Only(): filtered hits and scores are the words' own, whichever way it filters."""

from __future__ import annotations

import pytest
from whoosh import query as wquery

from newsindex import Index
from newsindex.engines.whoosh.columns import Only
from newsindex.engines.whoosh.translate import Compiled
from newsindex.query.plan import plan_search

TASS = wquery.Term("outlet", "tass")
FILTERS = {
    # TASS's passages: fewer than "nato" matches, more than "lungescu" does.
    "outlet column": (TASS, {"tass"}),
    "outlet postings": (TASS, None),
    "kind postings": (wquery.Term("kind", "passage"), None),
    "either outlet": (wquery.Or([TASS, wquery.Term("outlet", "cnn")]), {"tass", "cnn"}),
}


def words(word: str) -> wquery.Query:
    return wquery.Or([wquery.Term("text", word), wquery.Term("title", word)])


@pytest.mark.parametrize("limit", [None, 1, 3])
@pytest.mark.parametrize("word", ["nato", "lavrov", "mission", "lungescu"])
@pytest.mark.parametrize("name", list(FILTERS))
def test_hits_and_scores_are_the_words_own(
    raw_index: Index, name: str, word: str, limit: int | None
) -> None:
    searcher = raw_index.searcher()
    only, keys = FILTERS[name]
    allowed = set(searcher.docs_for_query(only))
    scored = [(h.docnum, h.score) for h in searcher.search(words(word), limit=None)]
    expected = [hit for hit in scored if hit[0] in allowed][:limit]
    found = searcher.search(Only(words(word), only, keys), limit=limit)
    assert [(h.docnum, h.score) for h in found] == expected
    assert expected


def test_an_outlet_beside_words_becomes_a_filter(raw_index: Index) -> None:
    compiled = compile(raw_index, "outlet:TASS Lungescu")
    assert isinstance(compiled.query, Only)
    assert compiled.query.keys == {"tass", "itar-tass", "tass news agency"}
    assert str(compiled.query.child) == "(text:lungescu OR title:lungescu)"


def test_the_outlet_option_scores_nothing(raw_index: Index) -> None:
    plain = raw_index.search("NATO mission", all_copies=True, limit=50)
    tass = raw_index.search("NATO mission", outlet="TASS", all_copies=True, limit=50)
    assert tass
    assert {(p.article_id, p.score) for p in tass} <= {
        (p.article_id, p.score) for p in plain
    }


def test_an_outlet_without_words_is_left_to_the_postings(raw_index: Index) -> None:
    # Article documents carry the outlet too: the passages are kept by kind.
    compiled = compile(raw_index, "outlet:TASS")
    assert isinstance(compiled.query, Only)
    assert compiled.query.keys is None
    assert str(compiled.query.child.child) == (
        "(outlet:tass OR outlet:itar-tass OR outlet:tass news agency)"
    )


def compile(index: Index, query: str) -> Compiled:  # noqa: A001
    """The Whoosh query a search for `query` runs."""
    plan = plan_search(index, query)
    return index.engine().run(plan.tree, plan.text).compiled
