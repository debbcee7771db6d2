"""Dates, authors, titles and main text of web pages, against their gold.

usage: python benchmarks/eval_extraction.py GOLD.jsonl PAGES_DIR [--json]

GOLD.jsonl is `gold-visible.jsonl` of `webpages-htmldate-trafilatura` (see
that corpus's README); PAGES_DIR holds its `pages/` folder, or the pages
themselves. Each page is read as newsindex reads a bare file: its bytes
decoded by the HTML reader (`sources.html_page.decode_html`), then
`extract_page(html, url=None)` and `choose_published` (the gold URL is not
given). Beside newsindex, in the same
run on the same pages: `htmldate.find_date(html, original_date=True)` and
`trafilatura.bare_extraction(html, with_metadata=True)`, both without a URL.

  date_accuracy   pages with a gold date (not null): the day returned equals
                  it; gold "" is right only when no date is returned
  author_exact    pages with a gold author (not null): the names returned
                  equal the gold names (a list is a set of names; "" is
                  right only when none are returned); compared after
                  whitespace collapse and casefold
  title_match     pages with a gold title: equal after whitespace collapse
                  and casefold
  snippets_pass   pages with with/without lists: the main text contains
                  every `with` snippet and no `without` snippet (whitespace
                  collapsed on both sides)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import htmldate
import trafilatura

from newsindex.ingest.html_extract import extract_page
from newsindex.ingest.published import choose_published
from newsindex.sources.html_page import decode_html

_SPACE = re.compile(r"\s+")
_NAME_SPLIT = re.compile(r"\s*(?:[,;/&]|\band\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
_SYSTEMS = ("newsindex", "htmldate", "trafilatura")
_METRICS = ("date", "author", "title", "snippets")


@dataclass(slots=True)
class Reading:
    """What one system made of one page; None where it does not say."""

    date: str | None = None  # YYYY-MM-DD, or coarser ISO when only that is known
    authors: tuple[str, ...] | None = None
    title: str | None = None
    text: str | None = None


@dataclass(slots=True)
class Tally:
    """Right answers and pages counted, per system and metric."""

    right: dict[tuple[str, str], int] = field(default_factory=dict)
    counted: dict[tuple[str, str], int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, system: str, metric: str, ok: bool) -> None:
        key = (system, metric)
        self.right[key] = self.right.get(key, 0) + ok
        self.counted[key] = self.counted.get(key, 0) + 1

    def share(self, system: str, metric: str) -> float:
        counted = self.counted.get((system, metric), 0)
        return (
            round(self.right.get((system, metric), 0) / counted, 4) if counted else 0.0
        )


def fold(text: str | None) -> str:
    """Collapse whitespace and casefold, for comparisons."""
    return _SPACE.sub(" ", text or "").strip().casefold()


def date_right(gold: str, found: str | None) -> bool:
    """Gold "" wants no date; otherwise the day returned must equal gold."""
    return found is None if gold == "" else found == gold


def author_right(gold: str | list[str], found: Sequence[str]) -> bool:
    """The names found equal the gold names, as sets, after `fold`."""
    names = {fold(n) for n in found if fold(n)}
    if isinstance(gold, list):
        return names == {fold(n) for n in gold if fold(n)}
    if not fold(gold):
        return not names
    if fold(", ".join(found)) == fold(gold) or names == {fold(gold)}:
        return True
    # "David Brand and Ramsey Khalifeh" names two people.
    return names == {fold(n) for n in _NAME_SPLIT.split(gold) if fold(n)}


def snippets_right(row: dict[str, Any], text: str | None) -> bool:
    body = fold(text)
    return all(fold(s) in body for s in row["with"] or ()) and not any(
        fold(s) in body for s in row["without"] or ()
    )


def read_newsindex(html: str) -> Reading:
    page = extract_page(html, url=None)
    published = choose_published(page.dates)
    day = None
    if published is not None:
        exact = published.precision in ("datetime", "day")
        day = published.when.date().isoformat() if exact else published.iso()
    return Reading(date=day, authors=page.authors, title=page.title, text=page.text)


def read_htmldate(html: str) -> Reading:
    return Reading(date=htmldate.find_date(html, original_date=True))


def read_trafilatura(html: str) -> Reading:
    doc = trafilatura.bare_extraction(html, with_metadata=True)
    if doc is None or isinstance(doc, dict):
        return Reading(authors=())
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Reading(date=doc.date, authors=authors, title=doc.title, text=doc.text)


_READERS = {
    "newsindex": read_newsindex,
    "htmldate": read_htmldate,
    "trafilatura": read_trafilatura,
}


def page_path(pages_dir: Path, file: str) -> Path | None:
    """`pages/<name>.html` under PAGES_DIR, or `<name>.html` directly in it."""
    for path in (pages_dir / file, pages_dir / Path(file).name):
        if path.is_file():
            return path
    return None


def score(tally: Tally, system: str, row: dict[str, Any], reading: Reading) -> None:
    if row["date"] is not None:
        tally.add(system, "date", date_right(row["date"], reading.date))
    if system == "htmldate":
        return  # a date finder only
    if row["author"] is not None:
        tally.add(system, "author", author_right(row["author"], reading.authors or ()))
    if row["title"] is not None:
        tally.add(system, "title", fold(row["title"]) == fold(reading.title))
    if row["with"] is not None or row["without"] is not None:
        tally.add(system, "snippets", snippets_right(row, reading.text))


def evaluate(rows: Iterable[dict[str, Any]], pages_dir: Path) -> tuple[Tally, int]:
    tally = Tally(seconds=dict.fromkeys(_SYSTEMS, 0.0))
    pages = 0
    for row in rows:
        path = page_path(pages_dir, row["file"])
        if path is None:
            print(f"warning: missing page {row['file']!r}", file=sys.stderr)
            continue
        html = decode_html(path.read_bytes())
        pages += 1
        for system, reader in _READERS.items():
            started = time.perf_counter()
            reading = reader(html)
            tally.seconds[system] += time.perf_counter() - started
            score(tally, system, row, reading)
    return tally, pages


def figures(tally: Tally, pages: int) -> dict[str, float | int]:
    """The --json object: newsindex's figures, then the baselines'."""
    return {
        "date_accuracy": tally.share("newsindex", "date"),
        "author_exact": tally.share("newsindex", "author"),
        "title_match": tally.share("newsindex", "title"),
        "snippets_pass": tally.share("newsindex", "snippets"),
        "htmldate_date_accuracy": tally.share("htmldate", "date"),
        "trafilatura_date_accuracy": tally.share("trafilatura", "date"),
        "trafilatura_author_exact": tally.share("trafilatura", "author"),
        "trafilatura_title_match": tally.share("trafilatura", "title"),
        "trafilatura_snippets_pass": tally.share("trafilatura", "snippets"),
        "pages": pages,
    }


def table(tally: Tally, pages: int) -> str:
    labels = {
        "date": "date accuracy (day)",
        "author": "author exact",
        "title": "title match",
        "snippets": "snippets pass",
    }
    lines = [f"{'':<22}" + "".join(f"{s:>14}" for s in _SYSTEMS) + f"{'pages':>8}"]
    for metric in _METRICS:
        cells = []
        for system in _SYSTEMS:
            counted = tally.counted.get((system, metric), 0)
            cells.append(
                f"{tally.share(system, metric):>14.2%}" if counted else f"{'-':>14}"
            )
        counted = tally.counted.get(("newsindex", metric), 0)
        lines.append(f"{labels[metric]:<22}" + "".join(cells) + f"{counted:>8}")
    per_page = (f"{1000 * tally.seconds[s] / max(pages, 1):>12.1f}ms" for s in _SYSTEMS)
    lines.append(f"{'time per page':<22}" + "".join(per_page) + f"{pages:>8}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="gold-visible.jsonl")
    parser.add_argument("pages_dir", type=Path, help="the folder holding pages/")
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    args = parser.parse_args()
    if not args.gold.is_file():
        print(f"error: no such gold file: {str(args.gold)!r}", file=sys.stderr)
        return 2
    if not args.pages_dir.is_dir():
        print(f"error: not a directory: {str(args.pages_dir)!r}", file=sys.stderr)
        return 2
    with args.gold.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    tally, pages = evaluate(rows, args.pages_dir)
    print(table(tally, pages))
    if args.json:
        print(json.dumps(figures(tally, pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
