"""Many series at once: one global LSTM, or one local model per series.

A *panel* is a DataFrame with a ``DatetimeIndex`` (one row per time step)
and one column per series: sales of 100 products, employment in 22
sectors. There are two ways to forecast it:

* **local**: one model per series, trained on that series alone
  (:func:`per_series` turns any one-series forecaster into a panel one);
* **global**: one model trained on the windows of *all* series at once
  (:class:`GlobalLSTMForecaster`). Each series is normalised and scaled
  with its own statistics, so series of very different sizes look alike,
  and an optional one-hot identifier tells the model which series a
  window comes from.

:func:`backtest_panel` evaluates both kinds with the book's rolling-origin
protocol and records how long each took; :func:`mase_by_series` turns its
table into one MASE per series and method.

Chapter: "Many series".
"""

from __future__ import annotations

import time

import keras
import numpy as np
import pandas as pd

from . import models
from ._checks import (as_numeric_array, check_finite, check_forecasters,
                      check_steps)
from .datasets import future_index
from .evaluation import Scaler, _naive_scale, rolling_origins
from .forecasting import LSTMForecaster
from .training import fit, predict, set_seed
from .windows import make_windows

__all__ = ["GlobalLSTMForecaster", "per_series", "backtest_panel",
           "mase_by_series"]

SERIES_ID = ("onehot", None)


def _as_panel(panel, name="panel"):
    """A panel's values ``(time, series)`` as floats, its columns, index."""
    if not isinstance(panel, pd.DataFrame):
        raise TypeError(
            f"{name} must be a pandas DataFrame with one column per series "
            f"(got {type(panel).__name__}). For one series use "
            "lstmbook.LSTMForecaster."
        )
    if panel.shape[1] == 0:
        raise ValueError(f"{name} has no columns (series).")
    if panel.columns.duplicated().any():
        dup = list(panel.columns[panel.columns.duplicated()])
        raise ValueError(f"{name} has duplicated column names {dup}.")
    values = as_numeric_array(panel, name).astype("float64")
    check_finite(values, name)
    return values, list(panel.columns), panel.index


