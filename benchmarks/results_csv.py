"""Store a benchmark's table as CSV where the book reads it.

The results live inside the package, in ``lstmbook/data/results/``, so that
a chapter opened alone (on Colab, with ``lstmbook`` installed from the
repository) can show them with ``lstmbook.load_results(name)``.
"""

import csv
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "lstmbook" / "data" / "results"


def save(name, rows):
    """Write ``rows`` (a list of dicts with the same keys) to RESULTS/name."""
    path = RESULTS / name
    RESULTS.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"saved {path}")
    return path


def save_frame(name, frame):
    """Write a DataFrame to RESULTS/name, its numbers rounded to 6 decimals
    (the long studies' tables)."""
    return save(name, frame.round(6).to_dict("records"))
