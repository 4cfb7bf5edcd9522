"""Baselines: the simple forecasts every model must beat.

:func:`naive_forecast` (the last value), :func:`seasonal_naive_forecast`
(the last season), :func:`drift_forecast` (the line from the first to the
last value), :func:`mean_forecast`, and the competitions' reference
:func:`naive2_forecast` (the naive forecast of the seasonally adjusted
series). Each takes the history and a horizon and returns the forecast,
dated when the history has dates.

Chapter: "Evaluating forecasts honestly"; "Competition scale" (Naive2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import check_dates, check_steps, history_1d
from .dates import future_index
from .transforms import SeasonalAdjustment

__all__ = ["naive_forecast", "seasonal_naive_forecast", "drift_forecast",
           "mean_forecast", "naive2_forecast"]


def _dated(values: np.ndarray, train, horizon: int):
    """Give a forecast the future dates of ``train``, if it has dates."""
    index = getattr(train, "index", None)
    if isinstance(index, pd.DatetimeIndex):
        check_dates(index, "train")
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
    values = history_1d(train)
    return _dated(np.full(horizon, values[-1]), train, horizon)


def seasonal_naive_forecast(train, horizon, season):
    """Repeat the last observed season: ``y[T+h] = y[T+h-k*season]``.

    With ``season=12`` on monthly data, next January is forecast as last
    January. ``season=1`` is the naive forecast.

    Chapter: "Evaluating forecasts honestly".
    """
    horizon = check_steps(horizon, "horizon")
    season = check_steps(season, "season")
    values = history_1d(train)
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
    values = history_1d(train)
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
    values = history_1d(train)
    return _dated(np.full(horizon, values.mean()), train, horizon)


def naive2_forecast(train, horizon, season):
    """The M4 competition's reference: naive on the seasonally adjusted data.

    A series that the 90% autocorrelation test finds seasonal is divided
    by its classical multiplicative seasonal indices
    (:class:`~lstmbook.transforms.SeasonalAdjustment`); its last adjusted
    value is repeated and multiplied back by the indices of the steps
    ahead. A non-seasonal series (or ``season=1``) gets the naive
    forecast. The OWA score divides by this forecast's errors. A seasonal
    series must have no negative values.

    Chapter: "Competition scale".
    """
    horizon = check_steps(horizon, "horizon")
    season = check_steps(season, "season")
    values = history_1d(train)
    adjustment = SeasonalAdjustment(season)
    level = adjustment.forward(values)[-1]
    return _dated(adjustment.inverse(np.full(horizon, level), values), train,
                  horizon)
