"""Build an index of every development corpus: one worker, two, unchanged, Dask.

usage: python benchmarks/bench_ingest.py [--corpora DIR] [--raw DIR]
                                         [--work DIR] [--json]

Each build runs `newsindex index` in a new process (the CLI, as a user runs
it), timed on the wall clock, its peak memory (the process and its workers,
sampled) recorded. Figures are given beside a baseline from the same run:
the unchanged re-run as a share of the full build (goal <= 5%), two workers
against one, and a Dask LocalCluster of two workers against one local
worker. The web pages are unpacked into --work, never into the project.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

import psutil

EXCLUDE = (
    "README*",
    "*.dtd",
    "all-*-strings.lc.txt",
    "cat-descriptions_120396.txt",
    "gold-*.jsonl",
    "*.tar.xz",
)
_PROJECT = Path(__file__).resolve().parent.parent


def prepare(corpora: Path, raw: Path, work: Path) -> Path:
    """A folder linking every corpus, the web pages unpacked, and raw/."""
    root = work / "all-corpora"
    root.mkdir(parents=True, exist_ok=True)
    for name in ("reuters21578", "newsarticles-dai2017", "warc-datagovuk-2014"):
        link = root / name
        if not link.exists():
            link.symlink_to(corpora / name)
    pages = root / "webpages"
    if not pages.exists():
        pages.mkdir()
        tarball = corpora / "webpages-htmldate-trafilatura" / "visible-pages.tar.xz"
        with tarfile.open(tarball) as archive:
            archive.extractall(pages, filter="data")
    if not (root / "raw").exists():
        (root / "raw").symlink_to(raw.resolve())
    return root


def run_cli(args: list[str]) -> dict[str, float | str]:
    """Run `newsindex ARGS`; return wall seconds, peak RSS (MiB) and its summary."""
    command = [sys.executable, "-m", "newsindex", *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    peak = _watch_memory(process.pid)
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"error: {' '.join(args)} failed:\n{stderr[-2000:]}")
    summary = [line for line in stderr.splitlines() if line.startswith("indexed ")]
    return {
        "seconds": round(seconds, 2),
        "peak_mib": round(peak.result / 2**20, 1),
        "summary": summary[-1] if summary else "",
    }


class _Peak:
    result = 0


def _watch_memory(pid: int) -> _Peak:
    peak = _Peak()

    def sample() -> None:
        try:
            root = psutil.Process(pid)
            while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
                procs = [root, *root.children(recursive=True)]
                rss = 0
                for proc in procs:
                    with contextlib.suppress(psutil.Error):  # it may have exited
                        rss += proc.memory_info().rss
                peak.result = max(peak.result, rss)
                time.sleep(0.2)
        except psutil.Error:
            return

    threading.Thread(target=sample, daemon=True).start()
    return peak


def run_dask(root: Path, index: Path) -> dict[str, float | str]:
    """The same build with parsing and tagging on a two-worker LocalCluster."""
    script = (
        "import sys, time\n"
        "from dask.distributed import LocalCluster\n"
        "from newsindex import Index\n"
        "with LocalCluster(n_workers=2, threads_per_worker=1,"
        " dashboard_address=None) as cluster:\n"
        "    started = time.perf_counter()\n"
        f"    index = Index.create({str(index)!r})\n"
        f"    report = index.update({str(root)!r}, exclude={EXCLUDE!r},"
        " scheduler=cluster.scheduler_address)\n"
        "    print(time.perf_counter() - started, report.articles, file=sys.stderr)\n"
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script], stderr=subprocess.PIPE, text=True
    )
    peak = _watch_memory(process.pid)
    _, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"error: dask build failed:\n{stderr[-2000:]}")
    seconds_text, articles = stderr.strip().splitlines()[-1].split()
    return {
        "seconds": round(float(seconds_text), 2),
        "with_cluster_start_seconds": round(time.perf_counter() - started, 2),
        "peak_mib": round(peak.result / 2**20, 1),
        "summary": f"indexed {articles} articles",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpora", type=Path, default=_PROJECT.parent / "shared" / "corpora"
    )
    parser.add_argument("--raw", type=Path, default=_PROJECT / "raw")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ni-bench-ingest-"))
    root = prepare(args.corpora, args.raw, work)
    excludes = [arg for pattern in EXCLUDE for arg in ("--exclude", pattern)]
    base = [str(root), *excludes, "--quiet"]
    figures: dict[str, object] = {}
    figures["workers_1"] = run_cli(
        ["index", *base, "--index", str(work / "w1"), "--workers", "1"]
    )
    figures["workers_2"] = run_cli(
        ["index", *base, "--index", str(work / "w2"), "--workers", "2"]
    )
    figures["unchanged"] = run_cli(
        ["index", *base, "--index", str(work / "w2"), "--workers", "2"]
    )
    figures["dask_2"] = run_dask(root, work / "dask")
    full = float(figures["workers_2"]["seconds"])  # type: ignore[index]
    one = float(figures["workers_1"]["seconds"])  # type: ignore[index]
    figures["ratios"] = {
        "unchanged_share_of_full": round(
            float(figures["unchanged"]["seconds"]) / full,
            4,  # type: ignore[index]
        ),
        "two_workers_speedup": round(one / full, 2),
        "dask_vs_one_worker": round(
            float(figures["dask_2"]["seconds"]) / one,
            2,  # type: ignore[index]
        ),
    }
    for name, value in figures.items():
        print(f"{name:>10}  {value}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
