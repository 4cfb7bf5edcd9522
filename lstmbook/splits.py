"""Honest splits: train, validation and test in time order, and the origins
of a rolling-origin evaluation.

A forecaster is judged only on data it did not see, and time only runs
forwards: nothing here ever shuffles.

Chapter: "From toy to real" (:func:`chronological_split`); "Evaluating
forecasts honestly" (:func:`rolling_origins`).
"""

from __future__ import annotations

import numbers
from collections import namedtuple

import numpy as np
import pandas as pd

from ._checks import check_steps

__all__ = ["chronological_split", "rolling_origins"]

Split = namedtuple("Split", ["train", "val", "test"])


def _size(value, n: int, name: str) -> int:
    """A part's length from a count (int) or a fraction of ``n`` (float)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, numbers.Real):
        raise TypeError(
            f"{name} must be a number of time steps (int) or a fraction "
            f"(float), got {value!r} of type {type(value).__name__}."
        )
    if isinstance(value, numbers.Integral):
        count = int(value)
    elif isinstance(value, (float, np.floating)) and 0 < value < 1:
        count = int(round(value * n))
    else:
        raise ValueError(
            f"{name} must be a whole number of time steps (e.g. 24) or a "
            f"fraction between 0 and 1 (e.g. 0.2), got {value!r}."
        )
    if count < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}.")
    return count


def chronological_split(data, test_size, val_size=0):
    """Split a series (or table) in time order: train, validation, test.

    ``test_size`` and ``val_size`` are numbers of time steps (ints) or
    fractions of the whole (floats in (0, 1)). The test part is the last
    ``test_size`` steps, the validation part the ``val_size`` steps before
    it, and the training part everything earlier. Nothing is shuffled: a
    forecaster must never train on the future it is judged on.

    Returns a named tuple ``(train, val, test)`` of the same type as
    ``data`` (pandas objects keep their dates); ``val`` is ``None`` when
    ``val_size`` is 0.

    Chapter: "From toy to real".
    """
    if not isinstance(data, (list, tuple, np.ndarray, pd.Series,
                             pd.DataFrame)):
        raise TypeError(
            "data must be a list, NumPy array or pandas Series/DataFrame, "
            f"got a {type(data).__name__}."
        )
    n = len(data)
    n_test = _size(test_size, n, "test_size")
    n_val = _size(val_size, n, "val_size")
    if n_test == 0:
        raise ValueError("test_size must be at least 1 time step.")
    n_train = n - n_test - n_val
    if n_train < 1:
        raise ValueError(
            f"the data has {n} time steps, not enough for a test part of "
            f"{n_test} and a validation part of {n_val} with anything left "
            "to train on. Use smaller parts or more data."
        )
    take = data.iloc if hasattr(data, "iloc") else data
    if isinstance(data, (list, tuple)):
        take = np.asarray(data)
    train = take[:n_train]
    val = take[n_train:n_train + n_val] if n_val else None
    test = take[n_train + n_val:]
    return Split(train, val, test)


def rolling_origins(n_obs, horizon, n_origins=10, step=None) -> np.ndarray:
    """Where each fold of a rolling-origin evaluation starts its forecast.

    Returns ``n_origins`` positions ``t`` (ints, increasing): fold ``k``
    trains on ``data[:t]`` and is scored on ``data[t:t + horizon]``. The
    last fold ends at the end of the data; earlier folds step back by
    ``step`` (default: half the horizon, at least 1).

    Chapter: "Evaluating forecasts honestly".
    """
    n_obs = check_steps(n_obs, "n_obs")
    horizon = check_steps(horizon, "horizon")
    n_origins = check_steps(n_origins, "n_origins")
    step = max(1, horizon // 2) if step is None else check_steps(step, "step")
    last = n_obs - horizon
    first = last - (n_origins - 1) * step
    if first < 2:
        raise ValueError(
            f"{n_origins} origins {step} steps apart with horizon {horizon} "
            f"need more than {n_obs} observations: the first fold would "
            f"train on {first}. Use fewer origins, a smaller step or "
            "horizon, or more data."
        )
    return np.arange(first, last + 1, step)
