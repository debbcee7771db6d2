"""Finding corpus files: recursion, exclusion, symlinks, gzip bounds."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newsindex.errors import IngestError, InputPathError
from newsindex.sources.discover import CorpusFile, discover, parse_bytes


def tree(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("text", encoding="utf-8")


def test_walks_in_order_leaves_out_hidden_and_excluded(tmp_path: Path) -> None:
    tree(tmp_path, "b.txt", "a/README.txt", "a/z.txt", ".git/x.txt", "c/lewis.dtd")
    found = [
        f.display_path
        for f in discover(str(tmp_path / "."), exclude=("README*", "*.dtd"))
    ]
    assert found == [str(tmp_path / "b.txt"), str(tmp_path / "a/z.txt")]


def test_relative_paths_stay_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, "raw/x.txt")
    monkeypatch.chdir(tmp_path)
    assert [f.display_path for f in discover("raw/")] == ["raw/x.txt"]


def test_symlinked_folders_are_followed_once(tmp_path: Path) -> None:
    tree(tmp_path, "real/x.txt")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    found = sorted(f.display_path for f in discover(tmp_path))
    assert found == [str(tmp_path / "link/x.txt")]  # link sorts first; real is the same


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(InputPathError) as excinfo:
        list(discover(tmp_path / "nowhere"))
    assert str(excinfo.value) == f"no such file or directory: '{tmp_path}/nowhere'"


def test_gzipped_text_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(b"BRUSSELS, Oct 18 - Text."))
    (doc,) = parse_bytes(CorpusFile(path, "story.txt.gz"), path.read_bytes())
    assert doc.text == "BRUSSELS, Oct 18 - Text."  # type: ignore[union-attr]


def test_truncated_gzip_is_an_ingest_error(tmp_path: Path) -> None:
    data = gzip.compress(b"some text " * 100)[:-12]
    with pytest.raises(IngestError) as excinfo:
        list(parse_bytes(CorpusFile(tmp_path / "a.txt.gz", "a.txt.gz"), data))
    assert str(excinfo.value) == "truncated gzip file"
