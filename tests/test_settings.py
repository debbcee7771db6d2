"""NEWSINDEX_* settings: a bad value is one usage error naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex.cli import cli
from newsindex.errors import SettingsError
from newsindex.settings import Settings, settings

BAD = [
    ("NEWSINDEX_COMMIT_ARTICLES", "abc", "a whole number of 1 or more"),
    ("NEWSINDEX_COMMIT_ARTICLES", "-5", "a whole number of 1 or more"),
    ("NEWSINDEX_COMMIT_ARTICLES", "0", "a whole number of 1 or more"),
    ("NEWSINDEX_COMMIT_ARTICLES", "1.5", "a whole number of 1 or more"),
    ("NEWSINDEX_MAX_FILE_BYTES", "", "a whole number of 1 or more"),
    ("NEWSINDEX_MAX_INFLATED_BYTES", "2GB", "a whole number of 1 or more"),
    ("NEWSINDEX_COMMIT_SECONDS", "-1", "a number greater than 0"),
    ("NEWSINDEX_COMMIT_SECONDS", "nan", "a number greater than 0"),
    ("NEWSINDEX_COMMIT_SECONDS", "inf", "a number greater than 0"),
]


@pytest.mark.parametrize(
    ("name", "value", "takes"), BAD, ids=[f"{n}={v}" for n, v, _ in BAD]
)
def test_bad_setting_is_a_usage_error(
    name: str, value: str, takes: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["outlets", "--index", str(tmp_path)])
    expected = f"error: {name} takes {takes}, not {value!r}\n"
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected)


def test_bad_setting_stops_index_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSINDEX_COMMIT_ARTICLES", "abc")
    result = CliRunner().invoke(cli, ["index", "nowhere", "--workers", "1"])
    expected = "error: NEWSINDEX_COMMIT_ARTICLES takes a whole number of 1 or more, "
    assert (result.exit_code, result.stderr) == (2, expected + "not 'abc'\n")
    assert not (tmp_path / "index").exists()


def test_library_raises_settings_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSINDEX_COMMIT_SECONDS", "soon")
    with pytest.raises(SettingsError) as caught:
        settings()
    assert (str(caught.value), caught.value.name, caught.value.exit_code) == (
        "NEWSINDEX_COMMIT_SECONDS takes a number greater than 0, not 'soon'",
        "NEWSINDEX_COMMIT_SECONDS",
        2,
    )


def test_good_settings_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSINDEX_COMMIT_ARTICLES", " 7 ")
    monkeypatch.setenv("NEWSINDEX_COMMIT_SECONDS", "0.5")
    monkeypatch.delenv("NEWSINDEX_PROGRESS_SECONDS")  # set for every test
    assert settings() == Settings(commit_articles=7, commit_seconds=0.5)


def test_help_answers_despite_a_bad_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSINDEX_COMMIT_ARTICLES", "abc")
    result = CliRunner().invoke(cli, ["index", "--help"], prog_name="newsindex")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Usage: newsindex index [OPTIONS] [PATH]\n")
