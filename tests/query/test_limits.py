"""Bounded queries: a word pattern past its limit is refused, a search past its
time budget stops, and neither holds a reader for long (issue #19)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newsindex import Index
from newsindex.cli import cli
from newsindex.errors import QueryError, SearchTimeoutError


def test_a_pattern_past_the_limit_is_refused(
    mixed_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(mixed_index.search("o*", limit=50)) > 0
    monkeypatch.setenv("NEWSINDEX_MAX_EXPANSION", "3")
    with pytest.raises(QueryError) as refused:
        mixed_index.search("oil o*")
    assert str(refused.value) == (
        "'o*' matches more than 3 words (NEWSINDEX_MAX_EXPANSION): make it longer"
    )
    assert len(mixed_index.search("opec*")) > 0  # opec, opec's: within 3


def test_the_limit_through_the_cli(
    mixed_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSINDEX_MAX_EXPANSION", "3")
    result = CliRunner().invoke(
        cli, ["search", "s* t*", "--index", str(mixed_index.path)]
    )
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "error: 's*' matches more than 3 words (NEWSINDEX_MAX_EXPANSION): "
        "make it longer\n",
    )


@pytest.mark.parametrize("query", ["*", "?", "**", "*?"])
def test_a_pattern_of_nothing_but_wildcards_is_refused(
    mixed_index: Index, query: str
) -> None:
    with pytest.raises(QueryError) as refused:
        mixed_index.search(query)
    assert str(refused.value) == (
        f"{query!r} matches every word: add letters to it in query: {query!r}"
    )


def test_a_search_past_its_time_budget_stops(
    mixed_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A budget no search can meet: the first look at the clock ends it.
    monkeypatch.setenv("NEWSINDEX_SEARCH_SECONDS", "0.000001")
    with pytest.raises(SearchTimeoutError) as stopped:
        mixed_index.search("oil OR said OR the OR prices")
    assert str(stopped.value) == (
        "search stopped after 1e-06 s (NEWSINDEX_SEARCH_SECONDS): "
        "'oil OR said OR the OR prices' matches too much; narrow it"
    )
    result = CliRunner().invoke(
        cli, ["search", "oil", "--index", str(mixed_index.path)]
    )
    assert (result.exit_code, result.stderr) == (
        1,
        "error: search stopped after 1e-06 s (NEWSINDEX_SEARCH_SECONDS): "
        "'oil' matches too much; narrow it\n",
    )
