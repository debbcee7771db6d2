"""Shared fixtures: the shipped corpus, one spaCy tagger, one index per session."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from newsindex import Index
from newsindex.ingest.entities import SpacyTagger

# Deterministic property tests: the same examples on every run, and no
# deadline, so that a busy machine cannot fail a test that a quiet one passes.
settings.register_profile("newsindex", deadline=None, derandomize=True)
settings.load_profile("newsindex")

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
DATA = Path(__file__).resolve().parent / "data"


def raw_file(prefix: str) -> Path:
    """The shipped report whose name starts with `prefix` ("001")."""
    (path,) = RAW.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="session")
def tagger() -> SpacyTagger:
    return SpacyTagger()


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory holding a copy of raw/, as a user's checkout would."""
    work = tmp_path_factory.mktemp("work")
    shutil.copytree(RAW, work / "raw")
    return work


@pytest.fixture(scope="session")
def raw_index(corpus_dir: Path, tagger: SpacyTagger) -> Index:
    """The shipped corpus indexed as `newsindex index raw` would, paths `raw/...`."""
    with contextlib.chdir(corpus_dir):
        return Index.build("raw", corpus_dir / "index", tagger=tagger)


@pytest.fixture(scope="session")
def mixed_index(tmp_path_factory: pytest.TempPathFactory, tagger: SpacyTagger) -> Index:
    """Reuters and dai2017 articles of ten outlets (tests/data/mixed), with entities."""
    where = tmp_path_factory.mktemp("mixed")
    return Index.build(
        DATA / "mixed", where / "index", tagger=tagger, exclude=["README*"]
    )


@pytest.fixture(scope="session", autouse=True)
def _no_progress_lines() -> Iterator[None]:
    """No piped progress lines (one every 5 s) in the exact stderr of CLI tests,
    however slow the machine; tests/test_progress.py asks for them. Session
    scoped, so that module fixtures that run `newsindex index` have it too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSINDEX_PROGRESS_SECONDS", "86400")
        yield


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory holding raw/, made current, no index yet."""
    shutil.copytree(RAW, tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSINDEX_INDEX", raising=False)
    return tmp_path
