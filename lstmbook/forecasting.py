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
5. scale with statistics of the training windows
   (:class:`~lstmbook.evaluation.Scaler`);
6. train one model per seed (:func:`~lstmbook.training.fit`), average their
   forecasts, and undo steps 5 to 1, so the forecast comes back in the
   data's units, indexed by the future dates.

It is a callable, so :func:`~lstmbook.evaluation.backtest` can refit it on
every fold: ``lb.backtest(series, {"lstm": LSTMForecaster(...)}, ...)``.

Chapter: "From toy to real" (the recipe); "Transforms that help LSTMs" (the
options); "Forecasting the future" (strategies and dates);
"Prediction intervals" (:meth:`LSTMForecaster.sample_paths`, Monte-Carlo
dropout).
"""

from __future__ import annotations

import inspect
import json
import math
import weakref
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from . import models
from ._checks import as_numeric_array, check_finite, check_steps
from .datasets import future_index
from .evaluation import Scaler
from .training import _NoRetracingWarning, fit, set_seed
from .windows import make_windows, to_convlstm_input, to_subsequences

__all__ = ["LSTMForecaster", "ARCHITECTURES"]

#: Architectures :class:`LSTMForecaster` can build, by name.
ARCHITECTURES = ("vanilla", "stacked", "bidirectional", "cnn_lstm",
                 "conv_lstm", "encoder_decoder")
STRATEGIES = ("direct", "recursive")
NORMALIZE = (None, "last")


# model -> {training flag: compiled call}. A forecast calls its models
# many times (a recursive forecast once per step, a backtest once per
# origin); run eagerly, each call costs ~0.1 s of Python overhead, compiled
# a few ms, with the same numbers.
_COMPILED = weakref.WeakKeyDictionary()


def _call(model, x, training=False) -> np.ndarray:
    """``model(x, training=...)`` through a ``tf.function`` cached per model.

    The function holds only a weak reference to the model, so the cache
    entry goes away with the model.
    """
    calls = _COMPILED.setdefault(model, {})
    if training not in calls:
        ref = weakref.ref(model)
        calls[training] = tf.function(
            lambda inputs: ref()(inputs, training=training))
    quiet = _NoRetracingWarning()  # one trace per model is not "retracing"
    tf.get_logger().addFilter(quiet)
    try:
        out = calls[training](tf.constant(x, dtype=keras.config.floatx()))
    finally:
        tf.get_logger().removeFilter(quiet)
    return keras.ops.convert_to_numpy(out)


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
            outputs = [_call(model, x).reshape(-1) for model in
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
        table, index, z = self._history(history)
        forecast = self._invert(self._predict_z(z[-self.n_steps_in:]), table)
        if isinstance(index, pd.DatetimeIndex):
            return pd.Series(forecast, index=future_index(index, self.horizon),
                             name=self._name)
        return forecast

    def _history(self, history):
        """The table, index and transformed values a forecast starts from.

        ``history=None`` is the end of the training data; otherwise the new
        history is checked against what the model was trained on.
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
        return table, index, z

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
        dropouts = [[layer for layer in model.layers
                     if isinstance(layer, keras.layers.Dropout)]
                    for model in self.models_]
        if not all(dropouts):
            raise ValueError(
                "Monte-Carlo dropout needs dropout layers, and these models "
                "have none. Build the forecaster with dropout, e.g. "
                "LSTMForecaster(..., architecture='vanilla', dropout=0.2)."
            )
        paths = []
        for k, model in enumerate(self.models_):
            for layer in dropouts[k]:  # same draws for the same seed
                layer.seed_generator.state.assign([int(seed) + k, 0])

            def one_pass(windows, model=model):
                last = windows[:, -1:, :] if self.normalize == "last" \
                    else np.zeros_like(windows[:, -1:, :])
                x = self._shape_input(self.scaler_.transform(windows - last))
                out = _call(model, x, training=True).reshape(len(windows), -1)
                return (self.scaler_.inverse_transform(out, columns=0)
                        + last[:, :, 0])

            windows = np.repeat(z[np.newaxis, -self.n_steps_in:], n_samples,
                                axis=0)
            if self.strategy == "direct":
                paths.append(one_pass(windows))
            else:
                steps = []
                for _ in range(self.horizon):
                    step = one_pass(windows)[:, :1]
                    steps.append(step)
                    windows = np.concatenate(
                        [windows[:, 1:], step[:, :, np.newaxis]], axis=1)
                paths.append(np.hstack(steps))
        z_paths = np.vstack(paths)
        values = np.column_stack([self._invert(p, table) for p in z_paths])
        rows = (future_index(index, self.horizon)
                if isinstance(index, pd.DatetimeIndex)
                else pd.RangeIndex(1, self.horizon + 1, name="step"))
        return pd.DataFrame(values, index=rows)

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

    # -- save and load --------------------------------------------------------

    def save(self, path):
        """Save the fitted forecaster in the folder ``path``.

        The folder gets one Keras file per seed model (``model_0.keras``,
        ...) and ``forecaster.json``: the settings, the scaler's
        statistics, the end of the training history that the next forecast
        starts from (its last ``n_steps_in`` steps, plus ``season_diff``
        more), with its dates and frequency. :meth:`load` rebuilds a
        forecaster whose :meth:`predict` gives the same forecast. A custom
        ``architecture`` function cannot be saved (its code is not data);
        the models themselves would be, but not the way to build new ones.
        Returns the folder as a ``pathlib.Path``.

        Chapter: "Your own data".
        """
        if self.models_ is None:
            raise ValueError(
                "this forecaster is not fitted yet; call .fit(series) "
                "before .save(path)."
            )
        if callable(self.architecture):
            raise ValueError(
                "a forecaster with a custom architecture function cannot be "
                "saved; use one of the named architectures "
                f"{ARCHITECTURES}, or save the Keras models yourself "
                "(forecaster.models_[k].save(...))."
            )
        folder = Path(path)
        if folder.exists() and not folder.is_dir():
            raise ValueError(f"{folder} exists and is not a folder.")
        folder.mkdir(parents=True, exist_ok=True)
        names = []
        for k, model in enumerate(self.models_):
            names.append(f"model_{k}.keras")
            model.save(folder / names[-1])
        keep = self.n_steps_in + (self.season_diff or 0)
        index = self._index_
        dates = freq = index_name = None
        if isinstance(index, pd.DatetimeIndex):
            freq = index.freqstr or pd.infer_freq(index)
            dates = [d.isoformat() for d in index[-keep:]]
            index_name = index.name
        params = inspect.signature(type(self)).parameters.values()
        settings = {p.name: getattr(self, p.name, p.default)
                    for p in params}
        settings["seeds"] = list(settings["seeds"])
        state = {
            "format": 1,
            "settings": settings,
            "floatx": self.models_[0].layers[0].dtype,  # the models' own type
            "models": names,
            "scaler": {"method": self.scaler_.method,
                       "center": np.atleast_1d(self.scaler_.center_).tolist(),
                       "scale": np.atleast_1d(self.scaler_.scale_).tolist()},
            "n_columns": self._n_columns,
            "name": self._name,
            "history": {"values": self._table_[-keep:].tolist(),
                        "dates": dates, "freq": freq,
                        "index_name": index_name},
        }
        try:
            text = json.dumps(state, indent=2)
        except TypeError as err:
            raise TypeError(
                f"a setting of this forecaster cannot be written as JSON "
                f"({err}); use plain numbers and strings (e.g. a string "
                "target column name)."
            ) from None
        (folder / "forecaster.json").write_text(text)
        return folder

    @classmethod
    def load(cls, path):
        """Load a forecaster saved with :meth:`save` from the folder ``path``.

        The result forecasts from the end of the saved history with
        ``predict()``, or from the end of a newer history with
        ``predict(history)``, without refitting; ``fit`` trains it anew.

        Chapter: "Your own data".
        """
        folder = Path(path)
        meta = folder / "forecaster.json"
        if not meta.is_file():
            raise ValueError(
                f"{folder} has no forecaster.json; pass the folder that "
                "LSTMForecaster.save(path) wrote."
            )
        state = json.loads(meta.read_text())
        if state.get("format") != 1:
            raise ValueError(
                f"{meta} has format {state.get('format')!r}; this version "
                "of lstmbook reads format 1."
            )
        forecaster = cls(**state["settings"])
        forecaster.models_ = [keras.models.load_model(folder / name)
                              for name in state["models"]]
        scaler = Scaler(state["scaler"]["method"])
        scaler.center_ = np.array(state["scaler"]["center"])
        scaler.scale_ = np.array(state["scaler"]["scale"])
        forecaster.scaler_ = scaler
        forecaster._n_columns = state["n_columns"]
        forecaster._name = state["name"]
        history = state["history"]
        forecaster._table_ = np.array(history["values"], dtype="float64")
        forecaster._index_ = (
            pd.DatetimeIndex(history["dates"], freq=history["freq"],
                             name=history["index_name"])
            if history["dates"] else None)
        return forecaster
