"""Evaluation: honest splits, scaling, baselines, error metrics, backtests.

Everything here serves one rule: a forecast is judged only on data the model
did not see, against simple forecasts that any model must beat.

* :func:`chronological_split` cuts a series into train / validation / test
  in time order (never shuffled).
* :class:`Scaler` learns its statistics from the training part only and
  applies those same numbers to everything else; fitting it on all the data
  would let the test period's level leak into training.
* Baselines: :func:`naive_forecast`, :func:`seasonal_naive_forecast`,
  :func:`drift_forecast`, :func:`mean_forecast`.
* Metrics: :func:`mae`, :func:`rmse`, :func:`smape`, :func:`mase`.
* :func:`backtest` evaluates forecasters from several rolling origins
  (walk-forward), :func:`summarize` turns its table into one score per
  method, :func:`error_by_step` into one per horizon step.

Chapter: "Vanilla LSTM" (scaling for ``tanh``); "From toy to real";
"Evaluating forecasts honestly".
"""

from __future__ import annotations

import sys
from collections import namedtuple

import numpy as np
import pandas as pd

from ._checks import (as_numeric_array, check_finite, check_forecasters,
                      check_steps)

__all__ = [
    "chronological_split",
    "Scaler",
    "naive_forecast",
    "seasonal_naive_forecast",
    "drift_forecast",
    "mean_forecast",
    "mae",
    "rmse",
    "smape",
    "mase",
    "rolling_origins",
    "backtest",
    "summarize",
    "error_by_step",
]

Split = namedtuple("Split", ["train", "val", "test"])


def _size(value, n: int, name: str) -> int:
    """A part's length from a count (int) or a fraction of ``n`` (float)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number of steps or a fraction.")
    if isinstance(value, (int, np.integer)):
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
    if not hasattr(data, "__len__") or isinstance(data, (str, bytes)):
        raise TypeError(
            "data must be a list, NumPy array or pandas Series/DataFrame."
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
    if isinstance(data, list):
        take = np.asarray(data)
    train = take[:n_train]
    val = take[n_train:n_train + n_val] if n_val else None
    test = take[n_train + n_val:]
    return Split(train, val, test)


class Scaler:
    """Scale each column with statistics of the training data, and invert.

    ``method="standard"`` maps a column to ``(x - mean) / std``;
    ``method="minmax"`` maps the training range to ``[0, 1]``. Fit on a 1-D
    series (one set of statistics) or a 2-D table (one per column). The
    statistics then apply along the *last* axis of whatever you transform, so
    windows ``X`` of shape ``(samples, steps, features)`` and targets ``y``
    scale with the same fitted object. A column that is constant in the
    training data gets a scale of 1 (it is only shifted).

    >>> scaler = Scaler().fit([10, 20, 30])
    >>> scaler.transform([20, 40]).tolist()
    [0.0, 2.449489742783178]
    >>> scaler.inverse_transform(scaler.transform([20, 40])).tolist()
    [20.0, 40.0]

    Chapter: "Vanilla LSTM" (``tanh`` needs scaled inputs).
    """

    METHODS = ("standard", "minmax")

    def __init__(self, method: str = "standard"):
        if method not in self.METHODS:
            raise ValueError(
                f"method must be one of {self.METHODS}, got {method!r}."
            )
        self.method = method
        self.center_ = None
        self.scale_ = None

    def fit(self, data) -> "Scaler":
        """Learn the statistics from ``data`` (the training part only)."""
        array = as_numeric_array(data, "data").astype("float64")
        if array.ndim not in (1, 2) or len(array) == 0:
            raise ValueError(
                "fit the scaler on a non-empty 1-D series or a 2-D table "
                f"(time steps x columns), got shape {array.shape}."
            )
        check_finite(array, "data")
        if self.method == "standard":
            center, scale = array.mean(axis=0), array.std(axis=0)
        else:
            center = array.min(axis=0)
            scale = array.max(axis=0) - center
        self.center_ = center
        self.scale_ = np.where(scale > 0, scale, 1.0)
        return self

    def _stats(self, columns):
        if self.center_ is None:
            raise ValueError(
                "this Scaler is not fitted yet; call scaler.fit(train) first."
            )
        if columns is None:
            return self.center_, self.scale_
        if np.ndim(self.center_) == 0:
            raise ValueError(
                "columns= only applies to a scaler fitted on a 2-D table."
            )
        try:
            return self.center_[columns], self.scale_[columns]
        except IndexError:
            raise ValueError(
                f"columns={columns!r} is out of range for a scaler fitted on "
                f"{len(self.center_)} columns."
            ) from None

    def _values(self, data, columns):
        center, scale = self._stats(columns)
        array = as_numeric_array(data, "data").astype("float64")
        if np.ndim(center) and array.shape[-1:] != np.shape(center):
            raise ValueError(
                f"data's last axis has {array.shape[-1:]} values but the "
                f"scaler has statistics for {np.shape(center)} columns; "
                "pass columns=... to pick the ones you are transforming."
            )
        return array, center, scale

    def transform(self, data, columns=None) -> np.ndarray:
        """Scale ``data`` with the fitted statistics.

        ``columns`` picks the statistics of some columns of the fitted table,
        e.g. ``columns=-1`` for targets taken from the last column.
        """
        array, center, scale = self._values(data, columns)
        return (array - center) / scale

    def inverse_transform(self, data, columns=None) -> np.ndarray:
        """Undo :meth:`transform`: back to the data's original units."""
        array, center, scale = self._values(data, columns)
        return array * scale + center

    def fit_transform(self, data) -> np.ndarray:
        """``fit(data)`` then ``transform(data)``."""
        return self.fit(data).transform(data)

    def __repr__(self) -> str:
        state = "unfitted" if self.center_ is None else "fitted"
        return f"Scaler(method={self.method!r}, {state})"


