"""Progress of an index update: the numbers, and the plain log lines."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import Index
from newsindex.cli import cli
from newsindex.ingest.entities import EntityTagger
from newsindex.progress import Progress, ProgressLog, describe, remaining

from .conftest import RAW


def at(records: int, done: int, *, files: int = 12, commits: int = 2) -> Progress:
    return Progress(
        files_done=files,
        files_total=304,
        bytes_done=done,
        bytes_total=12_000_000,
        records=records,
        articles=records,
        commits=commits,
        current="raw/export.jsonl",
    )


def test_describe() -> None:
    assert describe(at(1234, 3_000_000), 30.0) == (
        "1,234 records, 12/304 files, 3.0 of 12.0 MB (25%), 41 records/s, "
        "2 commits, 0:30 elapsed, about 1:30 left, now raw/export.jsonl"
    )
    assert describe(at(0, 0, files=0, commits=1), 3725.0) == (
        "0 records, 0/304 files, 0.0 of 12.0 MB (0%), 0 records/s, 1 commit, "
        "1:02:05 elapsed, time left unknown, now raw/export.jsonl"
    )


def test_remaining_is_by_bytes() -> None:
    assert remaining(at(10, 4_000_000), 60.0) == 120.0
    assert remaining(at(0, 0), 60.0) is None


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_line_every_few_seconds_and_the_last_state() -> None:
    clock, lines = Clock(), []
    log = ProgressLog(lines.append, every=5.0, clock=clock)
    log(at(10, 1_000_000))  # at 0 s: too soon
    clock.now += 5.0
    log(at(20, 2_000_000))
    clock.now += 1.0
    log(at(30, 3_000_000))  # 1 s after a line
    clock.now += 1.0
    log.finish()
    assert lines == [
        "indexing: 20 records, 12/304 files, 2.0 of 12.0 MB (16%), 4 records/s, "
        "2 commits, 0:05 elapsed, about 0:25 left, now raw/export.jsonl",
        "indexing: 30 records, 12/304 files, 3.0 of 12.0 MB (25%), 4 records/s, "
        "2 commits, 0:07 elapsed, about 0:21 left, now raw/export.jsonl",
    ]


def test_tick_repeats_the_last_state_when_work_is_slow() -> None:
    clock, lines = Clock(), []
    log = ProgressLog(lines.append, every=5.0, clock=clock)
    log.tick()  # nothing known yet: nothing to say
    log(at(10, 1_000_000))
    clock.now += 4.0
    log.tick()
    clock.now += 6.0
    log.tick()
    assert lines == [
        "indexing: 10 records, 12/304 files, 1.0 of 12.0 MB (8%), 1 records/s, "
        "2 commits, 0:10 elapsed, about 1:50 left, now raw/export.jsonl"
    ]
    log.finish()  # the last state was written: not again
    assert len(lines) == 1


def test_a_short_run_writes_no_line() -> None:
    lines: list[str] = []
    log = ProgressLog(lines.append, every=5.0, clock=Clock())
    log(at(10, 1_000_000))
    log.finish()
    assert lines == []


def test_update_reports_files_bytes_and_records(
    tmp_path: Path, tagger: EntityTagger
) -> None:
    shutil.copytree(RAW, tmp_path / "raw")
    seen: list[Progress] = []
    Index.build(tmp_path / "raw", tmp_path / "index", tagger=tagger,
                on_progress=seen.append)  # fmt: skip
    size = sum(path.stat().st_size for path in (tmp_path / "raw").iterdir())
    first, last = seen[0], seen[-1]
    assert (first.files_done, first.bytes_done, first.records) == (0, 0, 0)
    assert (last.files_done, last.files_total) == (5, 5)
    assert (last.bytes_done, last.bytes_total) == (size, size)
    assert (last.records, last.articles) == (5, 5)
    assert last.current.startswith(str(tmp_path / "raw"))
    done = [p.bytes_done for p in seen]
    assert done == sorted(done)


def test_piped_cli_logs_plain_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(RAW, tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    # A line at most every 50 ms: a few while the model loads and files are
    # written, and the last state at the end.
    monkeypatch.setenv("NEWSINDEX_PROGRESS_SECONDS", "0.05")
    result = CliRunner().invoke(cli, ["index", "raw", "--workers", "1"])
    *progress, summary = result.stderr.splitlines()
    assert summary == "indexed 5 articles from 5 files, skipped 0 files"
    line = re.compile(
        r"indexing: (\d) records, (\d)/5 files, 0\.0 of 0\.0 MB \(\d+%\), "
        r"\d+ records/s, [01] commits?, 0:\d\d elapsed, "
        r"(about \d:\d\d left|time left unknown)(, now raw/\S+)?"
    )
    assert progress, result.stderr
    for text in progress:
        assert line.fullmatch(text), text
    assert progress[-1].startswith("indexing: 5 records, 5/5 files")
    quiet = CliRunner().invoke(cli, ["index", "raw", "--quiet"])
    assert (
        quiet.stderr
        == "indexed 0 articles from 0 files, skipped 0 files (5 unchanged)\n"
    )
