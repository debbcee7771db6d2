"""`newsindex timeline`: the chart, --json and --csv on the shipped corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex.cli import cli

from .conftest import RAW


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("timeline")
    shutil.copytree(RAW, base / "raw")
    result = CliRunner().invoke(
        cli, ["index", str(base / "raw"), "--index", str(base / "index")]
    )
    assert result.exit_code == 0, result.stderr
    return base / "index"


def run(index: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["timeline", *args, "--index", str(index)])
    return result.exit_code, result.stdout, result.stderr


def test_chart(built: Path) -> None:
    code, out, err = run(built, "Lavrov", "--by", "week")
    bar = "█" * 50
    assert (code, err) == (0, "")
    assert out == (
        "'Lavrov' per week: 3 articles (2 undated, not shown)\n"
        f"2021-W42              2  {bar}\n"
        "2021-W43 .. 2024-W20  0\n"
        f"2024-W21              1  {bar[:25]}\n"
    )


def test_chart_split_by_outlet(built: Path) -> None:
    code, out, _ = run(built, "Lavrov", "--by", "year", "--split", "outlet")
    bar = "█" * 50
    assert (code, out) == (
        0,
        "'Lavrov' per year: 3 articles (2 undated, not shown)\n"
        f"2021       2  {bar}\n"
        f"  TASS     1  {bar[:25]}\n"
        f"  unknown  1  {bar[:25]}\n"
        f"2024       1  {bar[:25]}\n"
        f"  unknown  1  {bar[:25]}\n",
    )


def test_json_one_object_per_period(built: Path) -> None:
    code, out, _ = run(built, "Lavrov", "--by", "year", "--json")
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == [
        {"period": "2021", "count": 2},
        {"period": "2022", "count": 0},
        {"period": "2023", "count": 0},
        {"period": "2024", "count": 1},
    ]
    code, out, _ = run(built, "Lavrov", "--split", "outlet", "--json")
    assert [json.loads(line) for line in out.splitlines()] == [
        {"period": "2021-10", "count": 1, "outlet": "TASS"},
        {"period": "2021-10", "count": 1, "outlet": "unknown"},
        {"period": "2024-05", "count": 1, "outlet": "unknown"},
    ]


def test_json_counts_are_search_counts(built: Path) -> None:
    _, out, _ = run(built, "Lavrov", "--by", "day", "--since", "2021-10-17",
                    "--until", "2021-10-20", "--json")  # fmt: skip
    for line in out.splitlines():
        period = json.loads(line)
        day = period["period"]
        result = CliRunner().invoke(
            cli, ["search", "Lavrov", "--since", day, "--until", day, "--json",
                  "--index", str(built), "--limit", "100"],
        )  # fmt: skip
        assert (day, len(result.stdout.splitlines())) == (day, period["count"])


def test_csv(built: Path) -> None:
    code, out, _ = run(built, "Lavrov", "--by", "year", "--since", "2021", "--csv")
    assert (code, out) == (
        0,
        "period,since,until,count\n"
        "2021,2021-01-01,2021-12-31,2\n"
        "2022,2022-01-01,2022-12-31,0\n"
        "2023,2023-01-01,2023-12-31,0\n"
        "2024,2024-01-01,2024-12-31,1\n",
    )


def test_bad_by_is_a_usage_error(built: Path) -> None:
    code, out, err = run(built, "Lavrov", "--by", "hour")
    assert (code, out) == (2, "")
    assert "Invalid value for '--by': 'hour' is not one of" in err
