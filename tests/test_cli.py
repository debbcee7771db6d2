"""The CLI contract: JSON Lines on stdout, one-line errors and exit codes on stderr."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex.cli import cli
from newsindex.index.lock import write_lock

from .conftest import RAW


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory with raw/ and an index built by `newsindex index`."""
    base = tmp_path_factory.mktemp("built")
    shutil.copytree(RAW, base / "raw")
    cwd = Path.cwd()
    os.chdir(base)
    try:
        result = CliRunner().invoke(cli, ["index", "raw"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "indexed 5 articles from 5 files, skipped 0 files\n"
    return base


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line]


def test_search_builds_the_index_and_answers_with_provenance(work: Path) -> None:
    code, out, err = run("search", "Lavrov NATO mission", "--json")
    assert code == 0, err
    assert err == "no index at 'index': building it from raw/\n"
    hits = lines(out)
    assert len(hits) >= 3
    for hit in hits:
        assert set(hit) >= {
            "article_id", "start", "end", "text", "score", "outlet", "published",
            "title", "bylines", "source", "source_start", "source_end", "also_in",
        }  # fmt: skip
        code, shown, _ = run("show", str(hit["article_id"]), "--json")
        (article,) = lines(shown)
        body = str(article["body"])
        assert body[int(hit["start"]) : int(hit["end"])] == hit["text"]  # type: ignore[call-overload]
        source = hit["source"]
        assert isinstance(source, dict)
        file_text = (work / source["path"]).read_text(encoding="utf-8")
        assert file_text[hit["source_start"] : hit["source_end"]] == hit["text"]  # type: ignore[misc]


def test_inspect_json_contract(work: Path) -> None:
    (path,) = (work / "raw").glob("001_*.txt")
    code, out, err = run("inspect", f"raw/{path.name}", "--json")
    assert (code, err) == (0, "")
    (article,) = lines(out)
    assert list(article)[:11] == [
        "id", "source", "title", "body", "outlet", "cites", "published",
        "dateline", "bylines", "entities", "quotes",
    ]  # fmt: skip
    assert article["source"] == {
        "path": f"raw/{path.name}", "record": None, "docno": None, "url": None,
    }  # fmt: skip
    assert article["outlet"] == {"name": "TASS", "evidence": "dateline"}
    assert article["published"] == {
        "when": "2021-10-18T16:46", "precision": "datetime",
        "evidence": "header", "inferred": False, "note": None,
        "source": "text:first-line", "candidates": [],
    }  # fmt: skip
    assert (article["captured"], article["language"]) == (None, "en")


def test_since_filters(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built)
    code, out, _ = run("search", "Lavrov", "--since", "2021-10-19", "--json")
    assert code == 0
    published = sorted(str(h["published"]) for h in lines(out))
    assert published == ["2021-10-19", "2024-05-23"]


def test_bad_since_is_one_line_exit_2(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(built)
    code, out, err = run("search", "Lavrov", "--since", "not-a-date")
    assert (code, out) == (2, "")
    assert err == (
        "error: cannot read date 'not-a-date' "
        "(try 2021-10-19, 2021-10, '18 Oct 2021' or 'yesterday')\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "error: empty query\n"),
        (
            ["search", "nosuchfield:oil"],
            "error: unknown field 'nosuchfield' in query: 'nosuchfield:oil' "
            "(fields: byline, cites, entity, outlet, place, text, title)\n",
        ),
        (["search", '"oil'], "error: unbalanced quote in query: '\"oil'\n"),
        (["index", "nowhere"], "error: no such file or directory: 'nowhere'\n"),
        (
            ["inspect", "nowhere.txt"],
            "error: no such file or directory: 'nowhere.txt'\n",
        ),
    ],
)
def test_usage_errors_exit_2(
    built: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(built)
    assert run(*args) == (2, "", message)


def test_show_unknown_id_exits_2(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built)
    assert run("show", "nope") == (2, "", "error: no article with id 'nope'\n")


def test_missing_index_without_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("show", "x") == (
        1,
        "",
        "error: no index at 'index' (run: newsindex index PATH)\n",
    )


def test_locked_index_is_refused(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built)
    with write_lock(built / "index"):
        code, out, err = run("index", "raw")
    assert (code, out) == (1, "")
    assert err == (
        f"error: index is locked by another newsindex process (pid {os.getpid()}): "
        "'index'\n"
    )


# whoosh leaves the unreadable TOC file open when it raises; that is its leak, not ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_corrupt_index_is_one_line_exit_1(work: Path) -> None:
    assert run("index", "raw")[0] == 0
    for toc in (work / "index").glob("*.toc"):
        toc.write_bytes(b"not a toc")
    assert run("search", "Lavrov") == (
        1,
        "",
        "error: index at 'index' is corrupt: table of contents unreadable "
        "(IndexError: Index was created on different architecture: saved int = "
        "110, this computer = 4) (run: newsindex verify --index 'index')\n",
    )


def test_skipped_files_warn_and_the_rest_is_indexed(work: Path) -> None:
    (work / "raw" / "empty.txt").write_text("  \n", encoding="utf-8")
    (work / "raw" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    code, out, err = run("index", "raw")
    assert (code, out) == (0, "")
    assert err == (
        "warning: skipped raw/empty.txt: empty file\n"
        "warning: skipped raw/photo.jpg: unsupported file type '.jpg'\n"
        "indexed 5 articles from 5 files, skipped 2 files\n"
    )
    assert run("index", "raw", "--strict")[0] == 1


def test_unchanged_rerun_and_prune(work: Path) -> None:
    assert run("index", "raw")[0] == 0
    assert run("index", "raw") == (
        0, "", "indexed 0 articles from 0 files, skipped 0 files (5 unchanged)\n",
    )  # fmt: skip
    (gone,) = (work / "raw").glob("000_*.txt")
    gone.unlink()
    assert run("index", "raw", "--prune") == (
        0, "", "indexed 0 articles from 0 files, skipped 0 files, removed 1 files "
        "(4 unchanged)\n",
    )  # fmt: skip
    code, out, _ = run("search", "Lavrov", "--json", "--limit", "50")
    assert code == 0
    assert not any("000_" in str(h["source"]) for h in lines(out))


def test_outlets_lists_counts_and_dates(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(built)
    code, out, _ = run("outlets", "--json")
    assert code == 0
    assert lines(out) == [
        {"name": "TASS", "articles": 2, "first": "2021-10-18", "last": "2021-10-18"}
    ]
    assert run("outlets") == (
        0,
        "      2  2021-10-18 .. 2021-10-18  TASS\n",
        "",
    )


def test_search_formats_are_exclusive(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(built)
    assert run("search", "Lavrov", "--json", "--csv") == (
        2,
        "",
        "error: choose one of --json, --csv and --cite\n",
    )


def test_search_json_lines_are_all_passages_facets_go_to_a_file(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(built)
    code, out, _ = run(
        "search", "Lavrov", "--json", "--facets", "outlet", "--facets-json", "f.json"
    )
    assert code == 0
    assert [sorted(hit) == sorted(lines(out)[0]) for hit in lines(out)] == [True] * 5
    assert all("facets" not in hit for hit in lines(out))
    assert json.loads((built / "f.json").read_text()) == {
        "outlet": {"unknown": 3, "TASS": 2}
    }
    assert run("search", "Lavrov", "--json", "--facets", "outlet") == (
        2,
        "",
        "error: --json lines are passages: write facets with --facets-json FILE\n",
    )


def test_remove_an_article_and_a_file(work: Path) -> None:
    assert run("index", "raw")[0] == 0
    _, out, _ = run("search", "Lungescu", "--json", "--limit", "1")
    (hit,) = lines(out)
    article_id = str(hit["article_id"])
    assert run("remove", article_id) == (0, "", f"removed 1 article of {article_id}\n")
    assert run("show", article_id)[0] == 2
    (path,) = (work / "raw").glob("004_*.txt")
    target = f"raw/{path.name}"
    assert run("remove", target) == (0, "", f"removed 1 article of {target}\n")
    assert run("remove", target) == (
        2,
        "",
        f"error: no article or file '{target}' in the index\n",
    )
    # The file removed by path comes back; the article removed by id stays
    # out (its file is listed, unchanged). Refs #19.
    assert run("index", "raw")[2] == (
        "indexed 1 articles from 1 files, skipped 0 files (4 unchanged)\n"
    )
    code, out, _ = run("search", "Lavrov", "--json", "--limit", "50")
    assert (code, len(lines(out))) == (0, 4)
    assert run("show", article_id)[0] == 2


def test_entities_merge_spellings_archive_wide(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(built)
    code, out, _ = run("entities", "--type", "person", "--json")
    assert code == 0
    people = {str(e["name"]): e for e in lines(out)}
    assert people["Sergei Lavrov"]["variants"] == [
        "Lavrov",
        "Sergei Lavrov",
        "Sergey Lavrov",
    ]
    assert people["Sergei Lavrov"]["articles"] == 5
    names = [str(e["name"]) for e in lines(out)]
    assert sum("Lavrov" in n for n in names) == 1
    assert sum("Stoltenberg" in n for n in names) == 1
    assert sum("Lungescu" in n for n in names) == 1


def test_quotes_finds_wordings_earliest_first(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(built)
    code, out, _ = run("quotes", "not interested in equal dialogue", "--json")
    assert code == 0
    hits = lines(out)
    assert (hits[0]["published"], hits[0]["speaker"]) == (
        "2021-10-19",
        "Sergei Lavrov",
    )
    assert hits[0]["text"] == (
        "NATO isn’t interested in any kind of equal dialogue or joint work,"
    )
    assert (
        hits[-1]["text"] == "NATO is not interested in equal dialogue or cooperation,"
    )
    assert [h["published"] for h in hits] == sorted(str(h["published"]) for h in hits)
