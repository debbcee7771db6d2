"""Citation formats: each carries the quote, the source and the other copies,
and each is read back by a library that reads that format."""

from __future__ import annotations

import json

import bibtexparser
import jsonschema
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from msgspec.structs import replace

from newsindex import cite, render
from newsindex.records import AlsoIn, Source

from .conftest import DATA
from .test_render import PASSAGE

# The official CSL-JSON schema, vendored from citation-style-language/schema
# (MIT; provenance in tests/data/csl/README.md).
CSL_DATA = json.loads((DATA / "csl" / "csl-data.json").read_text(encoding="utf-8"))

COPIED = replace(
    PASSAGE,
    bylines=("Jane Doe", "Ivan Petrov"),
    title="NATO received no {official} notification & 100% silence",
    source=Source(path="raw/001_d4251eeafdea6d02.txt", url="https://tass.com/1/"),
    also_in=(
        AlsoIn(article_id="ab12", outlet="Reuters", published="2021-10-19T08:00"),
        AlsoIn(article_id="cd34", outlet=None, published=None),
    ),
)
ALSO = "also in: Reuters 2021-10-19 (ab12), unknown outlet undated (cd34)"


def test_text_has_an_also_in_line() -> None:
    assert cite.text(COPIED).splitlines()[-1] == f"  {ALSO}"
    assert render.citation(PASSAGE) == cite.text(PASSAGE)  # no copies: no line


def test_terminal_lines_show_the_copies() -> None:
    assert render.passage_text(1, COPIED).splitlines()[-1] == f"   {ALSO}"
    assert render.passage_rich(1, COPIED).splitlines()[-1] == f"   [dim]{ALSO}[/]"


def test_csv_has_an_also_in_column_and_an_optional_bom() -> None:
    rows = render.csv_rows([COPIED]).splitlines()
    assert rows[0].endswith(",also_in")
    assert rows[1].endswith(
        ',"Reuters 2021-10-19 (ab12), unknown outlet undated (cd34)"'
    )
    assert render.csv_rows([COPIED], bom=True) == "\ufeff" + render.csv_rows([COPIED])


def test_csl_json_reads_back_and_formats() -> None:
    items = json.loads(cite.csl_json([COPIED, PASSAGE]))
    assert items[0] == {
        "id": "c124b852bc9b5986-0",
        "type": "article-newspaper",
        "title": "NATO received no {official} notification & 100% silence",
        "container-title": "TASS",
        "author": [{"literal": "Jane Doe"}, {"literal": "Ivan Petrov"}],
        "issued": {"date-parts": [[2021, 10, 18]]},
        "URL": "https://tass.com/1/",
        "note": "“On Monday, Sergey Lavrov said that Russia decided” "
        "(raw/001_d4251eeafdea6d02.txt, characters 118–162; article "
        f"c124b852bc9b5986, body 0–44); {ALSO}",
        "archive_location": "raw/001_d4251eeafdea6d02.txt, characters 118–162",
        "custom": {
            "article_id": "c124b852bc9b5986",
            "start": 0,
            "end": 44,
            "quote": "On Monday, Sergey Lavrov said that Russia decided",
            "also_in": [
                {
                    "article_id": "ab12",
                    "outlet": "Reuters",
                    "published": "2021-10-19T08:00",
                },
                {"article_id": "cd34", "outlet": None, "published": None},
            ],
        },
    }
    # citeproc-py reads CSL-JSON as a CSL processor does, and a shipped style
    # formats it: the fields are where CSL expects them. It predates CSL
    # 1.0.2's `custom` (and warns of it), so that is left out here.
    plain = json.loads(cite.csl_json([replace(COPIED, title=PASSAGE.title)]))
    source = CiteProcJSON(
        [{k: v for k, v in i.items() if k != "custom"} for i in plain]
    )
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem("c124b852bc9b5986-0")]))
    (entry,) = [str(item) for item in bibliography.bibliography()]
    assert entry == (
        "Jane Doe and Ivan Petrov (2021) “NATO received no official notification”, "
        "TASS, 18 October. Available at: https://tass.com/1/."
    )


def csl_errors(document: str) -> list[str]:
    """What the official CSL data schema finds wrong in a CSL-JSON document."""
    validator = jsonschema.Draft7Validator(CSL_DATA)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(json.loads(document))
    ]


def test_csl_json_is_valid_against_the_official_schema() -> None:
    bare = replace(PASSAGE, outlet=None, published=None, title=None, bylines=())
    month = replace(PASSAGE, published="2021-10")
    document = cite.citations([COPIED, PASSAGE, bare, month], "csl-json")
    assert csl_errors(document) == []
    # The schema is strict enough to catch a misnamed field or a bad date.
    (item,) = json.loads(cite.csl_json([COPIED]))
    url = item.pop("URL")
    wrong = [{**item, "url": url, "issued": {"date-parts": [[]]}}]
    assert sorted(csl_errors(json.dumps(wrong))) == [
        "0/issued: {'date-parts': [[]]} is not valid under any of the given schemas",
        "0: Additional properties are not allowed ('url' was unexpected)",
    ]


def test_bibtex_parses_back() -> None:
    later = replace(PASSAGE, start=5)
    library = bibtexparser.parse_string(cite.citations([COPIED, later], "bibtex"))
    assert library.failed_blocks == []
    first, second = library.entries
    assert (first.entry_type, first.key) == ("article", "c124b852bc9b5986-0")
    fields = {f.key: f.value for f in first.fields}
    assert fields == {
        "title": r"NATO received no \textbraceleft{}official\textbraceright{} "
        r"notification \& 100\% silence",
        "author": "Jane Doe and Ivan Petrov",
        "journal": "TASS",
        "year": "2021",
        "month": "10",
        "date": "2021-10-18",
        "url": "https://tass.com/1/",
        "note": "“On Monday, Sergey Lavrov said that Russia decided” "
        "(raw/001\\_d4251eeafdea6d02.txt, characters 118–162; article "
        f"c124b852bc9b5986, body 0–44); {ALSO}",
    }
    assert second.key == "c124b852bc9b5986-5"
    assert "author" not in {f.key for f in second.fields}


def test_ris_parses_back() -> None:
    (entry,) = rispy.loads(cite.ris(COPIED))
    assert entry == {
        "type_of_reference": "NEWS",
        "id": "c124b852bc9b5986-0",
        "title": "NATO received no {official} notification & 100% silence",
        "authors": ["Jane Doe", "Ivan Petrov"],
        "secondary_title": "TASS",
        "year": "2021",
        "date": "2021/10/18/",
        "urls": ["https://tass.com/1/"],
        "notes": [
            "“On Monday, Sergey Lavrov said that Russia decided” "
            "(raw/001_d4251eeafdea6d02.txt, characters 118–162; article "
            f"c124b852bc9b5986, body 0–44); {ALSO}"
        ],
    }


def test_an_unknown_format_is_named() -> None:
    with pytest.raises(ValueError, match=r"^no citation format 'apa' \(formats: "):
        cite.citations([PASSAGE], "apa")  # type: ignore[arg-type]
