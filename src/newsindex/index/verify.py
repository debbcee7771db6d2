"""Check an index folder, part by part, and rebuild what the stored articles allow.

`verify` reads what `open` would (newsindex.json, the TOC, every segment),
then what the commit protocol promises: each manifest and progress entry
counts the articles stored for its path, no deleted documents linger, a
sample of passages are the slices of their bodies they claim, and the
archive is at the index's generation with as many articles. Each problem is
one `Problem`; `repair_problems` rebuilds what can be rebuilt from the stored
articles (the archive, the manifest's counts, an expunge of deletions, a
TOC without unreadable segments) and says what cannot be.

Whoosh unpickles the TOC and the segments' directories and stored fields;
verify reads them as every command does, through safe_pickle's allow-list,
so a file naming a function outside it is reported as damaged.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from msgspec import Struct
from whoosh import query as wquery
from whoosh.index import TOC
from whoosh.reading import SegmentReader

from newsindex.errors import IndexMissingError, IndexStoreError
from newsindex.index import manifest
from newsindex.index.durable import DurableStorage
from newsindex.index.folder import DAMAGE
from newsindex.index.lock import write_lock
from newsindex.index.schema import SCHEMA_VERSION, make_schema

__all__ = [
    "DAMAGE",
    "Problem",
    "Summary",
    "check_index",
    "damaged_segments",
    "describe_damage",
    "repair_problems",
    "verify",
]

_SAMPLE = 500  # passages whose offsets are checked
_ARTICLES = wquery.Term("kind", "article")
_INDEX_NAME = "MAIN"


class Problem(Struct, frozen=True):
    """One thing wrong with an index, and how `repair` fixes it (None: it can't)."""

    message: str
    fix: Callable[[Path], str] | None = None


class Summary(Struct, frozen=True):
    """What a sound index holds."""

    articles: int
    files: int
    segments: int
    generation: int


def verify(path: Path) -> tuple[list[Problem], Summary | None]:
    """Check the index at `path`; the summary is None when it could not be read."""
    problems = _check_meta(path)
    storage = DurableStorage(str(path))
    try:
        toc = TOC.read(storage, _INDEX_NAME, schema=make_schema())
    except (*DAMAGE, ValueError) as exc:  # ValueError: no TOC at all (EmptyIndex)
        problems.append(Problem(f"table of contents unreadable: {_reason(exc)}"))
        return problems, None
    broken = damaged_segments(storage, toc.segments)
    for name, reason in broken.items():
        problems.append(
            Problem(f"segment {name} {reason}: its documents are lost", _drop_broken)
        )
    if broken:
        return problems, None
    ix = storage.open_index(schema=make_schema())
    with ix.searcher() as searcher:
        problems += _check_documents(searcher)
        articles = sum(1 for _ in searcher.docs_for_query(_ARTICLES))
        files = len(manifest.file_entries(searcher))
    problems += _check_archive(path, ix.latest_generation(), articles)
    return problems, Summary(articles, files, len(toc.segments), toc.generation)


def repair_problems(path: Path, problems: list[Problem]) -> tuple[list[str], list[str]]:
    """Fix what can be fixed; return (what was done, what could not be)."""
    done, left = [], []
    with write_lock(path):
        for fix in dict.fromkeys(p.fix for p in problems if p.fix is not None):
            done.append(fix(path))
    left = [p.message for p in problems if p.fix is None]
    return done, left


def damaged_segments(storage: DurableStorage, segments: list[Any]) -> dict[str, str]:
    """Segments whose file is missing or cannot be read whole, by file name."""
    broken = {}
    schema = make_schema()
    for segment in segments:
        name = segment.make_filename(".seg")
        if not storage.file_exists(name):
            broken[name] = "is missing"
            continue
        try:
            reader = SegmentReader(storage, schema, segment)
            try:
                for _ in reader.iter_docs():  # every stored field, unpickled
                    pass
            finally:
                reader.close()
        except DAMAGE as exc:
            broken[name] = f"is truncated or damaged ({_reason(exc)})"
        except PermissionError as exc:
            broken[name] = f"cannot be read ({_reason(exc)})"
    return broken


def describe_damage(path: Path, exc: BaseException) -> str:
    """Name what is damaged, for the error `exc` met while opening or reading."""
    storage = DurableStorage(str(path))
    try:
        toc = TOC.read(storage, _INDEX_NAME, schema=make_schema())
    except (*DAMAGE, ValueError):
        return f"table of contents unreadable ({_reason(exc)})"
    broken = damaged_segments(storage, toc.segments)
    if broken:
        return "; ".join(f"segment {name} {why}" for name, why in broken.items())
    return _reason(exc)


def _check_meta(path: Path) -> list[Problem]:
    try:
        meta = json.loads((path / "newsindex.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Problem(f"newsindex.json unreadable: {_reason(exc)}")]
    if meta.get("schema") != SCHEMA_VERSION:
        return [Problem(f"schema {meta.get('schema')!r}, not {SCHEMA_VERSION}")]
    return []


def _check_documents(searcher: Any) -> list[Problem]:
    problems = []
    if searcher.reader().has_deletions():
        count = searcher.doc_count_all() - searcher.doc_count()
        problems.append(
            Problem(f"{count} deleted documents still in their segments", _expunge)
        )
    stored: Counter[str] = Counter()
    for fields in searcher.documents(kind="article"):
        stored[fields["path"]] += 1
    listed = {p: n for p, (_, n) in manifest.file_entries(searcher).items()}
    for p, progress in manifest.progress_entries(searcher).items():
        listed[p] = progress.articles
    for p, n in sorted(listed.items()):
        if stored[p] != n:
            problems.append(
                Problem(
                    f"manifest lists {n} articles of {p!r}, {stored[p]} are stored",
                    _recount,
                )
            )
    for p in sorted(set(stored) - set(listed)):
        problems.append(
            Problem(
                f"{stored[p]} articles of {p!r} have no manifest entry "
                "(the next newsindex index of that file adds them again)"
            )
        )
    problems += _check_passages(searcher)
    return problems


def _check_passages(searcher: Any) -> list[Problem]:
    total = int(searcher.doc_frequency("kind", "passage"))
    step = max(1, total // _SAMPLE)
    problems = []
    for n, fields in enumerate(searcher.documents(kind="passage")):
        if n % step:
            continue
        article = searcher.document(kind="article", article_id=fields["article_id"])
        if article is None:
            problems.append(
                Problem(f"passage {fields['pid']} has no article: rebuild the index")
            )
            continue
        body = json.loads(article["payload"])["body"]
        if body[fields["start"] : fields["end"]] != fields["text"]:
            problems.append(
                Problem(
                    f"passage {fields['pid']} is not body[{fields['start']}:"
                    f"{fields['end']}] of its article: rebuild the index"
                )
            )
    return problems


def _check_archive(path: Path, generation: int, articles: int) -> list[Problem]:
    from newsindex.archive import Archive

    try:
        with Archive.open(path) as archive:
            known = archive.generation()
            rows = archive.article_count()
    except IndexStoreError as exc:
        return [Problem(f"archive unreadable: {exc}", _rebuild_archive)]
    if known != generation:
        return [
            Problem(
                f"archive at generation {known}, index at {generation}",
                _rebuild_archive,
            )
        ]
    if rows != articles:
        return [
            Problem(
                f"archive holds {rows} articles, index {articles}", _rebuild_archive
            )
        ]
    return []


def _expunge(path: Path) -> str:
    ix = DurableStorage(str(path)).open_index()
    writer = ix.writer()
    writer.commit(mergetype=manifest.expunge_then_merge_small)
    _rebuild_archive(path)
    return "rewrote the segments holding deleted documents"


def _recount(path: Path) -> str:
    ix = DurableStorage(str(path)).open_index()
    with ix.searcher() as searcher:
        stored: Counter[str] = Counter(
            f["path"] for f in searcher.documents(kind="article")
        )
        entries = manifest.file_entries(searcher)
        progress = manifest.progress_entries(searcher)
    writer = ix.writer()
    for p, (digest, n) in entries.items():
        if stored[p] != n:
            manifest.forget_file_entry(writer, p)
            writer.add_document(
                kind="file", path=p, content_hash=digest, articles=stored[p]
            )
    for p, done in progress.items():
        if stored[p] != done.articles:
            fixed = manifest.Progress(done.digest, done.records, stored[p])
            manifest.set_progress(writer, p, fixed)
    writer.commit(mergetype=manifest.expunge_then_merge_small)
    _rebuild_archive(path)
    return "set the manifest's article counts to the stored articles"


def _drop_broken(path: Path) -> str:
    storage = DurableStorage(str(path))
    toc = TOC.read(storage, _INDEX_NAME, schema=make_schema())
    broken = damaged_segments(storage, toc.segments)
    kept = [s for s in toc.segments if s.make_filename(".seg") not in broken]
    TOC(toc.schema, kept, toc.generation + 1).write(storage, _INDEX_NAME)
    _rebuild_archive(path)
    names = ", ".join(sorted(broken))
    return (
        f"dropped unreadable segment {names} from the index "
        "(newsindex index adds again the files whose articles it held)"
    )


def _rebuild_archive(path: Path) -> str:
    from newsindex.archive import Archive
    from newsindex.archive.db import FILE_NAME
    from newsindex.records import Article

    ix = DurableStorage(str(path)).open_index()
    try:
        archive = Archive.open(path)
    except IndexStoreError:  # unreadable: it is derived data, start it over
        for suffix in ("", "-wal", "-shm"):
            (path / f"{FILE_NAME}{suffix}").unlink(missing_ok=True)
        archive = Archive.open(path)
    with archive, ix.searcher() as searcher:
        articles = (
            Article.from_dict(json.loads(fields["payload"]))
            for fields in searcher.documents(kind="article")
        )
        archive.rebuild(articles, ix.latest_generation())
    return "rebuilt the archive from the stored articles"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def check_index(path: Path, *, repair: bool = False) -> tuple[int, list[str], str]:
    """Verify the index at `path` (and repair it): (problems left, lines, summary).

    The lines say each problem (`problem: ...`), and with `repair` what was
    repaired and what could not be; the summary is one `ok: ...` line.
    Raises IndexMissingError if there is no index at `path`.
    """
    from newsindex.index.folder import has_index

    if not has_index(path):
        raise IndexMissingError(path)
    problems, summary = verify(path)
    lines = [f"problem: {p.message}" for p in problems]
    for _ in range(3 if repair else 0):  # a repair can reveal what it hid
        if not any(p.fix for p in problems):
            break
        done, _left = repair_problems(path, problems)
        lines += [f"repaired: {line}" for line in done]
        problems, summary = verify(path)
    if repair:
        lines += [f"cannot repair: {p.message}" for p in problems]
    if problems or summary is None:
        return max(1, len(problems)), lines, ""
    return (
        0,
        lines,
        f"ok: {_count(summary.articles, 'article')} from "
        f"{_count(summary.files, 'file')} in {_count(summary.segments, 'segment')}, "
        f"generation {summary.generation}, archive in step",
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
