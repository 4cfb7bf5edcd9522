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
                      check_flag, check_float_range, check_optional_steps,
                      check_steps, panel_values)
from .base import BaseForecaster
from .framing import PanelFraming
from .known import known_inputs_lstm
from .panel_inputs import PanelInputs
from .transforms import Chain, Log, SeasonalAdjustment

__all__ = ["GlobalLSTMForecaster", "per_series"]

SERIES_ID = ("onehot", None)
LOSSES = ("mse", "mae", "huber")


class GlobalLSTMForecaster(PanelFraming, BaseForecaster):
    """One LSTM trained on the windows of many series at once.

    For every series (column) of the panel, the forecaster optionally
    divides it by its seasonal indices (``deseasonalize``) and takes logs
    (``log``), cuts windows of ``n_steps_in`` inputs and ``horizon``
    targets, subtracts each window's last input value
    (``normalize="last"``), and scales them with a
    :class:`~lstmbook.scaling.Scaler` fitted on *that series'* training
    windows only (``scale=True``). With ``series_id="onehot"`` each window
    also carries a one-hot code of its series as extra input features (the
    same at every step); the LSTM's input weights for those features act
    as a learned per-series adjustment. With ``series_id=None`` the model does not know
    which series it reads, so it can forecast a series it never saw (cold
    start). Then the windows of all series are stacked and one model is
    trained per seed (their forecasts are averaged).

    Series may start at different times (a *ragged* panel, such as the
    competitions' of :func:`~lstmbook.datasets.load_m3`): a column may
    begin with missing values, and a series shorter than one window plus
    the horizon is padded in front with its first value.

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
    log : bool
        Model the log of every series: windows relative to their last
        value then hold relative changes, alike for series of any size. A
        series with zeros is modelled as ``log(1 + y)``; negative values
        are refused.
    deseasonalize : int or None
        Season length: each series that the M4 competition's 90%
        autocorrelation test finds seasonal is divided by the
        multiplicative indices of a classical decomposition, and its
        forecast multiplied back
        (:class:`~lstmbook.transforms.SeasonalAdjustment`). The network
        then learns trends and shocks only, the part that series share.
    scale : bool
        Scale each series' windows with its own statistics. With ``log``
        and ``normalize="last"`` the windows are already alike, and
        ``scale=False`` keeps one series' relative change the same number
        as another's.
    loss : str
        The training loss, e.g. ``"mse"`` or ``"mae"`` (on log values,
        the mean absolute error is close to the relative errors that sMAPE
        and MAPE count).
    known, static : list of str, optional
        Names of inputs known in advance (a law, planned promotions), read
        at each step of the window and of the forecast, and of static
        inputs (a category): see :mod:`lstmbook.panel_inputs`.
    recent_windows : int or None
        Train on each series' last ``recent_windows`` windows only (the
        most recent history; N-BEATS, too, samples its training windows
        from the end of each series): long series stop dominating the
        training set, and an epoch is shorter.
    units, epochs, batch_size, learning_rate, normalize, seeds, dropout, \
warm_start, warm_epochs
        Shared by every forecaster: see
        :class:`~lstmbook.base.BaseForecaster`.

    Chapter: "Many series"; "Competition scale" (ragged panels, ``log``,
    ``deseasonalize``, ``scale``); "Inputs known in advance" (``known``,
    ``static``).
    """

    _SHOWN = ("horizon", "n_steps_in", "units", "layers", "epochs",
              "series_id", "seeds")
    _SHOWN_IF_SET = ("known", "static")

    def __init__(self, horizon, n_steps_in, units=32, layers=1, epochs=100,
                 batch_size=64, learning_rate=1e-3, series_id="onehot",
                 normalize="last", seeds=(0,), dropout=0.0, warm_start=False,
                 warm_epochs=None, log=False, deseasonalize=None,
                 scale=True, loss="mse", recent_windows=None, known=None,
                 static=None):
        self._set_common(horizon, n_steps_in, units, epochs, batch_size,
                         learning_rate, normalize, seeds, dropout, warm_start,
                         warm_epochs)
        self.layers = check_steps(layers, "layers")
        self.series_id = check_choice(series_id, SERIES_ID, "series_id")
        self.log = check_flag(log, "log")
        self.deseasonalize = check_optional_steps(deseasonalize,
                                                  "deseasonalize")
        self.scale = check_flag(scale, "scale")
        self.loss = check_choice(loss, LOSSES, "loss")
        self.recent_windows = check_optional_steps(recent_windows,
                                                   "recent_windows")
        # Adjust the raw values (the indices are ratios), then take logs.
        self.transforms_ = Chain(
            ([SeasonalAdjustment(self.deseasonalize)]
             if self.deseasonalize else [])
            + ([Log(zeros="log1p")] if log else []))
        self.inputs_ = PanelInputs(known, static)
        self.known = self.inputs_.known or None
        self.static = self.inputs_.static or None
        self.scalers_ = None
        self.series_ = None

    # -- fit and predict ------------------------------------------------------

    def fit(self, panel, known=None, static=None):
        """Train one model on the windows of every series of ``panel``.

        ``panel`` is a DataFrame, one column per series, rows in time
        order (dates, if any, increasing and evenly spaced). A series may
        start late (missing values before its first one) but has no gaps.
        ``known`` and ``static``: the tables of
        :mod:`lstmbook.panel_inputs`. Returns ``self``.
        """
        values, columns, index = panel_values(panel, ragged=True)
        _check_length(values, self.n_steps_in, self.horizon)
        warm = (self.warm_start and self.ensemble_.fitted
                and columns == self.series_)
        if not warm:
            self.ensemble_.models = None
        X_all, y_all = self._panel_windows(values, columns, index,
                                           not warm, known, static)
        check_float_range(X_all, "the scaled windows")
        self._train(lambda: _network(self, X_all.shape[1:]), X_all, y_all)
        self.n_windows_ = len(X_all)
        self._values_, self._index_ = values, index
        return self

    def _forecast(self, panel, models, known=None, static=None):
        X, undo, columns, index = self._inputs(panel, known, static)
        out = self.ensemble_.predict(X, models)
        forecast = np.column_stack([self._output(out[j], undo[j])
                                    for j in range(len(columns))])
        return pd.DataFrame(forecast, columns=columns,
                            index=self._future_rows(index, self.horizon))

    def predict(self, panel=None, known=None, static=None):
        """Forecast ``horizon`` steps after the end of each series.

        ``panel`` defaults to the one given to :meth:`fit`; pass a newer
        one to forecast from its end without refitting. Its columns must
        be series the model was trained on, unless ``series_id=None``: a
        model that never learned series codes can forecast any series
        (cold start); a new series is scaled with statistics of its own
        history. Returns a DataFrame, one row per future step (dated when
        the panel has dates), one column per series.

        ``known``: the tables of :meth:`fit`, now also with rows for the
        ``horizon`` steps after the panel. ``static``: the static inputs
        of series the model has not seen (it keeps the others').
        """
        return self._forecast(panel, None, known, static)


def _network(forecaster, input_shape):
    """The global forecaster's compiled network: stacked LSTMs, and with
    known inputs the head that reads the forecast's own rows."""
    f = forecaster

    def lstm(shape, n_out):
        return models.stacked_lstm(
            shape, n_out, units=(f.units,) * f.layers, dropout=f.dropout,
            optimizer=keras.optimizers.Adam(f.learning_rate), loss=f.loss,
            name="global_lstm")
    if not f.known:
        return lstm(input_shape, f.horizon)
    return known_inputs_lstm(lstm, input_shape, f.horizon, f.learning_rate,
                             loss=f.loss)


def _check_length(values, n_steps_in, horizon):
    """The longest series must hold one window and its horizon."""
    needed = n_steps_in + horizon
    longest = int(np.max(np.sum(~np.isnan(values), axis=0)))
    if longest < needed:
        raise ValueError(
            f"the longest series of the panel has {longest} time steps; "
            f"one window needs {needed} (n_steps_in={n_steps_in} + "
            f"horizon={horizon}). Use longer series or a shorter window."
        )


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
