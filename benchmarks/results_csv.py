"""Store a benchmark's table in benchmarks/results/ as CSV."""

import csv
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def save(name, rows):
    """Write ``rows`` (a list of dicts with the same keys) to results/name."""
    path = RESULTS / name
    RESULTS.mkdir(exist_ok=True)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"saved {path}")
    return path
