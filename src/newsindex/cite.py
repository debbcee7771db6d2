"""Citations of passages: plain text, CSL-JSON, BibTeX and RIS.

Each format carries the quote, who published it and when, where it is
(URL, source file and record, article id and offsets) and the other outlets
that carried the same story (`also_in`), so a writer can name the first
publisher and its copies. CSL-JSON follows the CSL input schema
(`article-newspaper` items); BibTeX is `@article` as reference managers
import news; RIS is `TY  - NEWS`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from newsindex.records import AlsoIn, Passage

__all__ = [
    "FORMATS",
    "CiteFormat",
    "also_in_text",
    "bibtex",
    "citations",
    "csl_json",
    "ris",
    "text",
]

CiteFormat = Literal["text", "csl-json", "bibtex", "ris"]
FORMATS: tuple[CiteFormat, ...] = ("text", "csl-json", "bibtex", "ris")


def citations(passages: Sequence[Passage], fmt: CiteFormat) -> str:
    """The passages cited in one format, as one document."""
    if fmt == "csl-json":
        return csl_json(passages)
    if fmt == "bibtex":
        return "\n".join(bibtex(p) for p in passages)
    if fmt == "ris":
        return "".join(ris(p) for p in passages)
    if fmt == "text":
        return "\n".join(text(p) for p in passages)
    raise ValueError(f"no citation format {fmt!r} (formats: {', '.join(FORMATS)})")


def also_in_text(also: Iterable[AlsoIn]) -> str:
    """The other copies of a story on one line: `Reuters 2021-10-19 (id), …`."""
    return ", ".join(
        f"{a.outlet or 'unknown outlet'} {_day(a.published) or 'undated'} "
        f"({a.article_id})"
        for a in also
    )


def text(p: Passage) -> str:
    """A block a writer can paste: the quote, who published it when, where it is,
    and where else the story ran."""
    who = p.outlet or "unknown outlet"
    when = p.published or "undated"
    title = f", “{p.title}”" if p.title else ""
    by = f" by {', '.join(p.bylines)}" if p.bylines else ""
    lines = [f"“{p.text}”", f"— {who}{by}, {when}{title}"]
    if p.source.url:
        lines.append(f"  {p.source.url}")
    lines.append(f"  {_where(p)} (article {p.article_id}, body {p.start}–{p.end})")
    if p.also_in:
        lines.append(f"  also in: {also_in_text(p.also_in)}")
    return "\n".join(lines) + "\n"


def csl_json(passages: Sequence[Passage]) -> str:
    """A CSL-JSON array: one `article-newspaper` item per passage, the quote
    in `note`, offsets and copies under `custom`."""
    return json.dumps([_csl_item(p) for p in passages], ensure_ascii=False, indent=2)


def bibtex(p: Passage) -> str:
    """One `@article` entry; the quote and the copies in `note`."""
    fields: list[tuple[str, str]] = []
    if p.title:
        fields.append(("title", p.title))
    if p.bylines:
        fields.append(("author", " and ".join(p.bylines)))
    if p.outlet:
        fields.append(("journal", p.outlet))
    parts = _date_parts(p.published)
    if parts:
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
        fields.append(("date", "-".join(f"{n:02d}" for n in parts)))
    if p.source.url:
        fields.append(("url", p.source.url))
    fields.append(("note", _note(p)))
    body = ",\n".join(
        f"  {name} = {{{_bibtex_value(value)}}}" for name, value in fields
    )
    return f"@article{{{_key(p)},\n{body}\n}}\n"


def ris(p: Passage) -> str:
    """One RIS record (`TY  - NEWS` ... `ER  - `)."""
    tags: list[tuple[str, str]] = [("TY", "NEWS"), ("ID", _key(p))]
    if p.title:
        tags.append(("TI", p.title))
    tags += [("AU", name) for name in p.bylines]
    if p.outlet:
        tags.append(("T2", p.outlet))
    parts = _date_parts(p.published)
    if parts:
        tags.append(("PY", str(parts[0])))
        padded = [*(f"{n:02d}" for n in parts), "", ""][:3]
        tags.append(("DA", f"{parts[0]}/{padded[1]}/{padded[2]}/"))
    if p.source.url:
        tags.append(("UR", p.source.url))
    tags.append(("N1", _note(p)))
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags]
    return "\n".join([*lines, "ER  - "]) + "\n"


def _csl_item(p: Passage) -> dict[str, Any]:
    item: dict[str, Any] = {"id": _key(p), "type": "article-newspaper"}
    if p.title:
        item["title"] = p.title
    if p.outlet:
        item["container-title"] = p.outlet
    if p.bylines:
        item["author"] = [{"literal": name} for name in p.bylines]
    parts = _date_parts(p.published)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if p.source.url:
        item["URL"] = p.source.url
    item["note"] = _note(p)
    item["archive_location"] = _where(p)
    item["custom"] = {
        "article_id": p.article_id,
        "start": p.start,
        "end": p.end,
        "quote": p.text,
        "also_in": [
            {"article_id": a.article_id, "outlet": a.outlet, "published": a.published}
            for a in p.also_in
        ],
    }
    return item


def _key(p: Passage) -> str:
    """A citation key unique per passage: the article id and the offset."""
    return f"{p.article_id}-{p.start}"


def _note(p: Passage) -> str:
    note = f"“{p.text}” ({_where(p)}; article {p.article_id}, body {p.start}–{p.end})"
    if p.also_in:
        note += f"; also in: {also_in_text(p.also_in)}"
    return note


def _where(p: Passage) -> str:
    where = p.source.path
    if p.source.record is not None:
        where += f" record {p.source.record}"
    if p.source_start is not None:
        where += f", characters {p.source_start}–{p.source_end}"
    return where


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _date_parts(published: str | None) -> list[int]:
    """`2021-10-18T09:00:00+00:00` as [2021, 10, 18]; `2021-10` as [2021, 10]."""
    match = _DATE.match(published or "")
    return [int(g) for g in match.groups() if g] if match else []


def _day(published: str | None) -> str | None:
    return published[:10] if published else None


# BibTeX counts braces to find a value's end (even after a backslash), and
# LaTeX reads the others as commands.
_LATEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
    }
)


def _bibtex_value(value: str) -> str:
    return _one_line(value).translate(_LATEX)


def _one_line(value: str) -> str:
    return " ".join(value.split())
