"""The `newsindex` command: a thin shell over the library.

stdout carries results only (JSON Lines with `--json`); errors, warnings and
progress go to stderr. Library errors become `error: <message>` and their
exit code in one place, `_Group.invoke`.
"""

from __future__ import annotations

import difflib
import logging
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from newsindex import render
from newsindex.errors import (
    IndexMissingError,
    NewsindexError,
    NewsindexWarning,
    UsageError,
)
from newsindex.records import Passage, Skip
from newsindex.settings import settings
from newsindex.sources.base import FIELD_NAMES, ReaderOptions

DEFAULT_CORPUS = "raw"
_HINTS: dict[type[NewsindexError], str] = {
    IndexMissingError: "run: newsindex index PATH",
}


class _Command(click.Command):
    def invoke(self, ctx: click.Context) -> Any:
        # A bad NEWSINDEX_* value is a usage error before the command starts,
        # not a traceback later; after parsing, so `--help` still answers.
        settings()
        return super().invoke(ctx)


class _Group(click.Group):
    command_class = _Command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with warnings.catch_warnings():  # restores the filters and showwarning
                warnings.filterwarnings("once", category=NewsindexWarning)
                warnings.showwarning = _warning_line(warnings.showwarning)
                return super().invoke(ctx)
        except NewsindexError as exc:  # the only place library errors become exit codes
            hint = _HINTS.get(type(exc))
            click.echo(f"error: {exc}" + (f" ({hint})" if hint else ""), err=True)
            ctx.exit(exc.exit_code)


def _warning_line(
    show: Callable[..., None],
) -> Callable[..., None]:
    """Show newsindex's own warnings as one `warning: ...` line on stderr."""

    def shown(
        message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any
    ) -> None:
        if issubclass(category, NewsindexWarning):
            click.echo(f"warning: {message}", err=True)
        else:
            show(message, category, *args, **kwargs)

    return shown


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


def _shown(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """An argument as the index stores it: undecodable bytes of a path as `\\xNN`."""
    from newsindex.sources.discover import shown_path

    return shown_path(value)


@click.group(cls=_Group)
@click.option("-v", "--verbose", count=True, help="Log more (-v info, -vv debug).")
@click.version_option(package_name="newsindex")
def cli(verbose: int) -> None:
    """Search a news archive and get passages you can cite."""
    # Without -v nothing is logged: libraries' chatter (bs4's "Some characters
    # could not be decoded", trafilatura's "parsed tree length: 1") is not for
    # the terminal; skipped files are reported by the command itself.
    level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbose, logging.DEBUG)
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
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the cores",
    help="Processes that parse and tag articles.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Send parsing and tagging to this Dask scheduler (tcp://host:8786).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def index_command(
    path: str,
    index_dir: Path,
    prune: bool,
    strict: bool,
    exclude: tuple[str, ...],
    fields: tuple[str, ...],
    workers: int,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Build or update the index from the files under PATH (default: raw/)."""
    from newsindex.index.store import Index

    options = reader_options(fields)
    index = Index.create(index_dir)
    with _progress("indexing", quiet) as on_progress:
        report = index.update(
            path,
            prune=prune,
            exclude=exclude,
            options=options,
            workers=workers,
            scheduler=scheduler,
            on_progress=on_progress,
        )
    _warn_skips(report.skipped)
    _warn_skips(report.skipped_records, what="records of")
    for folder in report.unreadable:
        kept = " (its articles are kept)" if prune else ""
        click.echo(
            f"warning: cannot read folder {folder.path!r}: {folder.reason}{kept}",
            err=True,
        )
    unchanged = f" ({report.unchanged} unchanged)" if report.unchanged else ""
    pruned = f", removed {report.removed} files" if report.removed else ""
    click.echo(
        f"indexed {report.articles} articles from {report.files} files, "
        f"skipped {len(report.skipped)} files{pruned}{unchanged}",
        err=True,
    )
    if strict and report.skipped:
        click.get_current_context().exit(1)


class _QueryCommand(click.Command):
    """A command whose QUERY may start with `-` (`-outlet:TASS Lavrov`).

    The query is taken as typed unless it is one of the command's options;
    a mistyped `--option` is still an error, not a query.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context_settings["ignore_unknown_options"] = True

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = {name for param in self.get_params(ctx) for name in param.opts}
        for arg in args:
            if arg == "--":
                break
            name = arg.partition("=")[0]
            if name.startswith("--") and name not in known:
                close = difflib.get_close_matches(name, sorted(known))
                raise click.NoSuchOption(name, possibilities=close, ctx=ctx)
        return super().parse_args(ctx, args)


