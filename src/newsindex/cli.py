"""The `newsindex` command: a thin shell over the library.

stdout carries results only (JSON Lines with `--json`); errors, warnings and
progress go to stderr. Library errors become `error: <message>` and their
exit code in one place, `_Group.invoke`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from newsindex.errors import IndexMissingError, NewsindexError, UsageError
from newsindex.records import Article, Passage, Skip
from newsindex.sources.base import FIELD_NAMES, ReaderOptions

DEFAULT_CORPUS = "raw"
_HINTS: dict[type[NewsindexError], str] = {
    IndexMissingError: "run: newsindex index PATH",
}


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsindexError as exc:  # the only place library errors become exit codes
            hint = _HINTS.get(type(exc))
            click.echo(f"error: {exc}" + (f" ({hint})" if hint else ""), err=True)
            ctx.exit(exc.exit_code)


def _index_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default="index",
        envvar="NEWSINDEX_INDEX",
        show_default=True,
        help="Index directory (or $NEWSINDEX_INDEX).",
    )(func)


def _field_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--field",
        "fields",
        multiple=True,
        metavar="NAME=FIELD",
        help="Read an export's FIELD as NAME (text, title, url, date, author, "
        "outlet, id): --field text=content.",
    )(func)


def _json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--json", "as_json", is_flag=True, help="One JSON object per line."
    )(func)


@click.group(cls=_Group)
@click.option("-v", "--verbose", count=True, help="Log more (-v info, -vv debug).")
@click.version_option(package_name="newsindex")
def cli(verbose: int) -> None:
    """Search a news archive and get passages you can cite."""
    if verbose:
        level = logging.DEBUG if verbose > 1 else logging.INFO
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


@cli.command("index")
@click.argument("path", default=DEFAULT_CORPUS)
@_index_option
@click.option("--prune", is_flag=True, help="Remove articles whose files are gone.")
@click.option("--strict", is_flag=True, help="Exit 1 if any file was skipped.")
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Leave out files whose name or relative path matches (repeatable).",
)
@_field_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def index_command(
    path: str,
    index_dir: Path,
    prune: bool,
    strict: bool,
    exclude: tuple[str, ...],
    fields: tuple[str, ...],
    quiet: bool,
) -> None:
    """Build or update the index from the files under PATH (default: raw/)."""
    from newsindex.index.store import Index

    options = reader_options(fields)
    index = Index.create(index_dir)
    with _progress("indexing", quiet) as on_progress:
        report = index.update(
            path, prune=prune, exclude=exclude, options=options, on_progress=on_progress
        )
    _warn_skips(report.skipped)
    _warn_skips(report.skipped_records, what="records of")
    unchanged = f" ({report.unchanged} unchanged)" if report.unchanged else ""
    pruned = f", removed {report.removed} files" if report.removed else ""
    click.echo(
        f"indexed {report.articles} articles from {report.files} files, "
        f"skipped {len(report.skipped)} files{pruned}{unchanged}",
        err=True,
    )
    if strict and report.skipped:
        click.get_current_context().exit(1)


@cli.command("search")
@click.argument("query")
@_index_option
@click.option("--since", help="Only passages published on or after this date.")
@click.option("--until", help="Only passages published on or before this date.")
@click.option("--outlet", help="Only this outlet (any of its names).")
@click.option(
    "--entity", help="Only articles naming this person, organisation or place."
)
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option(
    "--include-undated", is_flag=True, help="Keep undated articles in date filters."
)
@_json_option
def search_command(
    query: str,
    index_dir: Path,
    since: str | None,
    until: str | None,
    outlet: str | None,
    entity: str | None,
    limit: int,
    include_undated: bool,
    as_json: bool,
) -> None:
    """Search passages; build the index from raw/ first if there is none."""
    index = _open_or_build(index_dir)
    passages = index.search(
        query,
        since=since,
        until=until,
        outlet=outlet,
        entity=entity,
        limit=limit,
        include_undated=include_undated,
    )
    for rank, passage in enumerate(passages, 1):
        click.echo(
            _dumps(passage.to_dict()) if as_json else _format_passage(rank, passage)
        )


@cli.command("inspect")
@click.argument("files", nargs=-1, required=True)
@_index_option
@_field_option
@_json_option
def inspect_command(
    files: tuple[str, ...], index_dir: Path, fields: tuple[str, ...], as_json: bool
) -> None:
    """Show what the ingester makes of FILES, without indexing them."""
    from newsindex.inspect import inspect_paths

    articles, skips = inspect_paths(files, options=reader_options(fields))
    _warn_skips(skips)
    for article in articles:
        click.echo(_dumps(article.to_dict()) if as_json else _format_article(article))


@cli.command("outlets")
@_index_option
@_json_option
def outlets_command(index_dir: Path, as_json: bool) -> None:
    """List the outlets in the index with article counts and first and last dates."""
    from newsindex.index.store import Index

    for row in Index.open(index_dir).outlets():
        data = row.to_dict()
        if as_json:
            click.echo(_dumps(data))
        else:
            span = f"{data['first'] or '?'} .. {data['last'] or '?'}"
            click.echo(f"{row.articles:>7}  {span:<24}  {row.name}")


@cli.command("show")
@click.argument("article_id")
@_index_option
@_json_option
def show_command(article_id: str, index_dir: Path, as_json: bool) -> None:
    """Show one stored article by its id."""
    from newsindex.index.store import Index

    article = Index.open(index_dir).get(article_id)
    click.echo(
        _dumps(article.to_dict()) if as_json else _format_article(article, body=True)
    )


def main() -> None:
    """Run the CLI; a closed pipe (`newsindex search ... | head`) ends it quietly."""
    try:
        cli(prog_name="newsindex")
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


def _open_or_build(index_dir: Path) -> Any:
    from newsindex.index.store import Index

    try:
        return Index.open(index_dir)
    except IndexMissingError:
        if not Path(DEFAULT_CORPUS).is_dir():
            raise
    click.echo(
        f"no index at {str(index_dir)!r}: building it from {DEFAULT_CORPUS}/", err=True
    )
    index = Index.create(index_dir)
    report = index.update(DEFAULT_CORPUS)
    _warn_skips(report.skipped)
    return index


@contextmanager
def _progress(label: str, quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=None)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield on_progress


def reader_options(fields: tuple[str, ...]) -> ReaderOptions:
    """Turn `--field NAME=FIELD` options into ReaderOptions; UsageError if malformed."""
    mapping: dict[str, str] = {}
    for item in fields:
        name, sep, source = item.partition("=")
        if not sep or not source.strip() or name.strip() not in FIELD_NAMES:
            raise UsageError(
                f"--field takes NAME=FIELD with NAME one of "
                f"{', '.join(FIELD_NAMES)}: {item!r}"
            )
        mapping[name.strip()] = source.strip()
    return ReaderOptions(fields=mapping)


def _warn_skips(skips: list[Skip] | tuple[Skip, ...], what: str = "") -> None:
    for skip in skips:
        where = f"{what} {skip.path}" if what else skip.path
        click.echo(f"warning: skipped {where}: {skip.reason}", err=True)


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def _format_passage(rank: int, p: Passage) -> str:
    head = " · ".join(
        x for x in (p.outlet or "unknown outlet", p.published or "undated") if x
    )
    where = p.source.path
    if p.source_start is not None:
        where += f" [{p.source_start}:{p.source_end}]"
    lines = [f"{rank}. {head} · {p.title or '(untitled)'}", f"   {p.text}"]
    lines.append(
        f"   {where} · article {p.article_id} [{p.start}:{p.end}] · score {p.score:.2f}"
    )
    return "\n".join(lines) + "\n"


def _format_article(a: Article, *, body: bool = False) -> str:
    published = a.published.iso() if a.published else "undated"
    lines = [
        f"{a.id}  {a.source.path}",
        f"  title:     {a.title or '(untitled)'}",
        f"  outlet:    {a.outlet.name if a.outlet else 'unknown'}",
        f"  published: {published}",
    ]
    if a.dateline is not None:
        lines.append(
            f"  dateline:  {a.dateline.place} {a.dateline.date_text or ''}".rstrip()
        )
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
