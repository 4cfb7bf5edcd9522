"""Benchmark: how long every chapter takes to execute, and the whole book.

Usage: python benchmarks/book.py

Runs each notebook listed in _toc.yml in a fresh kernel (kernel start and
every cell, as nbval runs it), without changing the stored notebooks, and
prints a table in table-of-contents order. Goals: no chapter over 60 s, the
whole book under 5 minutes on 2 CPU cores.
"""

import os
import platform
import sys
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


def main():
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"{'chapter':62s} {'seconds':>8s}")
    total, worst = 0.0, 0.0
    rows = []
    for path in notebooks():
        _, seconds = execute(path)
        rows.append({"chapter": str(path.relative_to(ROOT)),
                     "seconds": round(seconds, 1)})
        total += seconds
        worst = max(worst, seconds)
        print(f"{str(path.relative_to(ROOT)):62s} {seconds:8.1f}", flush=True)
    print(f"{'total':62s} {total:8.1f}")
    print(f"slowest chapter {worst:.1f} s (goal < 60 s); whole book "
          f"{total / 60:.1f} min (goal < 5 min)")
    save("book.csv", rows + [{"chapter": "total", "seconds": round(total, 1)}])


if __name__ == "__main__":
    main()
