"""Forecasting a real series with an LSTM: the book's recipe as one object.

:class:`LSTMForecaster` strings together what the real-data chapters teach
one step at a time:

1. optionally take logs (:mod:`lstmbook.transforms`) (a seasonal swing that grows with the level becomes
   a constant one);
2. optionally take a seasonal difference ``z[t] = y[t] - y[t - season]``
   (the model then forecasts how this year differs from last year);
3. cut the series into windows of ``n_steps_in`` inputs and ``horizon``
   targets (:func:`~lstmbook.windows.make_windows`);
4. optionally normalise each window by its last input value, so the model
   sees shapes, not levels (a level it never saw in training does not
   throw it off);
5. scale with statistics of the training windows
   (:class:`~lstmbook.scaling.Scaler`);
6. train one model per seed (:class:`~lstmbook.ensemble.SeedEnsemble`),
   average their forecasts, and undo steps 5 to 1, so the forecast comes
   back in the data's units, indexed by the future dates.

The settings, the ensemble and saving are shared with the many-series
forecaster (:class:`~lstmbook.base.BaseForecaster`).

It is a callable, so :func:`~lstmbook.backtest.backtest` can refit it on
every fold: ``lb.backtest(series, {"lstm": LSTMForecaster(...)}, ...)``.

Chapter: "From toy to real" (the recipe); "Transforms that help LSTMs" (the
options); "Forecasting the future" (strategies and dates);
"Prediction intervals" (Monte-Carlo dropout,
:meth:`~lstmbook.uncertainty.DropoutPaths.sample_paths`);
"Inputs known in advance" (``known=``);
"Forecasts as distributions" (``distribution=``).
"""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd

from . import models
from ._checks import (check_choice, check_flag, check_optional_steps,
                      check_steps)
from .base import BaseForecaster
from .dates import future_index
from .distributions import Head
from .framing import SeriesFraming
from .known import check_known
from .strategies import Strategy
from .transforms import target_transforms
from .uncertainty import DropoutPaths

__all__ = ["LSTMForecaster", "ARCHITECTURES", "build_architecture"]

#: Architectures :class:`LSTMForecaster` can build, by name.
ARCHITECTURES = ("vanilla", "stacked", "bidirectional", "cnn_lstm",
                 "conv_lstm", "encoder_decoder")


