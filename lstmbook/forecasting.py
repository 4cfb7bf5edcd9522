"""Forecasting a real series with an LSTM: the book's recipe as one object.

:class:`LSTMForecaster` strings together what the real-data chapters teach
one step at a time:

1. optionally take logs (a seasonal swing that grows with the level becomes
   a constant one);
2. optionally take a seasonal difference ``z[t] = y[t] - y[t - season]``
   (the model then forecasts how this year differs from last year);
3. cut the series into windows of ``n_steps_in`` inputs and ``horizon``
   targets (:func:`~lstmbook.windows.make_windows`);
4. optionally normalise each window by its last input value, so the model
   sees shapes, not levels (a level it never saw in training does not
   throw it off);
5. scale with statistics of the training windows (:class:`~lstmbook.
   evaluation.Scaler`);
6. train one model per seed (:func:`~lstmbook.training.fit`), average their
   forecasts, and undo steps 5 to 1, so the forecast comes back in the
   data's units, indexed by the future dates.

It is a callable, so :func:`~lstmbook.evaluation.backtest` can refit it on
every fold: ``lb.backtest(series, {"lstm": LSTMForecaster(...)}, ...)``.

Chapter: "From toy to real" (the recipe); "Transforms that help LSTMs" (the
options); "Forecasting the future" (strategies and dates).
"""

from __future__ import annotations

import math

import keras
import numpy as np
import pandas as pd

from . import models
from ._checks import as_numeric_array, check_finite, check_steps
from .datasets import future_index
from .evaluation import Scaler
from .training import fit, predict, set_seed
from .windows import make_windows, to_convlstm_input, to_subsequences

__all__ = ["LSTMForecaster", "ARCHITECTURES"]

#: Architectures :class:`LSTMForecaster` can build, by name.
ARCHITECTURES = ("vanilla", "stacked", "bidirectional", "cnn_lstm",
                 "conv_lstm", "encoder_decoder")
STRATEGIES = ("direct", "recursive")
NORMALIZE = (None, "last")


