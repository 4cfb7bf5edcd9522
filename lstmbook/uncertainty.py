"""Prediction intervals: how far from the forecast the truth may fall.

A point forecast says "about 370"; an 80% prediction interval says "between
366 and 374, and in 8 cases out of 10 the truth lands inside". Two ways to
get one, both measured in the chapter "Prediction intervals":

* **Conformal intervals from backtest errors** (:func:`conformal_intervals`,
  :func:`rolling_intervals`). A rolling-origin backtest
  (:func:`~lstmbook.backtest.backtest`) leaves, for every horizon step,
  the errors the forecaster made in the past. If the future errs like the
  past, the 80% interval at step ``h`` is the forecast plus or minus the
  80% quantile of the past absolute errors at step ``h``. With ``n`` past
  errors, the quantile taken is the ``ceil((n + 1) * level)``-th smallest
  error (the split-conformal rule), which guarantees at least the nominal
  coverage when past and future errors are exchangeable. Works for any
  forecaster, LSTM or not.
* **Monte-Carlo dropout** (:func:`mc_dropout_forecast`): run a network
  trained with dropout many times with dropout left on, and take quantiles
  of the paths (:meth:`~lstmbook.uncertainty.DropoutPaths.sample_paths`).
  It measures how unsure the network is of its weights, not the noise of
  the data, so its intervals are usually far too narrow.

Whatever the method, score the intervals on folds that were *not* used to
calibrate them: the share of truths inside (:func:`coverage`) should be
close to the nominal level, and the interval should not be uselessly wide
(:func:`interval_scores` reports both).

Intervals are stored as columns ``lower_80``, ``upper_80``, ``lower_95``,
``upper_95`` (the level in percent) next to a ``forecast`` column.

Chapter: "Prediction intervals".
"""

from __future__ import annotations

import math
import numbers
import re

import numpy as np
import pandas as pd

from ._checks import (as_numeric_array, check_finite, check_flag,
                      check_results, check_seed, check_steps)

__all__ = [
    "coverage",
    "residual_quantiles",
    "conformal_intervals",
    "rolling_intervals",
    "mc_dropout_forecast",
    "interval_scores",
    "DropoutPaths",
]

#: The levels the book reports: 80% and 95% intervals.
LEVELS = (0.8, 0.95)
_RESULTS = {"method", "origin", "step", "actual", "forecast", "error",
            "scale"}
_COLUMN = re.compile(r"^lower_(\d+(?:\.\d+)?)$")


# --- levels ------------------------------------------------------------------

def _levels(levels) -> tuple[float, ...]:
    """Check and sort the interval levels (fractions in (0, 1))."""
    if isinstance(levels, numbers.Real):
        levels = (levels,)
    if isinstance(levels, (str, bytes)):
        raise TypeError(
            f"levels must be a number or a sequence of numbers such as "
            f"(0.8, 0.95), got the string {levels!r}."
        )
    try:
        levels = tuple(levels)
    except TypeError:
        raise TypeError(
            f"levels must be a number or a sequence of numbers such as "
            f"(0.8, 0.95), got {levels!r}."
        ) from None
    if not levels:
        raise ValueError("levels is empty; pass e.g. levels=(0.8, 0.95).")
    for level in levels:
        if isinstance(level, (bool, np.bool_)) or not isinstance(
                level, numbers.Real):
            raise TypeError(
                f"each level must be a number, got {level!r}. Pass "
                "fractions such as 0.8, not strings."
            )
        if not 0 < level < 1:
            raise ValueError(
                f"a level is a fraction between 0 and 1, got {level!r}. "
                "For an 80% interval pass 0.8, not 80."
            )
    return tuple(sorted(float(level) for level in levels))


def _name(level: float) -> str:
    """0.8 -> '80', 0.95 -> '95', 0.975 -> '97.5'."""
    return f"{100 * level:.10g}"


def _min_folds(level: float) -> int:
    """The fewest errors for which the conformal quantile is finite."""
    return math.ceil(level / (1 - level) - 1e-9)


def _rank(n: int, level: float) -> int:
    """1-based rank of the conformal quantile among ``n`` sorted errors."""
    return math.ceil((n + 1) * level - 1e-9)


# --- coverage ----------------------------------------------------------------

