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
"Prediction intervals" (:meth:`LSTMForecaster.sample_paths`, Monte-Carlo
dropout).
"""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd

from . import models
from ._checks import (as_numeric_array, check_choice, check_dates,
                      check_finite, check_flag, check_float_range,
                      check_seed, check_steps)
from .base import BaseForecaster
from .dates import future_index
from .scaling import Scaler
from .transforms import target_transforms
from .windows import make_windows, to_convlstm_input, to_subsequences

__all__ = ["LSTMForecaster", "ARCHITECTURES", "build_architecture"]

#: Architectures :class:`LSTMForecaster` can build, by name.
ARCHITECTURES = ("vanilla", "stacked", "bidirectional", "cnn_lstm",
                 "conv_lstm", "encoder_decoder")
STRATEGIES = ("direct", "recursive")


def _n_seq(n_steps_in: int) -> int:
    """Subsequences for CNN-LSTM/ConvLSTM: the most with >= 2 steps each."""
    for n_seq in range(n_steps_in // 2, 0, -1):
        if n_steps_in % n_seq == 0:
            return n_seq
    return 1


class LSTMForecaster(BaseForecaster):
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
    epochs, batch_size, learning_rate : int, int or None, float
        Training settings for :func:`~lstmbook.training.fit` with the Adam
        optimiser (``batch_size=None``: all windows in one batch).
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
    seeds : int or sequence of int
        One model per seed; the forecast is their average
        (:meth:`predict_members` gives each model's own).
    target : str, optional
        For a DataFrame: the column to forecast; the other columns are
        extra inputs (known up to the forecast origin). Transforms 1-2
        apply to the target only; normalisation and scaling to every
        column.
    dropout : float
        Dropout after each LSTM layer (0 to 1).
    warm_start : bool
        On a later :meth:`fit` (e.g. the next backtest fold), continue
        training the previous models for ``warm_epochs`` (default: a
        quarter of ``epochs``) instead of starting from new weights.

    Settings are checked when the forecaster is made: a wrong type or an
    impossible value raises ``TypeError``/``ValueError`` at once.

    Chapter: "From toy to real".
    """

    _SHOWN = ("horizon", "n_steps_in", "architecture", "units", "epochs",
              "log", "season_diff", "normalize", "strategy", "seeds")

    def __init__(self, horizon, n_steps_in, architecture="vanilla", units=32,
                 epochs=200, batch_size=32, learning_rate=1e-3, log=False,
                 season_diff=None, normalize="last", strategy="direct",
                 seeds=(0,), target=None, dropout=0.0, warm_start=False,
                 warm_epochs=None):
        self._set_common(horizon, n_steps_in, units, epochs, batch_size,
                         learning_rate, normalize, seeds, dropout, warm_start,
                         warm_epochs)
        if not callable(architecture):
            check_choice(architecture, ARCHITECTURES, "architecture")
        self.strategy = check_choice(strategy, STRATEGIES, "strategy")
        if strategy == "recursive" and architecture == "encoder_decoder":
            raise ValueError(
                "the encoder-decoder emits the whole horizon as a sequence; "
                "use strategy='direct' with it."
            )
        self.architecture = architecture
        self.log = check_flag(log, "log")
        self.season_diff = (None if season_diff is None or (
            not isinstance(season_diff, bool) and season_diff == 0)
            else check_steps(season_diff, "season_diff"))
        if target is not None and not isinstance(target, (str, int)):
            raise TypeError(
                f"target must be a column name (str or int), got {target!r}."
            )
        self.target = target
        self.transforms_ = target_transforms(self.log, self.season_diff)
        self.scaler_ = None

    @property
    def _n_out(self):
        return 1 if self.strategy == "recursive" else self.horizon

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
        index = getattr(series, "index", None)
        check_dates(index, "series")
        if self.strategy == "recursive" and table.shape[1] > 1:
            raise ValueError(
                "the recursive strategy feeds forecasts back as inputs, so "
                "every input must be forecast too; with extra input columns "
                "use strategy='direct'."
            )
        return table, index

    def _transform(self, table):
        """Steps 1-2 on the target column; returns the modelled table."""
        target = self.transforms_.forward(table[:, 0])
        z = table[len(table) - len(target):].copy()
        z[:, 0] = target
        return z

    def _windows(self, z):
        """Steps 3-4: windows, normalised by their last input value."""
        X, y = make_windows(z, z[:, 0], self.n_steps_in, self._n_out,
                            copy=True)
        if self._n_out == 1:
            y = y[:, np.newaxis]
        X, y, _ = self._normalized(X, y)
        return X, y

    def _shape_input(self, X):
        """Reshape windows for the architecture (CNN-LSTM, ConvLSTM)."""
        if self.architecture == "cnn_lstm":
            return to_subsequences(X, _n_seq(self.n_steps_in))
        if self.architecture == "conv_lstm":
            return to_convlstm_input(X, _n_seq(self.n_steps_in))
        return X

    # -- fit and predict ------------------------------------------------------

    def fit(self, series):
        """Train on the whole of ``series`` (the history). Returns ``self``.

        ``series`` is a Series (dated or not), an array, or with ``target``
        a DataFrame. Dates must increase and be evenly spaced.
        """
        table, index = self._table(series)
        needed = self.n_steps_in + self._n_out + 1 + (self.season_diff or 0)
        if len(table) < needed:
            raise ValueError(
                f"the series has {len(table)} time steps; this forecaster "
                f"needs at least {needed} (a window of {self.n_steps_in}, "
                f"{self._n_out} target(s), a second sample"
                + (f", and {self.season_diff} for the seasonal difference"
                   if self.season_diff else "")
                + "). Use a longer series or a shorter window."
            )
        X, y = self._windows(self._transform(table))
        if self.ensemble_.fitted and self._n_columns != table.shape[1]:
            self.ensemble_.models = None  # new columns: no warm start
        if not (self.warm_start and self.ensemble_.fitted):
            self.scaler_ = Scaler().fit(X.reshape(-1, X.shape[-1]))
        Xs = self._shape_input(self.scaler_.transform(X))
        ys = self.scaler_.transform(y, columns=0)
        check_float_range(Xs, "the scaled windows")
        self._train(lambda: build_architecture(
            self.architecture, Xs.shape[1:], self._n_out, self.units,
            self.dropout, self.learning_rate), Xs, ys)
        self._n_columns = table.shape[1]
        self._table_, self._index_ = table, index
        self._name = getattr(series, "name", None) if self.target is None \
            else self.target
        return self

    def _roll(self, windows, models, training=False):
        """Forecast ``z`` from windows ``(n, steps, cols)``: ``(n, horizon)``.

        One pass of ``models`` for the direct strategy; for the recursive
        one, ``horizon`` one-step passes, each fed the previous forecast.
        """
        steps = []
        for _ in range(self.horizon if self.strategy == "recursive" else 1):
            Xn, _, last = self._normalized(windows)
            x = self._shape_input(self.scaler_.transform(Xn))
            out = self.ensemble_.predict(x, models, training=training)
            out = out.reshape(len(windows), -1)
            steps.append(self.scaler_.inverse_transform(out, columns=0)
                         + last)
            if self.strategy == "recursive":
                windows = np.concatenate(
                    [windows[:, 1:], steps[-1][:, :, np.newaxis]], axis=1)
        return np.hstack(steps)

    def _forecast(self, history, models):
        table, index, z = self._history(history)
        z_future = self._roll(z[np.newaxis, -self.n_steps_in:], models)[0]
        return self.transforms_.inverse(z_future, table[:, 0]), index

    def predict(self, history=None):
        """Forecast ``horizon`` steps after the end of the history.

        ``history`` defaults to the series given to :meth:`fit`; pass a
        longer one (the same series with newer values) to forecast from its
        end with the trained models, without refitting. Returns a Series
        indexed by the future dates when the history has dates, else an
        array, in the data's units. With several seeds the models' outputs
        are averaged (before the transforms are undone).
        """
        forecast, index = self._forecast(history, None)
        if isinstance(index, pd.DatetimeIndex):
            return pd.Series(forecast, index=future_index(index, self.horizon),
                             name=self._name)
        return forecast

    def predict_members(self, history=None) -> pd.DataFrame:
        """Each seed's model alone: one forecast column per seed.

        The spread across columns shows how much the forecast depends on
        the random start; :meth:`predict` is the ensemble of all of them.
        Rows are the future dates (or steps 1..horizon).

        Chapter: "From toy to real".
        """
        self._check_fitted()
        columns = {}
        for seed in self.seeds:
            forecast, index = self._forecast(
                history, self.ensemble_.members(seed))
            columns[seed] = forecast
        frame = pd.DataFrame(columns,
                             index=self._future_rows(index, self.horizon))
        frame.columns.name = "seed"
        return frame

    def _history(self, history):
        """The table, index and transformed values a forecast starts from.

        ``history=None`` is the end of the training data; otherwise the new
        history is checked against what the model was trained on.
        """
        self._check_fitted()
        if history is None:
            table, index = self._table_, self._index_
        else:
            table, index = self._table(history)
            if table.shape[1] != self._n_columns:
                raise ValueError(
                    f"history has {table.shape[1]} column(s) but the model "
                    f"was trained on {self._n_columns}."
                )
        if len(table) < self.n_steps_in + (self.season_diff or 0):
            raise ValueError(
                f"history is too short: it has {len(table)} steps; a "
                f"forecast needs one window of {self.n_steps_in}"
                + (f" plus {self.season_diff} for the seasonal difference"
                   if self.season_diff else "") + "."
            )
        return table, index, self._transform(table)

    def sample_paths(self, n_samples=200, history=None, seed=0):
        """Monte-Carlo dropout: ``n_samples`` possible forecast paths.

        The forecast of :meth:`predict`, run ``n_samples`` times with
        dropout left on (``model(x, training=True)``): each run switches
        off a different random set of units and gives a slightly
        different path. Their spread shows how unsure the network is of
        its own weights; it does not include the noise of the data itself
        (chapter "Prediction intervals" measures what that does to the
        intervals). Needs models with dropout, e.g.
        ``LSTMForecaster(..., dropout=0.2)`` (vanilla or stacked). With
        several seeds, each model draws ``n_samples`` paths and they are
        pooled. ``seed`` makes the draws repeatable; ``history`` is as in
        :meth:`predict`.

        Returns a DataFrame, one row per forecast step (the future dates
        when the history has dates) and one column per path, in the
        data's units.

        Chapter: "Prediction intervals".
        """
        table, index, z = self._history(history)
        n_samples = check_steps(n_samples, "n_samples")
        self.ensemble_.seed_dropout(check_seed(seed))
        windows = np.repeat(z[np.newaxis, -self.n_steps_in:], n_samples,
                            axis=0)
        z_paths = np.vstack([self._roll(windows, [model], training=True)
                             for model in self.models_])
        values = np.column_stack([self.transforms_.inverse(p, table[:, 0])
                                  for p in z_paths])
        return pd.DataFrame(values,
                            index=self._future_rows(index, self.horizon))

    # -- what a save stores -----------------------------------------------------

    def _state(self) -> dict:
        keep = self.n_steps_in + (self.season_diff or 0)
        index = self._index_
        dates = freq = index_name = None
        if isinstance(index, pd.DatetimeIndex):
            freq = index.freqstr or pd.infer_freq(index)
            dates = [d.isoformat() for d in index[-keep:]]
            index_name = index.name
        return {"scaler": self.scaler_.to_dict(),
                "n_columns": self._n_columns, "name": self._name,
                "history": {"values": self._table_[-keep:].tolist(),
                            "dates": dates, "freq": freq,
                            "index_name": index_name}}

    def _restore(self, state: dict) -> None:
        self.scaler_ = Scaler.from_dict(state["scaler"])
        self._n_columns = int(state["n_columns"])
        self._name = state["name"]
        history = state["history"]
        self._table_ = np.array(history["values"], dtype="float64")
        self._index_ = (
            pd.DatetimeIndex(history["dates"], freq=history["freq"],
                             name=history["index_name"])
            if history["dates"] else None)
        if self._table_.ndim != 2 or self._table_.shape[1] != \
                self._n_columns:
            raise TypeError("the saved history does not match n_columns")


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
