"""Serving under load: concurrent clients on the JSON API, a writer committing.

usage: python benchmarks/bench_serve.py --index DIR [--clients 50] [--seconds 30]
                                        [--update PATH] [--queries 200]
                                        [--server-log PATH] [--json]

Starts `newsindex serve --index DIR` on a free loopback port, waits until it
answers, then runs `--clients` concurrent HTTP clients (one asyncio loop,
httpx) for `--seconds`, each sending request after request drawn at random
from a fixed mix of `--queries` requests sampled (with a fixed seed) from the
index's own passages:

  term     /api/search?q=WORD                       a word of a passage
  phrase   /api/search?q="WORD WORD"                two adjacent words
  outlet   /api/search?q=WORD&outlet=NAME           the passage's outlet
  since    /api/search?q=WORD&since=DAY             30 days before its date
  article  /api/articles/ID                         the passage's article

Every request is valid, so any answer that is not 2xx, and any transport
error or timeout, counts as an error. With `--update PATH`, `newsindex index
PATH --index DIR` runs beside the load, so the server is read while a writer
commits to the same index; it is stopped when the load ends if it has not
finished (each commit is atomic, so the index stays whole), and
`update_articles` is how many more articles the index then holds. The
server's own output (tracebacks behind any 5xx) goes to `--server-log PATH`.

Baseline, measured in the same run before the server starts: the same mix
sent once through the library in this process, one request after another
(`Index.search` with the same options, `Index.get`); the report gives the
server's median over the library's. With many clients on few cores the
server's median is mostly waiting in line, so the ratio says what a client
waits under this load, not what one request costs. The load generator shares
the machine with the server (and the writer): on 2 cores it takes its part.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, Literal

import httpx

# Whoosh's stop list: a stopword alone finds nothing in newsindex.
from whoosh.analysis import STOP_WORDS as STOPWORDS

from newsindex import Index
from newsindex.errors import NewsindexError

SEED = 20240611
LIMIT = 10
KIND_SHARES = {"term": 0.35, "phrase": 0.2, "outlet": 0.15, "since": 0.15}
ARTICLE_SHARE = 0.15  # the rest of the mix
SINCE_BEFORE = timedelta(days=30)
READY_SECONDS = 60.0  # how long the server may take to answer its first request
TIMEOUT = httpx.Timeout(60.0)
_WORD = re.compile(r"[A-Za-z]{3,}")
_PAIR = re.compile(r"(?=\b([A-Za-z]{3,})\s+([A-Za-z]{3,})\b)")

Kind = Literal["term", "phrase", "outlet", "since", "article"]


@dataclass(frozen=True, slots=True)
class Request:
    """One request of the mix: a search with its filters, or an article get."""

    kind: Kind
    query: str = ""
    outlet: str | None = None
    since: str | None = None  # ISO day
    article_id: str = ""

    def path(self) -> str:
        """The URL path this request gets."""
        if self.kind == "article":
            return f"/api/articles/{self.article_id}"
        return "/api/search"

    def params(self) -> dict[str, str | int]:
        """The query-string parameters (none for an article)."""
        if self.kind == "article":
            return {}
        params: dict[str, str | int] = {"q": self.query, "limit": LIMIT}
        if self.outlet:
            params["outlet"] = self.outlet
        if self.since:
            params["since"] = self.since
        return params

    def run_in_library(self, index: Index) -> int:
        """Do what the server does for this request, through the library.

        Returns how many results it found: passages, or 1 for an article.
        """
        if self.kind == "article":
            index.get(self.article_id)
            return 1
        found = index.search(
            self.query, outlet=self.outlet, since=self.since, limit=LIMIT
        )
        return len(found)


@dataclass(frozen=True, slots=True)
class Sampled:
    """A stored passage: what requests are made from."""

    text: str
    article_id: str
    outlet: str | None
    published: datetime | None


@dataclass(frozen=True, slots=True)
class Baseline:
    """The mix through the library: milliseconds per request, results per search."""

    ms: list[float]
    found: list[int]  # passages each search found: the mix should find things


@dataclass(slots=True)
class Load:
    """What the clients saw: latencies of 2xx answers, errors by kind."""

    ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.ms) + sum(self.errors.values())


@dataclass(frozen=True, slots=True)
class Written:
    """How the concurrent `newsindex index` went."""

    returncode: int  # negative: still running when the load ended, so stopped
    seconds: float  # from its start to its end
    last_line: str  # its summary line on stderr, or its last words

    @property
    def stopped(self) -> bool:
        return self.returncode < 0


# -- the request mix -----------------------------------------------------------


def sample_passages(index: Index, count: int, rng: random.Random) -> list[Sampled]:
    """Up to `count` stored passages picked at random, through the index's searcher."""
    searcher = index.searcher()
    reader = searcher.reader()
    total = searcher.doc_count_all()
    found: list[Sampled] = []
    for _ in range(count * 50):  # articles and file records are documents too
        if len(found) == count or total == 0:
            break
        docnum = rng.randrange(total)
        if reader.is_deleted(docnum):
            continue
        fields = searcher.stored_fields(docnum)
        if fields.get("kind") == "passage":
            found.append(_sampled(fields))
    return found


