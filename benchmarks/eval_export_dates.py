"""Does each record of a JSON Lines export keep its own date field?

usage: python benchmarks/eval_export_dates.py EXPORT.jsonl [--date-field NAME]

Reads the export as `newsindex index` does (`sources.json_export.read_jsonl`,
then `ingest.article.draft_article`) and counts the records whose
`published` day equals their own date field (`publish_date` in
newsarticles-dai2017: `2017/2/7`, no zero padding). Prints each record that
does not keep it, then `own dates kept: N of M` (records with text only: an
empty one is skipped, as the indexer skips it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsindex.errors import IngestError
from newsindex.ingest.article import draft_article
from newsindex.records import RawDocument
from newsindex.sources.base import ReaderOptions
from newsindex.sources.json_export import read_jsonl


def own_day(value: str) -> str:
    """`2017/2/7` or `2016/12/30 7:11` -> `2017-02-07`."""
    year, month, day = value.split()[0].replace("-", "/").split("/")
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("--date-field", default="publish_date")
    args = parser.parse_args()
    data = args.export.read_bytes()
    rows = [json.loads(line) for line in data.splitlines() if line.strip()]
    docs = read_jsonl(
        data, path=args.export, display_path=str(args.export), options=ReaderOptions()
    )
    kept = total = 0
    for doc, row in zip(docs, rows, strict=True):
        if not isinstance(doc, RawDocument):
            continue
        try:
            article = draft_article(doc)
        except IngestError:
            continue
        total += 1
        want = own_day(row[args.date_field])
        got = article.published.when.date().isoformat() if article.published else None
        if got == want:
            kept += 1
        else:
            evidence = article.published.evidence if article.published else None
            print(f"record {doc.record}: own {want}, published {got} ({evidence})")
    print(f"own dates kept: {kept} of {total}")
    return 0 if kept == total else 1


if __name__ == "__main__":
    sys.exit(main())