class GlobalLSTMForecaster:
    """One LSTM trained on the windows of many series at once.

    For every series (column) of the panel, the forecaster cuts windows of
    ``n_steps_in`` inputs and ``horizon`` targets, subtracts each window's
    last input value (``normalize="last"``), and scales them with a
    :class:`~lstmbook.evaluation.Scaler` fitted on *that series'* training
    windows only. With ``series_id="onehot"`` each window also carries a
    one-hot code of its series as extra input features (the same at every
    step); the LSTM's input weights for those features act as a learned
    per-series adjustment. With ``series_id=None`` the model does not know
    which series it reads, so it can forecast a series it never saw (cold
    start). Then the windows of all series are stacked and one model is
    trained per seed (their forecasts are averaged).

    ``forecaster(panel)`` fits on the panel and returns the forecast, so
    :func:`backtest_panel` can refit it at every origin.

    Parameters
    ----------
    horizon, n_steps_in : int
        Steps to forecast, and length of the input window.
    units, layers : int
        LSTM units per layer, and number of stacked LSTM layers.
    epochs, batch_size, learning_rate : int, int or None, float
        Training settings for :func:`~lstmbook.training.fit` with the
        Adam optimiser.
    series_id : ``"onehot"`` or None
        Whether the model is told which series each window comes from.
    normalize : ``"last"`` or None
        Subtract each window's last input value from inputs and targets.
    seeds : sequence of int
        One model per seed; the forecast is their average.

    Chapter: "Many series".
    """

    def __init__(self, horizon, n_steps_in, units=32, layers=1, epochs=100,
                 batch_size=64, learning_rate=1e-3, series_id="onehot",
                 normalize="last", seeds=(0,)):
        self.horizon = check_steps(horizon, "horizon")
        self.n_steps_in = check_steps(n_steps_in, "n_steps_in")
        self.units = check_steps(units, "units")
        self.layers = check_steps(layers, "layers")
        self.epochs = check_steps(epochs, "epochs")
        self.batch_size = (None if batch_size is None
                           else check_steps(batch_size, "batch_size"))
        self.learning_rate = float(learning_rate)
        if not self.learning_rate > 0:
            raise ValueError(
                f"learning_rate must be positive, got {learning_rate!r}."
            )
        if series_id not in SERIES_ID:
            raise ValueError(
                f"series_id must be 'onehot' or None, got {series_id!r}."
            )
        if normalize not in ("last", None):
            raise ValueError(
                f"normalize must be 'last' or None, got {normalize!r}."
            )
        seeds = tuple(seeds) if np.iterable(seeds) else (seeds,)
        if not seeds:
            raise ValueError("seeds must name at least one seed, e.g. (0,).")
        self.series_id = series_id
        self.normalize = normalize
        self.seeds = tuple(int(s) for s in seeds)
        self.models_ = None
        self.scalers_ = None
        self.series_ = None
        self.histories_ = None

    def __repr__(self):
        return (f"GlobalLSTMForecaster(horizon={self.horizon}, "
                f"n_steps_in={self.n_steps_in}, units={self.units}, "
                f"layers={self.layers}, epochs={self.epochs}, "
                f"series_id={self.series_id!r}, seeds={self.seeds})")

    # -- windows --------------------------------------------------------------

    def _normalized(self, X, y=None):
        """Subtract each window's last input value (if ``normalize``)."""
        last = X[:, -1:] if self.normalize == "last" else np.zeros_like(
            X[:, -1:])
        return X - last, (None if y is None else y - last), last

    def _features(self, Xs, code):
        """Scaled windows ``(n, steps)`` plus the series code as features."""
        X = Xs[:, :, np.newaxis]
        if self.series_id is None:
            return X
        onehot = np.zeros((len(Xs), Xs.shape[1], len(self.series_)))
        onehot[:, :, code] = 1.0
        return np.concatenate([X, onehot], axis=2)

    # -- fit and predict ------------------------------------------------------

    def fit(self, panel):
        """Train one model on the windows of every series of ``panel``.

        ``panel`` is a DataFrame, one column per series, rows in time
        order, no missing values. Returns ``self``.
        """
        values, columns, index = _as_panel(panel)
        needed = self.n_steps_in + self.horizon
        if len(values) < needed:
            raise ValueError(
                f"the panel has {len(values)} time steps; one window needs "
                f"{needed} (n_steps_in={self.n_steps_in} + "
                f"horizon={self.horizon}). Use a longer panel or a shorter "
                "window."
            )
        self.series_ = columns
        self.scalers_ = {}
        inputs, targets = [], []
        for code, name in enumerate(columns):
            X, y = make_windows(values[:, code], values[:, code],
                                self.n_steps_in, self.horizon, copy=True)
            y = y.reshape(len(y), -1)
            X, y, _ = self._normalized(X, y)
            scaler = Scaler().fit(X.reshape(-1))
            self.scalers_[name] = scaler
            inputs.append(self._features(scaler.transform(X), code))
            targets.append(scaler.transform(y))
        X_all, y_all = np.concatenate(inputs), np.concatenate(targets)
        self.models_, self.histories_ = [], []
        for seed in self.seeds:
            set_seed(seed)
            model = models.stacked_lstm(
                X_all.shape[1:], self.horizon,
                units=(self.units,) * self.layers,
                optimizer=keras.optimizers.Adam(self.learning_rate),
                name="global_lstm")
            self.histories_.append(fit(model, X_all, y_all,
                                       epochs=self.epochs,
                                       batch_size=self.batch_size,
                                       seed=seed))
            self.models_.append(model)
        self.n_windows_ = len(X_all)
        self._values_, self._index_ = values, index
        return self

    def predict(self, panel=None):
        """Forecast ``horizon`` steps after the end of each series.

        ``panel`` defaults to the one given to :meth:`fit`; pass a newer
        one to forecast from its end without refitting. Its columns must
        be series the model was trained on, unless ``series_id=None``: a
        model that never learned series codes can forecast any series
        (cold start); a new series is scaled with statistics of its own
        history. Returns a DataFrame, one row per future step (dated when
        the panel has dates), one column per series.
        """
        if self.models_ is None:
            raise ValueError(
                "this forecaster is not fitted yet; call .fit(panel) first."
            )
        if panel is None:
            values, columns, index = (self._values_, self.series_,
                                      self._index_)
        else:
            values, columns, index = _as_panel(panel)
        if len(values) < self.n_steps_in:
            raise ValueError(
                f"the panel has {len(values)} time steps, fewer than one "
                f"window of n_steps_in={self.n_steps_in}."
            )
        unknown = [c for c in columns if c not in self.scalers_]
        if unknown and self.series_id is not None:
            raise ValueError(
                f"series {unknown} were not in the training panel, and this "
                "model needs each series' one-hot code. Refit with them, or "
                "use series_id=None for a model that can forecast new "
                "series."
            )
        batch, lasts, scalers = [], [], []
        for j, name in enumerate(columns):
            window = values[-self.n_steps_in:, j][np.newaxis]
            Xn, _, last = self._normalized(window)
            scaler = self.scalers_.get(name)
            if scaler is None:  # cold start: the series' own history
                history = np.lib.stride_tricks.sliding_window_view(
                    values[:, j], self.n_steps_in)
                scaler = Scaler().fit(self._normalized(history)[0].ravel())
            code = self.series_.index(name) if name in self.scalers_ else 0
            batch.append(self._features(scaler.transform(Xn), code))
            lasts.append(last[0, 0])
            scalers.append(scaler)
        X = np.concatenate(batch)
        out = np.mean([predict(model, X) for model in self.models_], axis=0)
        forecast = np.column_stack([
            scalers[j].inverse_transform(out[j]) + lasts[j]
            for j in range(len(columns))])
        rows = (future_index(index, self.horizon)
                if isinstance(index, pd.DatetimeIndex)
                else pd.RangeIndex(1, self.horizon + 1, name="step"))
        return pd.DataFrame(forecast, index=rows, columns=columns)

    def __call__(self, panel):
        """Fit on ``panel`` and forecast: the backtest interface."""
        return self.fit(panel).predict()

    # Trainable parameters of one of the models: counted as for one series.
    n_params = LSTMForecaster.n_params


