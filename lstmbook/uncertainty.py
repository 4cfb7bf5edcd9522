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
* **A distribution head** (:func:`distribution_forecast`): a network
  trained to output quantiles, or a normal or Student-t distribution
  (:mod:`lstmbook.distributions`); the intervals are its quantiles, or
  quantiles of its sample paths.

Whatever the method, score the intervals on folds that were *not* used to
calibrate them: the share of truths inside (:func:`coverage`) should be
close to the nominal level, and the interval should not be uselessly wide
(:func:`interval_scores` reports both, and the Winkler score
(:func:`winkler_score`) that weighs one against the other;
:func:`pinball_scores` scores the quantiles themselves).

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
    "distribution_forecast",
    "interval_scores",
    "winkler_score",
    "pinball_loss",
    "pinball_scores",
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
    true, low, high = _three(actual, lower, upper)
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
    if getattr(forecaster, "head_", None) is not None:
        raise TypeError(
            "this forecaster ends in a distribution head; its intervals come "
            "from lb.distribution_forecast, not from Monte-Carlo dropout."
        )
    levels = _levels(levels)
    paths = forecaster.sample_paths(n_samples, history=history, seed=seed,
                                    future=future)
    values = paths.to_numpy()
    return _quantile_table(values.mean(axis=1), paths.index, levels,
                           lambda q: np.quantile(values, q, axis=1))


def _quantile_table(forecast, index, levels, quantile) -> pd.DataFrame:
    """``forecast`` and the bounds ``quantile((1 -+ level) / 2)``."""
    table = pd.DataFrame({"forecast": forecast}, index=index)
    for level in levels:
        table[f"lower_{_name(level)}"] = quantile((1 - level) / 2)
        table[f"upper_{_name(level)}"] = quantile((1 + level) / 2)
    return table


def distribution_forecast(forecaster, history=None, levels=LEVELS,
                          n_samples=1000, seed=0, future=None):
    """The median and prediction intervals of a distribution head.

    ``forecaster`` is a fitted
    :class:`~lstmbook.forecasting.LSTMForecaster` built with
    ``distribution=`` (:mod:`lstmbook.distributions`). A quantile head
    gives its own quantiles: the interval of level ``p`` runs from its
    ``(1 - p) / 2`` to its ``(1 + p) / 2`` quantile, which must be among
    the levels it was trained for. A normal or Student-t head draws
    ``n_samples`` paths (:meth:`~lstmbook.uncertainty.DropoutPaths.sample_paths`,
    repeatable with ``seed``) and takes their quantiles. ``history`` and
    ``future`` are as in
    :meth:`~lstmbook.forecasting.LSTMForecaster.predict`.

    Returns a DataFrame indexed by the future dates with columns
    ``forecast`` (the median), ``lower_80``, ``upper_80``, ``lower_95``,
    ``upper_95`` (one pair per level), in the data's units.

    Chapter: "Forecasts as distributions".
    """
    head = getattr(forecaster, "head_", None)
    if head is None:
        raise TypeError(
            "forecaster must be a fitted lstmbook.LSTMForecaster built with "
            "distribution='quantile', 'normal' or 'student_t'; for a point "
            "forecaster use lb.conformal_intervals or lb.mc_dropout_forecast."
        )
    levels = _levels(levels)
    if head.samples:
        paths = forecaster.sample_paths(n_samples, history=history,
                                        seed=seed, future=future)
        values = paths.to_numpy()
        return _quantile_table(np.median(values, axis=1), paths.index,
                               levels,
                               lambda q: np.quantile(values, q, axis=1))
    for level in levels:  # each bound must be one of the head's levels
        head.level_index((1 - level) / 2)
        head.level_index((1 + level) / 2)
    quantiles = forecaster.quantile_forecasts(history, future)
    return _quantile_table(
        quantiles[0.5].to_numpy(), quantiles.index, levels,
        lambda q: quantiles.iloc[:, head.level_index(q)].to_numpy())


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