def _sampled(fields: dict[str, Any]) -> Sampled:
    provenance = json.loads(fields["provenance"])
    return Sampled(
        text=fields["text"],
        article_id=fields["article_id"],
        outlet=provenance["outlet"],
        published=fields.get("published"),
    )


def make_requests(
    passages: Sequence[Sampled], count: int, rng: random.Random
) -> list[Request]:
    """`count` requests in the shares of KIND_SHARES and ARTICLE_SHARE, shuffled."""
    requests = [
        Request("article", article_id=rng.choice(passages).article_id)
        for _ in range(round(count * ARTICLE_SHARE))
    ]
    for kind, share in KIND_SHARES.items():
        wanted = len(requests) + round(count * share)
        for _ in range(count * 50):
            if len(requests) == wanted:
                break
            request = _search_request(kind, rng.choice(passages), rng)
            if request is not None:
                requests.append(request)
    rng.shuffle(requests)
    return requests


def _search_request(kind: str, p: Sampled, rng: random.Random) -> Request | None:
    """A search of `kind` made from passage `p`; None if `p` cannot give one."""
    words = [w.lower() for w in _WORD.findall(p.text) if w.lower() not in STOPWORDS]
    if not words:
        return None
    word = rng.choice(words)
    if kind == "term":
        return Request("term", word)
    if kind == "phrase":
        pairs = [
            f'"{a} {b}"'.lower()
            for a, b in _PAIR.findall(p.text)
            if a.lower() not in STOPWORDS and b.lower() not in STOPWORDS
        ]
        return Request("phrase", rng.choice(pairs)) if pairs else None
    if kind == "outlet":
        return Request("outlet", word, outlet=p.outlet) if p.outlet else None
    if p.published is None:
        return None
    return Request("since", word, since=(p.published - SINCE_BEFORE).date().isoformat())


def mix_text(requests: Sequence[Request]) -> str:
    """How many requests of each kind: `term 70 · phrase 40 · ...`."""
    kinds = Counter(r.kind for r in requests)
    return " · ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))


# -- the library baseline ------------------------------------------------------


def run_library(index: Index, requests: Sequence[Request]) -> Baseline:
    """Each request once through the library, one after another, after a warm-up."""
    found = [r.run_in_library(index) for r in requests if r.kind != "article"]
    timings = []
    for request in requests:
        started = time.perf_counter()
        request.run_in_library(index)
        timings.append((time.perf_counter() - started) * 1000)
    return Baseline(timings, found)


# -- processes -----------------------------------------------------------------


