"""`newsindex verify [--repair]`; what commands say of a damaged index (refs #19)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import Index
from newsindex.cli import cli
from newsindex.index.durable import DurableStorage
from newsindex.index.folder import has_index
from newsindex.index.schema import SCHEMA_VERSION

from ..conftest import DATA, RAW
from .test_parallel import NoEntities


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """(corpus, index): the shipped reports and the JSONL sample, one commit."""
    corpus = tmp_path / "corpus"
    shutil.copytree(RAW, corpus)
    shutil.copy(DATA / "newsarticles-sample.jsonl", corpus)
    path = tmp_path / "index"
    Index.build(corpus, path, tagger=NoEntities()).close()
    return corpus, path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def segment(path: Path) -> Path:
    (found,) = path.glob("MAIN_*.seg")
    return found


OK = "ok: 8 articles from 6 files in 1 segment, generation 1, archive in step\n"


def test_a_sound_index_is_ok(built: tuple[Path, Path]) -> None:
    _, path = built
    assert run("verify", "--index", str(path)) == (0, OK, "")


@pytest.mark.parametrize("command", [["search", "NATO"], ["show", "x"], ["outlets"]])
@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_a_damaged_segment_is_one_line_naming_verify(
    built: tuple[Path, Path], command: list[str], damage: str
) -> None:
    _, path = built
    seg = segment(path)
    if damage == "missing":
        seg.unlink()
        what = f"segment {seg.name} is missing"
    else:
        seg.write_bytes(seg.read_bytes()[: seg.stat().st_size // 2])
        what = (
            f"segment {seg.name} is truncated or damaged (EOFError: Ran out of input)"
        )
    expected = (
        f"error: index at {str(path)!r} is corrupt: {what} "
        f"(run: newsindex verify --index {str(path)!r})\n"
    )
    assert run(*command, "--index", str(path)) == (1, "", expected)


def test_verify_repair_drops_a_truncated_segment_and_index_restores_it(
    built: tuple[Path, Path],
) -> None:
    corpus, path = built
    seg = segment(path)
    seg.write_bytes(seg.read_bytes()[:100])
    problem = (
        f"problem: segment {seg.name} is truncated or damaged "
        "(EOFError: Ran out of input): its documents are lost\n"
    )
    assert run("verify", "--index", str(path)) == (1, problem, "")
    repaired = (
        f"repaired: dropped unreadable segment {seg.name} from the index "
        "(newsindex index adds again the files whose articles it held)\n"
    )
    ok = "ok: 0 articles from 0 files in 0 segments, generation 2, archive in step\n"
    assert run("verify", "--repair", "--index", str(path)) == (
        0,
        problem + repaired + ok,
        "",
    )
    with Index.open(path) as index:
        report = index.update(corpus, tagger=NoEntities())
        assert (report.files, report.articles) == (6, 8)
    assert run("verify", "--index", str(path))[:2] == (0, OK.replace("1,", "3,"))


def test_verify_repairs_an_archive_behind(built: tuple[Path, Path]) -> None:
    _, path = built
    with sqlite3.connect(path / "archive.sqlite") as db:
        db.execute("UPDATE meta SET value = '0' WHERE name = 'generation'")
    db.close()
    problem = "problem: archive at generation 0, index at 1\n"
    assert run("verify", "--index", str(path)) == (1, problem, "")
    repaired = "repaired: rebuilt the archive from the stored articles\n"
    assert run("verify", "--repair", "--index", str(path)) == (
        0,
        problem + repaired + OK,
        "",
    )


def test_verify_repairs_a_wrong_manifest_count(built: tuple[Path, Path]) -> None:
    corpus, path = built
    target = str(corpus / "newsarticles-sample.jsonl")
    ix = DurableStorage(str(path)).open_index()
    with ix.searcher() as searcher:
        entry = searcher.document(kind="file", path=target)
    writer = ix.writer()
    writer.delete_by_term("content_hash", entry["content_hash"])
    writer.add_document(**{**entry, "articles": 5})
    writer.commit()  # as an older newsindex did: the deletion stays
    problems = (
        "problem: 1 deleted documents still in their segments\n"
        f"problem: manifest lists 5 articles of {target!r}, 3 are stored\n"
        "problem: archive at generation 1, index at 2\n"
    )
    assert run("verify", "--index", str(path)) == (1, problems, "")
    code, out, _ = run("verify", "--repair", "--index", str(path))
    assert (code, out.splitlines()[3:]) == (
        0,
        [
            "repaired: rewrote the segments holding deleted documents",
            "repaired: set the manifest's article counts to the stored articles",
            "repaired: rebuilt the archive from the stored articles",
            "ok: 8 articles from 6 files in 2 segments, generation 4, archive in step",
        ],
    )


def test_verify_finds_a_passage_off_its_offsets(built: tuple[Path, Path]) -> None:
    _, path = built
    with Index.open(path) as index:
        article = next(index.articles())
        writer = index._writer()
        writer.add_document(
            kind="passage",
            pid=f"{article.id}:99",
            article_id=article.id,
            path=article.source.path,
            text="not in the body",
            start=0,
            end=15,
        )
        writer.commit()
        index.sync_archive([], [])
    expected = (
        f"problem: passage {article.id}:99 is not body[0:15] of its article: "
        "rebuild the index\n"
    )
    assert run("verify", "--index", str(path)) == (1, expected, "")
    assert run("verify", "--repair", "--index", str(path)) == (
        1,
        expected + "cannot repair: " + expected[len("problem: ") :],
        "",
    )


def test_other_errors_opening_an_index_are_not_called_corrupt(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, path = built

    def broken(self: object, *args: object, **kwargs: object) -> object:
        raise RuntimeError("a bug, not a damaged file")

    monkeypatch.setattr(DurableStorage, "open_index", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        Index.open(path)


def test_a_missing_table_of_contents_is_corrupt(built: tuple[Path, Path]) -> None:
    _, path = built
    for toc in path.glob("_MAIN_*.toc"):
        toc.unlink()
    expected = (
        f"error: index at {str(path)!r} is corrupt: its table of contents "
        "(_MAIN_*.toc) is missing\n"
    )
    assert run("search", "NATO", "--index", str(path)) == (1, "", expected)
    assert json.loads((path / "newsindex.json").read_text("utf-8")) == {
        "schema": SCHEMA_VERSION
    }
    assert has_index(path)
