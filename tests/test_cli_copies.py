"""`also_in` in every search output, the citation formats and the CSV's BOM,
on a real story two outlets ran (tests/data/archive/republished.jsonl)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import bibtexparser
import pytest
import rispy
from click.testing import CliRunner

from newsindex.cli import cli

from .conftest import DATA
from .test_cite import csl_errors

# The copy's id hashes its path, which is this test's temporary folder.
ALSO = re.compile(r"also in: Al Jazeera 2017-03-28 \([0-9a-f]{16}\)")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("copies")
    (base / "corpus").mkdir()
    shutil.copy(DATA / "archive" / "republished.jsonl", base / "corpus")
    result = CliRunner().invoke(
        cli, ["index", str(base / "corpus"), "--index", str(base / "index")]
    )
    assert result.exit_code == 0, result.stderr
    return base / "index"


def search(index: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["search", "unravel", "--limit", "1", "--index", str(index), *args]
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_terminal(index: Path) -> None:
    last = search(index).rstrip("\n").splitlines()[-1]
    assert ALSO.fullmatch(last.removeprefix("   ")), last


def test_json(index: Path) -> None:
    (hit,) = [json.loads(line) for line in search(index, "--json").splitlines()]
    ((copy),) = hit["also_in"]
    assert (copy["outlet"], copy["published"]) == ("Al Jazeera", "2017-03-28")


def test_csv_column_and_bom(index: Path) -> None:
    plain = search(index, "--csv")
    header, row = plain.splitlines()[:2]
    assert header.endswith(",also_in")
    assert ALSO.fullmatch("also in: " + row.rsplit(",", 1)[1]), row
    assert search(index, "--csv", "--bom") == "\ufeff" + plain


def test_cite_text(index: Path) -> None:
    last = search(index, "--cite").rstrip("\n").splitlines()[-1]
    assert ALSO.fullmatch(last.removeprefix("  ")), last


def test_cite_formats_read_back(index: Path) -> None:
    csl = search(index, "--cite", "--cite-format", "csl-json")
    assert csl_errors(csl) == []  # the official CSL data schema
    (item,) = json.loads(csl)
    assert item["custom"]["also_in"][0]["outlet"] == "Al Jazeera"
    assert ALSO.fullmatch(item["note"].rsplit("; ", 1)[1])
    library = bibtexparser.parse_string(
        search(index, "--cite", "--cite-format", "bibtex")
    )
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.fields_dict["journal"].value == "ABC News"
    assert ALSO.fullmatch(entry.fields_dict["note"].value.rsplit("; ", 1)[1])
    (record,) = rispy.loads(search(index, "--cite", "--cite-format", "ris"))
    assert (record["type_of_reference"], record["secondary_title"]) == (
        "NEWS",
        "ABC News",
    )
    assert ALSO.fullmatch(record["notes"][0].rsplit("; ", 1)[1])
