"""Each output format's exact text, for one real passage of raw/001."""

from __future__ import annotations

from newsindex import render
from newsindex.records import Passage, Source

PASSAGE = Passage(
    article_id="c124b852bc9b5986",
    start=0,
    end=44,
    text="On Monday, Sergey Lavrov said that Russia decided",
    score=9.36,
    outlet="TASS",
    published="2021-10-18T16:46",
    title="NATO received no official notification",
    bylines=(),
    source=Source(path="raw/001_d4251eeafdea6d02.txt"),
    source_start=118,
    source_end=162,
    highlights=((18, 24),),
)


def test_passage_text() -> None:
    assert render.passage_text(1, PASSAGE) == (
        "1. TASS · 2021-10-18T16:46 · NATO received no official notification\n"
        "   On Monday, Sergey Lavrov said that Russia decided\n"
        "   raw/001_d4251eeafdea6d02.txt [118:162] · article c124b852bc9b5986 "
        "[0:44] · score 9.36\n"
    )


def test_passage_rich_emphasises_matches() -> None:
    assert render.passage_rich(1, PASSAGE).splitlines()[1] == (
        "   On Monday, Sergey [bold yellow]Lavrov[/] said that Russia decided"
    )


def test_citation() -> None:
    assert render.citation(PASSAGE) == (
        "“On Monday, Sergey Lavrov said that Russia decided”\n"
        "— TASS, 2021-10-18T16:46, “NATO received no official notification”\n"
        "  raw/001_d4251eeafdea6d02.txt, characters 118–162 "
        "(article c124b852bc9b5986, body 0–44)\n"
    )


def test_csv_has_a_header_and_one_row_per_passage() -> None:
    assert render.csv_rows([PASSAGE], offset=2).splitlines() == [
        ",".join(render.CSV_COLUMNS),
        "3,9.36,TASS,2021-10-18T16:46,NATO received no official notification,,"
        '"On Monday, Sergey Lavrov said that Russia decided",c124b852bc9b5986,0,44,'
        "raw/001_d4251eeafdea6d02.txt,,,,118,162,",
    ]


def test_facets_text() -> None:
    counts = {"outlet": [("unknown", 3), ("TASS", 2)], "month": [("2021-10", 2)]}
    assert render.facets_text(counts) == (
        "outlet: unknown 3 · TASS 2\nmonth: 2021-10 2\n"
    )


def test_json_line_keeps_unicode() -> None:
    assert render.json_line({"text": "Russia’s"}) == '{"text": "Russia’s"}'
