"""Gzip bombs are refused within bounded memory, and the rest of the corpus goes on.

The peak resident memory of a real `newsindex index` is read from the kernel
(getrusage of a process whose only child it is), against a bound far from
both sides: the limit plus 200 MB. Inflating a bomb into memory first, as
newsindex once did, holds twice the limit and fails it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex.cli import cli

from .conftest import raw_file

MB = 1024 * 1024
LIMIT = 300 * MB  # NEWSINDEX_MAX_INFLATED_BYTES for these tests
# Runs the command given as arguments, then prints the peak RSS of its
# process (the largest child: here the only one) in kilobytes (Linux).
_MEASURE = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:]).returncode; "
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _gzip(path: Path, head: bytes, byte: bytes, size: int, tail: bytes = b"") -> None:
    """Write a gzip of `head`, `size` copies of `byte`, then `tail`, streamed."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = byte * MB
    with path.open("wb") as out:
        out.write(deflater.compress(head))
        for _ in range(size // MB):
            out.write(deflater.compress(block))
        out.write(deflater.compress(tail) + deflater.flush())


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """c/: bombs a little past LIMIT (JSON Lines, CSV, a WARC gzipped whole),
    and a .json.gz of spaces under the limit."""
    work = tmp_path_factory.mktemp("bombs")
    root = work / "c"
    root.mkdir()
    past = LIMIT + 16 * MB
    _gzip(root / "bomb.jsonl.gz", b'{"text": "', b"a", past)
    _gzip(root / "bomb.csv.gz", b"title,text\nNATO,", b"a", past)
    _gzip(root / "bomb.warc.gz", b"WARC/1.0\r\nWARC-Type: response\r\n", b"a", past)
    _gzip(root / "spaces.json.gz", b"", b" ", LIMIT - 10 * MB)  # under the limit
    return work


def test_bombs_are_refused_within_bounded_memory(bombs: Path) -> None:
    env = {**os.environ, "NEWSINDEX_MAX_INFLATED_BYTES": str(LIMIT)}
    env.pop("NEWSINDEX_INDEX", None)
    command = [sys.executable, "-m", "newsindex", "index", "c", "--workers", "1"]
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command, "-q"],
        cwd=bombs,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.stderr.splitlines() == [
        f"warning: skipped c/bomb.csv.gz: gzip inflates past {LIMIT} bytes",
        f"warning: skipped c/bomb.jsonl.gz: gzip inflates past {LIMIT} bytes",
        f"warning: skipped c/bomb.warc.gz: gzip inflates past {LIMIT} bytes",
        "warning: skipped c/spaces.json.gz: empty file",
        "indexed 0 articles from 0 files, skipped 4 files",
    ]
    code, peak_kb = map(int, result.stdout.split())
    assert code == 0
    assert peak_kb * 1024 < LIMIT + 200 * MB, f"peak RSS {peak_kb} KB"


def test_the_rest_of_the_corpus_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSINDEX_MAX_INFLATED_BYTES", str(4 * MB))
    root = tmp_path / "c"
    root.mkdir()
    _gzip(root / "bomb.jsonl.gz", b'{"text": "', b"a", 8 * MB)
    _gzip(root / "bomb.json.gz", b"[", b" ", 8 * MB, b"]")
    _gzip(root / "spaces.json.gz", b"", b" ", 2 * MB)
    story = raw_file("002")
    (root / story.name).write_bytes(story.read_bytes())
    result = CliRunner().invoke(cli, ["index", "c", "--workers", "1"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines() == [
        f"warning: skipped c/bomb.json.gz: gzip inflates past {4 * MB} bytes",
        f"warning: skipped c/bomb.jsonl.gz: gzip inflates past {4 * MB} bytes",
        "warning: skipped c/spaces.json.gz: empty file",
        "indexed 1 articles from 1 files, skipped 3 files",
    ]
    found = CliRunner().invoke(cli, ["search", "Lavrov", "--json"])
    paths = [json.loads(line)["source"]["path"] for line in found.stdout.splitlines()]
    assert paths == [f"c/{story.name}"]