@cli.command("search", cls=_QueryCommand)
@click.argument("query")
@_index_option
@click.option("--since", help="Only passages published on or after this date.")
@click.option("--until", help="Only passages published on or before this date.")
@click.option("--outlet", help="Only this outlet (any of its names).")
@click.option(
    "--entity", help="Only articles naming this person, organisation or place."
)
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip results.")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "-date"]),
    default="relevance",
    show_default=True,
)
@click.option(
    "--passages-per-article",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Passages shown per article (per republication cluster).",
)
@click.option(
    "--include-undated", is_flag=True, help="Keep undated articles in date filters."
)
@click.option("--all-copies", is_flag=True, help="Show republished copies separately.")
@click.option(
    "--by-original-date",
    is_flag=True,
    help="Date filters use a republished copy's original date.",
)
@click.option(
    "--facets",
    type=click.Choice(["outlet", "month"]),
    multiple=True,
    help="Count matching articles per outlet or month, after the hits.",
)
@_json_option
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@click.option("--cite", is_flag=True, help="Citation blocks to paste.")
@click.option(
    "--explain",
    is_flag=True,
    help="Print what the query means (terms, fields, expansions, dates) and stop.",
)
@click.option(
    "--explain-ranking",
    is_flag=True,
    help="After each hit, each ranking signal's share of its score.",
)
def search_command(
    query: str,
    index_dir: Path,
    facets: tuple[str, ...],
    as_json: bool,
    as_csv: bool,
    cite: bool,
    explain: bool,
    explain_ranking: bool,
    **options: Any,
) -> None:
    """Search passages; build the index from raw/ first if there is none.

    Exits 1 when nothing matches, saying so (and naming filter values the
    index has never seen) on stderr.
    """
    if as_json + as_csv + cite > 1:
        raise UsageError("choose one of --json, --csv and --cite")
    index = _open_or_build(index_dir)
    if explain:
        from newsindex.query import tree

        meant = index.explain(query, **_filters(options))
        click.echo(
            render.json_line(tree.to_dict(meant)) if as_json else tree.explain(meant),
            nl=as_json,
        )
        return
    passages = index.search(query, **options)
    if not passages:
        click.echo(passages.describe_empty(), err=True)
        click.get_current_context().exit(1)
    counts = index.facets(query, facets, **_filters(options)) if facets else {}
    first = options["offset"] + 1
    if as_csv:
        click.echo(render.csv_rows(passages, offset=options["offset"]), nl=False)
    elif as_json:
        for passage, signals in zip(passages, passages.signals, strict=True):
            fields = passage.to_dict()
            if explain_ranking:
                fields["signals"] = {k: round(v, 6) for k, v in signals.items()}
            click.echo(render.json_line(fields))
        if counts:
            facet_json = {name: dict(values) for name, values in counts.items()}
            click.echo(render.json_line({"facets": facet_json}))
    elif cite:
        click.echo("\n".join(render.citation(p) for p in passages), nl=False)
    else:
        _echo_passages(passages, first)
        if explain_ranking:
            click.echo(render.signals_text(passages, passages.signals, first), nl=False)
        if counts:
            click.echo(render.facets_text(counts), nl=False)


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
        click.echo(
            render.json_line(article.to_dict())
            if as_json
            else render.article_text(article)
        )


