"""Queries mean what they say, through the command line (issue #13's cases).

Each case is a query a new user typed and got a wrong or silent answer
to; here each has its exact answer, on the shipped corpus or on the
ten-outlet archive of tests/data/mixed.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import Index
from newsindex.cli import cli

from .conftest import RAW
from .test_cli import built  # noqa: F401  the module fixture: raw/ indexed by the CLI


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def hits(*args: str) -> list[dict[str, object]]:
    code, out, err = run("search", *args, "--json", "--limit", "100")
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def reports(*args: str) -> list[str]:
    """The shipped reports (file numbers) a search returns, in order."""
    return [Path(str(h["source"]["path"])).name[:3] for h in hits(*args)]  # type: ignore[index]


@pytest.fixture
def raw(built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    monkeypatch.chdir(built)
    return built


@pytest.mark.parametrize(
    "query",
    [
        "Lavrov NOT outlet:TASS",
        "Lavrov AND NOT outlet:TASS",
        "NOT outlet:TASS Lavrov",
        "-outlet:TASS Lavrov",
        "Lavrov -outlet:ITAR-TASS",
    ],
)
def test_an_outlet_left_out_is_left_out(raw: Path, query: str) -> None:
    assert sorted(reports(query)) == ["000", "003", "004"]


def test_an_outlet_as_an_alternative_adds_its_articles(raw: Path) -> None:
    # 001 and 002 (TASS) do say "Lavrov"; an outlet alone would give 001, 002.
    assert sorted(reports("Lavrov OR outlet:TASS")) == [
        "000",
        "001",
        "002",
        "003",
        "004",
    ]
    assert sorted(reports("regret OR outlet:TASS")) == ["001", "002"]
    assert sorted(reports("Lungescu OR outlet:TASS")) == ["001", "002"]


def test_an_excluded_outlet_is_not_returned_nor_counted(
    mixed_index: Index, tmp_path: Path
) -> None:
    where = str(mixed_index.path)
    counts = tmp_path / "facets.json"
    code, out, err = run(
        "search", "OPEC -outlet:Reuters", "--index", where, "--json",
        "--limit", "100", "--facets", "outlet", "--facets-json", str(counts),
    )  # fmt: skip
    assert code == 0, err
    found = [json.loads(line) for line in out.splitlines()]
    assert {h["outlet"] for h in found} == {"China Daily", "Al Jazeera", "RTÉ", "TASS"}
    assert json.loads(counts.read_text()) == {
        "outlet": {"China Daily": 3, "Al Jazeera": 2, "RTÉ": 1, "TASS": 1}
    }
    # The same query without the exclusion: Reuters has 14 OPEC stories.
    code, out, _ = run(
        "search", "OPEC", "--index", where, "--json", "--facets", "outlet",
        "--facets-json", str(counts),
    )  # fmt: skip
    assert json.loads(counts.read_text())["outlet"]["Reuters"] == 14


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("AND", "error: AND with nothing before it in query: 'AND'\n"),
        ("Lavrov AND", "error: AND with nothing after it in query: 'Lavrov AND'\n"),
        ("*", "error: '*' matches every word: add letters to it in query: '*'\n"),
        ("outlet:", "error: empty value for outlet: in query: 'outlet:'\n"),
        ('outlet:""', "error: empty value for outlet: in query: 'outlet:\"\"'\n"),
        (
            "-Lavrov",
            "error: query only leaves things out: add something to search for: "
            "'-Lavrov'\n",
        ),
        (
            "NOT outlet:TASS",
            "error: query only leaves things out: add something to search for: "
            "'NOT outlet:TASS'\n",
        ),
        ("the of", "error: no searchable words in query: 'the of'\n"),
    ],
)
def test_a_query_that_selects_nothing_is_an_error(
    raw: Path, query: str, message: str
) -> None:
    assert run("search", query) == (2, "", message)


def test_a_query_starting_with_a_dash_is_a_query(raw: Path) -> None:
    code, out, err = run("search", "-outlet:TASS Lavrov", "--limit", "1")
    assert (code, err) == (0, "")
    assert out.startswith("1. unknown outlet · ")
    # A mistyped option is still an error, not a query.
    code, _, err = run("search", "Lavrov", "--limt", "3")
    assert code == 2
    assert err.endswith(
        "Error: No such option '--limt'. (Did you mean one of: '--cite', '--limit'?)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["zanzibar"], "no passages match 'zanzibar'\n"),
        (
            ["Lavrov", "--outlet", "Finantial Times"],
            "no passages match 'Lavrov' "
            "(outlet 'Finantial Times' is not in the index)\n",
        ),
        (
            ['entity:"Sergei Lavrof" NATO'],
            "no passages match 'entity:\"Sergei Lavrof\" NATO' (entity 'Sergei Lavrof' "
            "is not in the index (did you mean: Sergei Lavrov?))\n",
        ),
        (
            ["Lavrov", "--offset", "20"],
            "no results past offset 20: 5 articles match 'Lavrov'\n",
        ),
    ],
)
def test_no_hits_says_so_and_exits_1(raw: Path, args: list[str], message: str) -> None:
    assert run("search", *args) == (1, "", message)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["OPEC", "--outlet", "Al Jazira"],
            "no passages match 'OPEC' (outlet 'Al Jazira' is not in the index "
            "(did you mean: Al Jazeera?))\n",
        ),
        (
            ["OPEC byline:Gabet"],
            "no passages match 'OPEC byline:Gabet' (byline 'Gabet' is not in the "
            "index (did you mean: Janie Gabbett?))\n",
        ),
        (
            ["oil cites:Reutres"],
            "no passages match 'oil cites:Reutres' (cites 'Reutres' is not in the "
            "index (did you mean: Reuters?))\n",
        ),
        (
            ['place:"New Yrok" oil'],
            "no passages match 'place:\"New Yrok\" oil' (place 'New Yrok' is not "
            "in the index (did you mean: NEW YORK?))\n",
        ),
    ],
)
def test_unknown_values_name_the_closest_known(
    mixed_index: Index, args: list[str], message: str
) -> None:
    assert run("search", *args, "--index", str(mixed_index.path)) == (1, "", message)


def test_since_after_until_is_a_usage_error(raw: Path) -> None:
    assert run(
        "search", "Lavrov", "--since", "2021-10-20", "--until", "2021-10-19"
    ) == (
        2,
        "",
        "error: --since '2021-10-20' is after --until '2021-10-19': "
        "no date is in that window\n",
    )
    # A month ends on its last day: 2021-10 reaches past the 20th.
    assert run("search", "Lavrov", "--since", "2021-10-20", "--until", "2021-10") == (
        1,
        "",
        "no passages match 'Lavrov'\n",
    )


EXPLAINED = [
    (
        ["Sergei Lavrov NATO", "--since", "2021-10-18", "--until", "2021-10-19"],
        """\
