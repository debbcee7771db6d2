"""`newsindex ARGS...` as test_faults.py runs it: no NER model, small parts.

The tagger finds no entities and appends how many texts it was given to
the file named by FAULT_TAG_LOG, one line per batch, so a test can count
the articles a run tagged. Every container is split into parts of one
record and two parts make a batch, so a small corpus has many commits.
FAULT_HITS names a file to write `faults.hits()` to as JSON at exit.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from newsindex import faults
from newsindex.cli import main
from newsindex.index import update
from newsindex.ingest import entities


class CountingTagger:
    """Finds nothing; logs how many texts each call was given."""

    def tag(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[list[tuple[str, int, int]]]:
        log = os.environ.get("FAULT_TAG_LOG")
        if log:
            with Path(log).open("a", encoding="utf-8") as out:
                out.write(f"{len(texts)}\n")
        return [[] for _ in texts]

    def model_for(self, language: str | None) -> str | None:
        return None


def _write_hits() -> None:
    Path(os.environ["FAULT_HITS"]).write_text(json.dumps(faults.hits()), "utf-8")


if __name__ == "__main__":
    entities.SpacyTagger = CountingTagger  # type: ignore[misc,assignment]  # a stand-in
    update._SPLIT_BYTES = 1
    update._PART_RECORDS = 1
    update._BATCH_FILES = 2
    if "FAULT_HITS" in os.environ:
        atexit.register(_write_hits)
    sys.argv[0] = "newsindex"
    main()
