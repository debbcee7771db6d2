"""Datelines and bylines on Reuters wire copy, against the collection's own tags.

usage: python benchmarks/eval_wire.py DIR [--json]

Each story in DIR's reut2-*.sgm files is ingested from its <TEXT> as the
reader gives it (the dateline left in the text, its tag removed) with only
the wire timestamp <DATE> as metadata: no title, author, outlet or dateline
tag is passed in. The results are compared with the tags:

  dateline_found   stories with a <DATELINE>: share where a dateline was found
  place_exact      ... where its place equals the tag's place
  date_consistent  tags with a month and day: the resolved dateline date is
                   within one day of <DATE> (datelines are local time)
  false_datelines  stories without a <DATELINE>: share where one was found
  byline_exact     stories with an <AUTHOR>: the bylines equal the tag's
                   names as a set
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import datetime
from pathlib import Path

from msgspec.structs import replace

from newsindex.ingest.article import draft_article
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import RawDocument, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.wire_sgml import read_sgml

_STORY = re.compile(r"<REUTERS\b.*?</REUTERS>", re.DOTALL)
_TAG = {
    name: re.compile(rf"<{name}>(.*?)</{name}>", re.DOTALL)
    for name in ("DATE", "DATELINE", "AUTHOR")
}
_MONTHS = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})\b",
    re.IGNORECASE,
)


def gold_of(story: str) -> dict[str, str | None]:
    """The tags of one <REUTERS> story, unescaped, whitespace collapsed."""
    out: dict[str, str | None] = {}
    for name, pattern in _TAG.items():
        match = pattern.search(story)
        text = match.group(1) if match else None
        if text is not None:
            text = " ".join(text.replace("&lt;", "<").replace("&amp;", "&").split())
        out[name] = text or None
    return out


def gold_place(dateline: str) -> str:
    """`PORTLAND, Ore., Feb 26 -` -> `PORTLAND`; `WOODBRIDGE, N.J. -` too."""
    return re.split(r",|\s[-\u2013\u2014]", dateline, maxsplit=1)[0].strip()


def gold_names(author: str) -> set[str]:
    """`By Janie Gabbett, Reuters` -> {"Janie Gabbett"}: a simple, separate reading."""
    text = re.sub(r"^\s*by\s+", "", author, flags=re.IGNORECASE)
    text = re.sub(r",?\s*(?:Reuters?|Reuter)\b.*$", "", text, flags=re.IGNORECASE)
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", text)
    return {_title(p) for p in parts if p.strip()}


def _title(name: str) -> str:
    words = name.split()
    return " ".join(w if not w.isupper() else w.capitalize() for w in words)


def evaluate(directory: Path) -> dict[str, float | int]:
    registry = OutletRegistry.default()
    counts = dict.fromkeys(
        (
            "stories", "with_dateline", "found", "place", "dated", "consistent",
            "without_dateline", "false", "with_author", "byline",
        ),
        0,
    )  # fmt: skip
    for path in sorted(directory.glob("reut2-*.sgm")):
        data = path.read_bytes()
        stories = _STORY.findall(data.decode("latin-1"))
        docs = [
            d
            for d in read_sgml(
                data, path=path, display_path=path.name, options=ReaderOptions()
            )
            if not isinstance(d, Skip)
        ]
        by_docno = {d.docno: d for d in docs}
        for story in stories:
            newid = re.search(r'NEWID="(\d+)"', story)
            raw = by_docno.get(newid.group(1) if newid else None)
            if raw is None:
                continue
            _score(story, raw, registry, counts)
    return {
        "dateline_found": _share(counts["found"], counts["with_dateline"]),
        "place_exact": _share(counts["place"], counts["with_dateline"]),
        "date_consistent": _share(counts["consistent"], counts["dated"]),
        "false_datelines": _share(counts["false"], counts["without_dateline"]),
        "byline_exact": _share(counts["byline"], counts["with_author"]),
        "stories": counts["stories"],
    }


def _score(
    story: str, raw: RawDocument, registry: OutletRegistry, counts: dict[str, int]
) -> None:
    gold = gold_of(story)
    wire_only = {k: v for k, v in raw.meta.items() if k.startswith("published")}
    try:
        article = draft_article(replace(raw, meta=wire_only), registry)
    except Exception:  # noqa: BLE001  a story the ingester rejects scores as missed
        article = None
    counts["stories"] += 1
    found = article.dateline if article is not None else None
    if gold["DATELINE"]:
        counts["with_dateline"] += 1
        counts["found"] += found is not None
        counts["place"] += found is not None and found.place == gold_place(
            gold["DATELINE"]
        )
        if _MONTHS.search(gold["DATELINE"]) and gold["DATE"]:
            counts["dated"] += 1
            # The wire timestamp carries no zone; only its day is compared.
            day = gold["DATE"].split()[0]
            wire = datetime.strptime(day, "%d-%b-%Y").date()  # noqa: DTZ007
            counts["consistent"] += (
                found is not None
                and found.date is not None
                and abs((found.date - wire).days) <= 1
            )
    else:
        counts["without_dateline"] += 1
        counts["false"] += found is not None
    if gold["AUTHOR"]:
        counts["with_author"] += 1
        bylines = set(article.bylines) if article is not None else set()
        counts["byline"] += bylines == gold_names(gold["AUTHOR"])


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    args = parser.parse_args()
    if not args.directory.is_dir():
        print(f"error: not a directory: {str(args.directory)!r}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    figures = evaluate(args.directory)
    elapsed = time.perf_counter() - started
    for key, value in figures.items():
        shown = f"{value:.2%}" if isinstance(value, float) else str(value)
        print(f"{key:>16}  {shown}")
    print(f"{'seconds':>16}  {elapsed:.1f}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