def per_series(forecaster):
    """Make a panel forecaster that forecasts each column on its own.

    ``forecaster`` is any one-series forecaster ``f(history) -> forecast``
    (a baseline such as ``lambda h: lb.naive_forecast(h, 12)``, or an
    :class:`~lstmbook.forecasting.LSTMForecaster`, which refits itself on
    each call). The result is called with a panel and returns a DataFrame
    of forecasts, one column per series: the *local* approach, one model
    per series.

    Chapter: "Many series".
    """
    if not callable(forecaster):
        raise TypeError(
            "forecaster must be callable f(history) -> forecast, e.g. "
            "lambda h: lb.naive_forecast(h, 12) or an LSTMForecaster."
        )

    def forecast_each(panel):
        _as_panel(panel)
        columns = {}
        for name in panel.columns:
            columns[name] = np.asarray(forecaster(panel[name]),
                                       dtype="float64").reshape(-1)
        lengths = {len(v) for v in columns.values()}
        if len(lengths) != 1:
            raise ValueError("the forecaster returned forecasts of "
                             f"different lengths {sorted(lengths)}.")
        horizon = lengths.pop()
        rows = (future_index(panel, horizon)
                if isinstance(panel.index, pd.DatetimeIndex)
                else pd.RangeIndex(1, horizon + 1, name="step"))
        return pd.DataFrame(columns, index=rows)

    forecast_each.forecaster = forecaster
    return forecast_each


