"""Framing: from a forecaster's data to scaled windows, and back.

A forecaster has two halves. One trains and runs networks (the settings,
the seed ensemble, saving: :class:`~lstmbook.base.BaseForecaster`); the
other frames the data for them and undoes the framing of a forecast. The
second half lives here, one class per kind of data, mixed into the
forecaster that reads it:

* :class:`SeriesFraming` for one series (optionally with extra input
  columns): check the table and its dates, apply the target transforms,
  cut and normalise windows, reshape them for the architecture, and keep
  the end of the history a forecast starts from;
* :class:`PanelFraming` for many series: each series' windows scaled with
  its own statistics, with an optional one-hot series code.

Chapter: "From toy to real" (one series); "Many series" (a panel).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import (as_numeric_array, check_dates, check_finite,
                      check_float_range, panel_values)
from .known import KnownFraming, known_positions
from .panel_inputs import PanelRows
from .persistence import tail_restore, tail_state
from .scaling import Scaler
from .windows import make_windows, to_convlstm_input, to_subsequences

__all__ = ["SeriesFraming", "PanelFraming"]


def _n_seq(n_steps_in: int) -> int:
    """Subsequences for CNN-LSTM/ConvLSTM: the most with >= 2 steps each."""
    for n_seq in range(n_steps_in // 2, 0, -1):
        if n_steps_in % n_seq == 0:
            return n_seq
    return 1


class SeriesFraming(KnownFraming):
    """One series (target first, extra input columns after it) as windows.

    Mixed into :class:`~lstmbook.forecasting.LSTMForecaster`, whose
    settings (``target``, ``known``, ``strategy``, ``transforms_``,
    ``n_steps_in``, ``season_diff``, ``architecture``) it reads. The
    future rows of known inputs come from
    :class:`~lstmbook.known.KnownFraming`.
    """

    @property
    def _n_out(self):
        return self.strategy_.n_out

    # -- data in and out ------------------------------------------------------

    def _table(self, series):
        """The series as a float table, target first, and its index."""
        self._known_idx = []
        if isinstance(series, pd.DataFrame):
            if self.target not in series.columns:
                raise ValueError(
                    "series is a table: pass target= the column to forecast "
                    f"(one of {list(series.columns)})."
                )
            columns = [self.target] + [c for c in series.columns
                                       if c != self.target]
            self._known_idx = known_positions(self.known, columns,
                                              self.target)
            series = series[columns]
        elif self.known:
            raise ValueError(
                f"known={list(self.known)} names columns of a table: pass a "
                "DataFrame with them beside the target (and target=)."
            )
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
        self._check_fed_back(table.shape[1])
        return table, index

    def _transform(self, table):
        """Steps 1-2 on the target column; returns the modelled table."""
        target = self.transforms_.forward(table[:, 0])
        z = table[len(table) - len(target):].copy()
        z[:, 0] = target
        return z

    def _windows(self, z):
        """Steps 3-4: windows, normalised by their last input value, and
        the raw windows and rows of the steps they forecast."""
        X, rows = make_windows(z, z, self.n_steps_in, self._n_out, copy=True)
        rows = rows.reshape(len(X), self._n_out, z.shape[1])
        Xn, y, _ = self._normalized(X, rows[:, :, 0])
        return Xn, y, (X, rows)

    def _training_windows(self, table, fit_scaler):
        """Steps 1-5 on the training table: scaled windows ``(Xs, ys)``."""
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
        X, y, (raw, rows) = self._windows(self._transform(table))
        if fit_scaler:
            self.scaler_ = Scaler().fit(X.reshape(-1, X.shape[-1]))
        Xs = self._shape_input(self.scaler_.transform(X))
        check_float_range(Xs, "the scaled windows")
        ys = self.scaler_.transform(y, columns=0)
        future = self._future_input(rows, raw) if self.known else None
        return self.strategy_.training_input(Xs, ys, future), ys

    def _model_input(self, windows, rows=None):
        """Windows ``(n, steps, cols)`` (and their future rows of known
        inputs) as the model reads them, and the offsets (last values) to
        add back to its output."""
        Xn, _, last = self._normalized(windows)
        x = self._shape_input(self.scaler_.transform(Xn))
        if rows is not None:
            x = np.concatenate([x, self._future_input(rows, windows)], axis=1)
        return x, last

    def _model_output(self, out, last):
        """The model's scaled output back to the modelled series ``z``."""
        out = out.reshape(len(last), -1)
        return self.scaler_.inverse_transform(out, columns=0) + last

    def _shape_input(self, X):
        """Reshape windows for the architecture (CNN-LSTM, ConvLSTM)."""
        if self.architecture == "cnn_lstm":
            return to_subsequences(X, _n_seq(self.n_steps_in))
        if self.architecture == "conv_lstm":
            return to_convlstm_input(X, _n_seq(self.n_steps_in))
        return X

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

    # -- what a save stores -----------------------------------------------------

    def _state(self) -> dict:
        # The seasonal adjustment re-estimates its indices from the whole
        # history; otherwise a window and a season are all a forecast reads.
        keep = (len(self._table_) if self.deseasonalize
                else self.n_steps_in + (self.season_diff or 0))
        return {"scaler": self.scaler_.to_dict(),
                "n_columns": self._n_columns, "name": self._name,
                "known_positions": list(self._known_idx),
                "history": tail_state(self._table_, self._index_, keep)}

    def _restore(self, state: dict) -> None:
        self.scaler_ = Scaler.from_dict(state["scaler"])
        self._n_columns = int(state["n_columns"])
        self._known_idx = [int(k) for k in state.get("known_positions", [])]
        self._name = state["name"]
        self._table_, self._index_ = tail_restore(state["history"])
        if self._table_.ndim != 2 or self._table_.shape[1] != \
                self._n_columns:
            raise TypeError("the saved history does not match n_columns")


