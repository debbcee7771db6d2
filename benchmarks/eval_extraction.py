"""Dates, authors, titles and main text of web pages, against their gold.

usage: python benchmarks/eval_extraction.py GOLD.jsonl PAGES_DIR [--json]
       [--folds K] [--systems newsindex,htmldate,trafilatura]

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
  dated_day       the same on the pages with a gold day only (not ""): the
                  figure for collections whose every page is dated
  author_exact    pages with a gold author (not null): the names returned
                  equal the gold names (a list is a set of names; "" is
                  right only when none are returned); compared after
                  whitespace collapse and casefold
  title_match     pages with a gold title: equal after whitespace collapse
                  and casefold
  title_holds     the title returned holds the gold title, both folded and
                  stripped of punctuation (a site name left on counts)
  snippets_pass   main text: pages with with/without lists: the main text
                  contains every `with` snippet and no `without` snippet
                  (whitespace collapsed on both sides)
  lead_pass       lead text: of a page's `with` snippets, the one that comes
                  first in the page's visible text opens the story; the main
                  text holds it within its first 500 characters

The development figure scores every page. Beside it, a guard against
fitting rules to these pages:

  held-out sites  the pages are grouped by site (the host of the gold URL,
                  else of the URL the page names, else the file alone) and
                  the sites dealt into K folds (by a hash of the host, so a
                  site's pages are never split). For each fold, newsindex's
                  two free date numbers (`published.Tuning`) are chosen on
                  the other folds' pages and scored on this fold's; every
                  other rule is fixed, so its fold figure is its figure on
                  sites the choice never saw. Per fold and overall (all
                  folds' held-out pages pooled), and the spread over folds of
                  newsindex's margin on the better library (min, max, folds
                  ahead): a gain that holds in one fold only is fitted.
  collections     the figures per upstream gold collection (htmldate's
                  eval_default and Media Cloud 2020, trafilatura's evaldata),
                  which differ in kind as unseen collections do.
  uncited sites   pages of sites that no comment or rule in src/newsindex
                  names (the rules cite the pages that motivated them): the
                  figure on pages that shaped no rule.
  undated pages   the pages (gold date not null) where newsindex's own
                  evidence gives no day, so only a library can date them:
                  right answers of each policy (newsindex's shipped one,
                  trafilatura's day; htmldate with its free-text search;
                  both libraries agreeing; htmldate without it; no date),
                  on all of them and per held-out-site fold, and the policy
                  the other folds would choose, scored on each fold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import htmldate
import trafilatura

from newsindex.ingest.evidence import LIBRARY_DATE, DateCandidate
from newsindex.ingest.html_extract import extract_page
from newsindex.ingest.html_visible import element_text
from newsindex.ingest.published import Tuning, choose_published
from newsindex.sources.html_page import decode_html

_SPACE = re.compile(r"\s+")
_NAME_SPLIT = re.compile(r"\s*(?:[,;/&]|\band\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
_SYSTEMS = ("newsindex", "htmldate", "trafilatura")
_METRICS = ("date", "dated", "author", "title", "title_holds", "snippets", "lead")
_LEAD_WITHIN = 500  # characters of the main text the lead snippet must open in
_PUNCT = re.compile(r"[^\w\s]")
_SRC = Path(__file__).resolve().parent.parent / "src" / "newsindex"
# Public suffixes of two labels, so that bbc.co.uk is a site and co.uk is not.
_SECOND_LEVEL = frozenset(
    {"co.uk", "org.uk", "gov.uk", "ac.uk", "com.au", "net.au", "org.au", "co.nz",
     "co.za", "co.jp", "co.in", "com.br", "com.ar", "com.bo", "com.mx", "com.tr",
     "com.cn", "com.pl", "co.il", "co.kr", "com.sg", "com.co", "gv.at", "or.at"}
)  # fmt: skip
# newsindex's date decision, tried per fold: the URL's vote and a repeated
# kind's share (published.Tuning; the shipped values are 2.0 and 0.5).
_GRID = tuple(
    Tuning(url_weight=u, echo=e) for u in (1.0, 1.5, 2.0, 3.0) for e in (0.25, 0.5, 1.0)
)


@dataclass(slots=True)
class Reading:
    """What one system made of one page; None where it does not say."""

    date: str | None = None  # YYYY-MM-DD, or coarser ISO when only that is known
    authors: tuple[str, ...] | None = None
    title: str | None = None
    text: str | None = None
    url: str | None = None  # the page's own URL, if it names one
    dates: tuple[DateCandidate, ...] = ()  # newsindex's: decided again per fold


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


def title_holds(gold: str, found: str | None) -> bool:
    """The title found holds the gold one, punctuation aside."""
    words = " ".join(_PUNCT.sub(" ", fold(gold).replace("\xad", "")).split())
    return bool(words) and words in " ".join(_PUNCT.sub(" ", fold(found)).split())


def lead_snippet(row: dict[str, Any], html: str) -> str | None:
    """The `with` snippet that comes first in the page's visible text."""
    if not row["with"]:
        return None
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    page = fold(element_text(next(tree.iter("body"), tree)))
    found = [(page.find(fold(s)), s) for s in row["with"] if fold(s) in page]
    return min(found)[1] if found else None


