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
    if array.dtype.kind in "mM":
        raise TypeError(
            f"{name} holds dates or durations ({array.dtype}), not numbers. "
            "Keep dates in the index; convert durations to numbers first, "
            "e.g. series.dt.total_seconds()."
        )
    return array


def check_finite(array: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` naming where NaN or infinite values are.

    Works for an array of any shape, a single number too.
    """
    array = np.atleast_1d(array)
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


# --- settings: the rules every forecaster's options follow ---------------------

def check_flag(value, name: str) -> bool:
    """A ``True``/``False`` setting; strings such as ``'False'`` are refused.

    ``bool('False')`` is ``True``, so accepting text would silently turn a
    switch on.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {value!r} of type "
            f"{type(value).__name__}."
        )
    return bool(value)


def check_number(value, name: str) -> float:
    """A real number (not a bool, not text), as a finite ``float``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, numbers.Real):
        raise TypeError(
            f"{name} must be a number, got {value!r} of type "
            f"{type(value).__name__}. Pass e.g. {name}=0.2 (not a string)."
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return value


def check_positive(value, name: str) -> float:
    """A finite number above 0 (a learning rate, say)."""
    value = check_number(value, name)
    if value <= 0:
        raise ValueError(
            f"{name} must be positive, got {value!r}; e.g. {name}=1e-3."
        )
    return value


def check_fraction(value, name: str) -> float:
    """A number in ``[0, 1)`` (a dropout rate)."""
    value = check_number(value, name)
    if not 0 <= value < 1:
        raise ValueError(
            f"{name} must be in [0, 1), got {value!r}; e.g. {name}=0.2."
        )
    return value


def check_choice(value, choices, name: str):
    """One of ``choices`` (compared with ``==``, so ``None`` may be one)."""
    if isinstance(value, (list, dict, set, np.ndarray)) or not any(
            value is c or (type(value) is type(c) and value == c)
            for c in choices):
        raise ValueError(
            f"{name} must be one of {tuple(choices)}, got {value!r}."
        )
    return value


def check_optional_steps(value, name: str):
    """``None``, or a positive int (see :func:`check_steps`)."""
    return None if value is None else check_steps(value, name)


def check_seed(value, name: str = "seed") -> int:
    """A seed: a whole number from 0 to 2**32 - 1 (``1.7`` is refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number (an int), got {value!r} of type "
            f"{type(value).__name__}; e.g. {name}=0."
        )
    if not 0 <= value < 2**32:
        raise ValueError(
            f"{name} must be between 0 and 2**32 - 1, got {value}."
        )
    return int(value)


def check_seeds(seeds) -> tuple:
    """One seed or a non-empty sequence of distinct seeds, as a tuple."""
    if isinstance(seeds, (str, bytes, dict, set)):
        raise TypeError(
            f"seeds must be an int or a list of ints, e.g. (0, 1, 2), got "
            f"{seeds!r}."
        )
    seeds = tuple(seeds) if np.iterable(seeds) else (seeds,)
    if not seeds:
        raise ValueError("seeds must name at least one seed, e.g. (0,).")
    seeds = tuple(check_seed(s, "each seed") for s in seeds)
    if len(set(seeds)) != len(seeds):
        raise ValueError(
            f"seeds {seeds} repeat a seed; the same seed trains the same "
            "model twice, so the ensemble would weigh it double."
        )
    return seeds


def check_dates(index, name: str) -> None:
    """Dates, if any, must increase strictly and be evenly spaced.

    A series whose newest date comes first would be trained backwards in
    time and forecast before its own start; uneven or repeated dates leave
    the forecast's dates undefined. Non-date indexes are not checked.
    """
    import pandas as pd

    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        return
    if index.has_duplicates:
        dup = index[index.duplicated()][:3]
        raise ValueError(
            f"{name} has repeated dates ({', '.join(map(str, dup))}). Keep "
            "one row per date, e.g. lstmbook.regularize(series, freq=...)."
        )
    if not index.is_monotonic_increasing:
        raise ValueError(
            f"{name}'s dates do not increase (the newest comes first, or "
            "rows are shuffled); a model would learn time backwards. Sort "
            "it first: series.sort_index()."
        )
    if index.freq is None and (len(index) < 3
                               or pd.infer_freq(index) is None):
        raise ValueError(
            f"{name}'s dates are not evenly spaced (gaps or an irregular "
            "calendar), so windows would mix different time steps and the "
            "forecast's dates are undefined. Put it on a regular calendar "
            "first: lstmbook.regularize(series, freq='MS') (or 'D', 'W', "
            "...)."
        )


def check_float_range(array: np.ndarray, name: str) -> None:
    """Refuse finite values that Keras' float type cannot hold.

    ``1e39`` is finite in float64 but infinite in float32: cast silently, it
    would turn the weights into NaN while the loss still looks finite.
    """
    import keras

    dtype = np.dtype(keras.config.floatx())
    if np.issubdtype(array.dtype, np.floating) and array.size and \
            np.finfo(array.dtype).max > np.finfo(dtype).max:
        big = np.abs(array) > np.finfo(dtype).max
        if big.any():
            raise ValueError(
                f"{name} has values up to {np.abs(array).max():.3g}, beyond "
                f"what Keras' {dtype} can hold ({np.finfo(dtype).max:.3g}). "
                "Scale the data first (lstmbook.Scaler) or switch Keras to "
                "float64 (keras.config.set_floatx('float64'))."
            )


def check_results(results, needed, example: str) -> None:
    """Refuse anything but a backtest table with the ``needed`` columns."""
    import pandas as pd

    if not isinstance(results, pd.DataFrame) or not set(needed) <= set(
            results.columns):
        raise TypeError(
            f"pass the table returned by {example} (columns "
            f"{sorted(needed)})."
        )
    if results.empty:
        raise ValueError(
            f"the results table is empty; run {example} first."
        )


def history_1d(data, name: str = "train") -> np.ndarray:
    """A forecast's history: a non-empty, finite 1-D float array."""
    values = as_numeric_array(data, name)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(
            f"{name} must be one series (1-D), got shape {values.shape}. "
            "For a table, pass the target column, e.g. df['sales']."
        )
    if len(values) == 0:
        raise ValueError(f"{name} is empty; a forecast needs history.")
    check_finite(values, name)
    return values.astype("float64")


def panel_values(panel, name: str = "panel", ragged: bool = False):
    """A panel's values ``(time, series)`` as floats, its columns, index.

    ``ragged=True`` accepts series that start late (leading NaN, see
    :func:`check_late_starts`); otherwise every value must be finite.
    """
    import pandas as pd

    if not isinstance(panel, pd.DataFrame):
        raise TypeError(
            f"{name} must be a pandas DataFrame with one column per series "
            f"(got {type(panel).__name__}). For one series use "
            "lstmbook.LSTMForecaster."
        )
    if panel.shape[1] == 0:
        raise ValueError(f"{name} has no columns (series).")
    if len(panel) == 0:
        raise ValueError(f"{name} has no rows (time steps).")
    if panel.columns.duplicated().any():
        dup = list(panel.columns[panel.columns.duplicated()])
        raise ValueError(f"{name} has duplicated column names {dup}.")
    values = as_numeric_array(panel, name).astype("float64")
    if ragged:
        check_late_starts(values, list(panel.columns), name)
    else:
        check_finite(values, name)
    check_dates(panel.index, name)
    return values, list(panel.columns), panel.index


def check_late_starts(values: np.ndarray, columns, name: str) -> None:
    """Missing values are allowed only before a series' first value.

    A *ragged* panel holds series that start at different times: a column
    may begin with NaN, but once it has started it has no gaps, and no
    value is infinite.
    """
    if np.isinf(values).any():
        rows = np.unique(np.nonzero(np.isinf(values))[0])[:5].tolist()
        raise ValueError(f"{name} contains infinite values at rows {rows}.")
    started = np.maximum.accumulate(~np.isnan(values), axis=0)
    empty = np.flatnonzero(~started[-1])
    if empty.size:
        raise ValueError(f"{name}'s series {columns[empty[0]]!r} has no "
                         "values.")
    gaps = started & np.isnan(values)
    broken = np.flatnonzero(gaps.any(axis=0))
    if broken.size:
        j = broken[0]
        rows = np.flatnonzero(gaps[:, j])[:5].tolist()
        raise ValueError(
            f"{name}'s series {columns[j]!r} has missing values at rows "
            f"{rows}, after its first value. A series may start late (NaN "
            "before its first value) but not have gaps or end early: fill "
            "them first, e.g. panel.interpolate(limit_area='inside')."
        )


# --- names, counts, the target lag ---------------------------------------------

def check_text(value, name: str, example: str) -> str:
    """A setting that must be a string (a name, a frequency, a method).

    ``example`` says what kind of string, e.g. ``"a dataset name such as
    'airline'"``; it is shown in the message.
    """
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string ({example}), got {value!r} of type "
            f"{type(value).__name__}."
        )
    return value


def check_count(value, name: str) -> int:
    """A whole number that may be 0 (a number of periods, say)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number (an int), got {value!r} of type "
            f"{type(value).__name__}; e.g. {name}=3."
        )
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, got {value}.")
    return int(value)


def check_lag(lag) -> int:
    """Steps from a window's last input to its first target: an int >= 0."""
    if isinstance(lag, (bool, np.bool_)) or not isinstance(
            lag, numbers.Integral) or lag < 0:
        raise ValueError(
            f"lag must be an int >= 0 (0: target at the window's last step, "
            f"1: the step after it), got {lag!r}."
        )
    return int(lag)

