"""Input checks shared by every public function of ``lstmbook``.

Each check raises a ``TypeError`` (wrong kind of thing) or a ``ValueError``
(right kind, wrong content) whose message says what was wrong *and* what to
do about it. Keeping them in one module means every function reports the same
problem in the same words.
"""

from __future__ import annotations

import numbers

import numpy as np
from pandas.api.types import is_bool_dtype, is_numeric_dtype


def check_steps(value, name: str) -> int:
    """Return ``value`` as an ``int`` if it is a positive integer, else raise.

    ``True``/``False`` and floats such as ``3.0`` are refused on purpose: a
    window length is a count, and silently rounding ``2.5`` would hide a bug.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, numbers.Integral
    ):
        raise TypeError(
            f"{name} must be a whole number of time steps (an int), "
            f"got {value!r} of type {type(value).__name__}. "
            f"Pass e.g. {name}=3."
        )
    if value <= 0:
        raise ValueError(
            f"{name} must be at least 1, got {value}. A window needs at "
            "least one time step; pass a positive int."
        )
    return int(value)


def as_numeric_array(data, name: str) -> np.ndarray:
    """Turn a list, NumPy array, pandas Series or DataFrame into an array.

    The array keeps its numeric dtype (integers stay integers, so printed
    windows read ``[10 20 30]`` as in the book). Raises ``TypeError`` for
    anything that is not numbers.
    """
    if data is None:
        raise TypeError(
            f"{name} is None; pass a list, NumPy array or pandas "
            "Series/DataFrame of numbers."
        )
    if isinstance(data, (str, bytes, dict, set)):
        raise TypeError(
            f"{name} must be a sequence of numbers (list, NumPy array, pandas "
            f"Series or DataFrame), got a {type(data).__name__}."
        )
    dtypes = getattr(data, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "items"):  # a DataFrame
        bad = [
            str(col)
            for col, dt in dtypes.items()
            if not (is_numeric_dtype(dt) or is_bool_dtype(dt))
        ]
        if bad:
            raise TypeError(
                f"{name} has non-numeric column(s) {bad}. Convert them to "
                "numbers (e.g. pd.to_numeric) or drop them, and keep dates "
                "in the index rather than in a column."
            )
    if hasattr(data, "to_numpy") and hasattr(data, "dtypes"):
        # pandas: nullable dtypes (Int64, Float64) hold pd.NA; make it NaN so
        # the missing-value check below can name the time step.
        numeric = (is_numeric_dtype(data.dtypes) if not hasattr(
            data.dtypes, "items") else True)
        if numeric:
            array = data.to_numpy()
            if array.dtype == object:
                array = data.to_numpy(dtype="float64", na_value=np.nan)
            data = array
    try:
        array = np.asarray(data)
    except ValueError as err:  # ragged nested lists
        raise ValueError(
            f"{name} could not be turned into a rectangular array ({err}). "
            "Every row must have the same number of columns."
        ) from None
    if array.dtype == bool:
        array = array.astype(np.int64)
    if not np.issubdtype(array.dtype, np.number):
        raise TypeError(
            f"{name} must contain only numbers, but its values have dtype "
            f"{array.dtype} (e.g. {array.ravel()[:1].tolist()}). Convert "
            "text to numbers first (e.g. pd.to_numeric or float())."
        )
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} holds complex numbers; pass real values.")
    return array


def check_finite(array: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` naming where NaN or infinite values are."""
    if np.issubdtype(array.dtype, np.integer):
        return
    bad = ~np.isfinite(array)
    if bad.any():
        rows = np.unique(np.nonzero(bad)[0])
        kinds = []
        if np.isnan(array).any():
            kinds.append("NaN")
        if np.isinf(array).any():
            kinds.append("infinite")
        shown = ", ".join(str(r) for r in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        raise ValueError(
            f"{name} contains {' and '.join(kinds)} values at time step(s) "
            f"{shown}{more}. An LSTM cannot learn from them: fill the gaps "
            "(e.g. series.interpolate()) or drop those rows before making "
            "windows."
        )


def series_1d(data, name: str = "sequence") -> np.ndarray:
    """A univariate series as a finite 1-D array.

    A 2-D input with exactly one column is accepted and flattened; more
    columns are refused with a pointer to the multivariate functions.
    """
    array = as_numeric_array(data, name)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be one series (1-D), got an array of shape "
            f"{array.shape}. For several columns use split_sequences "
            "(inputs + one output column) or split_parallel_sequences "
            "(every column is forecast)."
        )
    check_finite(array, name)
    return array


def table_2d(data, name: str = "sequences", min_columns: int = 1):
    """Several aligned series as a finite 2-D array (time steps, columns)."""
    array = as_numeric_array(data, name)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with one row per time step and one column "
            f"per series, got shape {array.shape}. Stack 1-D series as "
            "columns with np.column_stack([a, b, out]) or pass a DataFrame."
        )
    if array.shape[1] < min_columns:
        raise ValueError(
            f"{name} needs at least {min_columns} columns, got "
            f"{array.shape[1]}. Put the input series first and the output "
            "series in the last column."
        )
    check_finite(array, name)
    return array


def check_length(n_available: int, n_needed: int, name: str, detail: str):
    """Raise ``ValueError`` when a series is too short for one window."""
    if n_available < n_needed:
        raise ValueError(
            f"{name} has {n_available} time steps, but one sample needs "
            f"{n_needed} ({detail}). Use a longer series or smaller "
            "n_steps_in / n_steps_out."
        )


def check_forecasters(forecasters, example: str) -> None:
    """Refuse anything but a non-empty ``{name: callable}`` dict.

    ``example`` is a forecaster written the way the caller takes it, shown
    in the message (a backtest of one series, or of a panel).
    """
    if not isinstance(forecasters, dict) or not forecasters:
        raise TypeError(
            "forecasters must be a non-empty dict {name: callable}, e.g. "
            f"{{'naive': {example}}}."
        )
    for name, f in forecasters.items():
        if not callable(f):
            raise TypeError(f"forecaster {name!r} is not callable.")