def lead_right(lead: str, text: str | None) -> bool:
    return 0 <= fold(text).find(fold(lead)) < _LEAD_WITHIN


def snippets_right(row: dict[str, Any], text: str | None) -> bool:
    body = fold(text)
    return all(fold(s) in body for s in row["with"] or ()) and not any(
        fold(s) in body for s in row["without"] or ()
    )


def decided_day(dates: Sequence[DateCandidate], tuning: Tuning | None) -> str | None:
    published = choose_published(dates, tuning=tuning)
    if published is None:
        return None
    exact = published.precision in ("datetime", "day")
    return published.when.date().isoformat() if exact else published.iso()


def read_newsindex(html: str) -> Reading:
    page = extract_page(html, url=None)
    return Reading(
        date=decided_day(page.dates, None),
        authors=page.authors,
        title=page.title,
        text=page.text,
        url=page.url,
        dates=page.dates,
    )


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
    if row["date"]:
        tally.add(system, "dated", date_right(row["date"], reading.date))
    if system == "htmldate":
        return  # a date finder only
    if row["author"] is not None:
        tally.add(system, "author", author_right(row["author"], reading.authors or ()))
    if row["title"] is not None:
        tally.add(system, "title", fold(row["title"]) == fold(reading.title))
        tally.add(system, "title_holds", title_holds(row["title"], reading.title))
    if row["with"] is not None or row["without"] is not None:
        tally.add(system, "snippets", snippets_right(row, reading.text))
    if row.get("lead"):
        tally.add(system, "lead", lead_right(row["lead"], reading.text))


Scored = list[tuple[dict[str, Any], dict[str, Reading]]]


def evaluate(
    rows: Iterable[dict[str, Any]], pages_dir: Path, systems: Sequence[str]
) -> tuple[Tally, Scored]:
    """Read every page with every system; score all pages (the dev figure)."""
    tally = Tally(seconds=dict.fromkeys(systems, 0.0))
    scored: Scored = []
    for row in rows:
        path = page_path(pages_dir, row["file"])
        if path is None:
            print(f"warning: missing page {row['file']!r}", file=sys.stderr)
            continue
        html = decode_html(path.read_bytes())
        row = {**row, "lead": lead_snippet(row, html)}
        readings = {}
        for system in systems:
            started = time.perf_counter()
            readings[system] = _READERS[system](html)
            tally.seconds[system] += time.perf_counter() - started
            score(tally, system, row, readings[system])
        scored.append((row, readings))
    return tally, scored


def site_of(row: dict[str, Any], readings: dict[str, Reading]) -> str:
    """The site a page belongs to: its registrable host, else its file name."""
    own = readings["newsindex"].url if "newsindex" in readings else None
    for url in (row.get("url"), *(row.get("url_alternatives") or ()), own):
        host = (urlsplit(url).hostname or "") if isinstance(url, str) else ""
        labels = host.lower().removeprefix("www.").split(".")
        if len(labels) >= 2:
            keep = 3 if ".".join(labels[-2:]) in _SECOND_LEVEL else 2
            return ".".join(labels[-keep:])
    return f"file:{row['file']}"


def fold_of(site: str, folds: int) -> int:
    return int(hashlib.sha256(site.encode("utf-8")).hexdigest(), 16) % folds


