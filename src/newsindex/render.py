"""How results look: text for a reader, JSON Lines and CSV for programs, citations.

Pure functions from records to strings, so the CLI stays a thin shell and
every format's exact text can be tested.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from newsindex.records import Article, Passage

if TYPE_CHECKING:
    from newsindex.query.timeline import Timeline

__all__ = [
    "CSV_COLUMNS",
    "article_text",
    "citation",
    "csv_rows",
    "facets_json",
    "facets_text",
    "json_line",
    "passage_rich",
    "passage_text",
    "timeline_csv",
    "timeline_text",
]

CSV_COLUMNS = (
    "rank", "score", "outlet", "published", "title", "bylines", "text",
    "article_id", "start", "end", "source_path", "source_record", "source_docno",
    "url", "source_start", "source_end", "also_in",
)  # fmt: skip
BOM = "\ufeff"  # lets a spreadsheet read the CSV as UTF-8 (RTÉ, not RTÃ‰)


def json_line(data: Mapping[str, Any]) -> str:
    """One JSON object, UTF-8 as is (`newsindex ... --json | jq` works)."""
    return json.dumps(data, ensure_ascii=False)


def passage_text(rank: int, p: Passage) -> str:
    """A passage as a few plain lines: who and when, the words, where they are,
    and where else the story ran."""
    lines = [f"{rank}. {_heading(p)}", f"   {p.text}", f"   {_location(p)}"]
    if p.also_in:
        lines.append(f"   {_also_in(p)}")
    return "\n".join(lines) + "\n"


def passage_rich(rank: int, p: Passage) -> str:
    """The same as `passage_text`, in rich markup, matched words in bold."""
    from rich.markup import escape

    text, pos = [], 0
    for start, end in p.highlights:
        text.append(escape(p.text[pos:start]))
        text.append(f"[bold yellow]{escape(p.text[start:end])}[/]")
        pos = end
    text.append(escape(p.text[pos:]))
    return (
        "\n".join(
            [
                f"[bold]{rank}.[/] [cyan]{escape(_heading(p))}[/]",
                f"   {''.join(text)}",
                f"   [dim]{escape(_location(p))}[/]",
                *([f"   [dim]{escape(_also_in(p))}[/]"] if p.also_in else []),
            ]
        )
        + "\n"
    )


def citation(p: Passage) -> str:
    """A block a writer can paste: the quote, who published it when, where it is,
    and where else the story ran (cite.text)."""
    from newsindex.cite import text

    return text(p)


def csv_rows(passages: Iterable[Passage], *, offset: int = 0, bom: bool = False) -> str:
    """The passages as CSV with a header row, for spreadsheets.

    `also_in` lists the story's other copies (`Outlet day (id)`, comma
    separated). With `bom` the text starts with a byte-order mark, which
    Excel needs to read UTF-8; programs reading CSV usually do not want it.
    """
    import csv  # deferred: most output is not CSV

    from newsindex.cite import also_in_text

    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rank, p in enumerate(passages, offset + 1):
        writer.writerow(
            [
                rank, p.score, p.outlet or "", p.published or "", p.title or "",
                "; ".join(p.bylines), p.text, p.article_id, p.start, p.end,
                p.source.path, _blank(p.source.record), p.source.docno or "",
                p.source.url or "", _blank(p.source_start), _blank(p.source_end),
                also_in_text(p.also_in),
            ]
        )  # fmt: skip
    return out.getvalue()


def facets_json(facets: Mapping[str, Sequence[tuple[str, int]]]) -> str:
    """Facet counts as one JSON object: `{"outlet": {"TASS": 2}, ...}`, in order."""
    return (
        json.dumps(
            {name: dict(counts) for name, counts in facets.items()},
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def facets_text(facets: Mapping[str, Sequence[tuple[str, int]]]) -> str:
    """Facet counts as one line per facet: `outlet: TASS 2 · unknown 3`."""
    return "".join(
        f"{name}: {' · '.join(f'{value} {count}' for value, count in counts)}\n"
        for name, counts in facets.items()
    )


_EIGHTHS = " ▏▎▍▌▋▊▉"
CHART_WIDTH = 50  # characters of the longest bar


def timeline_text(t: Timeline, *, width: int = CHART_WIDTH) -> str:
    """A timeline as a bar chart: a heading, then one line per period (and,
    under a split, one indented line per outlet of the period)."""
    noun = "article" if t.dated == 1 else "articles"
    undated = f" ({t.undated} undated, not shown)" if t.undated else ""
    lines = [f"{t.query!r} per {t.by}: {t.dated} {noun}{undated}"]
    if not t.periods:
        return "\n".join(lines) + "\n"
    if t.split is None:
        rows = _runs_of_none([(p.period, p.count) for p in t.periods])
        top = max(count for _, count in rows) or 1
        label = max(len(period) for period, _ in rows)
        digits = len(str(top))
        for period, count in rows:
            bar = _bar(count, top, width)
            lines.append(f"{period:<{label}}  {count:>{digits}}  {bar}".rstrip())
        return "\n".join(lines) + "\n"
    per_period: dict[str, list[tuple[str, int]]] = {}
    for p in t.periods:
        per_period.setdefault(p.period, []).append((p.outlet or "unknown", p.count))
    sums = {period: sum(n for _, n in rows) for period, rows in per_period.items()}
    top = max(sums.values()) or 1
    digits = len(str(top))
    label = max(
        *(len(period) for period in per_period),
        *(2 + len(outlet) for rows in per_period.values() for outlet, _ in rows),
    )
    for period, rows in per_period.items():
        named = [(period, sums[period])] + [(f"  {o}", n) for o, n in rows]
        lines += [
            f"{name:<{label}}  {n:>{digits}}  {_bar(n, top, width)}".rstrip()
            for name, n in named
        ]
    return "\n".join(lines) + "\n"


def timeline_csv(t: Timeline) -> str:
    """A timeline as CSV: period, its first and last day, (outlet,) count."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    outlet = ["outlet"] if t.split else []
    writer.writerow(["period", "since", "until", *outlet, "count"])
    for p in t.periods:
        who = [p.outlet or "unknown"] if t.split else []
        writer.writerow(
            [p.period, p.since.isoformat(), p.until.isoformat(), *who, p.count]
        )
    return out.getvalue()


