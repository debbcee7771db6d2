"""File names that are not valid UTF-8: read, shown as `\\xNN` escapes, never fatal.

Run through real processes: a surrogate escape that reached stdout, JSON,
Whoosh or SQLite once ended the whole run with a UnicodeEncodeError.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsindex.sources.discover import shown_path

from .conftest import raw_file

BAD_NAME = b"badbytes_\xff\xfe.txt"
SHOWN = "c/badbytes_\\xff\\xfe.txt"  # as printed: backslash, x, f, f


def newsindex(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""}
    env.pop("NEWSINDEX_INDEX", None)
    return subprocess.run(
        [sys.executable, "-m", "newsindex", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """c/ holding one report under a name that is not UTF-8, and a stray file."""
    work = tmp_path_factory.mktemp("names")
    root = work / "c"
    root.mkdir()
    # os.fsdecode gives the surrogate-escaped name whose bytes are BAD_NAME.
    (root / os.fsdecode(BAD_NAME)).write_bytes(raw_file("002").read_bytes())
    (root / os.fsdecode(b"notes_\xff.xyz")).write_bytes(b"not an article")
    names = sorted(os.fsencode(path.name) for path in root.iterdir())
    assert names == [BAD_NAME, b"notes_\xff.xyz"]
    return work


@pytest.fixture(scope="module")
def indexed(corpus: Path) -> subprocess.CompletedProcess[str]:
    return newsindex(corpus, "index", "c", "--workers", "1", "-q")


def test_index_reads_the_file_and_warns_escaped(
    indexed: subprocess.CompletedProcess[str],
) -> None:
    assert (indexed.returncode, indexed.stdout) == (0, "")
    assert indexed.stderr.splitlines() == [
        "warning: skipped c/notes_\\xff.xyz: unsupported file type '.xyz'",
        "indexed 1 articles from 1 files, skipped 1 files",
    ]


def test_search_json_gives_the_escaped_path(
    corpus: Path, indexed: subprocess.CompletedProcess[str]
) -> None:
    found = newsindex(corpus, "search", "Lavrov", "--json")
    assert (found.returncode, found.stderr) == (0, "")
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert [hit["source"]["path"] for hit in hits] == [SHOWN]


def test_show_gives_the_escaped_path(
    corpus: Path, indexed: subprocess.CompletedProcess[str]
) -> None:
    found = newsindex(corpus, "search", "Lavrov", "--json")
    article_id = json.loads(found.stdout.splitlines()[0])["article_id"]
    shown = newsindex(corpus, "show", article_id, "--json")
    assert (shown.returncode, shown.stderr) == (0, "")
    assert json.loads(shown.stdout)["source"]["path"] == SHOWN
    text = newsindex(corpus, "show", article_id)
    assert text.stdout.splitlines()[0] == f"{article_id}  {SHOWN}"


def test_second_run_finds_the_file_unchanged(
    corpus: Path, indexed: subprocess.CompletedProcess[str]
) -> None:
    again = newsindex(corpus, "index", "c", "--workers", "1", "-q")
    assert (again.returncode, again.stderr.splitlines()[-1]) == (
        0,
        "indexed 0 articles from 0 files, skipped 1 files (1 unchanged)",
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("raw/001.txt", "raw/001.txt"),
        ("raw/caf\u00e9.txt", "raw/caf\u00e9.txt"),
        (os.fsdecode(b"raw/badbytes_\xff\xfe.txt"), "raw/badbytes_\\xff\\xfe.txt"),
        ("raw/\ud800.txt", "raw/\\ud800.txt"),  # no file name decodes to this
    ],
    ids=["ascii", "utf-8", "undecodable", "lone-surrogate"],
)
def test_shown_path(name: str, shown: str) -> None:
    assert shown_path(name) == shown
    shown_path(name).encode("utf-8")  # any encoder takes it


def test_show_of_an_undecodable_id_is_not_found(
    corpus: Path, indexed: subprocess.CompletedProcess[str]
) -> None:
    # A shell passes the byte \xff as is: python reads it as a surrogate escape.
    shown = newsindex(corpus, "show", os.fsdecode(b"\xff"))
    assert (shown.returncode, shown.stderr) == (
        2,
        "error: no article with id '\\\\xff'\n",
    )


def test_remove_takes_the_path_as_typed(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / os.fsdecode(BAD_NAME)).write_bytes(raw_file("003").read_bytes())
    assert newsindex(tmp_path, "index", "c", "--workers", "1", "-q").returncode == 0
    typed = os.fsdecode(b"c/" + BAD_NAME)  # the name's bytes, as a shell passes them
    removed = newsindex(tmp_path, "remove", typed)
    assert (removed.returncode, removed.stderr) == (
        0,
        f"removed 1 article of {SHOWN}\n",
    )
    again = newsindex(tmp_path, "remove", SHOWN)  # or as newsindex printed it
    assert (again.returncode, again.stderr) == (
        2,
        "error: no article or file 'c/badbytes_\\\\xff\\\\xfe.txt' in the index\n",
    )
