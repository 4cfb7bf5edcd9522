"""Benchmark: windowing a 1,000,000-point series into 60-step windows.

Usage: python benchmarks/windows.py [n_points] [n_steps_in]

Compares the plain Python loop of the original tutorials (a list in, lists
of windows appended one by one, then ``np.array``) with
``lstmbook.split_sequence`` (a read-only view of the series, no copy) and
with ``split_sequence(..., copy=True)`` (an ordinary array of all windows).
Peak memory is measured with ``tracemalloc``, which sees both Python objects
and NumPy buffers; each method runs on its own, best of 3 for time.
"""

import sys
import time
import tracemalloc

import numpy as np

import lstmbook as lb  # noqa: E402
from results_csv import save  # noqa: E402




def loop_split_sequence(sequence, n_steps):
    """The tutorials' loop, as they wrote it (lists in, lists appended)."""
    X, y = list(), list()
    for i in range(len(sequence)):
        end_ix = i + n_steps
        if end_ix > len(sequence) - 1:
            break
        X.append(sequence[i:end_ix])
        y.append(sequence[end_ix])
    return np.array(X), np.array(y)


def measure(call, repeats=3):
    """Best wall time of ``repeats`` runs, and peak traced memory (bytes)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
        del result
    tracemalloc.start()
    result = call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak, result


def main(n_points=1_000_000, n_steps=60):
    series = np.random.default_rng(0).normal(size=n_points)
    as_list = series.tolist()
    methods = [
        ("tutorial loop (list in)", lambda: loop_split_sequence(as_list,
                                                                n_steps), 1),
        ("lstmbook view", lambda: lb.split_sequence(series, n_steps), 3),
        ("lstmbook copy=True",
         lambda: lb.split_sequence(series, n_steps, copy=True), 3),
    ]
    print(f"{n_points:,} points, {n_steps}-step windows -> "
          f"{n_points - n_steps:,} samples")
    print(f"{'method':26s} {'time s':>9s} {'peak MB':>9s} "
          f"{'speed-up':>9s} {'memory ratio':>13s}")
    base = None
    results, rows = [], []
    for name, call, repeats in methods:
        seconds, peak, (X, y) = measure(call, repeats)
        results.append((X, y))
        if base is None:
            base = (seconds, peak)
        rows.append({"method": name, "points": n_points, "n_steps": n_steps,
                     "seconds": f"{seconds:.5f}",
                     "peak_mb": f"{peak / 1e6:.1f}",
                     "speedup": round(base[0] / seconds),
                     "memory_ratio": round(base[1] / max(peak, 1))})
        print(f"{name:26s} {seconds:9.4f} {peak / 1e6:9.1f} "
              f"{base[0] / seconds:9.0f}x {base[1] / max(peak, 1):12.0f}x")
    X_ref, y_ref = results[0]
    for X, y in results[1:]:
        assert np.array_equal(X, X_ref) and np.array_equal(y, y_ref)
    print("all methods give identical windows")
    save("windows.csv", rows)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