class PanelFraming(PanelRows):
    """Every series of a panel as windows, scaled series by series.

    Mixed into :class:`~lstmbook.panel.GlobalLSTMForecaster`, whose
    settings (``n_steps_in``, ``horizon``, ``series_id``, ``scale``,
    ``transforms_``, ``known``, ``inputs_``) it reads. Series may start
    late (a ragged panel): each one is its column after its leading missing
    values, transformed on its own (log, seasonal adjustment), and a series
    shorter than the window it needs is padded in front with its first
    value. Known and static inputs (:mod:`lstmbook.panel_inputs`) become
    extra features of every step and, with known inputs, ``horizon`` rows
    after the window.
    """

    @staticmethod
    def _observed(values):
        """Each column's values from its first observation on."""
        firsts = np.argmax(~np.isnan(values), axis=0)
        return [values[first:, j] for j, first in enumerate(firsts)]

    def _modelled(self, name, y, length):
        """Series ``y`` transformed, padded in front to ``length`` steps."""
        try:
            z = self.transforms_.forward(y)
        except ValueError as error:
            raise ValueError(f"series {name!r}: {error}") from None
        return np.r_[np.repeat(z[0], max(0, length - len(z))), z]

    def _new_scaler(self, X):
        """A scaler fitted on one series' windows (``scale=False``: one
        that changes nothing)."""
        if self.scale:
            return Scaler().fit(X.reshape(-1))
        return Scaler.from_dict({"method": "standard", "center": [0.0],
                                 "scale": [1.0], "ndim": 0})

    def _panel_windows(self, values, columns, index, fit_scalers,
                       known=None, static=None):
        """Windows of every series, scaled with that series' statistics."""
        if fit_scalers:
            self.series_ = columns
            self.scalers_ = {}
            self.inputs_.fit_static(static, columns)
        known = self.inputs_.known_values(known, index, columns)
        # just fitted: the features are stored; warm: the table, if given
        static = self.inputs_.static_features(
            columns, None if fit_scalers else static)
        windows, targets, parts = [], [], []
        needed = self.n_steps_in + self.horizon
        for code, (name, y) in enumerate(zip(columns,
                                             self._observed(values))):
            z = self._modelled(name, y, needed)
            table = z[:, np.newaxis]
            if known is not None:  # z ends on the panel's last row; its
                rows = np.arange(len(values) - len(z), len(values))
                table = np.column_stack(  # padding reads the first row
                    [z, known[np.maximum(rows, 0), code]])
            X, t = make_windows(table, table, self.n_steps_in, self.horizon,
                                copy=True)
            if self.recent_windows:
                X, t = X[-self.recent_windows:], t[-self.recent_windows:]
            t = t.reshape(len(t), self.horizon, -1)
            Xz, tz, _ = self._normalized(X[:, :, 0], t[:, :, 0])
            if fit_scalers:
                self.scalers_[name] = self._new_scaler(Xz)
            scaler = self.scalers_[name]
            windows.append(scaler.transform(Xz))
            targets.append(scaler.transform(tz))
            parts.append(self._relative(X[:, :, 1:], t[:, :, 1:]))
        if known is not None:
            n = np.cumsum([len(w) for w in windows])[:-1]
            scaled = self.inputs_.scaled(
                np.concatenate([p[0] for p in parts]),
                np.concatenate([p[1] for p in parts]), fit=fit_scalers)
            parts = zip(*(np.split(a, n) for a in scaled))
        inputs = [self._model_rows(Xs, code, static[code], *part)
                  for code, (Xs, part) in enumerate(zip(windows, parts))]
        return np.concatenate(inputs), np.concatenate(targets)

    def _inputs(self, panel, known=None, static=None):
        """The last window of every series, scaled, and how to undo it.

        Returns ``(X, undo, columns, index)``: ``undo[j]`` holds what
        :meth:`_output` needs to turn the model's output for series ``j``
        back into the data's units.
        """
        self._check_fitted()
        if panel is None:
            values, columns, index = (self._values_, self.series_,
                                      self._index_)
        else:
            values, columns, index = panel_values(panel, ragged=True)
        if len(values) < self.n_steps_in:
            raise ValueError(
                f"the panel has {len(values)} time steps, fewer than one "
                f"window of n_steps_in={self.n_steps_in}. (Within a longer "
                "panel, a series that starts late is padded in front.)"
            )
        unknown = [c for c in columns if c not in self.scalers_]
        if unknown and self.series_id is not None:
            raise ValueError(
                f"series {unknown} were not in the training panel, and this "
                "model needs each series' one-hot code. Refit with them, or "
                "use series_id=None for a model that can forecast new "
                "series."
            )
        known = self._known_for_forecast(known, index, columns)
        static = self.inputs_.static_features(columns, static)
        batch, undo = [], []
        n, h = self.n_steps_in, self.horizon
        for j, (name, y) in enumerate(zip(columns, self._observed(values))):
            z = self._modelled(name, y, n)
            Xn, _, last = self._normalized(z[np.newaxis, -n:])
            scaler = self.scalers_.get(name)
            if scaler is None:  # cold start: the series' own history
                history = np.lib.stride_tricks.sliding_window_view(z, n)
                scaler = self._new_scaler(self._normalized(history)[0])
            code = self.series_.index(name) if name in self.scalers_ else 0
            parts = (None, None)
            if known is not None:
                parts = self.inputs_.scaled(*self._relative(
                    known[np.newaxis, -n - h:-h, j],
                    known[np.newaxis, -h:, j]))
            batch.append(self._model_rows(scaler.transform(Xn), code,
                                          static[j], *parts))
            undo.append((scaler, last[0, 0], y))
        return np.concatenate(batch), undo, columns, index

    def _output(self, out, undo):
        """The model's output for one series back in the data's units."""
        scaler, last, y = undo
        return self.transforms_.inverse(scaler.inverse_transform(out) + last,
                                        y)

    # -- what a save stores -----------------------------------------------------

    def _state(self) -> dict:
        # The seasonal adjustment re-estimates its indices from the whole
        # history; otherwise the last window is all a forecast reads.
        keep = len(self._values_) if self.deseasonalize else self.n_steps_in
        return {
            "series": list(self.series_),
            "scalers": [self.scalers_[name].to_dict()
                        for name in self.series_],
            "n_windows": self.n_windows_,
            "inputs": self.inputs_.to_dict(),
            "history": tail_state(self._values_, self._index_, keep)}

    def _restore(self, state: dict) -> None:
        self.series_ = list(state["series"])
        self.scalers_ = {name: Scaler.from_dict(s) for name, s in
                         zip(self.series_, state["scalers"], strict=True)}
        self.n_windows_ = int(state["n_windows"])
        if "inputs" in state:
            self.inputs_.restore(state["inputs"], self.series_)
        self._values_, self._index_ = tail_restore(state["history"])
        if self._values_.ndim != 2 or \
                self._values_.shape[1] != len(self.series_):
            raise TypeError("the saved history does not match the series")
