"""The README's commands run, and its example output is the real output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.DOTALL)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    (lang1, first), (lang2, second) = BLOCKS[:2]
    assert (lang1, lang2) == ("sh", "sh")
    assert first.strip().endswith('newsindex search "Lavrov NATO mission"')
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == second.strip()


def test_first_command_search_answers(work: Path) -> None:
    (_, first) = BLOCKS[0]
    args = shlex.split(first.strip().split("&& ")[-1])[1:]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n   raw/") >= 3


def test_console_example_output_is_real(work: Path) -> None:
    console = next(body for lang, body in BLOCKS if lang == "console")
    command, *expected = console.splitlines()
    assert command.startswith("$ newsindex ")
    result = CliRunner().invoke(cli, shlex.split(command[len("$ newsindex ") :]))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip("\n").splitlines() == expected


def test_library_example_runs(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = next(body for lang, body in BLOCKS if lang == "python")
    exec(compile(code, "README.md", "exec"), {})  # the README's own example
    out = capsys.readouterr().out.splitlines()
    assert len(out) >= 3
    assert all(line.split()[1][:4] in {"2021", "2024"} for line in out)
