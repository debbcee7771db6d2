"""Kill `newsindex` at every step of its commit protocol; nothing lost, nothing redone.

Each case runs `newsindex index` (or `remove`, or `index --prune`) in a
subprocess with NEWSINDEX_FAULT_AT naming a step (newsindex/faults.py), so
that it dies by SIGKILL there. Then: the index opens (or, killed before
`newsindex.json`, is no index at all), `article_count` equals the stored
articles and the manifest's count, and every passage is the slice of its
body it claims. The resumed run ends equal to an uninterrupted build
(articles, passages, manifest, term statistics, archive rows, and the
answers of a fixed query set with their scores) and tags only what the
killed run had not committed: the articles tagged by the resumed run plus
those committed before the kill are exactly the corpus's.

CI walks each step at one or two hits (the first, at creation, and one mid-
ingest); NEWSINDEX_FAULT_LONG=1 walks every hit of every step. Refs #19.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from whoosh.index import TOC

from newsindex import Index
from newsindex.errors import IndexMissingError
from newsindex.index import update
from newsindex.index.durable import DurableStorage
from newsindex.index.manifest import file_entries, progress_entries
from newsindex.index.schema import make_schema

from ..conftest import DATA, RAW

RUNNER = Path(__file__).with_name("fault_runner.py")
LONG = os.environ.get("NEWSINDEX_FAULT_LONG") == "1"
QUERIES = ("NATO mission", "Lavrov", "Education Secretary", "oil prices", "data")
ENV = {"NEWSINDEX_COMMIT_ARTICLES": "2", "NEWSINDEX_COMMIT_SECONDS": "3600"}
# How often a full build reaches each step (asserted in test_the_steps_reached):
# eight commits, the first the empty index's; five parts between others.
BUILD_HITS = {
    "segment:before": 8,
    "part": 5,
    "segment:after": 9,
    "toc:before": 9,
    "toc:after": 9,
    "archive:before": 7,
    "archive:after": 7,
}  # the last segment and TOC steps: the commit that merges the run's segments
# Steps inside `remove` and `index --prune`: each reached once.
REMOVE_STEPS = (
    *("segment:before", "remove", "segment:after", "toc:before"),
    *("toc:after", "archive:before", "archive:after"),
)
PRUNE_STEPS = tuple(s.replace("remove", "prune") for s in REMOVE_STEPS)
TOTAL = 13  # articles of the corpus


def build_cases() -> list[tuple[str, int]]:
    if LONG:
        return [(s, n) for s, hits in BUILD_HITS.items() for n in range(1, hits + 1)]
    first = [("segment:after", 1), ("toc:before", 1), ("toc:after", 1)]  # creation
    return first + [(step, (hits + 1) // 2) for step, hits in BUILD_HITS.items()]


class CountingTagger:
    """Finds no entities; counts the texts it is given."""

    def __init__(self) -> None:
        self.texts = 0

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[tuple[str, int, int]]]:
        self.texts += len(texts)
        return [[] for _ in texts]

    def model_for(self, language: str | None) -> str | None:
        return None


@contextlib.contextmanager
def small_parts() -> Iterator[None]:
    """In this process, the runner's settings: parts of one record, and so on."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(update, "_SPLIT_BYTES", 1)
        patch.setattr(update, "_PART_RECORDS", 1)
        patch.setattr(update, "_BATCH_FILES", 2)
        for name, value in ENV.items():
            patch.setenv(name, value)
        patch.delenv("NEWSINDEX_FAULT_AT", raising=False)
        yield


def update_here(corpus: Path, path: Path, prune: bool = False) -> int:
    """Update (or create) the index at `path` in this process; return texts tagged."""
    tagger = CountingTagger()
    with small_parts(), Index.create(path) as index:
        index.update(corpus, tagger=tagger, prune=prune, workers=1)
    return tagger.texts


def killed(
    *args: str, fault: str, hits: Path | None = None, tags: Path | None = None
) -> int:
    """Run the runner with the fault set; return its exit status.

    `hits`: a file for how often each step was reached; `tags`: a file for
    how many texts were tagged (fault_runner.py).
    """
    env = {"NEWSINDEX_FAULT_AT": fault}
    if hits is not None:
        env["FAULT_HITS"] = str(hits)
    if tags is not None:
        env["FAULT_TAG_LOG"] = str(tags)
    return newsindex(*args, env=env).returncode


