"""search() over the shipped corpus: ranking, filters, provenance."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsindex import Index, Passage, QueryError
from newsindex.ingest.outlet import OutletRegistry

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def report(p: Passage) -> str:
    return Path(p.source.path).name[:3]


def test_passages_point_at_body_and_file(raw_index: Index, corpus_dir: Path) -> None:
    passages = raw_index.search("Lavrov NATO mission", limit=50, collapse=False)
    assert len(passages) >= 10
    for p in passages:
        assert raw_index.get(p.article_id).body[p.start : p.end] == p.text
        file_text = (corpus_dir / p.source.path).read_text(encoding="utf-8")
        assert p.source_start is not None
        assert file_text[p.source_start : p.source_end] == p.text


def test_collapse_gives_one_passage_per_article(raw_index: Index) -> None:
    passages = raw_index.search("Lavrov NATO mission", limit=50)
    ids = [p.article_id for p in passages]
    assert len(ids) == len(set(ids)) == 5
    # In order of the reranked article score (query/rank.py), the sum of signals.
    ranking = [sum(signals.values()) for signals in passages.signals]
    assert ranking == sorted(ranking, reverse=True)


def test_since_leaves_out_earlier_and_undated(raw_index: Index) -> None:
    passages = raw_index.search("Lavrov", since="2021-10-19", limit=50, now=NOW)
    assert sorted(report(p) for p in passages) == ["003", "004"]
    assert all(
        p.published is not None and p.published >= "2021-10-19" for p in passages
    )


def test_until_is_inclusive_and_include_undated(raw_index: Index) -> None:
    dated = raw_index.search("Lavrov", until="2021-10-18", limit=50, now=NOW)
    assert sorted(report(p) for p in dated) == ["001"]
    with_undated = raw_index.search(
        "Lavrov", until="2021-10-18", include_undated=True, limit=50, now=NOW
    )
    assert sorted(report(p) for p in with_undated) == ["000", "001", "002"]


@pytest.mark.parametrize("spelling", ["Sergei Lavrov", "Sergey Lavrov", "Lavrov"])
def test_entity_filter_matches_every_spelling(raw_index: Index, spelling: str) -> None:
    passages = raw_index.search("Lavrov", entity=spelling, limit=50)
    assert {"001", "002", "003", "004"} <= {report(p) for p in passages}


def test_entity_in_query_text(raw_index: Index) -> None:
    passages = raw_index.search('entity:"Sergei Lavrov" mission', limit=50)
    assert {"001", "002", "003", "004"} <= {report(p) for p in passages}


@pytest.mark.parametrize("name", ["TASS", "ITAR-TASS", "tass"])
def test_outlet_filter_takes_aliases(raw_index: Index, name: str) -> None:
    passages = raw_index.search("NATO", outlet=name, limit=50)
    assert sorted(report(p) for p in passages) == ["001", "002"]
    assert {p.outlet for p in passages} == {"TASS"}


def test_phrase_query_matches_the_phrase(raw_index: Index) -> None:
    passages = raw_index.search('"permanent mission"', limit=50, collapse=False)
    assert passages
    assert all("permanent mission" in p.text.lower() for p in passages)


def test_excluded_outlet(raw_index: Index) -> None:
    passages = raw_index.search("Lavrov -outlet:TASS", limit=50)
    assert sorted(report(p) for p in passages) == ["000", "003", "004"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ('"oil', "unbalanced quote in query: '\"oil'"),
        ("(oil OR gas", "unbalanced parenthesis in query: '(oil OR gas'"),
        (
            "nosuchfield:oil",
            "unknown field 'nosuchfield' in query: 'nosuchfield:oil' "
            "(fields: byline, cites, entity, outlet, place, text, title)",
        ),
    ],
)
def test_malformed_queries_raise(raw_index: Index, query: str, message: str) -> None:
    with pytest.raises(QueryError) as excinfo:
        raw_index.search(query)
    assert str(excinfo.value) == message


def test_get_returns_the_ingested_article(raw_index: Index) -> None:
    (p,) = raw_index.search("Lungescu", limit=1)
    article = raw_index.get(p.article_id)
    assert article.title == (
        "NATO regrets Russia’s decision to suspend diplomatic missions but is ready "
        "for dialogue"
    )
    people = {e.key: e for e in article.entities if e.type == "person"}
    assert {"oana lungescu", "sergei lavrov"} <= set(people)


def test_sort_by_date_puts_undated_last(raw_index: Index) -> None:
    newest = raw_index.search("Lavrov", sort="-date", limit=5)
    assert [p.published for p in newest] == [
        "2024-05-23",
        "2021-10-19",
        "2021-10-18T16:46",
        None,
        None,
    ]
    oldest = raw_index.search("Lavrov", sort="date", limit=3)
    assert [p.published for p in oldest] == [
        "2021-10-18T16:46",
        "2021-10-19",
        "2024-05-23",
    ]
    # Scores stay relevance scores when sorting by date.
    by_relevance = {p.article_id: p.score for p in raw_index.search("Lavrov", limit=5)}
    assert all(p.score == by_relevance[p.article_id] for p in newest)


def test_offset_pages_through_results(raw_index: Index) -> None:
    everything = raw_index.search("Lavrov", limit=5)
    assert raw_index.search("Lavrov", limit=2, offset=2) == everything[2:4]


def test_passages_per_article(raw_index: Index) -> None:
    passages = raw_index.search("Lavrov", limit=50, passages_per_article=2)
    per_article: dict[str, int] = {}
    for p in passages:
        per_article[p.article_id] = per_article.get(p.article_id, 0) + 1
    assert set(per_article.values()) <= {1, 2}
    assert 2 in per_article.values()


def test_filters_on_one_field_are_alternatives(raw_index: Index) -> None:
    either = raw_index.search("Lavrov outlet:TASS outlet:Reuters", limit=50)
    assert sorted(report(p) for p in either) == ["001", "002"]
    both = raw_index.search('Lavrov outlet:TASS entity:"Oana Lungescu"', limit=50)
    assert [report(p) for p in both] == ["002"]


def test_stopwords_only_is_a_query_error(raw_index: Index) -> None:
    with pytest.raises(QueryError) as excinfo:
        raw_index.search("the of")
    assert str(excinfo.value) == "no searchable words in query: 'the of'"


def test_highlights_mark_stemmed_matches(raw_index: Index) -> None:
    # Two reports quote the phrase; the one that words it "suspend" shows stemming.
    found = raw_index.search('"suspending its permanent mission"', limit=5)
    (p,) = [p for p in found if p.text.startswith("On Monday, Sergey Lavrov said")]
    assert [p.text[a:b] for a, b in p.highlights] == [
        "suspend",  # the query said "suspending": both stem to "suspend"
        "its",
        "Permanent",
        "Mission",
        "mission",
    ]
    assert p.highlights[0] == (53, 60)


def test_facets_count_articles_not_passages(raw_index: Index) -> None:
    assert raw_index.facets("Lavrov", ["outlet", "month"]) == {
        "outlet": [("unknown", 3), ("TASS", 2)],
        "month": [("2021-10", 2), ("2024-05", 1), ("undated", 2)],
    }
    assert raw_index.facets("Lavrov", ["month"], since="2021-10-19", now=NOW) == {
        "month": [("2021-10", 1), ("2024-05", 1)]
    }


def test_an_outlet_the_registry_lacks_keeps_its_own_name(tmp_path: Path) -> None:
    from ..index.test_parallel import NoEntities

    corpus = tmp_path / "c"
    corpus.mkdir()
    record = (
        '{"title": "Lavrov speaks", "outlet": "Bugle of Nowhere", "date": '
        '"2021-10-19", "text": "MOSCOW, Oct 19 - Russian Foreign Minister Sergei '
        'Lavrov said on Tuesday that Russia would suspend its mission to NATO."}'
    )
    (corpus / "a.jsonl").write_text(record + "\n", encoding="utf-8")
    with Index.create(tmp_path / "index") as index:
        index.update(corpus, tagger=NoEntities())
        assert index.facets("Lavrov", ["outlet"]) == {
            "outlet": [("Bugle of Nowhere", 1)]
        }
        assert [o.name for o in index.outlets()] == ["Bugle of Nowhere"]


def test_a_name_in_free_text_matches_its_other_spellings(raw_index: Index) -> None:
    from newsindex.query.parse import Expansions, parse_query
    from newsindex.query.tree import Or, Phrase, Word

    expansions = Expansions(
        OutletRegistry.default(), spellings=raw_index.archive().spellings
    )
    query = parse_query("Aleksandr Grushko statement", expansions)
    # raw/001 writes "Alexander Grushko": its spelling joins the query.
    assert query == Or(
        (
            Word("any", "Aleksandr"),
            Word("any", "Grushko"),
            Word("any", "statement"),
            Phrase("any", "Alexander Grushko", spelling_of="Aleksandr Grushko"),
        ),
        any_of=True,
    )
    (top,) = raw_index.search('"Aleksandr Grushko"', limit=1)
    assert "Alexander Grushko" in top.text