def _runs_of_none(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The rows, each run of three or more empty periods as one `A .. B` row."""
    out: list[tuple[str, int]] = []
    run: list[str] = []
    for period, count in [*rows, ("", -1)]:
        if count == 0:
            run.append(period)
            continue
        if len(run) >= 3:
            out.append((f"{run[0]} .. {run[-1]}", 0))
        else:
            out += [(empty, 0) for empty in run]
        run = []
        if count > 0:
            out.append((period, count))
    return out


def _bar(count: int, top: int, width: int) -> str:
    """A bar of `count` out of `top` in `width` characters, to an eighth."""
    eighths = round(count * width * 8 / top)
    if count and not eighths:
        eighths = 1  # a period with articles never looks empty
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def signals_text(
    passages: Sequence[Passage], signals: Sequence[Mapping[str, float]], first: int
) -> str:
    """Each hit's score as the sum of its ranking signals' shares, one line each:
    `1. 9.41 = passage 6.20 + title 1.10 + feedback 2.11`."""
    lines = ["ranking: each signal's share of the score"]
    for rank, (passage, shares) in enumerate(
        zip(passages, signals, strict=True), first
    ):
        parts = " + ".join(f"{name} {share:.2f}" for name, share in shares.items())
        lines.append(f"{rank}. {passage.score:.2f} = {parts or 'engine score'}")
    return "\n".join(lines) + "\n"


def article_text(a: Article, *, body: bool = False) -> str:
    """An article's fields as aligned lines, and its body if asked."""
    published = a.published.iso() if a.published else "undated"
    lines = [
        f"{a.id}  {a.source.path}",
        f"  title:     {a.title or '(untitled)'}",
        f"  outlet:    {a.outlet.name if a.outlet else 'unknown'}",
        f"  published: {published}",
    ]
    if a.dateline is not None:
        date_text = a.dateline.date_text or ""
        lines.append(f"  dateline:  {a.dateline.place} {date_text}".rstrip())
    if a.bylines:
        lines.append(f"  bylines:   {', '.join(a.bylines)}")
    if a.cites:
        lines.append(f"  cites:     {', '.join(sorted({c.name for c in a.cites}))}")
    people = [e.name for e in a.entities if e.type == "person"]
    if people:
        lines.append(f"  people:    {', '.join(people)}")
    if body:
        lines.extend(["", a.body])
    return "\n".join(lines) + "\n"


def entity_text(entity: Mapping[str, Any]) -> str:
    """One entity as a line: count, dates, type, name, then its other spellings."""
    span = f"{entity['first'] or '?'} .. {entity['last'] or '?'}"
    others = [v for v in entity["variants"] if v != entity["name"]]
    also = f"  (also: {', '.join(others)})" if others else ""
    return (
        f"{entity['articles']:>6}  {span:<24}  {entity['type']:<6}  "
        f"{entity['name']}{also}"
    )


def quote_dict(hit: Any) -> dict[str, Any]:
    """A quote hit in JSON form."""
    return {
        "article_id": hit.article_id,
        "text": hit.text,
        "start": hit.start,
        "end": hit.end,
        "speaker": hit.speaker,
        "outlet": hit.outlet,
        "published": hit.published,
        "score": round(hit.score, 4),
    }


def quote_text(hit: Any) -> str:
    """A quote hit as a citation: the words, who said them, where and when."""
    who = f" — {hit.speaker}" if hit.speaker else ""
    where = f"{hit.outlet or 'unknown outlet'}, {hit.published or 'undated'}"
    return (
        f"“{hit.text}”{who}\n  {where} (article {hit.article_id}, "
        f"body {hit.start}–{hit.end})\n"
    )


def _heading(p: Passage) -> str:
    who = p.outlet or "unknown outlet"
    return f"{who} · {p.published or 'undated'} · {p.title or '(untitled)'}"


def _location(p: Passage) -> str:
    where = p.source.path
    if p.source.record is not None:
        where += f" #{p.source.record}"
    if p.source_start is not None:
        where += f" [{p.source_start}:{p.source_end}]"
    return f"{where} · article {p.article_id} [{p.start}:{p.end}] · score {p.score:.2f}"


def _also_in(p: Passage) -> str:
    from newsindex.cite import also_in_text

    return f"also in: {also_in_text(p.also_in)}"


def _blank(value: int | None) -> str | int:
    return "" if value is None else value
