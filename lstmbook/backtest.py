"""Rolling-origin (walk-forward) evaluation, for one series or a panel.

At each origin ``t`` of :func:`~lstmbook.splits.rolling_origins`, every
forecaster is called with the history up to ``t`` only and scored on the
``horizon`` values after it. :func:`backtest` does it for one series,
:func:`backtest_panel` for every series of a panel at once; both run the
same fold loop and return the same tidy table, which
:func:`~lstmbook.metrics.summarize`, :func:`~lstmbook.metrics.error_by_step`
and :func:`~lstmbook.metrics.mase_by_series` score.

Chapter: "Evaluating forecasts honestly"; "Many series".
"""

from __future__ import annotations

import sys
import time
from collections.abc import Hashable

import numpy as np
import pandas as pd

from ._checks import (as_numeric_array, check_dates, check_finite,
                      check_flag, check_forecasters, check_steps, history_1d,
                      panel_values)
from .known import accepts_future, check_known_columns, takes_input
from .metrics import naive_scale
from .splits import rolling_origins

__all__ = ["backtest", "backtest_panel"]


def _progress(total, enabled, desc):
    if enabled is None:
        enabled = sys.stderr.isatty()
    else:
        enabled = check_flag(enabled, "progress")
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, desc=desc, unit="fit")


def backtest(series, forecasters, horizon, n_origins=10, step=None,
             season=1, target=None, progress=None, known=None) -> pd.DataFrame:
    """Rolling-origin (walk-forward) evaluation of several forecasters.

    For each origin ``t`` of :func:`~lstmbook.splits.rolling_origins`, every forecaster is
    called with the history ``series[:t]`` only, and must return
    ``horizon`` values (array or Series). A forecaster is any callable
    ``f(history) -> forecast``: a baseline such as
    ``lambda h: lb.seasonal_naive_forecast(h, 12, 12)``, or an
    :class:`~lstmbook.forecasting.LSTMForecaster`, which refits (or
    updates) itself on each history. It never sees the values it is scored
    on.

    ``series`` is a Series, or a DataFrame with ``target`` naming the column
    to forecast (the other columns are extra inputs the forecaster may use).
    ``known`` names the columns known in advance: a forecaster that reads
    them (an :class:`~lstmbook.forecasting.LSTMForecaster` with
    ``known=``, or a function with a ``future`` parameter) is called as
    ``f(history, future=rows)``, ``rows`` being those columns over the
    ``horizon`` steps after the origin (chapter "Inputs known in
    advance").

    Returns a tidy table, one row per method, origin and horizon step:
    ``method, origin, step, date, actual, forecast, error, scale``, where
    ``scale`` is the fold's MASE denominator (the in-sample seasonal naive
    MAE of its own training data). :func:`~lstmbook.metrics.summarize` and
    :func:`~lstmbook.metrics.error_by_step` turn it into scores. ``progress=True`` shows a
    progress bar (default: only in a terminal).

    Chapter: "Evaluating forecasts honestly".
    """
    check_forecasters(forecasters,
                      "lambda history: lb.naive_forecast(history, 12)")
    if not isinstance(series, (pd.Series, pd.DataFrame)):
        series = pd.Series(history_1d(series, "series"))
    if isinstance(series, pd.DataFrame):
        if not isinstance(target, Hashable):
            raise TypeError(
                f"target must be one column name, got {target!r}; pass e.g. "
                f"target={list(series.columns)[0]!r}."
            )
        if target not in series.columns:
            raise ValueError(
                f"series is a table; pass target= one of its columns "
                f"{list(series.columns)} (the one to forecast)."
            )
        y = series[target]
    else:
        y = series
    if known is not None:
        known = check_known_columns(known, series, target)

    def inputs(forecaster, t):  # the known inputs of the fold after t
        if known is None or not accepts_future(forecaster):
            return {}
        return {"future": series[known].iloc[t:t + horizon]}
    values = history_1d(y, "series")[:, np.newaxis]
    check_dates(y.index, "series")
    table = _folds(values, y.index, series.iloc.__getitem__, forecasters,
                   horizon, n_origins, step, season, None, progress,
                   inputs)
    return table.drop(columns=["series", "seconds"])


