"""Reranking the engine's first passages: each signal moves the right article,
and no signal ever adds, drops or duplicates a hit."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from newsindex.engines.base import PassageHit, Sort
from newsindex.query.rank import (
    SIGNALS,
    RankedRun,
    Weights,
    query_words,
    reordered,
    rerank,
)
from newsindex.query.tree import And, Filter, Not, Or, Phrase, Word


def hit(
    article: str, score: float, text: str, title: str = "", start: int = 0
) -> PassageHit:
    return PassageHit(
        article_id=article,
        start=start,
        end=start + len(text),
        text=text,
        score=score,
        published=None,
        provenance={"title": title},
        cluster=article,
    )


def order(
    hits: Sequence[PassageHit], words: Sequence[str], **weights: float
) -> list[str]:
    return [
        r.hits[0].article_id for r in rerank(hits, words, weights=Weights(**weights))
    ]


def test_the_engine_score_alone_keeps_the_engine_order() -> None:
    hits = [hit("a", 3.0, "oil prices"), hit("b", 2.0, "oil"), hit("a", 1.0, "crude")]
    ranked = rerank(hits, ["oil"], weights=Weights())
    assert [(r.hits, r.score) for r in ranked] == [
        ((hits[0], hits[2]), 3.0),
        ((hits[1],), 2.0),
    ]


def test_a_title_holding_the_query_lifts_its_article() -> None:
    hits = [
        hit("a", 2.0, "Exports of cocoa fell.", title="Ghana harvest report"),
        hit("b", 1.9, "Exports of cocoa fell.", title="Cocoa exports fall"),
    ]
    assert order(hits, ["cocoa", "exports"]) == ["a", "b"]
    assert order(hits, ["cocoa", "exports"], title=0.2) == ["b", "a"]


def test_query_words_close_together_beat_words_far_apart() -> None:
    far = "Money was short. " + "The board met twice in the spring and said " * 3
    hits = [
        hit("far", 2.0, far + "foreign exchange dealers waited."),
        hit("near", 1.9, "Foreign exchange money markets were calm."),
    ]
    words = ["money", "foreign", "exchange"]
    assert order(hits, words) == ["far", "near"]
    assert order(hits, words, proximity=0.3) == ["near", "far"]


def test_a_word_rare_in_the_pool_counts_more_than_a_common_one() -> None:
    hits = [
        hit("common", 2.0, "Foreign exchange dealers were busy."),
        hit("rare", 1.9, "FX dealers were busy."),
        *[
            hit(f"other{i}", 1.0, f"The stock exchange closed early, day {i}.")
            for i in range(3)
        ],
    ]
    words = ["fx", "exchange"]
    # Each holds one of the two words: coverage cannot tell them apart.
    assert order(hits, words, coverage=1.0)[:2] == ["common", "rare"]
    assert order(hits, words, rarity=1.0)[:2] == ["rare", "common"]


def test_query_words_side_by_side_beat_the_same_words_nearby() -> None:
    hits = [
        hit("apart", 2.0, "The index of share prices rose as consumer spending grew."),
        hit("together", 1.9, "The consumer price index rose 0.4 pct in May."),
    ]
    words = ["consumer", "price", "index"]
    # All three words are within a few words of each other in both.
    assert order(hits, words, proximity=1.0) == ["apart", "together"]
    assert order(hits, words, phrase=1.0) == ["together", "apart"]


def test_function_words_between_query_words_keep_them_side_by_side() -> None:
    hits = [
        hit("apart", 2.0, "Payments fell; the balance sheet was sound."),
        hit("together", 1.9, "The balance of payments showed a deficit."),
    ]
    assert order(hits, ["balance", "payments"], phrase=1.0) == ["together", "apart"]


def test_feedback_lifts_an_article_sharing_the_first_articles_words() -> None:
    first = [
        hit(f"top{i}", 10.0 - i, "Wheat export subsidy tonnes to Egypt.")
        for i in range(3)
    ]
    rest = [
        hit("offtopic", 2.0, "Wheat beer sales in Bavaria rose."),
        hit("ontopic", 1.9, "Wheat: Egypt buys tonnes under the export subsidy."),
        *[hit(f"other{i}", 1.0, f"Weather report number {i}.") for i in range(4)],
    ]
    plain = order(first + rest, ["wheat"])
    assert plain.index("offtopic") < plain.index("ontopic")
    fed = order(first + rest, ["wheat"], feedback=0.5)
    assert fed.index("ontopic") < fed.index("offtopic")


class FakeEmbedder:
    """Texts mentioning `currency` point one way, all others the other way."""

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [
            [1.0, 0.0]
            if "currency" in t.lower() or "money" in t.lower()
            else [0.0, 1.0]
            for t in texts
        ]


def test_semantic_signal_ranks_by_meaning_beside_the_words() -> None:
    hits = [
        hit("words", 2.0, "Money talks, says a film."),
        hit("meaning", 1.8, "The dollar fell: currency dealers sold."),
        hit("neither", 1.9, "Film festival opens."),
    ]
    ranked = rerank(
        hits, ["money"], weights=Weights(semantic=1.0), embedder=FakeEmbedder()
    )
    assert [r.hits[0].article_id for r in ranked] == ["words", "meaning", "neither"]
    # Each signal's share adds up to the score, on the engine's scale.
    assert ranked[1].signals == {"passage": 0.9, "semantic": 1.0}
    assert ranked[1].score == 1.9


def test_without_a_model_the_semantic_weight_is_ignored() -> None:
    hits = [hit("a", 2.0, "money"), hit("b", 1.0, "currency")]
    ranked = rerank(hits, ["money"], weights=Weights(semantic=1.0))
    assert [(r.hits[0].article_id, r.score) for r in ranked] == [("a", 2.0), ("b", 1.0)]


def test_query_words_are_the_positive_words_and_phrases() -> None:
    tree = And(
        (
            Or((Word("any", "Oil"), Phrase("title", "crude prices")), any_of=True),
            Filter("outlet", "Reuters", ("reuters",)),
            Not(Word("any", "gold")),
        )
    )
    assert query_words(tree) == ("oil", "crude", "prices")


texts = st.sampled_from(
    ["oil prices rose", "crude oil", "the dollar fell", "wheat exports", "oil and gas"]
)
pools = st.lists(
    st.tuples(st.sampled_from("abcdef"), st.floats(0.1, 10.0), texts, texts),
    max_size=20,
)
weights = st.builds(Weights, *(st.sampled_from([0.0, 0.1, 0.5, 1.0]) for _ in SIGNALS))


@given(pool=pools, weights=weights)
def test_reranking_changes_order_never_the_set(
    pool: list[tuple[str, float, str, str]], weights: Weights
) -> None:
    ordered = sorted(pool, key=lambda p: -p[1])
    hits = [
        hit(a, s, text, title, start=i) for i, (a, s, text, title) in enumerate(ordered)
    ]
    ranked = rerank(hits, ["oil", "prices"], weights=weights, embedder=FakeEmbedder())
    out = reordered(ranked, [])
    assert sorted((h.article_id, h.start) for h in out) == sorted(
        (h.article_id, h.start) for h in hits
    )
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    # An article's passages stay together, best first.
    seen = [h.article_id for h in out]
    assert seen == sorted(seen, key=seen.index)


class FakeRun:
    """A QueryRun that answers `fetch` from a fixed ranking."""

    def __init__(self, hits: list[PassageHit]) -> None:
        self.hits = hits
        self.asked: list[int] = []

    def fetch(self, n: int, sort: Sort, per_article: int = 1) -> list[PassageHit]:
        assert sort == "relevance"
        self.asked.append(n)
        return self.hits[:n]


def test_a_ranked_run_reorders_its_pool_and_pages_past_it() -> None:
    hits = [
        hit("a", 5.0, "nothing here", title="unrelated"),
        hit("b", 4.9, "oil prices", title="Oil prices"),
        hit("c", 3.0, "oil"),
        hit("d", 2.0, "oil"),
    ]
    run = RankedRun(
        FakeRun(hits), ["oil", "prices"], weights=Weights(title=1.0), depth=3
    )
    everything = run.fetch(10)
    assert [h.article_id for h in everything] == ["b", "a", "c", "d"]
    assert run.fetch(2) == everything[:2]
    assert everything[3] == hits[3]  # past the pool: the engine's own hit
    assert run.signals("b") == {"passage": 2.45, "title": 2.5}
    assert run.signals("d") == {}
