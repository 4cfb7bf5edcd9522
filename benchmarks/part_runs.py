"""What the long studies share: resumable one-core parts, then a merge.

A study such as ``robustness.py`` or ``strategies.py`` runs as several
processes, one core each (``--part K --parts N``), each writing its
results to a work folder so that a stopped run resumes where it stopped;
``--summary`` then merges the folder into the stored tables.
"""

import argparse
import time
from pathlib import Path


def parser(doc, name):
    """The command line every part-run study takes: ``--part``, ``--parts``,
    ``--work`` (default ``/tmp/lstmbook-<name>``) and ``--summary``. A
    study adds its own options to the parser it returns."""
    out = argparse.ArgumentParser(description=doc.splitlines()[0])
    out.add_argument("--part", type=int, default=0)
    out.add_argument("--parts", type=int, default=1)
    out.add_argument("--work", type=Path,
                     default=Path(f"/tmp/lstmbook-{name}"))
    out.add_argument("--summary", action="store_true",
                     help="merge the parts' results and store the CSVs")
    return out


def one_core_float64():
    """Compute as the chapters do (float64), on one thread: each part is
    one core's worth of work, so parts run side by side without sharing."""
    import keras
    import tensorflow as tf

    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")  # even if a layer exists
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def timed(f, fits):
    """Forecaster ``f`` with the seconds of each call appended to ``fits``.

    A forecaster that reads inputs known in advance
    (``lstmbook.known.accepts_future``) keeps its ``future`` parameter, so
    ``lb.backtest`` still hands it the known rows after each origin.
    """
    from lstmbook.known import accepts_future

    def run(history, future=None):
        start = time.perf_counter()
        out = f(history) if future is None else f(history, future=future)
        fits.append(time.perf_counter() - start)
        return out

    return run if accepts_future(f) else (lambda history: run(history))