@cli.command("entities")
@click.argument("query", required=False)
@_index_option
@click.option("--type", "type_", type=click.Choice(["person", "org", "place"]))
@click.option("--since", help="Only entities in articles on or after this date.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@_json_option
def entities_command(
    query: str | None,
    index_dir: Path,
    type_: str | None,
    since: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List entities (of articles matching QUERY) with variants, counts and dates."""
    index = _open_or_build(index_dir)
    for entity in index.entities(query, type=type_, since=since, limit=limit):
        click.echo(render.json_line(entity) if as_json else render.entity_text(entity))


@cli.command("quotes")
@click.argument("text")
@_index_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@_json_option
def quotes_command(text: str, index_dir: Path, limit: int, as_json: bool) -> None:
    """Find a quoted statement across the archive, earliest publication first."""
    index = _open_or_build(index_dir)
    for hit in index.archive().find_quotes(text, limit=limit):
        click.echo(
            render.json_line(render.quote_dict(hit))
            if as_json
            else render.quote_text(hit)
        )


@cli.command("outlets")
@_index_option
@_json_option
def outlets_command(index_dir: Path, as_json: bool) -> None:
    """List the outlets in the index with article counts and first and last dates."""
    from newsindex.index.store import Index

    for row in Index.open(index_dir).outlets():
        data = row.to_dict()
        if as_json:
            click.echo(render.json_line(data))
        else:
            span = f"{data['first'] or '?'} .. {data['last'] or '?'}"
            click.echo(f"{row.articles:>7}  {span:<24}  {row.name}")


@cli.command("remove")
@click.argument("target", callback=_shown)
@_index_option
def remove_command(target: str, index_dir: Path) -> None:
    """Remove one article (ID) or every article of a file (PATH) from the index."""
    from newsindex.index.store import Index

    removed = Index.open(index_dir).remove(target)
    noun = "article" if removed == 1 else "articles"
    click.echo(f"removed {removed} {noun} of {target}", err=True)


@cli.command("verify")
@_index_option
@click.option("--repair", is_flag=True, help="Rebuild what the stored articles allow.")
def verify_command(index_dir: Path, repair: bool) -> None:
    """Check the index; one line per problem, exit 1 if any."""
    from newsindex.index.verify import check_index

    problems, lines, summary = check_index(index_dir, repair=repair)
    for line in lines:
        click.echo(line)
    if problems:
        click.get_current_context().exit(1)
    click.echo(summary)


@cli.command("show")
@click.argument("article_id", callback=_shown)
@_index_option
@_json_option
def show_command(article_id: str, index_dir: Path, as_json: bool) -> None:
    """Show one stored article by its id."""
    from newsindex.index.store import Index

    article = Index.open(index_dir).get(article_id)
    click.echo(
        render.json_line(article.to_dict())
        if as_json
        else render.article_text(article, body=True)
    )


@cli.command("serve")
@_index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes (about one per core for a busy server).",
)
def serve_command(index_dir: Path, host: str, port: int, workers: int) -> None:
    """Serve the index read-only: a web page at / and a JSON API under /api."""
    from newsindex.serve.http import run

    run(index_dir, host=host, port=port, workers=workers)


@cli.command("mcp")
@_index_option
def mcp_command(index_dir: Path) -> None:
    """Serve the index to a language-model agent over MCP (stdio)."""
    from newsindex.serve.mcp_server import run

    run(index_dir)


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
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} files/s" if speed else "")

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True) as progress:
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


def _filters(options: dict[str, Any]) -> dict[str, Any]:
    keys = ("since", "until", "outlet", "entity", "include_undated")
    return {key: options[key] for key in keys}


def _echo_passages(passages: list[Passage], first: int) -> None:
    """Plain text, or rich with matched words emphasised on a terminal."""
    if not sys.stdout.isatty():
        for rank, passage in enumerate(passages, first):
            click.echo(render.passage_text(rank, passage))
        return
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    for rank, passage in enumerate(passages, first):
        console.print(render.passage_rich(rank, passage))