all of:
  any of (more matches rank higher):
    word 'Sergei' in title or text
    word 'Lavrov' in title or text
    word 'NATO' in title or text
    phrase 'Sergey Lavrov' in title or text (a spelling of 'Sergei Lavrov' in the archive)
  published 2021-10-18T00:00:00Z .. 2021-10-19T23:59:59.999999Z (undated articles left out)
""",
    ),
    (
        ["Lavrov NOT outlet:TASS"],
        """\
all of:
  word 'Lavrov' in title or text
  not:
    outlet 'TASS' -> 'tass', 'itar-tass', 'tass news agency'
""",
    ),
    (
        ['"permanent mission"~3 +title:regrets'],
        """\
all of:
  word 'regrets' in title
  and, ranking higher if present:
    phrase 'permanent mission' in title or text, words within 3
""",
    ),
    (
        ["(regret OR dialogue) AND entity:Stoltenberg -place:Moscow"],
        """\
all of:
  one of:
    word 'regret' in title or text
    word 'dialogue' in title or text
  entity 'Stoltenberg' -> 'jens stoltenberg', 'stoltenberg' (also as the last word of a longer name: 'stoltenberg')
  not:
    place 'Moscow' -> the words 'moscow'
""",
    ),
    (
        [
            'Lavr* cites:AP byline:"Jane Doe"',
            "--outlet", "ITAR-TASS", "--include-undated", "--until", "2021-10",
        ],
        """\