class LSTMForecaster(SeriesFraming, DropoutPaths, BaseForecaster):
    """Fit an LSTM to a dated series and forecast ``horizon`` steps ahead.

    Parameters
    ----------
    horizon, n_steps_in : int
        Steps to forecast; length of the input window (a season or two is
        a good start).
    architecture : str or callable
        One of :data:`ARCHITECTURES`, or a function
        ``build(input_shape, output_shape) -> compiled keras.Model``.
    log : bool
        Model ``log(y)``; needs positive data.
    season_diff : int or None
        Model ``y[t] - y[t - season_diff]`` instead of ``y``.
    deseasonalize : int or None
        A season length: first divide by the seasonal indices (see
        :class:`~lstmbook.transforms.SeasonalAdjustment`).
    strategy : str
        How the ``horizon`` steps are made (:mod:`lstmbook.strategies`):
        ``"mimo"`` (one model, a vector output), ``"recursive"`` (a
        one-step model fed its own forecasts), ``"direct"`` (one model per
        step), ``"dirrec"`` (one per step, each fed the earlier steps) or
        ``"seq2seq"`` (an encoder and a decoder LSTM). The strategies that
        feed forecasts back read the target column only.
    decoder : str, optional
        For ``strategy="seq2seq"``: ``"autoregressive"`` (the default),
        ``"attention"`` or ``"repeat"``
        (:data:`~lstmbook.strategies.DECODERS`).
    target : str, optional
        For a DataFrame: the column to forecast; the other columns are
        extra inputs (known up to the forecast origin). Transforms 1-2
        apply to the target only; normalisation and scaling to every
        column.
    known : list of str, optional
        Columns known in advance (the calendar, a planned promotion): the
        model also reads their values at the forecast's own steps
        (:mod:`lstmbook.known`), which :meth:`predict` then needs
        (``future=``). With ``"mimo"``, ``"recursive"`` or ``"seq2seq"``.
    distribution : str, optional
        End the network in a distribution head (:mod:`lstmbook.distributions`):
        ``"quantile"`` (with ``"mimo"``), ``"normal"`` or ``"student_t"``
        (with ``"mimo"`` or ``"recursive"``, which samples paths as DeepAR
        does). :meth:`predict` then gives the median (the location, fed
        back, for ``"recursive"``), and
        :func:`~lstmbook.uncertainty.distribution_forecast` the intervals.
    quantiles : sequence of float, optional
        The quantile head's levels (default
        :data:`~lstmbook.distributions.QUANTILES`); must include 0.5.
    units, epochs, batch_size, learning_rate, normalize, seeds, dropout, \
warm_start, warm_epochs
        Shared by every forecaster: see
        :class:`~lstmbook.base.BaseForecaster`.

    Chapter: "From toy to real".
    """

    _SHOWN = ("horizon", "n_steps_in", "architecture", "units", "epochs",
              "log", "season_diff", "normalize", "strategy", "seeds")
    _SHOWN_IF_SET = ("decoder", "deseasonalize", "known", "distribution",
                     "quantiles")

    def __init__(self, horizon, n_steps_in, architecture="vanilla", units=32,
                 epochs=200, batch_size=32, learning_rate=1e-3, log=False,
                 season_diff=None, normalize="last", strategy="mimo",
                 seeds=(0,), target=None, dropout=0.0, warm_start=False,
                 warm_epochs=None, deseasonalize=None, decoder=None,
                 known=None, distribution=None, quantiles=None):
        self._set_common(horizon, n_steps_in, units, epochs, batch_size,
                         learning_rate, normalize, seeds, dropout, warm_start,
                         warm_epochs)
        if not callable(architecture):
            check_choice(architecture, ARCHITECTURES, "architecture")
        self.known = check_known(known)
        self.strategy_ = Strategy(strategy, self.horizon, architecture,
                                  decoder, self.dropout, bool(self.known))
        self.strategy, self.decoder = strategy, decoder
        self.architecture = architecture
        self.distribution, self.quantiles = distribution, quantiles
        self.head_ = None if distribution is None else Head(
            distribution, quantiles, self.strategy_, architecture, self.known)
        self.log = check_flag(log, "log")
        self.season_diff = (None if season_diff is None or (
            not isinstance(season_diff, bool) and season_diff == 0)
            else check_steps(season_diff, "season_diff"))
        if target is not None and (isinstance(target, bool) or
                                   not isinstance(target, (str, int))):
            raise TypeError(f"target must be a column name (str or int), "
                            f"got {target!r}.")
        self.target = target
        self.deseasonalize = check_optional_steps(deseasonalize,
                                                  "deseasonalize")
        self.transforms_ = target_transforms(self.log, self.season_diff,
                                             self.deseasonalize)
        self.scaler_ = None

    # -- fit and predict ------------------------------------------------------

    def fit(self, series):
        """Train on the whole of ``series`` (the history). Returns ``self``.

        ``series`` is a Series (dated or not), an array, or with ``target``
        a DataFrame. Dates must increase and be evenly spaced.
        """
        table, index = self._table(series)
        if self.ensemble_.fitted and self._n_columns != table.shape[1]:
            self.ensemble_.models = None  # new columns: no warm start
        Xs, ys = self._training_windows(
            table, fit_scaler=not (self.warm_start and self.ensemble_.fitted))
        self._train(lambda: self.strategy_.build(
            self._build_one, Xs.shape[1:], self.units, self.learning_rate),
            Xs, ys if self.head_ is None else self.head_.targets(ys))
        self._n_columns = table.shape[1]
        self._table_, self._index_ = table, index
        self._name = getattr(series, "name", None) if self.target is None \
            else self.target
        return self

    def _build_one(self, shape, n_out):
        """The architecture for ``n_out`` steps (under the head, if any)."""
        k = 1 if self.head_ is None else self.head_.k
        net = build_architecture(self.architecture, shape, n_out * k,
                                 self.units, self.dropout, self.learning_rate)
        return net if self.head_ is None else self.head_.wrap(
            net, shape, n_out, self.learning_rate)

    def _roll(self, windows, models, training=False, future=None, draw=None):
        """Forecast ``z`` from windows ``(n, steps, cols)``: ``(n, horizon)``
        (the strategy decides how many passes of ``models`` it takes). With
        a head, ``draw`` picks the value per step (``Head.values``)."""
        def predict(x):
            out = self.ensemble_.predict(x, models, training=training)
            return out if self.head_ is None else self.head_.values(out, draw)
        return self.strategy_.roll(self._model_input, predict,
                                   self._model_output, windows, future)

    def _forecast(self, history, models, future=None):
        """The forecast of ``models`` (all: ``None``) in the data's units."""
        table, index, z = self._history(history)
        rows = self._known_rows(future, index, table.shape[1])
        z_future = self._roll(z[np.newaxis, -self.n_steps_in:], models,
                              future=rows)[0]
        forecast = self.transforms_.inverse(z_future, table[:, 0])
        if isinstance(index, pd.DatetimeIndex):
            return pd.Series(forecast, index=future_index(index, self.horizon),
                             name=self._name)
        return forecast

    def predict(self, history=None, future=None):
        """Forecast ``horizon`` steps after the end of the history.

        ``history`` defaults to the series given to :meth:`fit`; pass a
        longer one (the same series with newer values) to forecast from its
        end with the trained models, without refitting. Returns a Series
        indexed by the future dates when the history has dates, else an
        array, in the data's units. With several seeds the models' outputs
        are averaged (before the transforms are undone);
        :meth:`~lstmbook.base.BaseForecaster.predict_members` gives each
        model's own forecast. With ``known`` columns, ``future`` is a
        DataFrame of them for the ``horizon`` steps (indexed by
        ``lb.future_index(history, horizon)`` when dated).
        """
        return self._forecast(history, None, future)


