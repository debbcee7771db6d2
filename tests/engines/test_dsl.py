"""The query tree as OpenSearch DSL: shapes that carry the meaning, no server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsindex.engines.opensearch.dsl import Token, Translator
from newsindex.errors import QueryError
from newsindex.query.tree import (
    And,
    DateRange,
    Filter,
    Node,
    Not,
    Or,
    Phrase,
    Wildcard,
    Word,
)

STOP = {"the", "in", "an", "of"}


def analyse(text: str) -> list[Token]:
    """A stand-in analyser: lowercase words, stop words dropped, positions kept."""
    tokens, at = [], 0
    for n, word in enumerate(text.split()):
        start = text.index(word, at)
        at = start + len(word)
        if word.lower() not in STOP:
            tokens.append(Token(word.lower(), n, start, at))
    return tokens


def compile_(tree: Node) -> tuple[dict[str, object], tuple[dict[str, object], ...]]:
    compiled = Translator(analyse, max_expansion=50).compile(tree, "q")
    return compiled.selection, compiled.ranking


def _nested(query: dict[str, object]) -> dict[str, object]:
    return {"nested": {"path": "passages", "query": query, "score_mode": "none"}}


def _text(word: str) -> dict[str, object]:
    return {
        "bool": {
            "should": [
                {"match_phrase": {"passages.text": {"query": word, "boost": 1.0}}},
                {"match_phrase": {"passages.title": {"query": word, "boost": 1.5}}},
            ],
            "minimum_should_match": 1,
        }
    }


def test_not_leaves_out_an_article_with_the_word_in_any_passage() -> None:
    selection, ranking = compile_(
        And((Word("any", "NATO"), Not(Word("any", "regret"))))
    )
    assert selection == {
        "bool": {
            "filter": [_nested(_text("NATO"))],
            "must_not": [_nested(_text("regret"))],
        }
    }
    assert ranking == (_text("NATO"),)  # an excluded word ranks nothing


def test_filters_select_and_do_not_rank() -> None:
    outlet = Filter("outlet", "TASS", ("tass", "itar-tass"))
    entity = Filter("entity", "Lavrov", ("lavrov", "sergei lavrov"), ("lavrov",))
    selection, ranking = compile_(Or((outlet, entity)))
    assert selection == {
        "bool": {
            "should": [
                {"terms": {"outlet": ["tass", "itar-tass"]}},
                {
                    "bool": {
                        "should": [
                            {"terms": {"entity": ["lavrov", "sergei lavrov"]}},
                            {"wildcard": {"entity": {"value": "* lavrov"}}},
                        ],
                        "minimum_should_match": 1,
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }
    assert ranking == ()


def test_a_date_range_keeps_the_undated_when_asked() -> None:
    start = datetime(2021, 10, 18, tzinfo=UTC)
    stop = datetime(2021, 10, 19, 23, 59, 59, 999999, tzinfo=UTC)
    selection, _ = compile_(And((Word("text", "oil"), DateRange(start, stop, True))))
    assert selection["bool"]["filter"][1] == {  # type: ignore[index]
        "bool": {
            "should": [
                {
                    "range": {
                        "published": {
                            "gte": "2021-10-18T00:00:00.000Z",
                            "lte": "2021-10-19T23:59:59.999Z",
                        }
                    }
                },
                {"bool": {"must_not": [{"exists": {"field": "published"}}]}},
            ],
            "minimum_should_match": 1,
        }
    }


def test_a_sloppy_phrase_is_in_order_and_counts_stop_word_gaps() -> None:
    _, ranking = compile_(Phrase("text", "interested in dialogue", slop=3))
    assert ranking == (
        {
            "span_near": {
                "clauses": [
                    {"span_term": {"passages.text": "interested"}},
                    {"span_term": {"passages.text": "dialogue"}},
                ],
                "slop": 3,
                "in_order": True,
                "boost": 1.0,
            }
        },
    )


def test_a_pattern_is_bounded_by_max_expansion() -> None:
    _, ranking = compile_(Wildcard("title", "Lavr*"))
    assert ranking == (
        {
            "prefix": {
                "passages.title": {
                    "value": "lavr",
                    "rewrite": "top_terms_boost_50",
                    "boost": 1.5,
                }
            }
        },
    )


def test_stop_words_are_left_out_and_nothing_left_is_an_error() -> None:
    selection, _ = compile_(And((Word("text", "the"), Word("text", "oil"))))
    assert selection == _nested(
        {"match_phrase": {"passages.text": {"query": "oil", "boost": 1.0}}}
    )
    with pytest.raises(QueryError, match="no searchable words in query: 'q'"):
        compile_(Or((Word("any", "the"), Word("any", "of"))))