def cited_sites(sites: Iterable[str]) -> set[str]:
    """The sites that src/newsindex names anywhere (its rules cite their pages)."""
    source = "\n".join(p.read_text("utf-8") for p in _SRC.rglob("*.py")).casefold()
    return {s for s in sites if not s.startswith("file:") and s.casefold() in source}


def tally_of(
    scored: Scored, systems: Sequence[str], date_of: Callable[[int], Tuning | None]
) -> Tally:
    """Score the given pages; newsindex's date decided with date_of(page index)."""
    tally = Tally()
    for index, (row, readings) in enumerate(scored):
        for system in systems:
            reading = readings[system]
            if system == "newsindex":
                tuning = date_of(index)
                if tuning is not None:
                    reading = Reading(
                        date=decided_day(reading.dates, tuning),
                        authors=reading.authors,
                        title=reading.title,
                        text=reading.text,
                    )
            score(tally, system, row, reading)
    return tally


def held_out(
    scored: Scored, systems: Sequence[str], folds: int
) -> tuple[list[dict[str, Any]], Tally, Tally, int]:
    """Per-fold held-out figures, their pooled tally, and the uncited-site tally."""
    sites = [site_of(row, readings) for row, readings in scored]
    fold = [fold_of(site, folds) for site in sites]
    dated = [(i, row) for i, (row, _) in enumerate(scored) if row["date"] is not None]
    per_fold: list[dict[str, Any]] = []
    chosen: dict[int, Tuning] = {}
    for k in range(folds):
        train = [(i, row) for i, row in dated if fold[i] != k]

        def right(
            tuning: Tuning, train: list[tuple[int, dict[str, Any]]] = train
        ) -> int:
            return sum(
                date_right(
                    row["date"], decided_day(scored[i][1]["newsindex"].dates, tuning)
                )
                for i, row in train
            )

        if "newsindex" in systems:  # ties keep the shipped numbers
            best = max(_GRID, key=lambda t: (right(t), t == Tuning()))
            chosen[k] = best
        test = [scored[i] for i in range(len(scored)) if fold[i] == k]
        test_index = [i for i in range(len(scored)) if fold[i] == k]
        tally = tally_of(test, systems, _always(chosen.get(k)))
        per_fold.append(
            {
                "fold": k,
                "sites": len({sites[i] for i in test_index}),
                "pages": len(test),
                "tuning": None
                if k not in chosen
                else [chosen[k].url_weight, chosen[k].echo],
                **shares(tally, systems),
            }
        )
    pooled = tally_of(scored, systems, lambda i: chosen.get(fold[i]))
    cited = cited_sites(set(sites))
    uncited = [
        item for item, site in zip(scored, sites, strict=True) if site not in cited
    ]
    return per_fold, pooled, tally_of(uncited, systems, lambda i: None), len(uncited)


_UNDATED_POLICIES = ("newsindex", "htmldate", "agreement", "htmldate-fast", "none")


def undated_policies(
    row: dict[str, Any], readings: dict[str, Reading]
) -> dict[str, str | None] | None:
    """What each policy answers on a page newsindex's own evidence cannot date.

    None for a page where a candidate of newsindex's own (neither
    trafilatura's day nor htmldate's answer) gives a day.
    """
    ours = readings["newsindex"]
    own = [c for c in ours.dates if c.source not in (LIBRARY_DATE, "htmldate")]
    if any(c.date.precision in ("datetime", "day") for c in own):
        return None
    fast = next(
        (
            c.date.when.date().isoformat()
            for c in ours.dates
            if c.source == "htmldate"
            and not c.modified
            and c.date.precision in ("datetime", "day")
        ),
        None,
    )
    library = readings["trafilatura"].date
    extensive = readings["htmldate"].date
    return {
        "newsindex": ours.date,
        "htmldate": extensive,
        "agreement": library if library and library == extensive else None,
        "htmldate-fast": fast,
        "none": None,
    }