def _same_shape(**named) -> list[np.ndarray]:
    """Checked, finite float arrays of one shape, not empty."""
    arrays = []
    for name, data in named.items():
        array = as_numeric_array(data, name).astype("float64")
        check_finite(array, name)
        arrays.append(array)
    if len({a.shape for a in arrays}) > 1:
        raise ValueError(
            f"{', '.join(named)} must have the same shape, got "
            f"{', '.join(str(a.shape) for a in arrays)}."
        )
    if arrays[0].size == 0:
        raise ValueError("actual is empty; there is nothing to score.")
    return arrays


def _three(actual, lower, upper):
    """Checked ``actual``, ``lower``, ``upper`` (lower never above upper)."""
    true, low, high = _same_shape(actual=actual, lower=lower, upper=upper)
    if np.any(low > high):
        raise ValueError(
            f"lower is above upper at {int(np.sum(low > high))} position(s); "
            "pass the arguments in the order (actual, lower, upper)."
        )
    return true, low, high


def winkler_score(actual, lower, upper, level) -> float:
    """The mean Winkler (interval) score of intervals of one ``level``.

    Each interval scores its width, plus ``2 / (1 - level)`` times the
    distance by which the truth falls outside it. Lower is better; a
    too-narrow interval pays for every miss, a too-wide one for its width,
    so the score ranks intervals that cover differently (the M4
    competition's MSIS is this score at 95%, divided by the MASE scale).

    Chapter: "Forecasts as distributions".
    """
    (level,) = _levels(level)
    true, low, high = _three(actual, lower, upper)
    penalty = 2 / (1 - level) * (np.maximum(low - true, 0)
                                 + np.maximum(true - high, 0))
    return float(np.mean(high - low + penalty))


def pinball_loss(actual, forecast, quantile) -> float:
    """The mean pinball (quantile) loss of a forecast of one quantile.

    For an error ``e = actual - forecast``, the loss is ``quantile * e``
    when the truth is above the forecast and ``(quantile - 1) * e`` below:
    the 90% quantile pays nine times more for being too low than too high,
    and its expected loss is smallest at the true 90% quantile. At 0.5 it
    is half the absolute error. Averaged over many levels spread evenly
    in (0, 1), twice the pinball loss approaches the CRPS.

    Chapter: "Forecasts as distributions".
    """
    (quantile,) = _levels(quantile)
    true, value = _same_shape(actual=actual, forecast=forecast)
    error = true - value
    return float(np.mean(np.maximum(quantile * error,
                                    (quantile - 1) * error)))


def pinball_scores(table) -> pd.DataFrame:
    """The pinball loss of every quantile an interval table holds.

    ``table`` has columns ``actual``, ``forecast`` (taken as the median,
    the 0.5 quantile) and ``lower_XX``/``upper_XX`` (the ``(1 - p) / 2``
    and ``(1 + p) / 2`` quantiles of level ``p``), and optionally
    ``method``. Returns one row per method and one column per quantile,
    plus ``mean``, their average (lower is better).

    Chapter: "Forecasts as distributions".
    """
    _check_table(table, need_forecast=True)
    columns = {0.5: "forecast"}
    for name in _interval_levels(table):
        level = float(name) / 100
        columns[round((1 - level) / 2, 10)] = f"lower_{name}"
        columns[round((1 + level) / 2, 10)] = f"upper_{name}"
    rows = {}
    for method, part in _by_method(table):
        rows[method] = {q: pinball_loss(part["actual"], part[columns[q]], q)
                        for q in sorted(columns)}
    scores = pd.DataFrame.from_dict(rows, orient="index")
    scores["mean"] = scores.mean(axis=1)
    scores.index.name = "method"
    return scores


def _check_table(table, need_forecast=False) -> None:
    need = ["actual"] + ["forecast"] * need_forecast
    if not isinstance(table, pd.DataFrame) or any(
            c not in table.columns for c in need):
        raise TypeError(
            "pass a DataFrame with an 'actual' column"
            + (", a 'forecast' column (the median)" if need_forecast else "")
            + " and interval columns lower_XX/upper_XX, e.g. the table "
            "rolling_intervals or distribution_forecast returns."
        )


