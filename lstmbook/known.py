"""Inputs known in advance: the calendar, holidays, planned promotions.

A forecaster's inputs come in three kinds:

* **past-only** inputs are observed up to the forecast origin and no
  further (yesterday's rain, last week's sales of another product): the
  model reads them over its window only;
* inputs **known in advance** have values for the forecast's own dates
  too (the day of the year, a holiday, a promotion already planned, a law
  that takes effect on a known date): the model can read them for every
  step it forecasts;
* **static** inputs describe a series and do not change with time (a
  product's category); they matter to a model of many series.

:class:`~lstmbook.forecasting.LSTMForecaster` takes the second kind with
``known=[columns]``. Its model input is one array: the window (every
column), followed by one row per step the model forecasts. A future row
holds the known columns' values at that step, normalised and scaled as the
window is, and zero in every other column: the model never sees a future
value of the target or of a past-only input.

* ``strategy="mimo"`` reads them with a head (:func:`known_inputs_lstm`):
  the LSTM forecasts the horizon from the window, and a small network
  shared by the steps corrects each step from its known values;
* ``strategy="recursive"`` does the same for its one step, and when it
  rolls forward writes the step's known values into the window beside
  its forecast;
* ``strategy="seq2seq"`` (autoregressive or attention decoder) feeds each
  decoder step the value before it and that step's known values.

In :func:`~lstmbook.backtest.backtest` (``known=[columns]``) the future
rows are taken from the data at each origin; for
:meth:`~lstmbook.forecasting.LSTMForecaster.predict` you pass
them (``future=``), e.g. the calendar of :func:`calendar_features`.

Chapter: "Inputs known in advance".
"""

from __future__ import annotations

import inspect

import keras
import numpy as np
import pandas as pd
from keras import layers

from ._checks import as_numeric_array, check_finite
from ._keras import subnetwork
from .dates import future_index

__all__ = ["KNOWN_STRATEGIES", "KnownFraming", "check_known",
           "known_inputs_lstm", "calendar_features", "future_values"]

#: The strategies that can read inputs known in advance (seq2seq with the
#: autoregressive or attention decoder).
KNOWN_STRATEGIES = ("mimo", "recursive", "seq2seq")


def check_known(known):
    """``None`` or a tuple of distinct column names (str or int)."""
    if known is None:
        return None
    if isinstance(known, (str, int)) and not isinstance(known, bool):
        known = [known]
    if not isinstance(known, (list, tuple)) or not known or any(
            isinstance(c, bool) or not isinstance(c, (str, int))
            for c in known):
        raise TypeError(
            f"known must be a list of column names, e.g. known=['promo'], "
            f"got {known!r}."
        )
    if len(set(known)) != len(known):
        raise ValueError(f"known names a column twice: {list(known)}.")
    return tuple(known)


def known_positions(known, columns, target) -> list[int]:
    """Where the known columns sit in a forecaster's table (target first).

    ``columns`` are the DataFrame's columns in the table's order.
    """
    if known is None:
        return []
    if target in known:
        raise ValueError(
            f"known={list(known)} names the target {target!r}; the target's "
            "future is what is forecast, so it cannot be known in advance."
        )
    missing = [c for c in known if c not in columns]
    if missing:
        raise ValueError(
            f"known columns {missing} are not in the data (its columns are "
            f"{list(columns)})."
        )
    return [list(columns).index(c) for c in known]


def future_values(future, known, index, horizon) -> np.ndarray:
    """The known inputs of the ``horizon`` forecast steps, checked.

    ``future`` is a DataFrame with the ``known`` columns (others are
    ignored) and one row per forecast step; when the history is dated
    (``index``) its index must be the forecast's dates,
    ``lb.future_index(history, horizon)``. Returns ``(horizon, len(known))``.
    """
    if not isinstance(future, pd.DataFrame):
        raise TypeError(
            f"future must be a DataFrame with the known columns "
            f"{list(known)}, one row per forecast step; got "
            f"{type(future).__name__}."
        )
    missing = [c for c in known if c not in future.columns]
    if missing:
        raise ValueError(
            f"future has no column {missing}; it needs every known column "
            f"{list(known)} (it has {list(future.columns)})."
        )
    if len(future) != horizon:
        raise ValueError(
            f"future has {len(future)} rows; it needs one per forecast step, "
            f"horizon={horizon}."
        )
    if isinstance(index, pd.DatetimeIndex):
        dates = future_index(index, horizon)
        if not future.index.equals(dates):
            raise ValueError(
                f"future's rows must be the forecast's dates, "
                f"{dates[0].date()} to {dates[-1].date()} "
                f"(lb.future_index(history, {horizon})); its index starts at "
                f"{future.index[0]!r}."
            )
    values = as_numeric_array(future[list(known)], "future").astype(
        "float64")
    check_finite(values, "future")
    return values


