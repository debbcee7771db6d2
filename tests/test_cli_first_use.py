"""What a new user meets first: examples in every --help, an index kept
inside the corpus, a mistyped --index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex.cli import cli
from newsindex.index.folder import META_NAME
from newsindex.sources.discover import INDEX_MARKER, discover

from .conftest import RAW


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert f"  Example:\n    newsindex {command} " in result.stdout


def test_the_group_help_has_an_example() -> None:
    assert (
        "  Example:\n    newsindex search "
        in CliRunner().invoke(cli, ["--help"]).stdout
    )


def test_the_walk_leaves_index_folders_out(tmp_path: Path) -> None:
    assert INDEX_MARKER == META_NAME
    shutil.copytree(RAW, tmp_path / "raw")
    (tmp_path / "raw" / "myindex").mkdir()
    (tmp_path / "raw" / "myindex" / META_NAME).write_text('{"schema": 1}\n')
    (tmp_path / "raw" / "myindex" / "notes.txt").write_text("not an article")
    (tmp_path / "raw" / "sub").mkdir()
    (tmp_path / "raw" / "sub" / "notes.txt").write_text("an article")
    found = [f.path.relative_to(tmp_path / "raw") for f in discover(tmp_path / "raw")]
    assert Path("sub/notes.txt") in found
    assert not [path for path in found if path.parts[0] == "myindex"]


def test_index_of_a_folder_holding_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(RAW, tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    args = ["index", "raw", "--index", "raw/index", "--workers", "1"]
    first = CliRunner().invoke(cli, args)
    again = CliRunner().invoke(cli, args)
    assert first.stderr == "indexed 5 articles from 5 files, skipped 0 files\n"
    assert again.stderr == (
        "indexed 0 articles from 0 files, skipped 0 files (5 unchanged)\n"
    )


def test_a_mistyped_index_is_an_error_not_a_new_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(RAW, tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSINDEX_INDEX", raising=False)
    result = CliRunner().invoke(cli, ["search", "Lavrov", "--index", "idnex"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "error: no index at 'idnex' (run: newsindex index PATH)\n",
    )
    assert not (tmp_path / "idnex").exists()
