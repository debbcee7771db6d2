"""Each form of the query syntax, on the shipped corpus (and one wire story).

Results are compared as the set of reports (file numbers) that match, one
result per article, so each case says which articles a form lets through.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsindex import Index

from ..conftest import RAW
from ..index.test_parallel import NoEntities

CASES = [
    # Words: any may match (more matches rank higher).
    ("regret", ["002"]),
    ("Lungescu regret", ["002"]),
    ("Lavr*", ["000", "001", "002", "003", "004"]),
    # Required words and boolean operators.
    ("+regret dialogue", ["002"]),
    ("regret AND dialogue", ["002"]),
    ("regret OR Lungescu", ["002"]),
    ("(regret OR Lungescu) AND dialogue", ["002"]),
    # Exclusion, three ways: an article that says "regret" anywhere is left
    # out, not only its passages that say it.
    ("NATO NOT regret", ["000", "001", "003", "004"]),
    ("NATO -regret", ["000", "001", "003", "004"]),
    ("NATO AND NOT regret", ["000", "001", "003", "004"]),
    # 003 and 004 quote Lavrov on "equal dialogue" in one passage.
    ("mission NOT (regret OR dialogue)", ["000", "001"]),
    # Phrases, exact and within a distance.
    ('"equal dialogue"', ["003", "004"]),
    ('"interested dialogue"~3', ["003", "004"]),
    ('"dialogue interested"', []),
    # Fields.
    ("title:regrets", ["002"]),
    ("outlet:TASS", ["001", "002"]),
    ("outlet:ITAR-TASS mission", ["001", "002"]),
    ("Lavrov -outlet:TASS", ["000", "003", "004"]),
    ('entity:"Sergei Lavrov"', ["000", "001", "002", "003", "004"]),
    ("place:Brussels", ["001", "002"]),
    ("place:Brussels outlet:TASS regret", ["002"]),
]


def reports(index: Index, query: str) -> list[str]:
    found = index.search(query, all_copies=True, limit=50)
    return sorted({Path(p.source.path).name[:3] for p in found})


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_each_form_matches_what_it_says(
    raw_index: Index, query: str, expected: list[str]
) -> None:
    assert reports(raw_index, query) == expected


def test_byline_matches_a_wire_reporter(tmp_path: Path) -> None:
    corpus = tmp_path / "wire"
    corpus.mkdir()
    shutil.copy(RAW.parent / "tests" / "data" / "reuters-sample.sgm", corpus)
    with Index.create(tmp_path / "index") as index:
        index.update(corpus, tagger=NoEntities())
        found = index.search('byline:"Janie Gabbett"', limit=50)
        assert {p.bylines for p in found} == {("Janie Gabbett",)}
        # A part of the name finds it too; a name no byline has finds nothing.
        assert [p.bylines for p in index.search("byline:Gabbett", limit=50)] == [
            ("Janie Gabbett",)
        ]
        assert index.search('byline:"Gabbett Janie"', limit=50) == []