def _n_seq(n_steps_in: int) -> int:
    """Subsequences for CNN-LSTM/ConvLSTM: the most with >= 2 steps each."""
    for n_seq in range(n_steps_in // 2, 0, -1):
        if n_steps_in % n_seq == 0:
            return n_seq
    return 1


class LSTMForecaster:
    """Fit an LSTM to a dated series and forecast ``horizon`` steps ahead.

    Parameters
    ----------
    horizon : int
        Steps to forecast.
    n_steps_in : int
        Length of the input window (a season or two is a good start).
    architecture : str or callable
        One of :data:`ARCHITECTURES`, or a function
        ``build(input_shape, output_shape) -> compiled keras.Model``.
    units : int
        LSTM units (per layer).
    epochs, batch_size, learning_rate : training settings for
        :func:`~lstmbook.training.fit` with the Adam optimiser
        (``batch_size=None``: all windows in one batch).
    log : bool
        Model ``log(y)``; needs positive data.
    season_diff : int or None
        Model ``y[t] - y[t - season_diff]`` instead of ``y``.
    normalize : ``"last"`` or None
        Subtract each window's last input value from its inputs and targets.
    strategy : ``"direct"`` or ``"recursive"``
        ``"direct"``: one model outputs all ``horizon`` steps at once (a
        vector output; the encoder-decoder emits them as a sequence).
        ``"recursive"``: a one-step model whose forecasts are fed back as
        inputs, ``horizon`` times (univariate series only).
    seeds : sequence of int
        One model per seed; the forecast is their average.
    target : str, optional
        For a DataFrame: the column to forecast; the other columns are
        extra inputs (known up to the forecast origin). Transforms 1-2
        apply to the target only; normalisation and scaling to every
        column.
    dropout : float
        Dropout after each LSTM layer (0 to 1).
    warm_start : bool
        On a later :meth:`fit` (e.g. the next backtest fold), continue
        training the previous models for ``warm_epochs`` instead of
        starting from new weights.

    Chapter: "From toy to real".
    """

    def __init__(self, horizon, n_steps_in, architecture="vanilla", units=32,
                 epochs=200, batch_size=32, learning_rate=1e-3, log=False,
                 season_diff=None, normalize="last", strategy="direct",
                 seeds=(0,), target=None, dropout=0.0, warm_start=False,
                 warm_epochs=None):
        self.horizon = check_steps(horizon, "horizon")
        self.n_steps_in = check_steps(n_steps_in, "n_steps_in")
        if not callable(architecture) and architecture not in ARCHITECTURES:
            raise ValueError(
                f"architecture must be one of {ARCHITECTURES} or a function "
                f"build(input_shape, output_shape), got {architecture!r}."
            )
        if strategy not in STRATEGIES:
            raise ValueError(
                f"strategy must be one of {STRATEGIES}, got {strategy!r}."
            )
        if strategy == "recursive" and architecture == "encoder_decoder":
            raise ValueError(
                "the encoder-decoder emits the whole horizon as a sequence; "
                "use strategy='direct' with it."
            )
        if normalize not in NORMALIZE:
            raise ValueError(
                f"normalize must be 'last' or None, got {normalize!r}."
            )
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {dropout!r}.")
        seeds = tuple(seeds) if np.iterable(seeds) else (seeds,)
        if not seeds:
            raise ValueError("seeds must name at least one seed, e.g. (0,).")
        self.architecture = architecture
        self.units = check_steps(units, "units")
        self.epochs = check_steps(epochs, "epochs")
        self.batch_size = (None if batch_size is None
                           else check_steps(batch_size, "batch_size"))
        self.learning_rate = float(learning_rate)
        self.log = bool(log)
        self.season_diff = (None if season_diff in (None, 0)
                            else check_steps(season_diff, "season_diff"))
        self.normalize = normalize
        self.strategy = strategy
        self.seeds = tuple(int(s) for s in seeds)
        self.target = target
        self.dropout = float(dropout)
        self.warm_start = bool(warm_start)
        self.warm_epochs = (max(1, self.epochs // 4) if warm_epochs is None
                            else check_steps(warm_epochs, "warm_epochs"))
        self.models_ = None
        self.scaler_ = None
        self.histories_ = None

    def __repr__(self):
        arch = getattr(self.architecture, "__name__", self.architecture)
        return (f"LSTMForecaster(horizon={self.horizon}, "
                f"n_steps_in={self.n_steps_in}, architecture={arch!r}, "
                f"units={self.units}, epochs={self.epochs}, log={self.log}, "
                f"season_diff={self.season_diff}, "
                f"normalize={self.normalize!r}, strategy={self.strategy!r}, "
                f"seeds={self.seeds})")

    # -- data in and out ------------------------------------------------------

    def _table(self, series):
        """The series as a float table, target first, and its index."""
        if isinstance(series, pd.DataFrame):
            if self.target not in series.columns:
                raise ValueError(
                    "series is a table: pass target= the column to forecast "
                    f"(one of {list(series.columns)})."
                )
            columns = [self.target] + [c for c in series.columns
                                       if c != self.target]
            series = series[columns]
        elif self.target is not None and isinstance(series, pd.Series):
            raise ValueError(
                f"target={self.target!r} was given but series is a single "
                "Series; pass a DataFrame or leave target=None."
            )
        table = as_numeric_array(series, "series").astype("float64")
        if table.ndim == 1:
            table = table[:, np.newaxis]
        if table.ndim != 2:
            raise ValueError(
                f"series must be 1-D or a table, got shape {table.shape}."
            )
        check_finite(table, "series")
        if self.strategy == "recursive" and table.shape[1] > 1:
            raise ValueError(
                "the recursive strategy feeds forecasts back as inputs, so "
                "every input must be forecast too; with extra input columns "
                "use strategy='direct'."
            )
        return table, getattr(series, "index", None)

    def _transform(self, table):
        """Steps 1-2 on the target column; returns the modelled table."""
        z = table.copy()
        if self.log:
            if np.any(table[:, 0] <= 0):
                raise ValueError(
                    "log=True needs a positive series, but it has values "
                    "<= 0. Use log=False, or shift the data first."
                )
            z[:, 0] = np.log(table[:, 0])
        if self.season_diff:
            m = self.season_diff
            z = z[m:].copy()
            level = np.log(table[:, 0]) if self.log else table[:, 0]
            z[:, 0] = level[m:] - level[:-m]
        return z

    def _windows(self, z):
        """Step 3-4: windows, normalised by their last input value."""
        n_out = 1 if self.strategy == "recursive" else self.horizon
        X, y = make_windows(z, z[:, 0], self.n_steps_in, n_out, copy=True)
        if n_out == 1:
            y = y[:, np.newaxis]
        if self.normalize == "last":
            last = X[:, -1:, :]
            X = X - last
            y = y - last[:, :, 0]
        return X, y

    def _shape_input(self, X):
        """Reshape windows for the architecture (CNN-LSTM, ConvLSTM)."""
        if self.architecture == "cnn_lstm":
            return to_subsequences(X, _n_seq(self.n_steps_in))
        if self.architecture == "conv_lstm":
            return to_convlstm_input(X, _n_seq(self.n_steps_in))
        return X

    def _build(self, input_shape, n_out):
        optimizer = keras.optimizers.Adam(self.learning_rate)
        arch = self.architecture
        if callable(arch):
            model = arch(input_shape, n_out)
            if not isinstance(model, keras.Model) or model.optimizer is None:
                raise TypeError(
                    "the architecture function must return a compiled "
                    "keras.Model."
                )
            return model
        if arch == "stacked" or (arch == "vanilla" and self.dropout):
            return models.stacked_lstm(
                input_shape, n_out,
                units=(self.units,) * (2 if arch == "stacked" else 1),
                dropout=self.dropout, optimizer=optimizer)
        builders = {
            "vanilla": lambda: models.vanilla_lstm(
                input_shape, n_out, units=self.units, optimizer=optimizer),
            "bidirectional": lambda: models.bidirectional_lstm(
                input_shape, n_out, units=self.units, optimizer=optimizer),
            "cnn_lstm": lambda: models.cnn_lstm(
                input_shape, n_out, units=self.units, optimizer=optimizer,
                kernel_size=1, pool_size=min(2, input_shape[1])),
            "conv_lstm": lambda: models.conv_lstm(
                input_shape, n_out, filters=self.units,
                kernel_size=(1, min(2, input_shape[2])),
                optimizer=optimizer),
            "encoder_decoder": lambda: models.encoder_decoder_lstm(
                input_shape, n_out, units=self.units, optimizer=optimizer),
        }
        return builders[arch]()

    # -- fit and predict ------------------------------------------------------

    def fit(self, series):
        """Train on the whole of ``series`` (the history). Returns ``self``."""
        table, index = self._table(series)
        z = self._transform(table)
        n_out = 1 if self.strategy == "recursive" else self.horizon
        needed = self.n_steps_in + n_out + 1 + (self.season_diff or 0)
        if len(table) < needed:
            raise ValueError(
                f"the series has {len(table)} time steps; this forecaster "
                f"needs at least {needed} (a window of {self.n_steps_in}, "
                f"{n_out} target(s), a second sample"
                + (f", and {self.season_diff} for the seasonal difference"
                   if self.season_diff else "")
                + "). Use a longer series or a shorter window."
            )
        X, y = self._windows(z)
        warm = (self.warm_start and self.models_ is not None
                and self._n_columns == table.shape[1])
        if not warm:
            self.scaler_ = Scaler().fit(X.reshape(-1, X.shape[-1]))
        Xs = self._shape_input(self.scaler_.transform(X))
        ys = self.scaler_.transform(y, columns=0)
        if warm:
            self.histories_ = [
                fit(model, Xs, ys, epochs=self.warm_epochs,
                    batch_size=self.batch_size, seed=seed)
                for seed, model in zip(self.seeds, self.models_)]
        else:
            self.models_, self.histories_ = [], []
            for seed in self.seeds:
                set_seed(seed)
                model = self._build(Xs.shape[1:], n_out)
                self.histories_.append(fit(
                    model, Xs, ys, epochs=self.epochs,
                    batch_size=self.batch_size, seed=seed))
                self.models_.append(model)
        self._n_columns = table.shape[1]
        self._table_, self._index_ = table, index
        self._name = getattr(series, "name", None) if self.target is None \
            else self.target
        return self

    def _predict_z(self, window):
        """Forecast in the modelled space from one window ``(steps, cols)``.

        Returns the target's next ``horizon`` values, averaged over models.
        """
        def one_pass(window):
            last = window[-1:, :] if self.normalize == "last" else 0.0
            x = self.scaler_.transform(window - last)[np.newaxis]
            x = self._shape_input(x)
            outputs = [predict(model, x).reshape(-1) for model in
                       self.models_]
            out = self.scaler_.inverse_transform(np.mean(outputs, axis=0),
                                                 columns=0)
            return out + (last[0, 0] if self.normalize == "last" else 0.0)

        if self.strategy == "direct":
            return one_pass(window)
        window = window.copy()
        steps = []
        for _ in range(self.horizon):
            step = one_pass(window)[0]
            steps.append(step)
            window = np.vstack([window[1:], [[step]]])
        return np.array(steps)

    def _invert(self, z_future, table):
        """Undo the seasonal difference and the log (steps 2 and 1)."""
        level = np.log(table[:, 0]) if self.log else table[:, 0].copy()
        if self.season_diff:
            m = self.season_diff
            extended = list(level)
            for k, dz in enumerate(z_future):
                extended.append(extended[len(level) + k - m] + dz)
            future = np.array(extended[len(level):])
        else:
            future = z_future
        return np.exp(future) if self.log else future

    def predict(self, history=None):
        """Forecast ``horizon`` steps after the end of the history.

        ``history`` defaults to the series given to :meth:`fit`; pass a
        longer one (the same series with newer values) to forecast from its
        end with the trained models, without refitting. Returns a Series
        indexed by the future dates when the history has dates, else an
        array, in the data's units.
        """
        if self.models_ is None:
            raise ValueError(
                "this forecaster is not fitted yet; call .fit(series) first."
            )
        if history is None:
            table, index = self._table_, self._index_
        else:
            table, index = self._table(history)
            if table.shape[1] != self._n_columns:
                raise ValueError(
                    f"history has {table.shape[1]} column(s) but the model "
                    f"was trained on {self._n_columns}."
                )
        z = self._transform(table)
        if len(z) < self.n_steps_in:
            raise ValueError(
                f"history is too short: after transforms it has {len(z)} "
                f"steps, fewer than one window of {self.n_steps_in}."
            )
        forecast = self._invert(self._predict_z(z[-self.n_steps_in:]), table)
        if isinstance(index, pd.DatetimeIndex):
            return pd.Series(forecast, index=future_index(index, self.horizon),
                             name=self._name)
        return forecast

    def __call__(self, history):
        """Fit on ``history`` and forecast: the backtest interface."""
        return self.fit(history).predict()

    @property
    def n_params(self) -> int:
        """Trainable parameters of one of the models."""
        if self.models_ is None:
            raise ValueError("not fitted yet.")
        return int(sum(math.prod(w.shape)
                       for w in self.models_[0].trainable_weights))
