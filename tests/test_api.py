"""The public API: a sorted, documented `__all__`, and help for every command."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import newsindex
from newsindex.cli import cli


def test_all_is_sorted_and_complete() -> None:
    exported = newsindex.__all__
    assert exported == sorted(exported, key=str.casefold)
    public = {
        name
        for name in dir(newsindex)  # lazy exports appear in dir(), not vars()
        if not name.startswith("_")
        and getattr(getattr(newsindex, name), "__module__", "").startswith("newsindex")
    }
    assert public == set(exported)


@pytest.mark.parametrize("name", newsindex.__all__)
def test_every_export_has_a_docstring(name: str) -> None:
    assert (getattr(newsindex, name).__doc__ or "").strip()


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_and_takes_index(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "--index FOLDER|URL" in result.stdout
    assert (cli.commands[command].help or "").strip()