def known_inputs_lstm(build_window_model, input_shape, n_out,
                      learning_rate=1e-3, hidden=16, loss="mse"):
    """A network that reads its window and the known inputs of its steps.

    ``input_shape`` is ``(n_steps_in + n_out, columns)``: the window, then
    one row per forecast step (see the module's description).
    ``build_window_model(window_shape, n_out)`` builds the LSTM that reads
    the window (e.g. :func:`~lstmbook.models.vanilla_lstm`) and forecasts
    the ``n_out`` steps. A head then corrects each step: a small network,
    the same for every step (``hidden`` tanh units, then one output), reads
    the LSTM's forecast of that step and the step's row of known inputs,
    and its output is added to the forecast. Sharing the head across steps
    means a promotion teaches the model the same lesson whichever step it
    falls on. ``loss`` is the training loss (the many-series forecaster
    passes its own).

    Chapter: "Inputs known in advance".
    """
    n_in = input_shape[0] - n_out
    inputs = keras.Input(shape=input_shape, name="inputs")
    window = layers.Cropping1D((0, n_out), name="window")(inputs)
    future = layers.Cropping1D((n_in, 0), name="known_future")(inputs)
    shape = (n_in, *input_shape[1:])
    lstm = subnetwork(build_window_model(shape, n_out), shape, "lstm")
    forecast = lstm(window)
    per_step = layers.Concatenate(name="step_inputs")(
        [layers.Reshape((n_out, 1))(forecast), future])
    hidden_layer = layers.TimeDistributed(
        layers.Dense(hidden, activation="tanh"), name="head")(per_step)
    correction = layers.TimeDistributed(layers.Dense(1),
                                        name="correction")(hidden_layer)
    out = layers.Add(name="forecast")(
        [forecast, layers.Flatten()(correction)])
    model = keras.Model(inputs, out, name="known_inputs_lstm")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
    return model


def calendar_features(dates, season="year", weekdays=False) -> pd.DataFrame:
    """Calendar columns for ``dates``: inputs known for any future date.

    ``season="year"`` gives ``doy_sin``/``doy_cos``, the sine and cosine of
    the day of the year (``2 pi dayofyear / 365.25``), which draw the year
    as a circle: 31 December sits next to 1 January. ``season=None``
    leaves them out. ``weekdays=True`` adds six 0/1 columns ``mon`` ...
    ``sat`` (Sunday is all zeros). Pass the history's dates to build the
    training table and ``lb.future_index(history, horizon)`` for
    :meth:`~lstmbook.forecasting.LSTMForecaster.predict`'s ``future=``.

    Chapter: "Inputs known in advance".
    """
    if not isinstance(dates, pd.DatetimeIndex):
        raise TypeError(
            f"dates must be a pandas DatetimeIndex (e.g. series.index), got "
            f"{type(dates).__name__}."
        )
    if season not in ("year", None):
        raise ValueError(f"season must be 'year' or None, got {season!r}.")
    columns = {}
    if season == "year":
        angle = 2 * np.pi * dates.dayofyear.to_numpy() / 365.25
        columns["doy_sin"], columns["doy_cos"] = np.sin(angle), np.cos(angle)
    if weekdays:
        for k, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat")):
            columns[name] = (dates.dayofweek == k).astype("float64")
    if not columns:
        raise ValueError("season=None and weekdays=False ask for no column.")
    return pd.DataFrame(columns, index=dates)


class KnownFraming:
    """The future rows of a forecaster with inputs known in advance.

    Mixed into the one-series framing (``SeriesFraming``); reads the
    forecaster's ``known``, ``normalize``, ``scaler_`` and ``horizon``.
    """

    def _check_fed_back(self, n_columns):
        """A strategy that feeds its forecasts back rolls its window
        forward, so every column beside the target must be known ahead."""
        if self.strategy_.feeds_back and n_columns > 1 + len(self.known or ()):
            raise ValueError(
                f"strategy={self.strategy!r} feeds forecasts back as inputs, "
                "so every input would have to be forecast too; with extra "
                "input columns use strategy='mimo', 'direct' or 'seq2seq' "
                "with decoder='repeat' (or name the columns known in "
                "advance with known=)."
            )

    def _future_input(self, rows, windows):
        """Future rows ``(n, m, cols)`` in the data's units as the model
        reads them: less the window's last row (``normalize='last'``),
        scaled, and zero outside the known columns."""
        if self.normalize == "last":
            rows = rows - windows[:, -1:, :]
        mask = np.zeros(rows.shape[-1])
        mask[self._known_idx] = 1.0
        return self.scaler_.transform(rows) * mask

    def _known_rows(self, future, index, n_columns):
        """The raw future rows ``(1, horizon, n_columns)`` of one forecast,
        or ``None`` for a forecaster without known inputs."""
        if not self.known:
            if future is not None:
                raise ValueError(
                    "future= is for a forecaster with inputs known in "
                    "advance (LSTMForecaster(..., known=[columns])); this one "
                    "has none."
                )
            return None
        if future is None:
            raise ValueError(
                f"this forecaster reads inputs known in advance "
                f"{list(self.known)}: pass future=, a DataFrame with those "
                f"columns for the {self.horizon} forecast steps (in "
                f"lb.backtest, known={list(self.known)})."
            )
        rows = np.zeros((1, self.horizon, n_columns))
        rows[0][:, self._known_idx] = future_values(
            future, self.known, index, self.horizon)
        return rows


def accepts_future(forecaster) -> bool:
    """Whether a backtest should pass ``future=`` to ``forecaster``: a
    forecaster with ``known`` columns, or a function with a ``future``
    parameter."""
    return takes_input(forecaster, "known", "future")


def takes_input(forecaster, attribute, parameter) -> bool:
    """Whether a backtest should pass ``parameter=`` to ``forecaster``: a
    forecaster whose ``attribute`` names inputs, or a function with that
    parameter."""
    if hasattr(forecaster, attribute):
        return bool(getattr(forecaster, attribute))
    try:
        parameter = inspect.signature(forecaster).parameters.get(parameter)
    except (TypeError, ValueError):
        return False
    return parameter is not None and parameter.kind in (
        parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)


def check_known_columns(known, series, target) -> list:
    """``backtest``'s ``known``: columns of ``series`` other than
    ``target``."""
    known = list(check_known(known))
    if not isinstance(series, pd.DataFrame):
        raise ValueError(
            "known= needs a DataFrame with the known columns beside the "
            "target (and target= naming the column to forecast)."
        )
    known_positions(known, list(series.columns), target)
    return known