def newsindex_command() -> str:
    """The `newsindex` executable beside this Python (the venv's), else on PATH."""
    beside = Path(sys.executable).with_name("newsindex")
    return str(beside) if beside.exists() else "newsindex"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(
    index_dir: Path, port: int, workers: int, log: IO[bytes]
) -> subprocess.Popen[bytes]:
    """`newsindex serve` on `port`, its output going to `log`."""
    command = [newsindex_command(), "serve", "--index", str(index_dir)]
    command += ["--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def wait_until_ready(
    server: subprocess.Popen[bytes], base_url: str, probe: Request, log: IO[bytes]
) -> None:
    """Return once the server answers `probe` with 2xx; raise if it cannot."""
    deadline = time.monotonic() + READY_SECONDS
    with httpx.Client(base_url=base_url, timeout=TIMEOUT) as http:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(
                    f"newsindex serve exited with {server.returncode}: {tail(log)}"
                )
            try:
                response = http.get(probe.path(), params=probe.params())
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            if not response.is_success:
                raise RuntimeError(
                    f"GET {response.url} answered {response.status_code}: "
                    f"{response.text[:200]!r}"
                )
            return
    raise RuntimeError(f"newsindex serve did not answer in {READY_SECONDS:.0f} s")


class Writer:
    """`newsindex index PATH --index DIR` running beside the load, and when it ends."""

    def __init__(self, corpus: Path, index_dir: Path, log: IO[bytes]) -> None:
        command = [newsindex_command(), "index", str(corpus)]
        command += ["--index", str(index_dir)]
        self.started = time.perf_counter()
        self.ended = self.started
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        self._log = log
        # Waits for the process, so `ended` is when it ended, not when we looked.
        self._waiter = threading.Thread(target=self._wait, daemon=True)
        self._waiter.start()

    def _wait(self) -> None:
        self.process.wait()
        self.ended = time.perf_counter()

    def finish(self) -> Written:
        """Stop the writer if it is still running; say how it went."""
        if self.process.poll() is None:
            stop(self.process)
        self._waiter.join()
        return Written(
            returncode=self.process.returncode,
            seconds=self.ended - self.started,
            last_line=tail(self._log),
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a child process and wait for it (kill it if it will not go)."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def open_log(path: Path | None) -> IO[bytes]:
    """A file for a child's output: at `path`, or an anonymous one."""
    return path.open("w+b") if path else tempfile.TemporaryFile()


def tail(log: IO[bytes]) -> str:
    """The last non-empty line written to `log`."""
    log.flush()
    log.seek(0)
    lines = [line.strip() for line in log.read().decode(errors="replace").splitlines()]
    return next((line for line in reversed(lines) if line), "")


# -- the load ------------------------------------------------------------------


async def run_load(
    base_url: str, requests: Sequence[Request], clients: int, seconds: float
) -> Load:
    """`clients` concurrent clients sending requests from the mix for `seconds`."""
    load = Load()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.perf_counter()
    deadline = started + seconds
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT, limits=limits) as http,
        asyncio.TaskGroup() as group,
    ):
        for n in range(clients):
            rng = random.Random(SEED + n)
            group.create_task(_client(http, requests, rng, deadline, load))
    load.seconds = time.perf_counter() - started
    return load


async def _client(
    http: httpx.AsyncClient,
    requests: Sequence[Request],
    rng: random.Random,
    deadline: float,
    load: Load,
) -> None:
    """One client: a request, its answer, the next request, until the deadline."""
    while time.perf_counter() < deadline:
        request = rng.choice(requests)
        started = time.perf_counter()
        try:
            response = await http.get(request.path(), params=request.params())
        except httpx.HTTPError as exc:  # refused, reset, timed out
            load.errors[type(exc).__name__] += 1
            continue
        if response.is_success:
            load.ms.append((time.perf_counter() - started) * 1000)
        else:
            load.errors[f"HTTP {response.status_code}"] += 1


# -- report --------------------------------------------------------------------