def newsindex(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `newsindex ARGS` through the runner, with `env` over the test's ENV."""
    base = {**os.environ, **ENV}
    for name in ("NEWSINDEX_FAULT_AT", "NEWSINDEX_FAULT_ERROR", "FAULT_TAG_LOG"):
        base.pop(name, None)
    return subprocess.run(
        [sys.executable, str(RUNNER), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def check_whole(path: Path) -> int:
    """Assert the committed state is whole; return how many articles it holds."""
    if not (path / "newsindex.json").exists():
        with pytest.raises(IndexMissingError):
            Index.open(path)
        return 0
    with Index.open(path) as index:
        searcher = index.searcher()
        bodies = {a.id: a.body for a in index.articles()}
        listed = sum(n for _, n in file_entries(searcher).values())
        listed += sum(p.articles for p in progress_entries(searcher).values())
        assert index.article_count() == len(bodies) == listed
        for doc in searcher.documents(kind="passage"):
            assert bodies[doc["article_id"]][doc["start"] : doc["end"]] == doc["text"]
        return len(bodies)


def leftovers(path: Path) -> list[str]:
    """Files in the index folder that no commit protocol file accounts for."""
    storage = DurableStorage(str(path))
    toc = TOC.read(storage, "MAIN", schema=make_schema())
    named = {s.make_filename(".seg") for s in toc.segments}
    named |= {f"_MAIN_{toc.generation}.toc", "MAIN_WRITELOCK", "newsindex.json"}
    named |= {"newsindex.lock", "archive.sqlite", "archive.sqlite-wal"}
    named |= {"archive.sqlite-shm"}
    return sorted(p.name for p in path.iterdir() if p.name not in named)


def state(path: Path) -> dict[str, Any]:
    """Everything a user or a query could tell apart, scores included."""
    with Index.open(path) as index:
        searcher = index.searcher()
        answers = {
            query: sorted(
                (-p.score, p.article_id, p.start, p.end, p.text)
                for p in index.search(query, limit=100, collapse=False)
            )
            for query in QUERIES
        }
        archive = index.archive()
        assert archive.generation() == index._ix.latest_generation()
        with contextlib.closing(sqlite3.connect(archive.path)) as db:
            rows = sorted(db.execute("SELECT id, outlet, published FROM articles"))
        return {
            "articles": sorted(a.to_dict()["id"] for a in index.articles()),
            "passages": sorted(
                (d["pid"], d["text"], d["start"], d["end"])
                for d in searcher.documents(kind="passage")
            ),
            "manifest": file_entries(searcher),
            "progress": progress_entries(searcher),
            "statistics": (
                searcher.doc_count_all(),
                searcher.doc_count(),
                index.article_count(),
                searcher.field_length("text"),
                searcher.field_length("title"),
            ),
            "archive": rows,
            "answers": answers,
        }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five reports (whole files) and three containers read in parts."""
    root = tmp_path_factory.mktemp("faults") / "corpus"
    shutil.copytree(RAW, root)
    for name in (
        "newsarticles-sample.jsonl",
        "reuters-sample.sgm",
        "datagovuk-sample.warc.gz",
    ):
        shutil.copy(DATA / name, root)
    return root


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path) -> tuple[dict[str, Any], dict[str, int], int]:
    """The uninterrupted build, by the CLI: its state, steps reached, texts tagged."""
    path, hits, tags = (corpus.parent / name for name in ("reference", "h", "t"))
    args = ("index", str(corpus), "--index", str(path), "--workers", "1")
    assert killed(*args, fault="none", hits=hits, tags=tags) == 0
    tagged = sum(map(int, tags.read_text("utf-8").split()))
    return state(path), json.loads(hits.read_text("utf-8")), tagged


@pytest.fixture(scope="module")
def reference(uninterrupted: tuple[dict[str, Any], dict[str, int], int]) -> Any:
    return uninterrupted[0]


def test_the_steps_reached(
    corpus: Path,
    uninterrupted: tuple[dict[str, Any], dict[str, int], int],
    tmp_path: Path,
) -> None:
    """The walk covers every step: a build and a remove reach them so often."""
    reference, hits_seen, tagged = uninterrupted
    assert (hits_seen, tagged) == (BUILD_HITS, TOTAL)
    assert update_here(corpus, tmp_path / "here") == TOTAL  # as the CLI builds
    assert state(tmp_path / "here") == reference
    hits = tmp_path / "hits.json"
    index = tmp_path / "index"
    shutil.copytree(corpus.parent / "reference", index)
    target = str(corpus / "reuters-sample.sgm")
    assert killed("remove", target, "--index", str(index), fault="none", hits=hits) == 0
    assert json.loads(hits.read_text("utf-8")) == dict.fromkeys(REMOVE_STEPS, 1)


@pytest.mark.parametrize(("step", "hit"), build_cases(), ids=str)
def test_a_build_killed_at(
    step: str, hit: int, corpus: Path, reference: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "index"
    args = ("index", str(corpus), "--index", str(path), "--workers", "1", "-q")
    assert killed(*args, fault=f"{step}:{hit}") == -signal.SIGKILL
    committed = check_whole(path)
    assert 0 <= committed <= TOTAL  # TOTAL: killed after the last commit
    assert update_here(corpus, path) == TOTAL - committed  # nothing redone
    assert state(path) == reference
    assert leftovers(path) == []


@pytest.mark.parametrize("step", REMOVE_STEPS)
def test_a_remove_killed_at(
    step: str, corpus: Path, reference: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "index"
    shutil.copytree(corpus.parent / "reference", path)
    target = str(corpus / "reuters-sample.sgm")
    assert killed("remove", target, "--index", str(path), fault=step) == -signal.SIGKILL
    committed = check_whole(path)
    # All of the file, or none of it (articles and manifest entry together).
    with Index.open(path) as index:
        listed = target in file_entries(index.searcher())
        assert (committed, len(index.article_ids_of(target))) == (
            (TOTAL, 4) if listed else (TOTAL - 4, 0)
        )
    assert update_here(corpus, path) == (0 if listed else 4)
    assert state(path) == reference


@pytest.fixture(scope="module")
def pruned(corpus: Path) -> tuple[Path, Path]:
    """A corpus one container lost after it was indexed: (corpus, index)."""
    root = corpus.parent / "pruned-corpus"
    shutil.copytree(corpus, root)
    before = corpus.parent / "before-prune"
    update_here(root, before)
    (root / "reuters-sample.sgm").unlink()
    update_here(root, corpus.parent / "after-prune")
    return root, before


@pytest.mark.parametrize("step", PRUNE_STEPS)
def test_a_prune_killed_at(
    step: str, pruned: tuple[Path, Path], tmp_path: Path
) -> None:
    root, before = pruned
    path = tmp_path / "index"
    shutil.copytree(before, path)
    args = ("index", str(root), "--index", str(path), "--prune", "--workers", "1")
    assert killed(*args, fault=step) == -signal.SIGKILL
    assert check_whole(path) in (TOTAL, TOTAL - 4)
    assert update_here(root, path, prune=True) == 0
    assert state(path) == state(root.parent / "after-prune")