# --- baselines ---------------------------------------------------------------

def _history(train, name="train") -> tuple[np.ndarray, object]:
    """The training values as a finite 1-D float array, and their index."""
    values = as_numeric_array(train, name)
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
    return values.astype("float64"), getattr(train, "index", None)


def _dated(values: np.ndarray, train, horizon: int):
    """Give a forecast the future dates of ``train``, if it has dates."""
    index = getattr(train, "index", None)
    if isinstance(index, pd.DatetimeIndex):
        from .datasets import future_index

        return pd.Series(values, index=future_index(train, horizon),
                         name=getattr(train, "name", None))
    return values


def naive_forecast(train, horizon):
    """Repeat the last observed value ``horizon`` times.

    The forecast every model must beat first: if an LSTM's forecast looks
    like the series shifted by one step, it has learned this.

    Returns a Series indexed by the future dates when ``train`` is a dated
    Series, otherwise an array.

    Chapter: "Evaluating forecasts honestly".
    """
    horizon = check_steps(horizon, "horizon")
    values, _ = _history(train)
    return _dated(np.full(horizon, values[-1]), train, horizon)


def seasonal_naive_forecast(train, horizon, season):
    """Repeat the last observed season: ``y[T+h] = y[T+h-k*season]``.

    With ``season=12`` on monthly data, next January is forecast as last
    January. ``season=1`` is the naive forecast.

    Chapter: "Evaluating forecasts honestly".
    """
    horizon = check_steps(horizon, "horizon")
    season = check_steps(season, "season")
    values, _ = _history(train)
    if len(values) < season:
        raise ValueError(
            f"train has {len(values)} values, fewer than one season of "
            f"{season}; the seasonal naive forecast needs a full season."
        )
    last_season = values[-season:]
    return _dated(last_season[np.arange(horizon) % season], train, horizon)


def drift_forecast(train, horizon):
    """Extend the line from the first to the last observation.

    Chapter: "Evaluating forecasts honestly".
    """
    horizon = check_steps(horizon, "horizon")
    values, _ = _history(train)
    if len(values) < 2:
        raise ValueError("the drift forecast needs at least 2 values.")
    slope = (values[-1] - values[0]) / (len(values) - 1)
    return _dated(values[-1] + slope * np.arange(1, horizon + 1), train,
                  horizon)