def figures(
    load: Load,
    baseline: Baseline,
    writer: Written | None,
    articles: tuple[int, int],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Every figure of the run, under the keys of the --json line."""
    median = statistics.median(load.ms) if load.ms else None
    p99 = (
        statistics.quantiles(load.ms, n=100, method="inclusive")[98]
        if len(load.ms) > 1
        else None
    )
    library_median = statistics.median(baseline.ms)
    return {
        "requests": load.requests,
        "rps": round(load.requests / load.seconds, 1),
        "median_ms": _round(median),
        "p99_ms": _round(p99),
        "errors": sum(load.errors.values()),
        "error_kinds": dict(load.errors),
        "clients": args.clients,
        "server_workers": args.server_workers,
        "seconds": args.seconds,
        "update_articles": articles[1] - articles[0] if writer else None,
        "update_finished": not writer.stopped if writer else None,
        "update_exit": writer.returncode if writer else None,
        "update_seconds": round(writer.seconds, 1) if writer else None,
        "articles": articles[1],
        "mix": len(baseline.ms),
        "library_median_ms": _round(library_median),
        "library_rps": round(1000 * len(baseline.ms) / sum(baseline.ms), 1),
        "results_per_search": round(statistics.mean(baseline.found), 2),
        "searches_without_results": baseline.found.count(0),
        "median_ratio": _round(median / library_median if median else None),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def print_report(r: dict[str, Any], mix: str, writer: Written | None) -> None:
    """The figures as a few readable lines."""
    print(f"index: {r['articles']} articles at the end; {r['mix']} requests: {mix}")
    print(
        f"library, one after another: median {r['library_median_ms']} ms, "
        f"{r['library_rps']} requests/s; {r['results_per_search']} results per "
        f"search, {r['searches_without_results']} searches found nothing"
    )
    print(
        f"server, {r['clients']} clients for {r['seconds']} s: {r['requests']} "
        f"requests, {r['rps']} requests/s, median {r['median_ms']} ms, "
        f"p99 {r['p99_ms']} ms"
    )
    kinds = ", ".join(f"{k} {n}" for k, n in r["error_kinds"].items())
    print(f"errors: {r['errors']}" + (f" ({kinds})" if kinds else ""))
    if writer is not None:
        state = (
            "stopped when the load ended"
            if writer.stopped
            else f"exited with {writer.returncode}"
        )
        print(
            f"writer: {state} after {r['update_seconds']} s, "
            f"+{r['update_articles']} articles; {writer.last_line}"
        )
        if not r["update_articles"]:
            print(
                "  warning: nothing was committed during the load "
                "(more --seconds or a smaller --update corpus)"
            )
    print(f"server median / library median: {r['median_ratio']}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an existing index")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--update", type=Path, help="a corpus to index during load")
    parser.add_argument("--queries", type=int, default=200, help="requests in the mix")
    parser.add_argument("--server-log", type=Path, help="keep the server's output here")
    parser.add_argument(
        "--server-workers", type=int, default=1, help="newsindex serve --workers"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    args = parser.parse_args()
    if args.update is not None and not args.update.exists():
        print(
            f"error: no such file or directory: {str(args.update)!r}", file=sys.stderr
        )
        return 2
    try:
        return bench(args)
    except NewsindexError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


def bench(args: argparse.Namespace) -> int:
    """Sample the mix, time the library, load the server; print the figures."""
    with Index.open(args.index) as index:
        rng = random.Random(SEED)
        passages = sample_passages(index, args.queries, rng)
        requests = make_requests(passages, args.queries, rng)
        baseline = run_library(index, requests)
        before = index.article_count()
    load, writer = serve_and_load(args, requests)
    with Index.open(args.index) as index:
        after = index.article_count()
    result = figures(load, baseline, writer, (before, after), args)
    print_report(result, mix_text(requests), writer)
    if args.json:
        print(json.dumps(result))
    return 0


def serve_and_load(
    args: argparse.Namespace, requests: Sequence[Request]
) -> tuple[Load, Written | None]:
    """Start the server (and the writer), run the load, stop them again."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    writer: Writer | None = None
    written: Written | None = None
    with (
        open_log(args.server_log) as server_log,
        tempfile.TemporaryFile() as writer_log,
    ):
        server = start_server(args.index, port, args.server_workers, server_log)
        try:
            wait_until_ready(server, base_url, requests[0], server_log)
            if args.update is not None:
                writer = Writer(args.update, args.index, writer_log)
            load = asyncio.run(run_load(base_url, requests, args.clients, args.seconds))
            written = writer.finish() if writer else None
            if server.poll() is not None:
                load.errors[f"server exited with {server.returncode}"] += 1
        finally:
            for process in (writer.process if writer else None, server):
                if process is not None and process.poll() is None:
                    stop(process)
    return load, written


if __name__ == "__main__":
    sys.exit(main())
