"""How results look: text for a reader, JSON Lines and CSV for programs, citations.

Pure functions from records to strings, so the CLI stays a thin shell and
every format's exact text can be tested.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from newsindex.records import Article, Passage

__all__ = [
    "CSV_COLUMNS",
    "article_text",
    "citation",
    "csv_rows",
    "facets_text",
    "json_line",
    "passage_rich",
    "passage_text",
]

CSV_COLUMNS = (
    "rank", "score", "outlet", "published", "title", "bylines", "text",
    "article_id", "start", "end", "source_path", "source_record", "source_docno",
    "url", "source_start", "source_end",
)  # fmt: skip


def json_line(data: Mapping[str, Any]) -> str:
    """One JSON object, UTF-8 as is (`newsindex ... --json | jq` works)."""
    return json.dumps(data, ensure_ascii=False)


def passage_text(rank: int, p: Passage) -> str:
    """A passage as a few plain lines: who and when, the words, where they are."""
    return (
        "\n".join([f"{rank}. {_heading(p)}", f"   {p.text}", f"   {_location(p)}"])
        + "\n"
    )


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
            ]
        )
        + "\n"
    )


def citation(p: Passage) -> str:
    """A block a writer can paste: the quote, who published it when, where it is."""
    who = p.outlet or "unknown outlet"
    when = p.published or "undated"
    title = f", “{p.title}”" if p.title else ""
    by = f" by {', '.join(p.bylines)}" if p.bylines else ""
    lines = [f"“{p.text}”", f"— {who}{by}, {when}{title}"]
    if p.source.url:
        lines.append(f"  {p.source.url}")
    where = p.source.path + (
        f" record {p.source.record}" if p.source.record is not None else ""
    )
    if p.source_start is not None:
        where += f", characters {p.source_start}–{p.source_end}"
    lines.append(f"  {where} (article {p.article_id}, body {p.start}–{p.end})")
    return "\n".join(lines) + "\n"


def csv_rows(passages: Iterable[Passage], *, offset: int = 0) -> str:
    """The passages as CSV with a header row, for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rank, p in enumerate(passages, offset + 1):
        writer.writerow(
            [
                rank, p.score, p.outlet or "", p.published or "", p.title or "",
                "; ".join(p.bylines), p.text, p.article_id, p.start, p.end,
                p.source.path, _blank(p.source.record), p.source.docno or "",
                p.source.url or "", _blank(p.source_start), _blank(p.source_end),
            ]
        )  # fmt: skip
    return out.getvalue()


def facets_text(facets: Mapping[str, Sequence[tuple[str, int]]]) -> str:
    """Facet counts as one line per facet: `outlet: TASS 2 · unknown 3`."""
    return "".join(
        f"{name}: {' · '.join(f'{value} {count}' for value, count in counts)}\n"
        for name, counts in facets.items()
    )


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


def _blank(value: int | None) -> str | int:
    return "" if value is None else value
