"""Reranking inside `search`: the same articles match, in a new order, and
`--explain-ranking` says how each score was made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import Index
from newsindex.cli import cli
from newsindex.query import rank, rank_semantic


@pytest.fixture(autouse=True)
def lexical_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rank_semantic, "load_embedder", lambda: None)


@pytest.mark.parametrize(
    "query", ["Lavrov NATO mission", "information office Moscow", "regret OR dialogue"]
)
def test_reranking_keeps_the_set_of_articles(
    raw_index: Index, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    reranked = raw_index.search(query, limit=50, all_copies=True)
    monkeypatch.setattr(rank, "DEFAULT_WEIGHTS", rank.Weights())
    engine = raw_index.search(query, limit=50, all_copies=True)
    assert {p.article_id for p in reranked} == {p.article_id for p in engine}
    assert reranked.total == engine.total


def test_explain_ranking_adds_each_signals_share(
    raw_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(Path(raw_index.path).parent)
    args = ["search", "Lungescu", "--index", str(raw_index.path), "--json"]
    result = CliRunner().invoke(cli, [*args, "--explain-ranking"])
    (line,) = result.stdout.splitlines()
    found = json.loads(line)
    # Lungescu is in one passage of one article, not in its title: passage,
    # rarity and feedback (the pool's one article holds its own feedback
    # words) are at their most, each 1/4.8 of the engine's score, which the
    # passage keeps as its `score`; one word has no pairs, nothing near it.
    shares = {name: round(share, 3) for name, share in found["signals"].items()}
    assert shares == {
        "passage": 0.69,
        "title": 0.0,
        "rarity": 0.69,
        "proximity": 0.0,
        "phrase": 0.0,
        "feedback": 0.69,
    }
    assert found["score"] == pytest.approx(3.312, abs=1e-3)
    plain = CliRunner().invoke(cli, args)
    assert "signals" not in json.loads(plain.stdout)
