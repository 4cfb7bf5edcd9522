"""Benchmark: how long every chapter takes to execute, and the whole book.

Usage: python benchmarks/book.py [--jobs N]

Runs each notebook listed in _toc.yml in a fresh kernel (kernel start and
every cell, as nbval runs it), without changing the stored notebooks, and
prints a table in table-of-contents order. Goals: no chapter over 60 s, the
whole book under 5 minutes on 2 CPU cores.

``--jobs 1`` (default) runs the chapters one after another: each chapter's
time is its own, and the whole book's time is their sum. ``--jobs 2`` runs
two chapters at a time, one per core, as a reader with a 2-core laptop (or
``pytest -n 2``) could: the chapters' own times grow because they share the
machine, and the whole book's wall-clock time is what is reported. The
stored table (``book.csv``) records the run and the number of jobs.
"""

import argparse
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from results_csv import save  # noqa: E402
from run_notebook import execute  # noqa: E402


def notebooks():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            path = ROOT / (chapter["file"] + ".ipynb")
            if path.exists():
                yield path


def seconds_of(path):
    """Execute one chapter in a fresh kernel; its time in seconds."""
    return execute(path)[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1,
                        help="chapters executed at the same time")
    jobs = parser.parse_args(argv).jobs
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"{jobs} chapter(s) at a time")
    paths = list(notebooks())
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        seconds = list(pool.map(seconds_of, paths))
    wall = time.perf_counter() - start
    print(f"{'chapter':62s} {'seconds':>8s}")
    rows = []
    for path, secs in zip(paths, seconds):
        name = str(path.relative_to(ROOT))
        rows.append({"chapter": name, "seconds": round(secs, 1),
                     "jobs": jobs})
        print(f"{name:62s} {secs:8.1f}")
    print(f"{'sum of chapters':62s} {sum(seconds):8.1f}")
    print(f"{'whole book, wall clock':62s} {wall:8.1f}")
    print(f"slowest chapter {max(seconds):.1f} s (goal < 60 s); whole book "
          f"{wall / 60:.1f} min with {jobs} job(s) (goal < 5 min)")
    rows.append({"chapter": "sum of chapters",
                 "seconds": round(sum(seconds), 1), "jobs": jobs})
    rows.append({"chapter": "whole book, wall clock",
                 "seconds": round(wall, 1), "jobs": jobs})
    save("book.csv" if jobs == 1 else f"book_jobs{jobs}.csv", rows)


if __name__ == "__main__":
    main()