def backtest_panel(panel, forecasters, horizon, n_origins=10, step=None,
                   season=1, progress=None, known=None,
                   static=None) -> pd.DataFrame:
    """Rolling-origin evaluation of panel forecasters, series by series.

    The protocol of :func:`backtest`, for a panel: at each origin ``t`` of
    :func:`~lstmbook.splits.rolling_origins`, every forecaster is called
    with ``panel.iloc[:t]`` (all series up to ``t``) and must return
    ``horizon`` values for every series (a DataFrame with the panel's
    columns, or an array ``(horizon, n_series)``).
    :class:`~lstmbook.panel.GlobalLSTMForecaster` and
    :func:`~lstmbook.panel.per_series` forecasters both qualify.

    ``known`` (a dict of tables of inputs known in advance, with a row
    for every label of the panel's index) and ``static`` (a table with a
    row per series) are passed as ``known=`` and ``static=`` to the
    forecasters that read them (a
    :class:`~lstmbook.panel.GlobalLSTMForecaster` made with ``known=`` or
    ``static=`` names, or a function with such a parameter); a forecaster
    finds in ``known`` the rows of its history and of the ``horizon`` steps
    after it (chapter "Inputs known in advance").

    Returns a tidy table, one row per method, series, origin and step:
    ``method, series, origin, step, date, actual, forecast, error, scale,
    seconds``. ``scale`` is the MASE denominator of that series in that
    fold (its in-sample seasonal naive MAE with period ``season``);
    ``seconds`` is how long the method took at that origin for all series
    together (the same in each of its rows).
    :func:`~lstmbook.metrics.mase_by_series` scores it.

    Chapter: "Many series".
    """
    values, columns, index = panel_values(panel)
    check_forecasters(
        forecasters, "lb.per_series(lambda h: lb.naive_forecast(h, 12))")
    given = {"known": known, "static": static}

    def inputs(forecaster, t):  # the same tables at every origin
        return {name: table for name, table in given.items()
                if table is not None and takes_input(forecaster, name, name)}
    return _folds(values, index, panel.iloc.__getitem__, forecasters,
                  horizon, n_origins, step, season, columns, progress, inputs)


def _folds(values, index, history_to, forecasters, horizon, n_origins,
           step, season, columns, progress, inputs=None) -> pd.DataFrame:
    """The fold loop both backtests share.

    ``values`` is ``(time, series)``; ``history_to(slice(None, t))`` gives
    what a forecaster sees at origin ``t``; ``columns`` names the series
    (``None``: one series, whose forecaster returns ``horizon`` values);
    ``inputs(forecaster, t)``, if given, the keyword arguments (known
    inputs) to call ``forecaster`` with at origin ``t``.
    """
    horizon = check_steps(horizon, "horizon")
    season = check_steps(season, "season")
    origins = rolling_origins(len(values), horizon, n_origins, step)
    names = columns if columns is not None else [None]
    bar = _progress(len(origins) * len(forecasters), progress, "backtest")
    rows = []
    for t in origins:
        scales = [naive_scale(values[:t, j], season)
                  for j in range(values.shape[1])]
        history = history_to(slice(None, t))
        for name, forecaster in forecasters.items():
            start = time.perf_counter()
            extra = {} if inputs is None else inputs(forecaster, t)
            forecast = forecaster(history, **extra)
            seconds = time.perf_counter() - start
            forecast = _checked_forecast(forecast, name, t, horizon, columns)
            for j, series in enumerate(names):
                for k in range(horizon):
                    actual = values[t + k, j]
                    rows.append((name, series, index[t], k + 1,
                                 index[t + k], actual, forecast[k, j],
                                 forecast[k, j] - actual, scales[j],
                                 seconds))
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return pd.DataFrame(rows, columns=[
        "method", "series", "origin", "step", "date", "actual", "forecast",
        "error", "scale", "seconds"])


def _checked_forecast(forecast, name, t, horizon, columns) -> np.ndarray:
    """A forecaster's answer as a finite ``(horizon, n_series)`` array."""
    if columns is not None and isinstance(forecast, pd.DataFrame):
        missing = [c for c in columns if c not in forecast.columns]
        if missing:
            raise ValueError(
                f"forecaster {name!r} returned no forecast for series "
                f"{missing}."
            )
        forecast = forecast[columns]
    forecast = as_numeric_array(forecast, f"{name}'s forecast")
    forecast = forecast.astype("float64")
    if columns is None:
        if forecast.size != horizon:
            raise ValueError(
                f"forecaster {name!r} returned {forecast.size} values at "
                f"origin {t}; it must return horizon={horizon}."
            )
        forecast = forecast.reshape(horizon, 1)
    elif forecast.shape != (horizon, len(columns)):
        raise ValueError(
            f"forecaster {name!r} returned shape {forecast.shape} at origin "
            f"{t}; it must return (horizon, n_series) = ({horizon}, "
            f"{len(columns)})."
        )
    check_finite(forecast, f"{name}'s forecast")
    return forecast
