"""A writer killed with SIGKILL at random moments never leaves a broken index.

The real `newsindex index` (spaCy and all) is killed at a step and a
commit drawn by a seeded random generator, through the fault hook
(NEWSINDEX_FAULT_AT, newsindex/faults.py), so every kill lands mid-ingest
and the test never waits on the clock. After each kill the index opens,
every stored passage is the slice of its body that it claims, the article
count is that of a committed state (the manifest's), and a resumed run ends
with the same index as a run that was never interrupted.
NEWSINDEX_FAULT_KILLS sets how many kills (CI: two, to stay well inside its
time; a long run: 20).
test_faults.py walks every step in turn.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from whoosh import query as wquery

from newsindex import Index
from newsindex.faults import STEPS

from ..conftest import RAW
from .test_parallel import NoEntities

KILLS = int(os.environ.get("NEWSINDEX_FAULT_KILLS", "2"))
# Five files per copy. A run commits after each batch of 32 files (at
# least 4 articles), and a kill comes at one of its first two commits: 64
# files at most, so 14 copies a kill leave work for the next.
COPIES = 14 * KILLS
# The steps of an index run over whole files (no parts, no remove or prune).
KILL_STEPS = [step for step in STEPS if step not in {"part", "remove", "prune"}]


def make_corpus(root: Path, copies: int) -> None:
    """Distinct files made from the shipped reports (each a different hash)."""
    root.mkdir()
    for n in range(copies):
        for path in RAW.glob("*.txt"):
            text = path.read_text(encoding="utf-8")
            (root / f"{n:03d}-{path.name}").write_text(
                f"{text}\n\nCopy {n} of this report.\n", encoding="utf-8"
            )


def start_index(
    corpus: Path, index: Path, fault: str | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NEWSINDEX_COMMIT_ARTICLES": "4",  # many commit points to land between
        "NEWSINDEX_COMMIT_SECONDS": "3600",  # never by the clock
    }
    env.pop("NEWSINDEX_FAULT_AT", None)
    if fault is not None:
        env["NEWSINDEX_FAULT_AT"] = fault
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "newsindex", "index", str(corpus)),
            *("--index", str(index), "--workers", "1", "--quiet"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def check_consistent(path: Path) -> int:
    """Assert the committed index is whole; return its article count."""
    with Index.open(path) as index:
        searcher = index.searcher()
        bodies = {a.id: a.body for a in index.articles()}
        manifest = sum(f["articles"] for f in searcher.documents(kind="file"))
        assert len(bodies) == manifest
        passages = searcher.search(
            wquery.Every(), filter=wquery.Term("kind", "passage"), limit=None
        )
        for hit in passages:
            assert bodies[hit["article_id"]][hit["start"] : hit["end"]] == hit["text"]
        return len(bodies)


def snapshot(path: Path) -> set[tuple[str, str]]:
    with Index.open(path) as index:
        searcher = index.searcher()
        return {
            (d["article_id"], d["text"]) for d in searcher.documents(kind="passage")
        }


def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus, copies=COPIES)  # CI: 140 files, 5 commits
    # The passages do not depend on the entities: a reference built here,
    # without the tagger, holds the passages the real runs must end with.
    reference = tmp_path / "reference"
    Index.build(corpus, reference, tagger=NoEntities()).close()
    expected = snapshot(reference)

    index = tmp_path / "index"
    rng = random.Random(20211018)
    counts = []
    for _ in range(KILLS):
        fault = f"{rng.choice(KILL_STEPS)}:{rng.randint(1, 2)}"
        process = start_index(corpus, index, fault)
        assert process.wait(timeout=300) == -signal.SIGKILL, fault
        if (index / "newsindex.json").exists():
            counts.append(check_consistent(index))
    assert start_index(corpus, index).wait(timeout=300) == 0
    assert check_consistent(index) == 5 * COPIES
    assert snapshot(index) == expected
    assert counts == sorted(counts)  # committed work is never lost
    assert any(0 < count < 5 * COPIES for count in counts)  # some hit mid-ingest
