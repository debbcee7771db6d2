"""Bad input never hurts: each hostile file is one warning, the rest is indexed.

Limits are lowered through the environment (settings.py) to keep CI small.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex.cli import cli

from .conftest import RAW

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    "<html><body><p>&lol3;</p></body></html>"
)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSINDEX_MAX_INFLATED_BYTES", "100000")
    monkeypatch.setenv("NEWSINDEX_MAX_FILE_BYTES", "2000000")
    root = tmp_path / "c"
    shutil.copytree(RAW, root)
    (root / "binary.html").write_bytes(bytes(range(256)) * 20)
    (root / "bomb.json.gz").write_bytes(gzip.compress(b"[" + b" " * 1_000_000 + b"]"))
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="ascii")
    (root / "huge.txt").write_bytes(b"x" * 2_000_001)  # one line, past the limit
    (root / "laughs.html").write_text(LAUGHS, encoding="utf-8")
    (root / "gone.txt").symlink_to(root / "nowhere.txt")  # cannot be read
    (root / "loop").symlink_to(root)  # a symlink loop
    (root / "undecodable.txt").write_bytes(
        bytes(range(128, 256)) * 4 + b"\nBRUSSELS, Oct 18 - A story after bad bytes."
    )
    return root


def test_each_bad_file_is_one_warning_and_the_rest_is_indexed(corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["index", "c", "--workers", "1"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines() == [
        "warning: skipped c/binary.html: binary content in an HTML file",
        "warning: skipped c/bomb.json.gz: gzip inflates past 100000 bytes",
        "warning: skipped c/deep.json: invalid JSON: nested too deeply",
        "warning: skipped c/gone.txt: cannot read file: No such file or directory",
        "warning: skipped c/huge.txt: file too large (2000001 bytes)",
        "warning: skipped c/laughs.html: no main text in page after boilerplate "
        "removal",
        "indexed 6 articles from 6 files, skipped 6 files",
    ]


def test_nothing_indexed_is_lost(corpus: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["index", "c", "--workers", "1"])
    assert first.exit_code == 0
    (corpus / "deep.json").write_text("{" * 50_000, encoding="ascii")
    again = runner.invoke(cli, ["index", "c", "--workers", "1"])
    assert again.exit_code == 0
    assert again.stderr.splitlines()[-1] == (
        "indexed 0 articles from 0 files, skipped 6 files (6 unchanged)"
    )
    found = runner.invoke(cli, ["search", "Lavrov", "--limit", "50", "--json"])
    assert found.stdout.count('"article_id"') == 5


PAGE = (
    "<html><head><title>NATO mission suspended</title></head><body><article>"
    "<h1>NATO mission suspended</h1>"
    + "<p>BRUSSELS, Oct 18 - Russia suspended its mission to NATO on Monday, "
    "Foreign Minister Sergei Lavrov said, after NATO expelled eight diplomats.</p>"
    * 4
    + "</article></body></html>"
).encode()


def _warc(target: str, html: bytes) -> bytes:
    """One gzipped WARC response record of `html` captured from `target`."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {target}\r\n"
        "WARC-Date: 2021-10-18T12:00:00Z\r\n"
        "WARC-Record-ID: <urn:uuid:5f1c8a52-7d3e-4b0a-9a51-2f0c5d1e6b7a>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    )
    return gzip.compress(head.encode() + http + b"\r\n\r\n")


def _files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if "index" not in path.parts}


def test_paths_inside_records_are_only_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "deep" / "c"
    corpus.mkdir(parents=True)
    record = {
        "id": "../../escape",
        "url": "file:///etc/passwd",
        "path": "../../../escape.txt",
        "title": "NATO mission suspended",
        "text": "BRUSSELS, Oct 18 (Reuters) - Russia suspended its mission to NATO "
        "on Monday, Foreign Minister Sergei Lavrov said. " * 3,
    }
    (corpus / "evil.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    target = "http://example.com/../../../escape-warc.html"
    (corpus / "evil.warc.gz").write_bytes(_warc(target, PAGE))
    before = _files(tmp_path)
    result = CliRunner().invoke(cli, ["index", "deep/c", "--workers", "1"])
    assert result.stderr.splitlines()[-1] == (
        "indexed 2 articles from 2 files, skipped 0 files"
    )
    assert _files(tmp_path) == before  # nothing written outside the index
    found = CliRunner().invoke(cli, ["search", "Lavrov", "--json"])
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert sorted(hit["source"]["url"] for hit in hits) == [
        "file:///etc/passwd",
        target,
    ]
