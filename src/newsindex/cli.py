"""The `newsindex` command: a thin shell over the library.

stdout carries results only (JSON Lines with `--json`); errors, warnings and
progress go to stderr. Library errors become `error: <message>` and their
exit code in one place, `_Group.invoke`.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsindex import render
from newsindex.errors import (
    IndexMissingError,
    NewsindexError,
    NewsindexWarning,
    UsageError,
)
from newsindex.settings import settings

if TYPE_CHECKING:
    from newsindex.index.base import Location
    from newsindex.progress import ProgressFn
    from newsindex.records import Passage, Skip
    from newsindex.sources.base import ReaderOptions

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


class _IndexLocation(click.ParamType):  # type: ignore[type-arg]  # click 8.2+ generic
    """An index folder (a Path), or the URL of an index on OpenSearch (a str)."""

    name = "folder|url"
    _folder = click.Path(path_type=Path, file_okay=False)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Path | str:
        from newsindex.index.base import is_url

        if isinstance(value, str) and is_url(value):
            return value
        folder: Path = self._folder.convert(value, param, ctx)
        return folder


def _index_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--index",
        "index_dir",
        type=_IndexLocation(),
        default="index",
        envvar="NEWSINDEX_INDEX",
        show_default=True,
        help="Index folder, or an OpenSearch index as http(s)://HOST:PORT/NAME "
        "(or $NEWSINDEX_INDEX).",
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
    """Search a news archive and get passages you can cite.

    \b
    Example:
      newsindex search 'Lavrov NATO' --since 2021-10
    """
    ctx = click.get_current_context()
    ctx.meta[_VERBOSE] = verbose
    # The readers of a local index set logging up only if they build it
    # (_open_or_build): a search that logs nothing does not import logging.
    if verbose or ctx.invoked_subcommand not in _READERS:
        _set_up_logging()


_VERBOSE = "newsindex.verbose"
_READERS = frozenset({"search", "timeline", "entities", "quotes"})


def _set_up_logging() -> None:
    """Without -v nothing is logged: libraries' chatter (bs4's "Some characters
    could not be decoded", trafilatura's "parsed tree length: 1") is not for
    the terminal; skipped files are reported by the command itself."""
    import logging

    verbose = click.get_current_context().meta.get(_VERBOSE, 0)
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
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="No progress (a bar on a terminal, else a line every few seconds).",
)
def index_command(
    path: str,
    index_dir: Location,
    prune: bool,
    strict: bool,
    exclude: tuple[str, ...],
    fields: tuple[str, ...],
    workers: int,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Build or update the index from the files under PATH (default: raw/).

    \b
    Example:
      newsindex index raw/ --exclude 'README*'
    """
    from newsindex.index.base import Index

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
                import difflib

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
@click.option(
    "--facets-json",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    help="Write the --facets counts (all facets if none named) to FILE as JSON.",
)
@_json_option
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@click.option(
    "--bom",
    is_flag=True,
    help="Start --csv with a byte-order mark, so that Excel reads it as UTF-8.",
)
@click.option("--cite", is_flag=True, help="Citations to paste (see --cite-format).")
@click.option(
    "--cite-format",
    type=click.Choice(["text", "csl-json", "bibtex", "ris"]),
    default="text",
    show_default=True,
    help="With --cite: plain text, CSL-JSON (Zotero, pandoc), BibTeX or RIS.",
)
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
    index_dir: Location,
    facets: tuple[str, ...],
    facets_json: Path | None,
    as_json: bool,
    as_csv: bool,
    bom: bool,
    cite: bool,
    cite_format: str,
    explain: bool,
    explain_ranking: bool,
    **options: Any,
) -> None:
    """Search passages; build the index from raw/ first if there is none.

    Exits 1 when nothing matches, saying so (and naming filter values the
    index has never seen) on stderr. With --json every line is a passage:
    facet counts go to --facets-json FILE.

    \b
    Example:
      newsindex search 'outlet:TASS "permanent mission"' --since 2021-10
    """
    if as_json + as_csv + cite > 1:
        raise UsageError("choose one of --json, --csv and --cite")
    if as_json and facets and facets_json is None:
        raise UsageError(
            "--json lines are passages: write facets with --facets-json FILE"
        )
    if facets_json is not None and not facets:
        from newsindex.query.facets import FACETS

        facets = FACETS
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
    if facets_json is not None:
        facets_json.write_text(render.facets_json(counts), encoding="utf-8")
    if as_csv:
        rows = render.csv_rows(passages, offset=options["offset"], bom=bom)
        click.echo(rows, nl=False)
    elif as_json:
        for passage, signals in zip(passages, passages.signals, strict=True):
            fields = passage.to_dict()
            if explain_ranking:
                fields["signals"] = {k: round(v, 6) for k, v in signals.items()}
            click.echo(render.json_line(fields))
    elif cite:
        from newsindex.cite import citations

        click.echo(citations(passages, cite_format), nl=cite_format == "csl-json")  # type: ignore[arg-type]
    else:
        _echo_passages(passages, first)
        if explain_ranking:
            click.echo(render.signals_text(passages, passages.signals, first), nl=False)
        if counts and facets_json is None:
            click.echo(render.facets_text(counts), nl=False)


