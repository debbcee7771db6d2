"""Real outputs validate against the JSON Schemas that ship in the package."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from newsindex import Index
from newsindex.cli import cli
from newsindex.contract import json_schema

from .conftest import RAW


@pytest.fixture(scope="module")
def validators() -> dict[str, jsonschema.Draft202012Validator]:
    out = {}
    for name in ("article", "passage"):
        schema = json_schema(name)
        jsonschema.Draft202012Validator.check_schema(schema)
        out[name] = jsonschema.Draft202012Validator(schema)
    return out


def test_inspect_output_is_a_valid_article(
    validators: dict[str, jsonschema.Draft202012Validator],
) -> None:
    result = CliRunner().invoke(cli, ["inspect", str(RAW), "--json"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    for row in rows:
        validators["article"].validate(row)


def test_search_output_is_a_valid_passage(
    raw_index: Index,
    corpus_dir: Path,
    validators: dict[str, jsonschema.Draft202012Validator],
) -> None:
    passages = raw_index.search("NATO", limit=50, collapse=False)
    assert len(passages) > 10
    for passage in passages:
        validators["passage"].validate(json.loads(json.dumps(passage.to_dict())))


def test_a_broken_passage_is_rejected(
    validators: dict[str, jsonschema.Draft202012Validator],
) -> None:
    bad = {"article_id": "x", "start": -1}
    errors = sorted(e.message for e in validators["passage"].iter_errors(bad))
    assert "'text' is a required property" in errors
    assert "-1 is less than the minimum of 0" in errors