def undated(scored: Scored, folds: int) -> dict[str, Any]:
    """Each policy's right answers on the pages only a library can date."""
    pages = []
    for row, readings in scored:
        if row["date"] is None:
            continue
        answers = undated_policies(row, readings)
        if answers is not None:
            fold = fold_of(site_of(row, readings), folds)
            pages.append((fold, row["date"], answers))

    def right(policy: str, fold_k: int, inside: bool) -> int:
        """Right answers in fold k (inside) or in every other fold."""
        return sum(
            date_right(gold, answers[policy])
            for fold, gold, answers in pages
            if (fold == fold_k) == inside
        )

    per_fold = []
    chosen_right = 0
    for k in range(folds):
        train = {p: right(p, k, False) for p in _UNDATED_POLICIES}
        choice = max(_UNDATED_POLICIES, key=lambda p: (train[p], p == "newsindex"))
        test = {p: right(p, k, True) for p in _UNDATED_POLICIES}
        chosen_right += test[choice]
        per_fold.append({"fold": k, "chosen": choice, **test})
    return {
        "pages": len(pages),
        "all": {p: right(p, -1, False) for p in _UNDATED_POLICIES},
        "held_out_choice": chosen_right,
        "folds": per_fold,
    }


def _always(tuning: Tuning | None) -> Callable[[int], Tuning | None]:
    """The same tuning for every page."""
    return lambda _page: tuning


def _shipped(index: int) -> Tuning | None:
    return None  # the shipped tuning for every page


def spread(per_fold: list[dict[str, Any]]) -> dict[str, dict[str, float | int]]:
    """Per metric, newsindex's margin on the better library over the folds."""
    out: dict[str, dict[str, float | int]] = {}
    for metric in _METRICS:
        margins = []
        for f in per_fold:
            libraries = [
                f[f"{s}_{metric}"] for s in _SYSTEMS[1:] if f"{s}_{metric}" in f
            ]
            if f"newsindex_{metric}" in f and libraries:
                margins.append(f[f"newsindex_{metric}"] - max(libraries))
        if margins:
            out[metric] = {
                "min_margin": round(min(margins), 4),
                "max_margin": round(max(margins), 4),
                "folds_ahead": sum(m > 0 for m in margins),
                "folds_behind": sum(m < 0 for m in margins),
            }
    return out


def collections(scored: Scored, systems: Sequence[str]) -> dict[str, Tally]:
    """A tally per upstream gold collection ("htmldate:tests/eval_default.json")."""
    names = sorted({s for row, _ in scored for s in row.get("gold_sources") or ()})
    return {
        name: tally_of(
            [item for item in scored if name in (item[0].get("gold_sources") or ())],
            systems,
            _shipped,
        )
        for name in names
    }


def shares(tally: Tally, systems: Sequence[str]) -> dict[str, float]:
    return {
        f"{system}_{metric}": tally.share(system, metric)
        for system in systems
        for metric in _METRICS
        if tally.counted.get((system, metric))
    }


def figures(tally: Tally, pages: int) -> dict[str, float | int]:
    """The --json object: newsindex's figures, then the baselines'."""
    return {
        "date_accuracy": tally.share("newsindex", "date"),
        "author_exact": tally.share("newsindex", "author"),
        "title_match": tally.share("newsindex", "title"),
        "snippets_pass": tally.share("newsindex", "snippets"),
        "lead_pass": tally.share("newsindex", "lead"),
        "dated_day": tally.share("newsindex", "dated"),
        "htmldate_date_accuracy": tally.share("htmldate", "date"),
        "trafilatura_date_accuracy": tally.share("trafilatura", "date"),
        "trafilatura_author_exact": tally.share("trafilatura", "author"),
        "trafilatura_title_match": tally.share("trafilatura", "title"),
        "trafilatura_snippets_pass": tally.share("trafilatura", "snippets"),
        "trafilatura_lead_pass": tally.share("trafilatura", "lead"),
        "htmldate_dated_day": tally.share("htmldate", "dated"),
        "trafilatura_dated_day": tally.share("trafilatura", "dated"),
        "pages": pages,
    }