@cli.command("timeline", cls=_QueryCommand)
@click.argument("query")
@_index_option
@click.option("--since", help="Only articles published on or after this date.")
@click.option("--until", help="Only articles published on or before this date.")
@click.option("--outlet", help="Only this outlet (any of its names).")
@click.option(
    "--entity", help="Only articles naming this person, organisation or place."
)
@click.option(
    "--by",
    type=click.Choice(["day", "week", "month", "year"]),
    default="month",
    show_default=True,
    help="The period counted (weeks are ISO weeks, Monday to Sunday).",
)
@click.option(
    "--split",
    type=click.Choice(["outlet"]),
    help="Count each outlet's articles apart.",
)
@_json_option
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
def timeline_command(
    query: str,
    index_dir: Location,
    as_json: bool,
    as_csv: bool,
    **options: Any,
) -> None:
    """Chart how many articles match QUERY per month (or day, week, year).

    A period's count is what `search` counts with that period's first and
    last day as --since and --until (UTC); undated articles are in no period.

    \b
    Example:
      newsindex timeline 'Lavrov' --by week --split outlet
    """
    from newsindex.query.timeline import timeline

    if as_json and as_csv:
        raise UsageError("choose one of --json and --csv")
    index = _open_or_build(index_dir)
    result = timeline(index, query, **options)
    if as_json:
        for period in result.periods:
            click.echo(render.json_line(period.to_dict()))
    elif as_csv:
        click.echo(render.timeline_csv(result), nl=False)
    else:
        click.echo(render.timeline_text(result), nl=False)


