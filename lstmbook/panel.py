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

:func:`~lstmbook.backtest.backtest_panel` evaluates both kinds with the
book's rolling-origin protocol and records how long each took;
:func:`~lstmbook.metrics.mase_by_series` turns its table into one MASE per
series and method.

Chapter: "Many series".
"""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd

from . import models
from ._checks import (as_numeric_array, check_choice, check_finite,
                      check_float_range, check_steps, panel_values)
from .base import BaseForecaster
from .framing import PanelFraming

__all__ = ["GlobalLSTMForecaster", "per_series"]

SERIES_ID = ("onehot", None)


class GlobalLSTMForecaster(PanelFraming, BaseForecaster):
    """One LSTM trained on the windows of many series at once.

    For every series (column) of the panel, the forecaster cuts windows of
    ``n_steps_in`` inputs and ``horizon`` targets, subtracts each window's
    last input value (``normalize="last"``), and scales them with a
    :class:`~lstmbook.scaling.Scaler` fitted on *that series'* training
    windows only. With ``series_id="onehot"`` each window also carries a
    one-hot code of its series as extra input features (the same at every
    step); the LSTM's input weights for those features act as a learned
    per-series adjustment. With ``series_id=None`` the model does not know
    which series it reads, so it can forecast a series it never saw (cold
    start). Then the windows of all series are stacked and one model is
    trained per seed (their forecasts are averaged).

    ``forecaster(panel)`` fits on the panel and returns the forecast, so
    :func:`~lstmbook.backtest.backtest_panel` can refit it at every origin.

    Save and load it like the one-series forecaster
    (:meth:`~lstmbook.base.BaseForecaster.save`,
    :meth:`~lstmbook.base.BaseForecaster.load`).

    Parameters
    ----------
    horizon, n_steps_in : int
        Steps to forecast, and length of the input window.
    layers : int
        Number of stacked LSTM layers.
    series_id : ``"onehot"`` or None
        Whether the model is told which series each window comes from.
    units, epochs, batch_size, learning_rate, normalize, seeds, dropout, \
warm_start, warm_epochs
        Shared by every forecaster: see
        :class:`~lstmbook.base.BaseForecaster`.

    Chapter: "Many series".
    """

    _SHOWN = ("horizon", "n_steps_in", "units", "layers", "epochs",
              "series_id", "seeds")

    def __init__(self, horizon, n_steps_in, units=32, layers=1, epochs=100,
                 batch_size=64, learning_rate=1e-3, series_id="onehot",
                 normalize="last", seeds=(0,), dropout=0.0, warm_start=False,
                 warm_epochs=None):
        self._set_common(horizon, n_steps_in, units, epochs, batch_size,
                         learning_rate, normalize, seeds, dropout, warm_start,
                         warm_epochs)
        self.layers = check_steps(layers, "layers")
        self.series_id = check_choice(series_id, SERIES_ID, "series_id")
        self.scalers_ = None
        self.series_ = None

    def _build(self, input_shape):
        return models.stacked_lstm(
            input_shape, self.horizon, units=(self.units,) * self.layers,
            dropout=self.dropout,
            optimizer=keras.optimizers.Adam(self.learning_rate),
            name="global_lstm")

    # -- fit and predict ------------------------------------------------------

    def fit(self, panel):
        """Train one model on the windows of every series of ``panel``.

        ``panel`` is a DataFrame, one column per series, rows in time
        order (dates, if any, increasing and evenly spaced), no missing
        values. Returns ``self``.
        """
        values, columns, index = panel_values(panel)
        needed = self.n_steps_in + self.horizon
        if len(values) < needed:
            raise ValueError(
                f"the panel has {len(values)} time steps; one window needs "
                f"{needed} (n_steps_in={self.n_steps_in} + "
                f"horizon={self.horizon}). Use a longer panel or a shorter "
                "window."
            )
        warm = (self.warm_start and self.ensemble_.fitted
                and columns == self.series_)
        if not warm:
            self.ensemble_.models = None
        X_all, y_all = self._panel_windows(values, columns,
                                           fit_scalers=not warm)
        check_float_range(X_all, "the scaled windows")
        self._train(lambda: self._build(X_all.shape[1:]), X_all, y_all)
        self.n_windows_ = len(X_all)
        self._values_, self._index_ = values, index
        return self

    def _forecast(self, panel, models):
        X, lasts, scalers, columns, index = self._inputs(panel)
        out = self.ensemble_.predict(X, models)
        forecast = np.column_stack([
            scalers[j].inverse_transform(out[j]) + lasts[j]
            for j in range(len(columns))])
        return pd.DataFrame(forecast, columns=columns,
                            index=self._future_rows(index, self.horizon))

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
        return self._forecast(panel, None)

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
        panel_values(panel)
        columns = {}
        for name in panel.columns:
            values = as_numeric_array(forecaster(panel[name]),
                                      f"the forecast of series {name!r}")
            values = values.astype("float64").reshape(-1)
            if values.size == 0:
                raise ValueError(
                    f"the forecaster returned no values for series "
                    f"{name!r}; it must return the horizon's forecast."
                )
            check_finite(values, f"the forecast of series {name!r}")
            columns[name] = values
        lengths = {len(v) for v in columns.values()}
        if len(lengths) != 1:
            raise ValueError("the forecaster returned forecasts of "
                             f"different lengths {sorted(lengths)}.")
        horizon = lengths.pop()
        rows = BaseForecaster._future_rows(panel.index, horizon)
        return pd.DataFrame(columns, index=rows)

    forecast_each.forecaster = forecaster
    return forecast_each