def mean_forecast(train, horizon):
    """Forecast the mean of the training data at every step.

    Chapter: "Evaluating forecasts honestly".
    """
    horizon = check_steps(horizon, "horizon")
    values, _ = _history(train)
    return _dated(np.full(horizon, values.mean()), train, horizon)


# --- metrics -----------------------------------------------------------------

def _pair(y_true, y_pred):
    true = as_numeric_array(y_true, "y_true").astype("float64")
    pred = as_numeric_array(y_pred, "y_pred").astype("float64")
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true has shape {true.shape} but y_pred has shape "
            f"{pred.shape}; they must match value for value. (Reshape or "
            "inverse-scale the forecast first.)"
        )
    if true.size == 0:
        raise ValueError("y_true is empty; there is nothing to score.")
    check_finite(true, "y_true")
    check_finite(pred, "y_pred")
    return true, pred


def mae(y_true, y_pred) -> float:
    """Mean absolute error, in the data's units.

    Chapter: "Evaluating forecasts honestly".
    """
    true, pred = _pair(y_true, y_pred)
    return float(np.mean(np.abs(true - pred)))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error, in the data's units; punishes big misses.

    Chapter: "Evaluating forecasts honestly".
    """
    true, pred = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((true - pred) ** 2)))


def smape(y_true, y_pred) -> float:
    """Symmetric mean absolute percentage error, 0 to 200 (%).

    ``200 * mean(|y - yhat| / (|y| + |yhat|))``; a step where both are 0
    counts as 0 error.

    Chapter: "Evaluating forecasts honestly".
    """
    true, pred = _pair(y_true, y_pred)
    denom = np.abs(true) + np.abs(pred)
    ratio = np.divide(np.abs(true - pred), denom,
                      out=np.zeros_like(denom), where=denom > 0)
    return float(200 * np.mean(ratio))


def _naive_scale(train, season: int) -> float:
    values, _ = _history(train, "y_train")
    if len(values) <= season:
        raise ValueError(
            f"y_train has {len(values)} values; the MASE scale needs more "
            f"than one season ({season})."
        )
    return float(np.mean(np.abs(values[season:] - values[:-season])))


def mase(y_true, y_pred, y_train, season=1) -> float:
    """Mean absolute scaled error.

    The forecast's MAE divided by the in-sample MAE of the seasonal naive
    forecast on the *training* data (one step ahead, period ``season``).
    Below 1: better than that naive forecast did in-sample; comparable
    across series of different units.

    Chapter: "Evaluating forecasts honestly".
    """
    season = check_steps(season, "season")
    scale = _naive_scale(y_train, season)
    if scale == 0:
        raise ValueError(
            "the training data never changes over a season, so the MASE "
            "scale is 0; use MAE for a constant series."
        )
    return mae(y_true, y_pred) / scale


# --- rolling-origin backtest ---------------------------------------------------

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


def _progress(total, enabled, desc):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, desc=desc, unit="fit")


def backtest(series, forecasters, horizon, n_origins=10, step=None,
             season=1, target=None, progress=None) -> pd.DataFrame:
    """Rolling-origin (walk-forward) evaluation of several forecasters.

    For each origin ``t`` of :func:`rolling_origins`, every forecaster is
    called with the history ``series[:t]`` only, and must return
    ``horizon`` values (array or Series). A forecaster is any callable
    ``f(history) -> forecast``: a baseline such as
    ``lambda h: lb.seasonal_naive_forecast(h, 12, 12)``, or an
    :class:`~lstmbook.forecasting.LSTMForecaster`, which refits (or
    updates) itself on each history. It never sees the values it is scored
    on.

    ``series`` is a Series, or a DataFrame with ``target`` naming the column
    to forecast (the other columns are extra inputs the forecaster may use).

    Returns a tidy table, one row per method, origin and horizon step:
    ``method, origin, step, date, actual, forecast, error, scale``, where
    ``scale`` is the fold's MASE denominator (the in-sample seasonal naive
    MAE of its own training data). :func:`summarize` and
    :func:`error_by_step` turn it into scores. ``progress=True`` shows a
    progress bar (default: only in a terminal).

    Chapter: "Evaluating forecasts honestly".
    """
    check_forecasters(forecasters,
                      "lambda history: lb.naive_forecast(history, 12)")
    if not isinstance(series, (pd.Series, pd.DataFrame)):
        series = pd.Series(_history(series, "series")[0])
    if isinstance(series, pd.DataFrame):
        if target not in series.columns:
            raise ValueError(
                f"series is a table; pass target= one of its columns "
                f"{list(series.columns)} (the one to forecast)."
            )
        y = series[target]
    else:
        y = series
    values, _ = _history(y, "series")
    horizon = check_steps(horizon, "horizon")
    season = check_steps(season, "season")
    origins = rolling_origins(len(values), horizon, n_origins, step)
    index = y.index
    bar = _progress(len(origins) * len(forecasters), progress, "backtest")
    rows = []
    for t in origins:
        history = series.iloc[:t]
        scale = _naive_scale(values[:t], season)
        actual = values[t:t + horizon]
        for name, forecaster in forecasters.items():
            forecast = forecaster(history)
            forecast = as_numeric_array(forecast, f"{name}'s forecast")
            forecast = forecast.astype("float64").reshape(-1)
            if forecast.shape != (horizon,):
                raise ValueError(
                    f"forecaster {name!r} returned {forecast.size} values "
                    f"at origin {t}; it must return horizon={horizon}."
                )
            check_finite(forecast, f"{name}'s forecast")
            for k in range(horizon):
                rows.append((name, index[t], k + 1, index[t + k], actual[k],
                             forecast[k], forecast[k] - actual[k], scale))
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return pd.DataFrame(rows, columns=[
        "method", "origin", "step", "date", "actual", "forecast", "error",
        "scale"])


def _check_results(results):
    needed = {"method", "origin", "step", "actual", "forecast", "error",
              "scale"}
    if not isinstance(results, pd.DataFrame) or not needed <= set(
            results.columns):
        raise TypeError(
            "pass the table returned by lstmbook.backtest (columns "
            f"{sorted(needed)})."
        )


def summarize(results) -> pd.DataFrame:
    """One row per method: MAE, RMSE, sMAPE and MASE over all folds.

    MAE, RMSE and sMAPE are computed per fold and averaged; MASE is each
    fold's MAE divided by that fold's own scale, averaged over folds.
    Sorted by MASE, with its rank (1 = best).

    Chapter: "Evaluating forecasts honestly".
    """
    _check_results(results)
    rows = []
    for (method, _), fold in results.groupby(["method", "origin"],
                                             sort=False):
        fold_mae = mae(fold["actual"], fold["forecast"])
        rows.append({
            "method": method, "MAE": fold_mae,
            "RMSE": rmse(fold["actual"], fold["forecast"]),
            "sMAPE": smape(fold["actual"], fold["forecast"]),
            "MASE": fold_mae / fold["scale"].iloc[0],
        })
    table = pd.DataFrame(rows).groupby("method", sort=False).mean()
    table = table.sort_values("MASE")
    table["rank"] = np.arange(1, len(table) + 1)
    return table


def error_by_step(results, metric="MAE") -> pd.DataFrame:
    """Error per horizon step (rows) and method (columns).

    ``metric`` is ``"MAE"``, ``"RMSE"`` or ``"MASE"`` (each fold's absolute
    errors divided by its scale, then averaged). Errors of a multi-step
    forecast grow with the step: the further ahead, the less the recent
    past tells.

    Chapter: "Evaluating forecasts honestly"; "Forecasting the future".
    """
    _check_results(results)
    frame = results.assign(abs_error=results["error"].abs())
    if metric == "MAE":
        values = frame["abs_error"]
    elif metric == "MASE":
        values = frame["abs_error"] / frame["scale"]
    elif metric == "RMSE":
        values = frame["error"] ** 2
    else:
        raise ValueError(
            f"metric must be 'MAE', 'RMSE' or 'MASE', got {metric!r}."
        )
    table = (frame.assign(value=values)
             .pivot_table(index="step", columns="method", values="value",
                          aggfunc="mean", sort=False))
    return np.sqrt(table) if metric == "RMSE" else table
