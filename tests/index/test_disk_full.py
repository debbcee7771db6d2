"""A full disk stops `newsindex index` with one line; the last commit stays (refs #19).

Twice: with the write error injected at each write step (NEWSINDEX_FAULT_ERROR
=ENOSPC, newsindex/faults.py), and on a small tmpfs that really fills up,
where the test can mount one (as root).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsindex import Index
from newsindex.errors import ArchiveBehindWarning

from ..conftest import DATA, RAW
from .test_faults import check_whole, leftovers, newsindex, state, update_here

FULL = (
    "error: no space left on device writing the index at {path!r}: "
    "its last commit is kept (free some space and run again)\n"
)
TOTAL = 12  # articles of the corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(RAW, root)
    for name in ("newsarticles-sample.jsonl", "reuters-sample.sgm"):
        shutil.copy(DATA / name, root)
    return root


def index_run(
    corpus: Path, path: Path, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    args = ("index", str(corpus), "--index", str(path), "--workers", "1", "-q")
    done = newsindex(*args, env=env or {})
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    "step", ["segment:before", "segment:after", "toc:before", "archive:before"]
)
def test_an_injected_enospc_stops_the_run_and_the_next_completes(
    step: str, corpus: Path, tmp_path: Path
) -> None:
    reference = tmp_path / "reference"
    assert update_here(corpus, reference) == TOTAL
    path = tmp_path / "index"
    full = {"NEWSINDEX_FAULT_AT": f"{step}:3", "NEWSINDEX_FAULT_ERROR": "ENOSPC"}
    assert index_run(corpus, path, full) == (1, "", FULL.format(path=str(path)))
    committed = check_whole(path)
    assert 0 < committed < TOTAL
    with Index.open(path) as index, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert index.search("NATO", limit=1) != []  # searchable as it is
    # The disk filled after the index's commit, before the archive's: a
    # reader says the archive is behind, and only then.
    behind = [w.category for w in caught] == [ArchiveBehindWarning]
    assert behind == (step == "archive:before")
    assert index_run(corpus, path)[0] == 0
    assert state(path) == state(reference)
    assert leftovers(path) == []


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "--lazy", str(where)], check=True)


def test_a_real_full_tmpfs(corpus: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    update_here(corpus, reference)
    with tmpfs(tmp_path / "small", "2m") as small:
        path = small / "index"
        (first,) = corpus.glob("000_*.txt")
        assert index_run(first, path)[0] == 0  # one report fits
        free = shutil.disk_usage(small).free
        filler = small / "filler"
        filler.write_bytes(b"\0" * (free - 96 * 1024))  # leave 96 KiB
        assert index_run(corpus, path) == (1, "", FULL.format(path=str(path)))
        assert 1 <= check_whole(path) < TOTAL
        filler.unlink()  # space again
        assert index_run(corpus, path)[0] == 0
        assert state(path) == state(reference)