def build_architecture(architecture, input_shape, n_out, units, dropout,
                       learning_rate):
    """A compiled model of the named architecture (or a custom builder's).

    ``architecture`` is one of :data:`ARCHITECTURES` or a function
    ``build(input_shape, output_shape) -> compiled keras.Model``.
    """
    optimizer = keras.optimizers.Adam(learning_rate)
    arch = architecture
    if callable(arch):
        model = arch(input_shape, n_out)
        if not isinstance(model, keras.Model) or model.optimizer is None:
            raise TypeError(
                "the architecture function must return a compiled "
                "keras.Model."
            )
        return model
    if arch == "stacked" or (arch == "vanilla" and dropout):
        return models.stacked_lstm(
            input_shape, n_out,
            units=(units,) * (2 if arch == "stacked" else 1),
            dropout=dropout, optimizer=optimizer)
    builders = {
        "vanilla": lambda: models.vanilla_lstm(
            input_shape, n_out, units=units, optimizer=optimizer),
        "bidirectional": lambda: models.bidirectional_lstm(
            input_shape, n_out, units=units, optimizer=optimizer),
        "cnn_lstm": lambda: models.cnn_lstm(
            input_shape, n_out, units=units, optimizer=optimizer,
            kernel_size=1, pool_size=min(2, input_shape[1])),
        "conv_lstm": lambda: models.conv_lstm(
            input_shape, n_out, filters=units,
            kernel_size=(1, min(2, input_shape[2])), optimizer=optimizer),
        "encoder_decoder": lambda: models.encoder_decoder_lstm(
            input_shape, n_out, units=units, optimizer=optimizer),
    }
    return builders[arch]()