def backtest_panel(panel, forecasters, horizon, n_origins=10, step=None,
                   season=1) -> pd.DataFrame:
    """Rolling-origin evaluation of panel forecasters, series by series.

    The protocol of :func:`~lstmbook.evaluation.backtest`, for a panel: at
    each origin ``t`` of :func:`~lstmbook.evaluation.rolling_origins`,
    every forecaster is called with ``panel.iloc[:t]`` (all series up to
    ``t``) and must return ``horizon`` values for every series (a
    DataFrame with the panel's columns, or an array ``(horizon,
    n_series)``). :class:`GlobalLSTMForecaster` and :func:`per_series`
    forecasters both qualify.

    Returns a tidy table, one row per method, series, origin and step:
    ``method, series, origin, step, date, actual, forecast, error, scale,
    seconds``. ``scale`` is the MASE denominator of that series in that
    fold (its in-sample seasonal naive MAE with period ``season``);
    ``seconds`` is how long the method took at that origin for all series
    together (the same in each of its rows). :func:`mase_by_series` scores
    it; ``lstmbook.summarize`` scores one series' rows.

    Chapter: "Many series".
    """
    values, columns, index = _as_panel(panel)
    check_forecasters(
        forecasters, "lb.per_series(lambda h: lb.naive_forecast(h, 12))")
    horizon = check_steps(horizon, "horizon")
    season = check_steps(season, "season")
    origins = rolling_origins(len(values), horizon, n_origins, step)
    rows = []
    for t in origins:
        scales = [_naive_scale(values[:t, j], season)
                  for j in range(len(columns))]
        history = panel.iloc[:t]
        for name, forecaster in forecasters.items():
            start = time.perf_counter()
            forecast = forecaster(history)
            seconds = time.perf_counter() - start
            if isinstance(forecast, pd.DataFrame):
                missing = [c for c in columns if c not in forecast.columns]
                if missing:
                    raise ValueError(
                        f"forecaster {name!r} returned no forecast for "
                        f"series {missing}."
                    )
                forecast = forecast[columns]
            forecast = as_numeric_array(forecast, f"{name}'s forecast")
            forecast = forecast.astype("float64")
            if forecast.shape != (horizon, len(columns)):
                raise ValueError(
                    f"forecaster {name!r} returned shape {forecast.shape} "
                    f"at origin {t}; it must return (horizon, n_series) = "
                    f"({horizon}, {len(columns)})."
                )
            check_finite(forecast, f"{name}'s forecast")
            for j, series in enumerate(columns):
                for k in range(horizon):
                    actual = values[t + k, j]
                    rows.append((name, series, index[t], k + 1,
                                 index[t + k], actual, forecast[k, j],
                                 forecast[k, j] - actual, scales[j],
                                 seconds))
    return pd.DataFrame(rows, columns=[
        "method", "series", "origin", "step", "date", "actual", "forecast",
        "error", "scale", "seconds"])


def mase_by_series(results) -> pd.DataFrame:
    """MASE of every method on every series: rows series, columns methods.

    Each fold's MAE divided by that fold's scale, averaged over the folds
    (the definition ``lstmbook.summarize`` uses for one series). The mean
    of a column is the method's overall score on the panel.

    Chapter: "Many series".
    """
    needed = {"method", "series", "origin", "error", "scale"}
    if not isinstance(results, pd.DataFrame) or not needed <= set(
            results.columns):
        raise TypeError(
            "pass the table returned by lstmbook.backtest_panel (columns "
            f"{sorted(needed)})."
        )
    folds = (results.assign(abs_error=results["error"].abs())
             .groupby(["method", "series", "origin"], sort=False)
             .agg(mae=("abs_error", "mean"), scale=("scale", "first")))
    scores = (folds["mae"] / folds["scale"]).groupby(
        level=["series", "method"], sort=False).mean()
    return scores.unstack("method")