def coverage(actual, lower, upper) -> float:
    """The share of ``actual`` values inside ``[lower, upper]``, 0 to 1.

    An 80% interval should cover about 0.8 of the truths it was not
    calibrated on: much less means it is too narrow (overconfident), much
    more that it is wider than it needs to be.

    Chapter: "Prediction intervals".
    """
    arrays = []
    for name, data in (("actual", actual), ("lower", lower),
                       ("upper", upper)):
        array = as_numeric_array(data, name).astype("float64")
        check_finite(array, name)
        arrays.append(array)
    true, low, high = arrays
    if not true.shape == low.shape == high.shape:
        raise ValueError(
            f"actual, lower and upper must have the same shape, got "
            f"{true.shape}, {low.shape} and {high.shape}."
        )
    if true.size == 0:
        raise ValueError("actual is empty; there is nothing to cover.")
    if np.any(low > high):
        raise ValueError(
            f"lower is above upper at {int(np.sum(low > high))} position(s); "
            "pass the arguments in the order (actual, lower, upper)."
        )
    return float(np.mean((true >= low) & (true <= high)))


# --- conformal intervals -------------------------------------------------------

def _errors(results, relative: bool) -> pd.Series:
    """Absolute errors, or absolute errors relative to the forecast."""
    check_flag(relative, "relative")
    errors = results["error"].abs()
    if relative:
        size = results["forecast"].abs()
        if (size == 0).any():
            raise ValueError(
                "relative=True divides by the forecast, and some forecasts "
                "are 0; use relative=False for this series."
            )
        errors = errors / size
    return errors


def _one_method(results) -> None:
    methods = results["method"].unique()
    if len(methods) != 1:
        raise ValueError(
            f"the table holds the folds of {len(methods)} methods "
            f"{list(methods)}; calibrate one at a time, e.g. "
            "results[results['method'] == 'lstm']."
        )


def _quantiles(errors: pd.Series, steps: pd.Series, levels) -> pd.DataFrame:
    """Per step, the conformal quantile of ``errors`` for each level."""
    rows = {}
    for step, values in errors.groupby(steps, sort=True):
        ordered = np.sort(values.to_numpy())
        n = len(ordered)
        row = []
        for level in levels:
            k = _rank(n, level)
            if k > n:
                raise ValueError(
                    f"a {_name(level)}% interval needs the errors of at "
                    f"least {_min_folds(level)} past folds at each step; "
                    f"step {step} has {n}. Run lstmbook.backtest with more "
                    "origins (e.g. step=1 and a larger n_origins), or ask "
                    "for a lower level."
                )
            row.append(ordered[k - 1])
        rows[step] = row
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(levels))
    table.index.name = "step"
    table.columns.name = "level"
    return table


def residual_quantiles(results, levels=LEVELS, relative=False):
    """Per horizon step, the conformal quantile of past absolute errors.

    ``results`` is a table from :func:`~lstmbook.backtest.backtest` for
    one method. For each step ``h`` with ``n`` folds, the ``level`` column
    holds the ``ceil((n + 1) * level)``-th smallest ``|error|``: the
    half-width of that step's interval. ``relative=True`` uses
    ``|error| / |forecast|`` instead (a half-width in proportion to the
    forecast, for series whose errors grow with their level).

    Returns a DataFrame, one row per step and one column per level. Raises
    ``ValueError`` if there are too few folds for a level (19 for 95%).

    Chapter: "Prediction intervals".
    """
    check_results(results, _RESULTS, "lstmbook.backtest")
    levels = _levels(levels)
    _one_method(results)
    return _quantiles(_errors(results, relative), results["step"], levels)


def _bands(forecast: np.ndarray, half_widths: pd.DataFrame, relative: bool):
    """Columns lower_XX, upper_XX around ``forecast``."""
    columns = {}
    for level in half_widths.columns:
        half = half_widths[level].to_numpy()
        if relative:
            half = half * np.abs(forecast)
        columns[f"lower_{_name(level)}"] = forecast - half
        columns[f"upper_{_name(level)}"] = forecast + half
    return columns


def conformal_intervals(forecast, results, levels=LEVELS, relative=False):
    """Put conformal prediction intervals around a new forecast.

    ``forecast`` is the forecast to wrap (e.g. the future forecast of a
    model fitted on all the data); ``results`` are the backtest folds of
    the same recipe, the past errors that set each step's half-width
    (:func:`residual_quantiles`). The forecast must have one value per
    step of the backtest's horizon.

    Returns a DataFrame with the forecast's index (its future dates) and
    columns ``forecast``, ``lower_80``, ``upper_80``, ``lower_95``,
    ``upper_95`` (one pair per level).

    Chapter: "Prediction intervals".
    """
    half_widths = residual_quantiles(results, levels, relative)
    values = as_numeric_array(forecast, "forecast").astype("float64")
    values = values.reshape(-1) if values.ndim == 2 and 1 in values.shape \
        else values
    if values.ndim != 1 or len(values) != len(half_widths):
        raise ValueError(
            f"forecast has shape {values.shape}, but the backtest's horizon "
            f"has {len(half_widths)} steps; pass one value per step."
        )
    check_finite(values, "forecast")
    index = getattr(forecast, "index", None)
    if index is None or len(index) != len(values):
        index = pd.RangeIndex(1, len(values) + 1, name="step")
    table = pd.DataFrame({"forecast": values,
                          **_bands(values, half_widths, relative)},
                         index=index)
    return table