def _by_method(table):
    if "method" in table.columns:
        return table.groupby("method", sort=False)
    return [("forecast", table)]


def interval_scores(table) -> pd.DataFrame:
    """Coverage, mean width and Winkler score of every level, per method.

    ``table`` has columns ``actual``, ``lower_XX`` and ``upper_XX`` (and
    ``method``, ``origin`` when it comes from :func:`rolling_intervals` or
    several folds). Returns one row per method and level: the nominal
    ``level``, the ``coverage`` measured (the share of truths inside), its
    ``gap`` to the nominal level (coverage minus level: negative = too
    narrow), the ``mean width`` of the intervals in the data's units, and
    the number of ``folds`` scored, and the mean ``winkler`` score
    (:func:`winkler_score`, in the data's units; lower is better).

    Chapter: "Prediction intervals".
    """
    _check_table(table)
    names = _interval_levels(table)
    rows = []
    for method, rows_ in _by_method(table):
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
                "winkler": winkler_score(rows_["actual"], lower, upper,
                                         level),
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

        A forecaster with a normal or Student-t head
        (``distribution=``, :mod:`lstmbook.distributions`) draws its paths
        from that distribution instead, with dropout off: each step's value
        is a random draw, and with ``strategy="recursive"`` the draw is fed
        back as the next input (DeepAR's sample paths; chapter "Forecasts
        as distributions").

        Returns a DataFrame, one row per forecast step (the future dates
        when the history has dates) and one column per path, in the
        data's units.

        Chapter: "Prediction intervals".
        """
        table, index, z = self._history(history)
        n_samples = check_steps(n_samples, "n_samples")
        seed = check_seed(seed)
        head = getattr(self, "head_", None)
        if head is not None and not head.samples:
            raise ValueError(
                "a quantile head outputs quantiles, not paths; use "
                "lb.distribution_forecast for its intervals, or "
                "distribution='normal' or 'student_t' for sample paths."
            )
        if head is None:
            self.ensemble_.seed_dropout(seed)
        windows = np.repeat(z[np.newaxis, -self.n_steps_in:], n_samples,
                            axis=0)
        rows = self._known_rows(future, index, table.shape[1])
        rows = None if rows is None else np.repeat(rows, n_samples, axis=0)
        z_paths = np.vstack([
            self._roll(windows, [model], training=head is None, future=rows,
                       draw=None if head is None
                       else np.random.default_rng([seed, k]))
            for k, model in enumerate(self.models_)])
        return self._paths_table(z_paths, table, index)

    def quantile_forecasts(self, history=None, future=None):
        """A quantile head's forecast of every level: one column per level.

        Each level's steps are transformed back on their own (see
        :mod:`lstmbook.distributions`); with several seeds each level is
        the members' average. ``history`` and ``future`` are as in
        :meth:`~lstmbook.forecasting.LSTMForecaster.predict`.

        Chapter: "Forecasts as distributions".
        """
        head = getattr(self, "head_", None)
        if head is None or head.samples:
            raise ValueError(
                "quantile_forecasts needs distribution='quantile'; for the "
                "normal and Student-t heads use sample_paths or "
                "lb.distribution_forecast."
            )
        table, index, z = self._history(history)
        rows = self._known_rows(future, index, table.shape[1])
        window = z[np.newaxis, -self.n_steps_in:]
        z_levels = np.vstack([self._roll(window, None, future=rows, draw=q)
                              for q in head.quantiles])
        quantiles = self._paths_table(z_levels, table, index)
        quantiles.columns = list(head.quantiles)
        return quantiles

    def _paths_table(self, z_paths, table, index) -> pd.DataFrame:
        """Paths of the modelled series back in the data's units."""
        values = np.column_stack([self.transforms_.inverse(p, table[:, 0])
                                  for p in z_paths])
        return pd.DataFrame(values,
                            index=self._future_rows(index, self.horizon))