@cli.command("inspect")
@click.argument("files", nargs=-1, required=True)
@_index_option
@_field_option
@_json_option
def inspect_command(
    files: tuple[str, ...], index_dir: Location, fields: tuple[str, ...], as_json: bool
) -> None:
    """Show what the ingester makes of FILES, without indexing them.

    \b
    Example:
      newsindex inspect raw/001_d4251eeafdea6d02.txt --json
    """
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
    index_dir: Location,
    type_: str | None,
    since: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List entities (of articles matching QUERY) with variants, counts and dates.

    \b
    Example:
      newsindex entities NATO --type person --limit 10
    """
    index = _open_or_build(index_dir)
    for entity in index.entities(query, type=type_, since=since, limit=limit):
        click.echo(render.json_line(entity) if as_json else render.entity_text(entity))


@cli.command("quotes")
@click.argument("text")
@_index_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@_json_option
def quotes_command(text: str, index_dir: Location, limit: int, as_json: bool) -> None:
    """Find a quoted statement across the archive, earliest publication first.

    \b
    Example:
      newsindex quotes 'We regret these steps'
    """
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
def outlets_command(index_dir: Location, as_json: bool) -> None:
    """List the outlets in the index with article counts and first and last dates.

    \b
    Example:
      newsindex outlets --json
    """
    from newsindex.index.base import Index

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
def remove_command(target: str, index_dir: Location) -> None:
    """Remove one article (ID) or every article of a file (PATH) from the index.

    \b
    Example:
      newsindex remove raw/001_d4251eeafdea6d02.txt
    """
    from newsindex.index.base import Index

    removed = Index.open(index_dir).remove(target)
    noun = "article" if removed == 1 else "articles"
    click.echo(f"removed {removed} {noun} of {target}", err=True)


@cli.command("optimize")
@_index_option
def optimize_command(index_dir: Location) -> None:
    """Merge the index into one segment: the fastest searches, after a last update.

    \b
    Example:
      newsindex optimize --index index
    """
    from newsindex.index.base import Index

    segments = Index.open(index_dir).optimize()
    if segments:
        noun = "segment" if segments == 1 else "segments"
        click.echo(f"optimized {index_dir}: {segments} {noun} now one", err=True)
    else:
        click.echo(f"optimized {index_dir}", err=True)


@cli.command("verify")
@_index_option
@click.option("--repair", is_flag=True, help="Rebuild what the stored articles allow.")
def verify_command(index_dir: Location, repair: bool) -> None:
    """Check the index; one line per problem, exit 1 if any.

    \b
    Example:
      newsindex verify --repair
    """
    from newsindex.engines import check_index

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
def show_command(article_id: str, index_dir: Location, as_json: bool) -> None:
    """Show one stored article by its id.

    \b
    Example:
      newsindex show c124b852bc9b5986 --json
    """
    from newsindex.index.base import Index

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
def serve_command(index_dir: Location, host: str, port: int, workers: int) -> None:
    """Serve the index read-only: a web page at / and a JSON API under /api.

    \b
    Example:
      newsindex serve --port 8000
    """
    from newsindex.serve.http import run

    run(index_dir, host=host, port=port, workers=workers)


@cli.command("mcp")
@_index_option
def mcp_command(index_dir: Location) -> None:
    """Serve the index to a language-model agent over MCP (stdio).

    \b
    Example:
      newsindex mcp --index index/
    """
    from newsindex.serve.mcp_server import run

    run(index_dir)


def main() -> None:
    """Run the CLI; a closed pipe (`newsindex search ... | head`) ends it quietly."""
    try:
        cli(prog_name="newsindex")
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    finally:
        # The process ends here, the command's files closed. Objects frozen
        # now are left out of the collections the interpreter runs as it
        # exits, over every module's objects: 60 ms of a 340 ms search.
        gc.freeze()


def _open_or_build(index_dir: Location) -> Any:
    from newsindex.index.base import Index

    if not isinstance(index_dir, Path):  # a cluster: its client logs retries
        _set_up_logging()

    try:
        return Index.open(index_dir)
    except IndexMissingError:
        # Only the default index is built on the fly: a mistyped --index (or
        # $NEWSINDEX_INDEX) is an error, not a new index of raw/.
        source = click.get_current_context().get_parameter_source("index_dir")
        if source != click.core.ParameterSource.DEFAULT:
            raise
        if not Path(DEFAULT_CORPUS).is_dir():
            raise
    _set_up_logging()
    click.echo(
        f"no index at {str(index_dir)!r}: building it from {DEFAULT_CORPUS}/", err=True
    )
    index = Index.create(index_dir)
    report = index.update(DEFAULT_CORPUS)
    _warn_skips(report.skipped)
    return index


@contextmanager
def _progress(label: str, quiet: bool) -> Iterator[ProgressFn | None]:
    """A bar on a terminal; a plain line every few seconds when stderr is
    a log or a pipe; nothing with --quiet."""
    from newsindex.progress import ProgressLog

    if quiet:
        yield None
        return
    if not sys.stderr.isatty():
        every = settings().progress_seconds
        log = ProgressLog(
            lambda line: click.echo(line, err=True), label=label, every=every
        )
        with log.running():
            yield log
        return
    import time

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    from newsindex.progress import describe

    start = time.monotonic()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[line]}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None, line="")

        def on_progress(p: Any) -> None:
            line = describe(p, time.monotonic() - start)
            bar.update(
                task, completed=p.bytes_done, total=p.bytes_total or None, line=line
            )

        yield on_progress


def reader_options(fields: tuple[str, ...]) -> ReaderOptions:
    """Turn `--field NAME=FIELD` options into ReaderOptions; UsageError if malformed."""
    from newsindex.sources.base import FIELD_NAMES, ReaderOptions

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