all of:
  words matching 'Lavr*' in title or text
  cites 'AP' -> 'associated press', 'the associated press', 'ap', 'the ap'
  byline 'Jane Doe' -> the words 'jane doe', in this order
  outlet 'ITAR-TASS' -> 'tass', 'itar-tass', 'tass news agency'
  published any time .. 2021-10-31T23:59:59.999999Z (undated articles kept)
""",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("args", "expected"), EXPLAINED)
def test_explain_says_what_the_query_means(
    raw: Path, args: list[str], expected: str
) -> None:
    assert run("search", *args, "--explain") == (0, expected, "")


def test_explain_as_json(raw: Path) -> None:
    code, out, _ = run("search", "Lavrov NOT outlet:TASS", "--explain", "--json")
    assert code == 0
    assert json.loads(out) == {
        "op": "and",
        "children": [
            {"op": "word", "field": "any", "text": "Lavrov"},
            {
                "op": "not",
                "child": {
                    "op": "filter",
                    "field": "outlet",
                    "value": "TASS",
                    "keys": ["tass", "itar-tass", "tass news agency"],
                },
            },
        ],
    }


@pytest.mark.parametrize("sort", ["date", "-date"])
@pytest.mark.parametrize("query", ["Lavrov", "NATO mission", "Russia"])
def test_date_order_holds_for_the_copies_shown(
    raw: Path, sort: str, query: str
) -> None:
    shown = [h["published"] for h in hits(query, "--sort", sort)]
    assert_in_date_order(shown, sort)


@pytest.mark.parametrize("sort", ["date", "-date"])
@pytest.mark.parametrize("query", ["OPEC", "oil prices", "Trump"])
def test_date_order_holds_on_a_mixed_archive(
    mixed_index: Index, sort: str, query: str
) -> None:
    shown = [
        h["published"]
        for h in hits(query, "--sort", sort, "--index", str(mixed_index.path))
    ]
    assert len(shown) > 3
    assert_in_date_order(shown, sort)


def assert_in_date_order(shown: list[object], sort: str) -> None:
    dated = [datetime.fromisoformat(str(d)) for d in shown if d is not None]
    assert dated == sorted(dated, reverse=sort == "-date")
    # The undated come last.
    assert shown == [d for d in shown if d is not None] + [None] * shown.count(None)


def test_date_order_holds_when_a_later_copy_is_shown_as_its_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of TASS's 18 October report republished a week later: sorted
    newest first, the story stands at its original's date, not the copy's."""
    corpus = tmp_path / "raw"
    shutil.copytree(RAW, corpus)
    (original,) = RAW.glob("001_*.txt")
    text = original.read_text(encoding="utf-8")
    (corpus / "005_copy.txt").write_text(
        text.replace("18 Oct 2021, 16:46", "25 Oct 2021, 09:00"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert run("index", "raw")[0] == 0
    for sort in ("-date", "date"):
        found = hits("NATO mission", "--sort", sort)
        assert_in_date_order([h["published"] for h in found], sort)
        (story,) = [h for h in found if h["also_in"]]
        assert (story["published"], story["source"]["path"]) == (  # type: ignore[index]
            "2021-10-18T16:46",
            f"raw/{original.name}",
        )
        assert [a["published"] for a in story["also_in"]] == ["2021-10-25T09:00"]  # type: ignore[union-attr]
    # The copy (005) stands in its original's place; the undated come last.
    newest = reports("NATO mission", "--sort", "-date")
    assert newest[:3] == ["003", "004", "001"]
    assert sorted(newest[3:]) == ["000", "002"]