def rolling_intervals(results, levels=LEVELS, relative=False, window=None):
    """Calibrate every backtest fold on the folds that came before it.

    For the fold that forecasts from origin ``t``, the half-widths come
    only from folds whose whole horizon was observed before ``t`` (the
    errors a forecaster running live would know by then), optionally only
    the ``window`` most recent of them. A fold is never calibrated on its
    own errors or on later ones, so the coverage of the returned intervals
    is an honest, out-of-sample measurement. Folds with too few earlier
    folds for every level (19 for 95%) are dropped.

    ``results`` is a :func:`~lstmbook.backtest.backtest` table, with one
    or more methods (each calibrated on its own errors). Returns its rows
    for the scored folds, with columns ``lower_XX``/``upper_XX`` and
    ``n_calibration`` (how many folds set the width) added.

    Chapter: "Prediction intervals".
    """
    check_results(results, _RESULTS, "lstmbook.backtest")
    levels = _levels(levels)
    if "date" not in results.columns:
        raise TypeError("results needs the 'date' column of lb.backtest.")
    if window is not None:
        window = check_steps(window, "window")
        if window < _min_folds(max(levels)):
            raise ValueError(
                f"window={window} folds is too few for a "
                f"{_name(max(levels))}% interval; it needs at least "
                f"{_min_folds(max(levels))}."
            )
    need = _min_folds(max(levels))
    errors = _errors(results, relative)
    scored = []
    for _, rows in results.groupby("method", sort=False):
        ends = rows.groupby("origin")["date"].max().sort_index()
        origins = ends.index.to_numpy()
        for origin in origins:
            done = ends.index[ends.to_numpy() < origin]
            if window is not None:
                done = done[-window:]
            if len(done) < need:
                continue
            past = rows[rows["origin"].isin(done)]
            half_widths = _quantiles(errors.loc[past.index], past["step"],
                                     levels)
            fold = rows[rows["origin"] == origin]
            by_step = half_widths.reindex(fold["step"].to_numpy())
            forecast = fold["forecast"].to_numpy()
            bands = _bands(forecast, by_step, relative)
            scored.append(fold.assign(**bands, n_calibration=len(done)))
    if not scored:
        raise ValueError(
            f"no fold has the {need} earlier, finished folds a "
            f"{_name(max(levels))}% interval needs; run lstmbook.backtest "
            "with more origins (e.g. step=1 and a larger n_origins)."
        )
    return pd.concat(scored)


# --- Monte-Carlo dropout -----------------------------------------------------

def mc_dropout_forecast(forecaster, history=None, levels=LEVELS,
                        n_samples=200, seed=0, future=None):
    """Prediction intervals from Monte-Carlo dropout.

    ``forecaster`` is a fitted
    :class:`~lstmbook.forecasting.LSTMForecaster` built with dropout. It
    draws ``n_samples`` forecast paths with dropout on
    (:meth:`~lstmbook.uncertainty.DropoutPaths.sample_paths`) from the
    end of ``history`` (default: the data it was fitted on); the
    ``forecast`` column is their mean, and the interval of level ``p``
    runs from the ``(1 - p) / 2`` to the ``(1 + p) / 2`` quantile of the
    paths at each step. ``future`` holds the known inputs of the forecast
    steps, for a forecaster with ``known`` columns.

    Returns a DataFrame indexed by the future dates with columns
    ``forecast``, ``lower_80``, ``upper_80``, ``lower_95``, ``upper_95``.

    Chapter: "Prediction intervals".
    """
    if not hasattr(forecaster, "sample_paths"):
        raise TypeError(
            "forecaster must be a fitted lstmbook.LSTMForecaster (built "
            f"with dropout), got {type(forecaster).__name__}."
        )
    levels = _levels(levels)
    paths = forecaster.sample_paths(n_samples, history=history, seed=seed,
                                    future=future)
    values = paths.to_numpy()
    table = pd.DataFrame({"forecast": values.mean(axis=1)}, index=paths.index)
    for level in levels:
        table[f"lower_{_name(level)}"] = np.quantile(values, (1 - level) / 2,
                                                     axis=1)
        table[f"upper_{_name(level)}"] = np.quantile(values, (1 + level) / 2,
                                                     axis=1)
    return table