def table(tally: Tally, pages: int, systems: Sequence[str] = _SYSTEMS) -> str:
    labels = {
        "date": "date accuracy (day)",
        "dated": "day, dated pages",
        "author": "author exact",
        "title": "title match",
        "title_holds": "title holds gold",
        "snippets": "main text (snippets)",
        "lead": "lead text",
    }
    lines = [f"{'':<22}" + "".join(f"{s:>14}" for s in systems) + f"{'pages':>8}"]
    for metric in _METRICS:
        cells = []
        for system in systems:
            counted = tally.counted.get((system, metric), 0)
            cells.append(
                f"{tally.share(system, metric):>14.2%}" if counted else f"{'-':>14}"
            )
        counted = max(tally.counted.get((s, metric), 0) for s in systems)
        lines.append(f"{labels[metric]:<22}" + "".join(cells) + f"{counted:>8}")
    if tally.seconds:
        per_page = (
            f"{1000 * tally.seconds[s] / max(pages, 1):>12.1f}ms" for s in systems
        )
        lines.append(f"{'time per page':<22}" + "".join(per_page) + f"{pages:>8}")
    return "\n".join(lines)


def _short(key: str) -> str:
    for name, short in (("newsindex", "ni"), ("htmldate", "hd"), ("trafilatura", "tr")):
        key = key.replace(name, short)
    return key


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="gold-visible.jsonl")
    parser.add_argument("pages_dir", type=Path, help="the folder holding pages/")
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    parser.add_argument("--folds", type=int, default=5, help="held-out-site folds")
    parser.add_argument("--systems", default=",".join(_SYSTEMS), help="which to run")
    args = parser.parse_args()
    systems = [s for s in _SYSTEMS if s in args.systems.split(",")]
    if not args.gold.is_file():
        print(f"error: no such gold file: {str(args.gold)!r}", file=sys.stderr)
        return 2
    if not args.pages_dir.is_dir():
        print(f"error: not a directory: {str(args.pages_dir)!r}", file=sys.stderr)
        return 2
    if not systems or args.folds < 2:
        print("error: name a system, and --folds of 2 or more", file=sys.stderr)
        return 2
    with args.gold.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    tally, scored = evaluate(rows, args.pages_dir, systems)
    pages = len(scored)
    print(f"development: all {pages} pages")
    print(table(tally, pages, systems))
    per_fold, pooled, uncited, uncited_pages = held_out(scored, systems, args.folds)
    print(f"\nheld-out sites: {args.folds} folds, pooled")
    print(table(pooled, pages, systems))
    for f in per_fold:
        cells = "  ".join(
            f"{_short(key)}={value:.3f}"
            for key, value in f.items()
            if isinstance(value, float)
        )
        print(
            f"  fold {f['fold']} ({f['sites']} sites, {f['pages']} pages, "
            f"tuning {f['tuning']}): {cells}"
        )
    margins = spread(per_fold)
    print("  newsindex's margin on the better library, over the folds:")
    for metric, m in margins.items():
        print(
            f"    {metric:<12} min {m['min_margin']:+.3f}  max {m['max_margin']:+.3f}"
            f"  ahead in {m['folds_ahead']}, behind in {m['folds_behind']}"
            f" of {len(per_fold)}"
        )
    print(f"\nsites never cited in src/newsindex: {uncited_pages} pages")
    print(table(uncited, uncited_pages, systems))
    dateless = undated(scored, args.folds) if len(systems) == 3 else None
    if dateless is not None:
        print(f"\nundated by newsindex's own evidence: {dateless['pages']} pages")
        print("  right: " + ", ".join(f"{p} {n}" for p, n in dateless["all"].items()))
        for f in dateless["folds"]:
            cells = ", ".join(f"{p} {f[p]}" for p in _UNDATED_POLICIES)
            print(f"  fold {f['fold']} (others choose {f['chosen']}): {cells}")
        print(
            f"  the policy the other folds choose: {dateless['held_out_choice']} right"
        )
    by_collection = collections(scored, systems)
    for name, part in by_collection.items():
        count = max(part.counted.values(), default=0)
        print(f"\ncollection {name}: up to {count} pages scored")
        print(table(part, count, systems))
    if args.json:
        out: dict[str, Any] = figures(tally, pages) if len(systems) == 3 else {}
        out.update(
            development=shares(tally, systems),
            held_out_sites={
                "pooled": shares(pooled, systems),
                "folds": per_fold,
                "spread": margins,
            },
            collections={n: shares(t, systems) for n, t in by_collection.items()},
            uncited_sites={"pages": uncited_pages, **shares(uncited, systems)},
            undated=dateless,
        )
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