# --- scoring -----------------------------------------------------------------

def _interval_levels(table) -> list[str]:
    names = [m.group(1) for c in table.columns
             if (m := _COLUMN.match(str(c)))]
    missing = [n for n in names if f"upper_{n}" not in table.columns]
    if not names or missing:
        raise TypeError(
            "the table needs interval columns lower_XX and upper_XX (e.g. "
            "lower_80, upper_80), as rolling_intervals returns."
        )
    return sorted(names, key=float)


def interval_scores(table) -> pd.DataFrame:
    """Coverage and mean width of every interval level, per method.

    ``table`` has columns ``actual``, ``lower_XX`` and ``upper_XX`` (and
    ``method``, ``origin`` when it comes from :func:`rolling_intervals` or
    several folds). Returns one row per method and level: the nominal
    ``level``, the ``coverage`` measured (the share of truths inside), its
    ``gap`` to the nominal level (coverage minus level: negative = too
    narrow), the ``mean width`` of the intervals in the data's units, and
    the number of ``folds`` scored.

    Chapter: "Prediction intervals".
    """
    if not isinstance(table, pd.DataFrame) or "actual" not in table.columns:
        raise TypeError(
            "pass a DataFrame with an 'actual' column and interval columns "
            "lower_XX/upper_XX, e.g. the table rolling_intervals returns."
        )
    names = _interval_levels(table)
    if "method" in table.columns:
        groups = table.groupby("method", sort=False)
    else:
        groups = [("forecast", table)]
    rows = []
    for method, rows_ in groups:
        folds = rows_["origin"].nunique() if "origin" in rows_.columns else 1
        for name in names:
            lower, upper = rows_[f"lower_{name}"], rows_[f"upper_{name}"]
            level = float(name) / 100
            covered = coverage(rows_["actual"], lower, upper)
            rows.append({
                "method": method, "level": level, "coverage": covered,
                "gap": covered - level,
                "mean width": float((upper - lower).mean()),
                "folds": folds,
            })
    return pd.DataFrame(rows).set_index(["method", "level"])


class DropoutPaths:
    """Monte-Carlo dropout paths for a one-series forecaster.

    Mixed into :class:`~lstmbook.forecasting.LSTMForecaster` (it reads
    its history, ensemble and strategy); :func:`mc_dropout_forecast` turns
    the paths into intervals.
    """

    def sample_paths(self, n_samples=200, history=None, seed=0,
                     future=None):
        """Monte-Carlo dropout: ``n_samples`` possible forecast paths.

        The forecast of
        :meth:`~lstmbook.forecasting.LSTMForecaster.predict`, run
        ``n_samples`` times with dropout left on
        (``model(x, training=True)``): each run switches
        off a different random set of units and gives a slightly
        different path. Their spread shows how unsure the network is of
        its own weights; it does not include the noise of the data itself
        (chapter "Prediction intervals" measures what that does to the
        intervals). Needs models with dropout, e.g.
        ``LSTMForecaster(..., dropout=0.2)`` (vanilla or stacked). With
        several seeds, each model draws ``n_samples`` paths and they are
        pooled. ``seed`` makes the draws repeatable; ``history`` and
        ``future`` are as in
        :meth:`~lstmbook.forecasting.LSTMForecaster.predict`.

        Returns a DataFrame, one row per forecast step (the future dates
        when the history has dates) and one column per path, in the
        data's units.

        Chapter: "Prediction intervals".
        """
        table, index, z = self._history(history)
        n_samples = check_steps(n_samples, "n_samples")
        self.ensemble_.seed_dropout(check_seed(seed))
        windows = np.repeat(z[np.newaxis, -self.n_steps_in:], n_samples,
                            axis=0)
        rows = self._known_rows(future, index, table.shape[1])
        rows = None if rows is None else np.repeat(rows, n_samples, axis=0)
        z_paths = np.vstack([self._roll(windows, [model], training=True,
                                        future=rows)
                             for model in self.models_])
        values = np.column_stack([self.transforms_.inverse(p, table[:, 0])
                                  for p in z_paths])
        return pd.DataFrame(values,
                            index=self._future_rows(index, self.horizon))
